"""Enter on an event shows the registrants read while its row rested highlighted; a
refresh in between has the drill read them again; the rows' texts are drawn with the
read, for the drill's first frame (tui/widgets/read_ahead.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.app import active, on_events_tab
from tests.support.fakedeck import FakeDeck
from tests.support.screen import screen_lines, tab_matches
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.widgets import table_lines
from tui.widgets.registrants_pane import RegistrantsPane
from tui.widgets.table_lines import TableLines
from tui.widgets.table_model import row_text as format_row

MakeApp = Callable[..., MeetdeckApp]


async def drill(pilot: Any, app: MeetdeckApp, registrants: RegistrantsPane) -> None:
    """Enter on the highlighted event; wait until its registrants are shown."""
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: active(app) is registrants and registrants.settled and registrants.loaded,
        what="the registrants of the event",
    )


async def events_tab_read_ahead(pilot: Any, app: MeetdeckApp) -> RegistrantsPane:
    """The events tab on its first event, once the registrants tab has read its rows."""
    screen = await on_events_tab(pilot, app)
    registrants = screen.pane("registrants")
    assert isinstance(registrants, RegistrantsPane)
    await wait_for(
        pilot, lambda: registrants.read_ahead.query is not None, what="the event's rows read"
    )
    return registrants


def person_lines(app: MeetdeckApp) -> list[str]:
    return [line.split()[0] for line in screen_lines(app) if line.lstrip().startswith("Person")]


async def test_enter_shows_the_rows_read_while_the_event_rested_highlighted(
    make_app: MakeApp,
) -> None:
    """... and Back reads them ahead again, so a second Enter reads no page either."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        await drill(pilot, app, registrants)
        table = registrants.table
        assert table.page_queries == 0  # the drill read no page of its own
        assert table.row_count == 120
        assert person_lines(app)[:3] == ["Person00000", "Person00002", "Person00003"]
        assert registrants.read_ahead.query is None  # taken once
        await pilot.press("backspace")
        await wait_for(
            pilot, lambda: registrants.read_ahead.query is not None, what="the rows read again"
        )
        read = table.page_queries  # Back showed the tab's own scope again
        await drill(pilot, app, registrants)
        assert table.page_queries == read  # the second drill read no page either
        assert person_lines(app)[:3] == ["Person00000", "Person00002", "Person00003"]


