"""What a key repaints: Enter's drill-down paints the rows in its first frame and the
detail panel after them; a `/` keystroke repaints only the table lines that changed.

Frames are counted where the screen hands one to the terminal (`App._display`, called
in headless runs too), and lines where the table draws them (`render_line`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Input

from tests.support.app import active, on_events_tab
from tests.support.fakedeck import FakeDeck
from tests.support.screen import screen_lines, tab_matches
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.screens.main import MainScreen
from tui.widgets.virtual_table import PAGE_SIZE

if TYPE_CHECKING:
    from textual.widgets import TabbedContent
    from textual.widgets._tabbed_content import ContentTabs

MakeApp = Callable[..., MeetdeckApp]


def main_screen(app: MeetdeckApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def record_frames(app: MeetdeckApp, frame: Callable[[], object]) -> list[object]:
    """Call `frame()` at each frame the app paints, and keep what it returns."""
    frames: list[object] = []
    original = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append(frame())
        original(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def show_registrants(pilot: Any, app: Any, screen: Any) -> None:
    """Switch to the registrants tab (`4`) and let its first frame be drawn."""
    await pilot.press("4")
    await wait_for(
        pilot,
        lambda: screen.settled and active(app).KIND == "registrants",
        what="the registrants tab",
    )
    await pilot.pause()


async def registrants_pane(pilot: Any, app: MeetdeckApp) -> Any:
    """The registrants tab (`4`), once its pane has settled; the pane."""
    await pilot.press("4")
    pane: Any = active(app)
    await wait_for(pilot, lambda: pane.settled, what="the registrants")
    return pane


async def test_enter_paints_the_rows_in_its_first_frame_and_the_detail_after(
    make_app: MakeApp,
) -> None:
    """Enter on an event: the first frame painted after the drill shows the registrants
    tab with its rows (no frame of the old layout first), and the detail panel is empty
    there, never the row highlighted before; it is filled for the new row after."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4", *"jjjjj")  # the registrants tab, on a row of its own
        pane: Any = active(app)
        await wait_for(pilot, lambda: "Person00005" in pane.detail.text, what="row 5's detail")
        await pilot.press("3")
        await wait_for(pilot, lambda: active(app).KIND == "events", what="the events tab")
        await wait_for(pilot, lambda: main_screen(app).settled, what="the screen to settle")
        table = pane.table

        def frame() -> tuple[bool, bool, int, str]:
            drilled = pane.scope is not None
            return drilled, bool(table.region), table.row_count, pane.detail.text

        frames = record_frames(app, frame)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: pane.settled and "Person00000" in pane.detail.text,
            what="the first registrant's detail",
        )
        after = [f for f in frames if isinstance(f, tuple) and f[0]]
        assert after, frames
        _, shown, rows, detail = after[0]
        assert shown and rows == 120, after[0]
        assert "Person00005" not in detail and "Person00000" not in detail, detail
        assert "Person00000" in after[-1][3]


