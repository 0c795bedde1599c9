"""Scrolling a page of text by keys (help, notifications): keys handled before the
next refresh each count from where the one before landed, in the order they came."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tests.support.waits import wait_for
from tui.widgets.key_scroll import scroll_lines, scroll_pages, scroll_to_end


class Page(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(f"line {number}" for number in range(100)))


async def landed(pilot: object, scroll: VerticalScroll) -> None:
    """Wait until every scroll asked for so far has landed (they land in order)."""
    marks: list[bool] = []
    scroll.call_after_refresh(marks.append, True)
    await wait_for(pilot, lambda: marks, what="the scrolls asked for so far")


async def test_two_lines_asked_before_a_refresh_move_two_lines() -> None:
    app = Page()
    async with app.run_test(size=(40, 10)) as pilot:
        scroll = app.query_one(VerticalScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 20, what="the page laid out")
        scroll_lines(scroll, 1)
        scroll_lines(scroll, 1)  # a held `j`: both handled before the refresh
        await landed(pilot, scroll)
        assert scroll.scroll_y == 2
        scroll_lines(scroll, -1)
        scroll_lines(scroll, 3)
        await landed(pilot, scroll)
        assert scroll.scroll_y == 4


async def test_the_ends_and_pages_land_in_the_order_typed() -> None:
    app = Page()
    async with app.run_test(size=(40, 10)) as pilot:
        scroll = app.query_one(VerticalScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 20, what="the page laid out")
        scroll_to_end(scroll, bottom=True)
        scroll_to_end(scroll, bottom=False)  # `G g` typed together: the top, not the end
        await landed(pilot, scroll)
        assert scroll.scroll_y == 0
        scroll_to_end(scroll, bottom=False)
        scroll_to_end(scroll, bottom=True)
        await landed(pilot, scroll)
        assert scroll.scroll_y == scroll.max_scroll_y
        scroll_to_end(scroll, bottom=False)
        scroll_pages(scroll, 1)
        scroll_pages(scroll, 1)
        await landed(pilot, scroll)
        assert scroll.scroll_y == 2 * (scroll.size.height - 2)