async def test_a_refresh_after_the_rows_were_read_ahead_has_the_drill_read_them_again(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        deck.registrants_ = deck.registrants_[2:]  # a refresh brought fewer rows
        registrants.reload()  # as every tab does at the end of a refresh
        await drill(pilot, app, registrants)
        assert registrants.table.page_queries == 1
        assert registrants.table.row_count == 118
        assert person_lines(app)[:2] == ["Person00002", "Person00003"]


async def test_rows_read_ahead_are_not_shown_while_a_sync_runs(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        deck.registrants_ = deck.registrants_[2:]  # swapped in by a sync under way
        registrants.syncing = True
        await drill(pilot, app, registrants)
        assert registrants.table.row_count == 118
        assert person_lines(app)[:2] == ["Person00002", "Person00003"]


def spy_on_row_texts(
    monkeypatch: Any, registrants: RegistrantsPane
) -> tuple[list[object], list[object]]:
    """Count the rows formatted (`row_text`), and check each text drawn ahead against
    the text the row would be drawn with now: (rows formatted, rows drawn ahead)."""
    formatted: list[object] = []
    ahead: list[object] = []
    text_ahead = TableLines._text_ahead

    def counting(row: Any, *args: Any, **kwargs: Any) -> str:
        formatted.append(row)
        return format_row(row, *args, **kwargs)

    def checking(lines: Any, row: Any, layout: Any, width: int) -> str | None:
        text = text_ahead(lines, row, layout, width)
        if text is not None:
            table = registrants.table
            now = format_row(
                row, layout, table.time_format, width, markable=table.markable, marked=False
            )
            assert text == now, (text, now)
            ahead.append(row)
        return text

    monkeypatch.setattr(table_lines, "row_text", counting)
    monkeypatch.setattr(TableLines, "_text_ahead", checking)
    return formatted, ahead


async def test_enter_draws_the_rows_read_ahead_without_formatting_them_again(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        formatted, ahead = spy_on_row_texts(monkeypatch, registrants)
        await drill(pilot, app, registrants)
        shown = registrants.table.data_height
        assert formatted == []  # each row on screen was formatted with the read
        assert len(ahead) >= shown
        assert person_lines(app)[:3] == ["Person00000", "Person00002", "Person00003"]


async def test_rows_read_ahead_are_formatted_again_in_another_time_zone(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        formatted, ahead = spy_on_row_texts(monkeypatch, registrants)
        await pilot.press("t")  # the times are shown in another zone from now on
        await drill(pilot, app, registrants)
        assert ahead == []
        assert len(formatted) >= registrants.table.data_height


async def test_enter_hands_over_the_lines_drawn_ahead_under_the_cursor(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    """The rows under the cursor were drawn whole with the read, and put through the
    app's line filters then: the drill's first frame makes the header's line and the
    cursor's, no other, and filters no other row's line; each line is what the table
    draws for its row when nothing was drawn ahead."""
    from textual.strip import Strip

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        made: list[int] = []
        filtered: list[str] = []
        apply_filter = Strip.apply_filter

        class CountedStrip(Strip):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                made.append(1)
                super().__init__(*args, **kwargs)

        def filtering(strip: Strip, line_filter: Any, background: Any) -> Strip:
            if strip._filter_cache.get((line_filter, background)) is None:
                filtered.append(strip.text)
            return apply_filter(strip, line_filter, background)

        monkeypatch.setattr(table_lines, "Strip", CountedStrip)
        monkeypatch.setattr(Strip, "apply_filter", filtering)
        assert app.get_line_filters()  # the headless app converts ANSI colours too
        await drill(pilot, app, registrants)
        table = registrants.table
        assert table.has_focus and table.cursor_row == 0
        assert len(made) <= 2, len(made)  # the header and the cursor's line
        rows = [text for text in filtered if text.startswith("  Person")]  # the table's
        assert len(rows) <= 1, rows  # the cursor's
        monkeypatch.undo()
        height = table.data_height
        shown = [list(table.render_line(y)) for y in range(1, height + 1)]
        table.prepare([], registrants.shown_columns(), table.content_size, 0)  # none ahead
        table.clear_line_cache()
        assert shown == [list(table.render_line(y)) for y in range(1, height + 1)]


async def test_the_registrants_pane_is_laid_out_while_the_event_rests_highlighted(
    make_app: MakeApp,
) -> None:
    """While hidden, the pane, the tab pane holding it and their widgets get the sizes
    the drill's frame gives them (so that frame arranges and resizes none of them for
    the first time: a tab pane sized there asked for a layout of its own in it)."""
    from textual.widget import Widget
    from textual.widgets import TabPane

    def sizes(widget: Widget) -> tuple[object, ...]:
        return (widget._size, widget.virtual_size, widget._container_size)

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        holder = registrants.parent
        assert isinstance(holder, TabPane)
        widgets = list(holder.walk_children(Widget, with_self=True))
        assert registrants.region.area == 0  # still hidden: no map holds it
        ahead = {widget: sizes(widget) for widget in widgets}
        assert all(size for size, _virtual, _container in ahead.values()), ahead
        await drill(pilot, app, registrants)
        assert {widget: sizes(widget) for widget in widgets} == ahead
        assert registrants.table.size == ahead[registrants.table][0]


async def test_the_first_drill_restyles_its_tabs_with_rules_found_ahead(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    """The rules of the two tabs a drill-down switches (the registrants tab active, the
    events tab not) are found while the event rests highlighted, without changing how
    any tab looks then; the drill matches no tab against the stylesheet, and each tab
    looks as Textual's own restyle makes it."""
    from textual.dom import DOMNode
    from textual.widgets import TabbedContent
    from textual.widgets._tabbed_content import ContentTab

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        registrants = await events_tab_read_ahead(pilot, app)
        tabs = app.screen.query_one(TabbedContent)

        def looks() -> list[tuple[object, ...]]:
            return [
                (t.id, t.classes, t.styles.color, t.styles.background)
                for t in tabs.query(ContentTab)
            ]

        def restyled_by_textual() -> list[tuple[object, ...]]:
            for tab in tabs.query(ContentTab):
                DOMNode.update_node_styles(tab)
            return looks()

        before = looks()
        assert restyled_by_textual() == before  # what was learnt left no trace
        matched = tab_matches(monkeypatch)
        await drill(pilot, app, registrants)
        assert matched == [], matched
        shown = looks()
        assert shown != before  # another tab is active
        assert restyled_by_textual() == shown