async def test_a_filter_keystroke_repaints_only_the_lines_that_change(make_app: MakeApp) -> None:
    """A keystroke that leaves the same rows on screen repaints none of them (only the
    status line and the box change); one that narrows the rows repaints the lines whose
    row, count or scrollbar changed, and what is on screen is right after both."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await registrants_pane(pilot, app)
        table = pane.table
        drawn: list[int] = []
        original = table.render_line

        def counting(y: int) -> Any:
            drawn.append(y)
            return original(y)

        table.render_line = counting
        await pilot.press("slash", *"launc")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "launc", what="launc")
        assert table.row_count == 120
        drawn.clear()
        await pilot.press("h")  # "launch": every registrant still matches, same order
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "launch", what="launch")
        assert table.row_count == 120
        assert drawn == []
        refreshes: list[int] = []  # the table's refreshes, by how many regions each
        original_refresh = table.refresh

        def counting_refresh(*regions: Any, **options: Any) -> Any:
            refreshes.append(len(regions))
            return original_refresh(*regions, **options)

        table.refresh = counting_refresh
        await pilot.press("escape", "slash", *"person000")
        await wait_for(
            pilot, lambda: pane.settled and pane.filter_text == "person000", what="person000"
        )
        refreshes.clear()
        await pilot.press("1")
        await wait_for(
            pilot, lambda: pane.settled and pane.filter_text == "person0001", what="person0001"
        )
        assert table.row_count == 10
        # The changed lines in one refresh (each refresh clears the widget's caches).
        assert len(refreshes) == 1 and refreshes[0] > 1, refreshes
        # The screen as the widgets' kept lines make it: a changed line left unpainted
        # would still show its old row here.
        shown = [line for line in screen_lines(app) if line.lstrip().startswith("Person")]
        assert [line.split()[0] for line in shown] == [f"Person{n:05d}" for n in range(10, 20)], (
            "\n".join(screen_lines(app))
        )


async def test_a_filter_that_keeps_the_first_rows_repaints_only_their_scrollbar_cells(
    make_app: MakeApp,
) -> None:
    """ "person000" after "person00": the same first rows, fewer of them. Only the
    scrollbar's cells are repainted, and the rows' text is not drawn again; the screen
    shows the same rows and the new scrollbar."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await registrants_pane(pilot, app)
        table = pane.table
        await pilot.press("slash", *"person00")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "person00", what="00")
        wider = table.row_count
        assert wider > 100 and table.has_bar
        before = [line for line in screen_lines(app) if line.lstrip().startswith("Person")]
        regions: list[Any] = []
        texts: list[int] = []
        original_refresh, original_text = table.refresh, table._draw._row_segment

        def counting_refresh(*parts: Any, **options: Any) -> Any:
            regions.extend(parts)
            return original_refresh(*parts, **options)

        def counting_text(*args: Any, **options: Any) -> Any:
            texts.append(1)
            return original_text(*args, **options)

        table.refresh = counting_refresh
        table._draw._row_segment = counting_text
        await pilot.press("0")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "person000", what="0")
        await pilot.pause()
        assert table.row_count < wider
        width = table.content_size.width
        assert regions and all((r.x, r.width) == (width - 1, 1) for r in regions), regions
        assert texts == []
        after = [line for line in screen_lines(app) if line.lstrip().startswith("Person")]
        assert [line[: width - 1] for line in after] == [line[: width - 1] for line in before]
        assert [line[width - 1 :] for line in after] != [line[width - 1 :] for line in before]


async def test_a_filter_reads_the_rows_on_screen_first(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keystroke whose matches are quick to count reads only the rows that fit on
    screen before painting (not a whole page); the rows after them are read as the
    cursor reaches them, and are the right ones."""
    plain = deck.registrants
    heads: list[int] = []

    class Recorded:
        def __init__(self, view: Any) -> None:
            self.view = view

        def __getattr__(self, name: str) -> Any:
            return getattr(self.view, name)

        def head(self, limit: int) -> list[Any]:
            heads.append(limit)
            return list(self.view.head(limit))

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        return Recorded(view) if q is not None and q.text else view

    monkeypatch.setattr(deck, "registrants", registrants)
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        pane = await registrants_pane(pilot, app)
        await pilot.press("slash", *"person")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "person", what="rows")
        table = pane.table
        assert heads and heads[-1] == table.data_height < PAGE_SIZE
        assert table.row_count == 119  # every registrant but the hostile one
        await pilot.press("enter", *"j" * (table.data_height + 2))
        await wait_for(pilot, lambda: pane.settled, what="the cursor")
        expected = plain(replace(pane.last_query)).rows(table.data_height + 2, 1)[0]
        assert table.cursor_key == expected.key
        assert expected.name in pane.detail.text


async def test_a_drill_into_a_mounted_tab_switches_without_a_turn_of_the_loop(
    make_app: MakeApp,
) -> None:
    """Showing a tab whose pane is mounted completes at once: awaiting its finished
    mount again gave the loop a turn (other messages handled before the switch, the
    first frame later) and asked for one more layout of the tab."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        registrants = screen.pane("registrants")
        layouts: list[str] = []
        tab_page = registrants.parent
        assert tab_page is not None
        original = tab_page.refresh

        def refresh(*regions: Any, **options: Any) -> Any:
            if options.get("layout"):
                layouts.append("layout")
            return original(*regions, **options)

        tab_page.refresh = refresh  # type: ignore[method-assign]
        switch = screen.show_tab("registrants")
        with pytest.raises(StopIteration):
            switch.send(None)  # done without suspending: no turn of the loop
        assert screen.active_pane is registrants
        # The switch itself lays the tab out (its `display` changes); nothing more.
        assert len(layouts) <= 1, layouts


async def test_a_drill_request_and_the_view_it_loads_reach_the_screen_directly(
    make_app: MakeApp,
) -> None:
    """Enter on an event: its request and the registrants' loaded view are posted to the
    screen, which handles them; the tab pages, the switcher and the tabs between the
    pane and the screen (none of which handles them) are not woken for them before the
    drill's frame."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        seen: list[str] = []
        tabs = screen.query_one("#tabs")
        for container in (tabs, *tabs.query("ContentSwitcher, TabPane")):
            original = container.post_message

            def posting(message: Any, original: Any = original) -> bool:
                seen.append(type(message).__name__)
                return bool(original(message))

            container.post_message = posting
        await pilot.press("enter")
        registrants = screen.pane("registrants")
        await wait_for(
            pilot, lambda: screen.active_pane is registrants and registrants.loaded, what="rows"
        )
        await pilot.pause()
        assert screen.navigation.crumbs, "the drill happened"
        assert "DrillRequested" not in seen and "ViewLoaded" not in seen, seen


async def test_the_main_screen_draws_no_line_under_its_widgets(make_app: MakeApp) -> None:
    """The main screen is covered whole by its widgets: a tab switch, which repaints
    the screen, draws none of its own lines (40 lines of 160 cells per switch), and
    the screen still shows the tab's rows."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        drawn: list[int] = []
        original = screen._styles_cache.render_widget

        def counting(widget: Any, crop: Any) -> Any:
            drawn.append(crop.height)
            return original(widget, crop)

        screen._styles_cache.render_widget = counting  # type: ignore[method-assign]
        await show_registrants(pilot, app, screen)
        assert drawn == []
        assert any("Person00000" in line for line in screen_lines(app))


async def test_an_empty_detail_panel_styles_one_line_for_all(make_app: MakeApp) -> None:
    """Cleared for a drill-down's first frame, the detail panel's lines are all alike:
    one is styled (its side border, its padding) and repeated, and they are the lines
    styling each would give; with text, or a top edge (the narrow layout's), each line
    is styled."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane: Any = active(app)
        await wait_for(pilot, lambda: pane.settled and pane.detail.text, what="a detail")
        detail = pane.detail
        styled: list[int] = []
        original = detail._styles_cache.render_widget

        def counting(widget: Any, crop: Any) -> Any:
            styled.append(crop.height)
            return original(widget, crop)

        detail._styles_cache.render_widget = counting
        crop = detail.size.region
        assert crop.height > 20
        detail.clear()
        lines = detail.render_lines(crop)
        assert styled == [1]
        detail._styles_cache.clear()

        def cells(strips: list[Any]) -> list[list[tuple[str, object]]]:
            return [[(c, seg.style.bgcolor) for seg in strip for c in seg.text] for strip in strips]

        assert cells(original(detail, crop)) == cells(lines)
        detail.message("Loading")
        detail.render_lines(crop)
        assert styled == [1, crop.height]
        detail.clear()
        detail.styles.border_top = ("solid", "red")
        detail.render_lines(crop)
        assert styled == [1, crop.height, crop.height]


async def test_the_row_shown_already_is_not_drawn_again_in_the_detail_panel(
    make_app: MakeApp,
) -> None:
    """Typing on in the filter keeps the first match highlighted: showing the same row
    again neither describes nor repaints it (its lines stay as drawn), another row or
    another time format does."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane: Any = active(app)
        await wait_for(pilot, lambda: pane.settled and pane.detail.text, what="a detail")
        detail = pane.detail
        row, fmt = detail.shown, pane.host.time_format
        assert row is not None
        detail.render_lines(detail.size.region)
        drawn = detail._strips
        assert drawn is not None
        detail.show(replace(row), fmt)  # an equal row, read again
        assert detail._strips is drawn
        detail.show("another row", fmt)
        assert detail._strips is None
        detail.show(row, fmt)
        detail.render_lines(detail.size.region)
        drawn = detail._strips
        fmt.index = (fmt.index + 1) % len(fmt.choices)  # `z` cycles the zone in place
        detail.show(row, fmt)
        assert detail._strips is None


async def test_the_tabs_and_their_switcher_draw_no_line_under_the_page(
    make_app: MakeApp,
) -> None:
    """The tab bar and the page shown cover the tabs whole: a tab switch draws no line
    of the tabs' own nor of their switcher's (each drew its full area, then covered),
    and the screen still shows the tab's rows."""
    from textual.widgets import ContentSwitcher, TabbedContent

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        drawn: list[str] = []
        for widget in (screen.query_one(TabbedContent), screen.query_one(ContentSwitcher)):
            original = widget._styles_cache.render_widget

            def counting(owner: Any, crop: Any, original: Any = original) -> Any:
                drawn.append(type(owner).__name__)
                return original(owner, crop)

            widget._styles_cache.render_widget = counting  # type: ignore[method-assign,assignment]
        await show_registrants(pilot, app, screen)
        assert drawn == []
        assert any("Person00000" in line for line in screen_lines(app))


async def test_a_table_frame_reads_the_tables_size_once(make_app: MakeApp) -> None:
    """Drawing the table's lines in a frame asks for its size once, not three times a
    line (each ask looks the table up in the screen's map), and draws what asking per
    line drew."""
    from tui.widgets.virtual_table import VirtualTable

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane: Any = active(app)
        await wait_for(pilot, lambda: pane.settled and pane.table.row_count, what="rows")
        table = pane.table
        crop = table.size.region
        reads: list[int] = []
        size_of = VirtualTable.content_size

        class Counted(VirtualTable):  # type: ignore[type-arg]
            @property
            def content_size(self) -> Any:
                reads.append(1)
                return size_of.__get__(self)

        table.clear_line_cache()
        table.__class__ = Counted
        try:
            framed = table.render_lines(crop)
            per_frame = len(reads)
            table.clear_line_cache()
            lines = [table.render_line(y) for y in range(crop.height)]
        finally:
            table.__class__ = VirtualTable
        assert crop.height > 30 and per_frame <= 2, per_frame
        assert [s.text for s in framed] == [s.text for s in lines]


async def test_the_key_bar_draws_a_tabs_keys_once(make_app: MakeApp) -> None:
    """Back on a tab whose keys it drew before, the key bar shows the line it drew then
    (a drill-down and Back alternate between two sets of keys)."""
    from tui.widgets.keybar import KeyBar

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        bar = screen.query_one(KeyBar)
        drawn: list[int] = []
        original = bar._draw

        def counting(*args: Any) -> Any:
            drawn.append(1)
            return original(*args)

        bar._draw = counting  # type: ignore[method-assign,assignment]
        texts, draws = [], []
        for tab in "4141":
            await pilot.press(tab)
            await wait_for(pilot, lambda: screen.settled, what="the tab")
            await pilot.pause()
            texts.append(screen_lines(app)[-1])
            draws.append(len(drawn))
        assert texts[0] == texts[2] and texts[1] == texts[3] and texts[0] != texts[1]
        assert draws[1] <= 2 and draws[3] == draws[1], draws


async def test_enter_draws_the_key_bar_in_the_frame_after_the_rows(make_app: MakeApp) -> None:
    """Enter on an event: its first frame shows the registrants and draws no key bar
    (the old keys stay on screen for that frame); the next frame shows the new keys,
    and the screen is not settled until it has."""
    from tui.widgets.keybar import KeyBar

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await pilot.press("3")
        await wait_for(pilot, lambda: active(app).KIND == "events", what="the events tab")
        await wait_for(pilot, lambda: screen.settled, what="the screen to settle")
        await pilot.pause()
        before = screen_lines(app)[-1]
        bar = screen.query_one(KeyBar)
        drawn: list[int] = []
        original = bar.render

        def counting() -> Any:
            drawn.append(1)
            return original()

        bar.render = counting  # type: ignore[method-assign]
        frames = record_frames(app, lambda: (active(app).KIND, len(drawn)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.settled, what="the registrants")
        await pilot.pause()
        shown = [f for f in frames if isinstance(f, tuple) and f[0] == "registrants"]
        assert shown, frames
        assert shown[0][1] == 0, shown  # the rows' frame draws no key bar
        assert drawn and shown[-1][1], shown  # a frame after it does
        after = screen_lines(app)[-1]
        assert after != before and "Open" not in after, (before, after)


async def test_the_key_bar_catches_up_when_its_refresh_callback_never_comes(
    make_app: MakeApp,
) -> None:
    """Textual hands a widget's after-refresh callback to the app's top screen at the
    time; should it never run (a settle once waited 180 s for the bar of a screen under
    the help screen), the bar still shows the new keys, and the screen settles."""
    from tui.widgets.keybar import KeyBar

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        await pilot.pause()
        bar = screen.query_one(KeyBar)
        before = screen_lines(app)[-1]
        lost: list[object] = []

        def dropped(callback: object, *args: object, **kwargs: object) -> bool:
            lost.append(callback)
            return True

        bar.call_after_refresh = dropped  # type: ignore[method-assign]
        await pilot.press("4")
        await wait_for(pilot, lambda: active(app).KIND == "registrants", what="the tab")
        assert lost  # the bar asked to be drawn after the refresh; nothing will run it
        await wait_for(pilot, lambda: not bar.behind, what="the key bar to catch up")
        await wait_for(pilot, lambda: screen.settled, what="the screen to settle")
        await pilot.pause()
        assert screen_lines(app)[-1] != before


async def key_bar_lines(pilot: Any, app: MeetdeckApp, keys: str) -> list[str]:
    """The key bar's line after each of these tab keys, once its tab is drawn."""
    screen, lines = main_screen(app), []
    for tab in keys:
        await pilot.press(tab)
        await wait_for(pilot, lambda: screen.settled, what="the tab")
        await pilot.pause()
        lines.append(screen_lines(app)[-1].strip())
    return lines


async def test_the_key_bar_makes_the_strips_of_a_line_once(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back on a tab whose keys it drew before, the key bar shows the strips it made
    then: its line is not formatted into strips again at each tab switch."""
    from textual.content import Content

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        lines = await key_bar_lines(pilot, app, "41")
        made: list[str] = []
        original = Content.render_strips

        def counting(self: Content, *args: Any, **options: Any) -> Any:
            if self.plain.strip() in lines:
                made.append(self.plain)
            return original(self, *args, **options)

        monkeypatch.setattr(Content, "render_strips", counting)
        shown = await key_bar_lines(pilot, app, "4141")
        assert shown == lines * 2 and lines[0] != lines[1]
        assert made == [], made


async def test_a_tab_switch_scrolls_no_tab_bar_whose_tabs_all_fit(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every tab fits in the bar (`tab_labels`): a tab switch (a drill-down) does not
    ask it to scroll the active tab into view, and each tab still shows."""
    from textual.widget import Widget
    from textual.widgets import TabbedContent

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        scrolls: list[str | None] = []
        original = Widget.scroll_to_center

        def counting(self: Widget, *args: Any, **options: Any) -> Any:
            scrolls.append(self.id)
            return original(self, *args, **options)

        monkeypatch.setattr(Widget, "scroll_to_center", counting)
        tabs = screen.query_one(TabbedContent)
        for number, tab in (("4", "registrants"), ("1", "organizers"), ("3", "events")):
            await pilot.press(number)
            await wait_for(pilot, lambda: screen.settled, what="the tab")
            assert tabs.active == tab
        assert "tabs-scroll" not in scrolls, scrolls


async def test_a_tab_switch_restyles_the_tabs_with_the_rules_found_before(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tab switch moves `-active` between two tabs; back in states they were in
    before, the tabs are styled without matching them against the stylesheet again, and
    each tab's style is what Textual's own restyle gives it (also after the theme
    changes, which parses the stylesheet again)."""
    from textual.dom import DOMNode
    from textual.widgets import TabbedContent
    from textual.widgets._tabbed_content import ContentTab

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        tabs = screen.query_one(TabbedContent)
        matched = tab_matches(monkeypatch)

        def looks() -> list[tuple[object, ...]]:
            return [(t.id, t.styles.color, t.styles.background) for t in tabs.query(ContentTab)]

        async def switch(number: str, tab: str) -> None:
            await pilot.press(number)
            await wait_for(pilot, lambda: tabs.active == tab and screen.settled, what=tab)

        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            await switch("4", "registrants")  # each tab's state is new: matched
            await switch("1", "organizers")
            matched.clear()
            await switch("4", "registrants")  # both states seen before
            assert matched == [], matched
            shown = looks()
            for tab in tabs.query(ContentTab):
                DOMNode.update_node_styles(tab)  # Textual's own restyle
            assert looks() == shown
            await switch("1", "organizers")


async def settled_tab_bar(
    pilot: Any, app: MeetdeckApp
) -> tuple[MainScreen, TabbedContent, ContentTabs]:
    """Once every pane is mounted: the main screen, its tabbed content and tab bar."""
    from textual.widgets import TabbedContent
    from textual.widgets._tabbed_content import ContentTabs

    screen = main_screen(app)
    await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
    tabs = screen.query_one(TabbedContent)
    return screen, tabs, tabs.get_child_by_type(ContentTabs)


async def test_a_tab_switch_moves_the_active_tab_as_textual_does_without_queries(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tab bar knows its tabs, underline and scroller (`activate_known`,
    `validate_known`, `highlight_known`): a switch queries the bar for none of them, and
    ends as Textual's own: the tab shown the one tab with `-active`, the underline
    under it, its pane shown."""
    from textual.dom import DOMNode
    from textual.widgets._tabbed_content import ContentTab
    from textual.widgets._tabs import Underline

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen, tabs, bar = await settled_tab_bar(pilot, app)
        all_tabs = list(bar.query(ContentTab))
        underline = bar.query_one(Underline)
        queried: list[object] = []
        original, original_one = DOMNode.query, DOMNode.query_one

        def counting(node: DOMNode, *args: Any, **options: Any) -> Any:
            if node is bar:
                queried.append(args)
            return original(node, *args, **options)

        def counting_one(node: DOMNode, *args: Any, **options: Any) -> Any:
            if node is bar:
                queried.append(args)
            return original_one(node, *args, **options)

        monkeypatch.setattr(DOMNode, "query", counting)
        monkeypatch.setattr(DOMNode, "query_one", counting_one)
        for number, name in (("4", "registrants"), ("1", "organizers"), ("3", "events")):
            queried.clear()
            await pilot.press(number)

            def switched(name: str = name) -> bool:
                return tabs.active == name and screen.settled

            await wait_for(pilot, switched, what="the tab")
            assert queried == [], queried
            shown = [t for t in all_tabs if t.has_class("-active")]
            assert [t.id for t in shown] == [f"--content-tab-{name}"]
            span = shown[0].virtual_region.shrink(shown[0].styles.gutter).column_span

            def underlined(span: tuple[int, int] = span) -> bool:
                return (underline.highlight_start, underline.highlight_end) == span

            await wait_for(pilot, underlined, what="the underline under the tab")
            assert active(app) is screen.pane(name)


async def test_a_tab_switch_with_animations_on_moves_the_underline_as_textual_does(
    make_app: MakeApp,
) -> None:
    """With animations on, the underline slides by Textual's own steps; a tab the bar
    does not know is looked up as Textual does (none: Textual's error)."""
    from textual.css.query import NoMatches

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        _screen, tabs, bar = await settled_tab_bar(pilot, app)
        textuals: list[bool] = []
        original = bar._highlight_active

        def textual(animate: bool = True) -> None:
            textuals.append(animate)
            original(animate=animate)

        bar._highlight_active = textual  # type: ignore[method-assign]
        await pilot.press("4")
        await wait_for(pilot, lambda: tabs.active == "registrants", what="the tab")
        assert textuals == []  # animations off (tui/startup.py): the known steps
        app.animation_level = "basic"
        await pilot.press("1")
        await wait_for(pilot, lambda: tabs.active == "organizers", what="the tab")
        assert textuals == [True]
        assert bar.get_content_tab("registrants").id == "--content-tab-registrants"
        with pytest.raises(NoMatches):
            bar.get_content_tab("no-such-tab")


async def test_a_repaint_in_a_hidden_tab_lays_nothing_out_again(make_app: MakeApp) -> None:
    """A widget repainted in a tab not shown (a drill-down fills the registrants tab
    before showing it) does not make the next look-up of a region arrange the whole
    screen again; a widget mounted later is still found, and the tab still shows."""
    from textual.widgets import Static

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = main_screen(app)
        await wait_for(pilot, lambda: screen.settled, what="every pane mounted")
        compositor: Any = screen._compositor
        arranged: list[int] = []
        original = compositor._arrange_root

        def counting(*args: Any, **options: Any) -> Any:
            arranged.append(1)
            return original(*args, **options)

        compositor._arrange_root = counting
        hidden = screen.pane("registrants").table
        hidden.refresh()
        await pilot.pause()
        arranged.clear()
        assert hidden.region.area == 0  # hidden: no map holds it
        assert arranged == []
        note = Static("new", id="new-note")
        await active(app).mount(note)
        await wait_for(pilot, lambda: note.region.area > 0, what="the new widget placed")
        await pilot.press("4")
        await wait_for(
            pilot,
            lambda: screen.settled and active(app).KIND == "registrants",
            what="the registrants tab",
        )
        assert any("Person00000" in line for line in screen_lines(app))


async def test_a_filter_keystroke_repaints_the_boxs_text_line_not_its_borders(
    make_app: MakeApp,
) -> None:
    """Typing in the `/` box sends the terminal its text's line: the box's two border
    lines (the same before and after) are not drawn again, and the text is right."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await registrants_pane(pilot, app)
        await pilot.press("slash", *"launc")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "launc", what="launc")
        box = pane.filter_box
        assert box is not None
        top = box.region.y
        lines: list[int] = []  # the screen lines each frame sends the terminal
        original = app._display

        def lines_sent(screen: Any, renderable: Any) -> None:
            lines.extend(y for y, _x1, _x2 in getattr(renderable, "spans", ()))
            original(screen, renderable)

        app._display = lines_sent  # type: ignore[method-assign]
        await pilot.press("h")  # "launch": the same rows, only the box and status change
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "launch", what="launch")
        await wait_for(pilot, lambda: top + 1 in lines, what="the box's text line drawn")
        assert top not in lines and top + 2 not in lines, (top, sorted(set(lines)))
        assert "launch" in screen_lines(app)[top + 1]


async def test_a_filter_keystroke_sends_no_input_changed_up_the_widgets(
    make_app: MakeApp,
) -> None:
    """The filter box reports its changes through its value's watcher: Input.Changed,
    which nothing listens for, no longer goes up through the pane on each keystroke;
    Enter still keeps the filter."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await registrants_pane(pilot, app)
        posted: list[str] = []
        original = pane.post_message

        def recording(message: Any) -> bool:
            posted.append(type(message).__name__)
            return bool(original(message))

        pane.post_message = recording
        await pilot.press("slash", *"person0001")
        await wait_for(
            pilot, lambda: pane.settled and pane.filter_text == "person0001", what="person0001"
        )
        assert pane.table.row_count == 10
        assert "Changed" not in posted, posted
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.focused is pane.table, what="the table's focus")
        assert pane.filter_text == "person0001" and pane.table.row_count == 10


async def open_filter_box(pilot: Any, app: MeetdeckApp) -> Any:
    """The registrants tab with its `/` box open and focused; its pane."""
    await show_registrants(pilot, app, main_screen(app))
    pane: Any = active(app)
    await wait_for(pilot, lambda: pane.settled, what="the registrants")
    await pilot.press("slash")
    await wait_for(
        pilot, lambda: pane.filter_box is not None and pane.filter_box.has_focus, what="box"
    )
    return pane


async def test_the_first_letter_typed_in_the_filter_restyles_nothing(make_app: MakeApp) -> None:
    """The filter box has nothing to validate: Input's validation gave it the unstyled
    "-valid" class at the first letter typed, a restyle (~2 ms) before that letter's
    rows were asked for."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        pane = await open_filter_box(pilot, app)
        restyled: list[object] = []
        original = app.update_styles

        def counting(node: Any, animate: bool = True) -> None:
            restyled.append(node)
            original(node, animate)

        app.update_styles = counting  # type: ignore[method-assign]
        await pilot.press("p")
        await wait_for(pilot, lambda: pane.settled and pane.filter_text == "p", what="p")
        assert pane.filter_box not in restyled, restyled


async def test_the_filter_box_draws_its_text_as_input_does(make_app: MakeApp) -> None:
    """The box draws plain text itself (without Rich's text rendering): cell for cell
    what Input draws, with the cursor anywhere, scrolled, blinking or not, focused or
    not; text that is not plain goes through Input."""
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = await open_filter_box(pilot, app)
        box = pane.filter_box
        drawn = Input.render_line  # Input's own

        def cells(strip: Any) -> list[tuple[str, object]]:
            return [(char, segment.style) for segment in strip for char in segment.text]

        checked, scrolled = 0, 0
        for value in ("n", "noah.ander", "x" * 200, "naïve", "a\tb"):
            box.value = value
            for cursor in sorted({0, 1, len(value) // 2, len(value)}):
                box.cursor_position = cursor
                await pilot.pause()
                scrolled = max(scrolled, box.scroll_offset.x)
                for focused, blink in ((True, True), (True, False), (False, True)):
                    box._cursor_visible = blink
                    if not focused:
                        pane.table.focus()
                        await pilot.pause()
                    assert cells(box.render_line(0)) == cells(drawn(box, 0)), (value, cursor)
                    assert (box._plain_line() is None) == (value in ("naïve", "a\tb"))
                    checked += 1
                    if not focused:
                        box.focus()
                        await pilot.pause()
        assert checked == 3 * (2 + 4 + 4 + 4 + 3) and scrolled > 100


def frame_lines(app: MeetdeckApp) -> list[tuple[str, set[int]]]:
    """From now on, each frame the app paints: its kind, and the screen lines it sends
    (every line for a whole-screen frame)."""
    from textual._compositor import ChopsUpdate

    frames: list[tuple[str, set[int]]] = []
    original = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if isinstance(renderable, ChopsUpdate):
            frames.append(("lines", {y for y, _, _ in renderable.spans}))
        elif renderable is not None:
            frames.append(("whole screen", set(range(app.size.height))))
        original(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_enter_repaints_no_whole_screen_and_the_tabs_right_after_the_rows(
    make_app: MakeApp,
) -> None:
    """Enter on an event moves the focus to the registrants' table: no frame after it
    is of the whole screen (Textual repaints a screen whole when its focus moves); the
    breadcrumb and the tab bar are repainted in a frame of lines (the rows' own, or
    one right after it: which, Textual's frame timer decides), and the screen ends
    showing the drill-down's breadcrumb and tab."""
    from textual.widgets._tabbed_content import ContentTabs

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await on_events_tab(pilot, app)
        await pilot.pause()
        bar = screen.query_one(ContentTabs)
        above = {*range(bar.region.y, bar.region.bottom), screen.query_one("#breadcrumb").region.y}
        table = screen.pane("registrants").table
        frames = frame_lines(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.settled, what="the registrants")
        await pilot.pause()
        assert frames and all(kind == "lines" for kind, _ in frames), frames
        rows = next(n for n, (_, ys) in enumerate(frames) if table.region.y + 1 in ys)
        assert above <= set().union(*(ys for _, ys in frames[rows:])), frames
        shown = screen_lines(app)
        assert "›" in shown[1] and "Backspace" in shown[1], shown[1]


async def test_a_frame_of_the_lines_below_the_header_renders_no_widget_above_them(
    make_app: MakeApp,
) -> None:
    """A frame that repaints only lines of the tabs' page renders neither the header nor
    the breadcrumb (their container covers them: Textual rendered every widget whose
    container overlaps the lines repainted, so a drill-down's rows' frame rendered the
    breadcrumb it had just changed only to drop its line), and the tab bar never draws
    a line of its own (its tabs and underline cover it), not even through a drill-down,
    whose breadcrumb is drawn in a frame of its own lines."""
    from textual.widgets._tabbed_content import ContentTabs

    from tui.widgets.header import DeckHeader

    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await on_events_tab(pilot, app)
        await pilot.pause()
        drawn: list[str] = []
        bar, breadcrumb = screen.query_one(ContentTabs), screen.query_one("#breadcrumb")
        for widget in (screen.query_one(DeckHeader), breadcrumb, bar):
            original = widget._styles_cache.render_widget

            def counting(owner: Any, crop: Any, original: Any = original) -> Any:
                drawn.append(owner.id or type(owner).__name__)
                return original(owner, crop)

            widget._styles_cache.render_widget = counting  # type: ignore[method-assign,assignment]
        frames = record_frames(app, lambda: len(drawn))
        active(app).table.refresh()  # the events' lines, nothing else pending
        await wait_for(pilot, lambda: bool(frames), what="the table's frame")
        assert frames[0] == 0 and not drawn, drawn
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.settled, what="the registrants")
        await pilot.pause()
        assert "breadcrumb" in drawn, drawn
        assert "ContentTabs" not in drawn, drawn
