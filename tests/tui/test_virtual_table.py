"""VirtualTable: paging from a ListView, vim keys, marks, keep-cursor-by-key, speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from tests.support.app import active
from tests.support.fakes import FakeListView, FakeRow
from tests.support.waits import wait_for
from tui.widgets.formatting import TimeFormat
from tui.widgets.table_lines import COMPONENTS
from tui.widgets.virtual_table import (
    PAGE_SIZE,
    Column,
    SequenceSource,
    VirtualTable,
    fit,
    layout_columns,
)


def _name(row: Any, _fmt: TimeFormat) -> str:
    return str(row.name)


def _email(row: Any, _fmt: TimeFormat) -> str:
    return str(row.email)


def _key(row: Any, _fmt: TimeFormat) -> str:
    return str(row.key)


COLUMNS = [
    Column("name", "Name", _name, width=20, min_width=8, grow=2, priority=0),
    Column("email", "Email", _email, width=24, min_width=10, grow=1, priority=1),
    Column("key", "ID", _key, width=10, min_width=6, priority=3, align="right"),
]


class TableApp(App[None]):
    def __init__(self, source: FakeListView, *, markable: bool = False) -> None:
        super().__init__()
        self.source = source
        self.markable = markable
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, markable=self.markable, id="table")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_source(self.source)
        table.focus()

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.messages.append(message)

    def on_virtual_table_marks_changed(self, message: VirtualTable.MarksChanged) -> None:
        self.messages.append(message)


def lines(app: App[Any]) -> list[str]:
    table = app.query_one(VirtualTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def test_layout_drops_low_priority_columns_when_narrow() -> None:
    wide = layout_columns(COLUMNS, 100)
    assert [c.key for c, _ in wide] == ["name", "email", "key"]
    assert sum(w for _, w in wide) + 2 == 100
    narrow = layout_columns(COLUMNS, 20)
    assert [c.key for c, _ in narrow] == ["name", "email"]
    assert sum(w for _, w in narrow) + 1 <= 20


def test_fit_pads_and_cuts_by_cells() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("abc", 5, "right") == "  abc"
    assert fit("abcdef", 4) == "abc\u2026"
    assert fit("山田太郎", 5) == "山田\u2026"


def reversed_end(table: Any, y: int) -> bool:
    """Whether line `y`'s last cell (the scroll bar) is drawn in reverse video."""
    style = list(table.render_line(y))[-1].style
    return style is not None and bool(style.reverse)


async def test_hundred_thousand_rows_read_only_the_pages_shown() -> None:
    source = FakeListView(100_000)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        assert table.row_count == 100_000
        shown = lines(app)
        assert "Name" in shown[0] and "Person 000000" in shown[1]
        assert len(source.row_calls) <= 2
        await pilot.press("G")
        await pilot.pause()
        assert table.cursor_row == 99_999
        assert "Person 099999" in lines(app)[-1]
        # Every query asked for one page, never for everything.
        assert all(limit == PAGE_SIZE for _, limit in source.row_calls)
        assert len(source.row_calls) <= 6


async def test_vim_keys_move_the_cursor() -> None:
    app = TableApp(FakeListView(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("j", "j", "down")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("ctrl+d")
        assert table.cursor_row == 2 + (22 // 2)
        await pilot.press("ctrl+u")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == 999
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("enter")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, VirtualTable.RowSelected)]
        assert selected and selected[0].row.key == "k0"


async def test_cursor_stays_on_the_same_row_by_key_after_reload() -> None:
    source = FakeListView(500)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        for _ in range(40):
            await pilot.press("j")
        assert table.cursor_key == "k40"
        # Rows above the cursor disappear: the same person keeps the cursor.
        source.removed.update({1, 2, 3, 4, 5})
        table.reload()
        await pilot.pause()
        assert table.cursor_key == "k40"
        assert table.cursor_row == 35
        # The row itself disappears: the cursor stays near where it was.
        source.removed.add(40)
        table.reload()
        assert table.cursor_row == 35
        assert app.focused is table


async def test_marks_with_space_and_star() -> None:
    app = TableApp(FakeListView(300), markable=True)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("space", "space")
        assert table.mark_count == 2 and table.cursor_row == 2
        assert table.marked_keys() == ["k0", "k1"]
        assert "\u25cf" in lines(app)[1]
        await pilot.press("asterisk")
        assert table.mark_count == 300
        await pilot.press("space")
        assert table.mark_count == 299
        await pilot.press("asterisk")
        assert table.mark_count == 300
        await pilot.press("asterisk")
        assert table.mark_count == 0
        await pilot.pause()
        changes = [m for m in app.messages if isinstance(m, VirtualTable.MarksChanged)]
        assert [m.count for m in changes][-1] == 0


async def test_hostile_names_render_literally() -> None:
    source = FakeListView(3, names={0: "\x1b[31m[@click=app.quit]x", 1: "a\nb"})
    app = TableApp(source)
    async with app.run_test(size=(80, 10)):
        shown = lines(app)
        assert "\u241b[31m[@click=app.quit]x" in shown[1]
        assert "\x1b" not in "".join(shown)
        assert "a \u23ce b" in shown[2]


async def test_empty_source_shows_the_placeholder() -> None:
    app = TableApp(FakeListView(0))
    async with app.run_test(size=(60, 10)):
        assert "No rows." in lines(app)[1]


async def test_sequence_source_and_click() -> None:
    rows = [FakeRow(f"r{i}", f"Row {i}", f"r{i}@x.test") for i in range(5)]

    class Small(App[None]):
        def compose(self) -> ComposeResult:
            yield VirtualTable(COLUMNS)

        def on_mount(self) -> None:
            self.query_one(VirtualTable).set_source(SequenceSource(rows, key=lambda r: r.key))

    app = Small()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.click(VirtualTable, offset=(3, 3))
        assert table.cursor_key == "r2"
        assert table.move_to_key("r4") and table.cursor_row == 4
        assert not table.move_to_key("nope")


async def test_cursor_movement_repaints_fast() -> None:
    source = FakeListView(100_000)
    app = TableApp(source)
    async with app.run_test(size=(200, 60)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("G")
        await pilot.pause()
        # Time the work one keypress costs: move, then render every visible line.
        started = time.perf_counter()
        moves = 200
        for _ in range(moves):
            table.action_cursor(-1)
            for y in range(table.size.height):
                table.render_line(y)
        per_move_ms = (time.perf_counter() - started) * 1000 / moves
        # The speed itself is a benchmark figure (tests/benchmarks); what makes it
        # scale-free is the work per move: after the first page, moving up a page's
        # worth of rows reads at most a page or two, never the whole source.
        assert sum(limit for _, limit in source.row_calls) <= 4 * table.size.height + moves
        print(f"\ncursor move and repaint: {per_move_ms:.2f} ms")


async def test_scrolling_moves_the_view_without_a_layout() -> None:
    """Scrolling repaints the table alone: the screen is never laid out again, the bar
    follows, the wheel scrolls the view, and a click on the bar jumps there."""
    app = TableApp(FakeListView(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.pause()
        layouts: list[object] = []
        screen = app.screen
        original = screen._refresh_layout

        def counting(*args: Any, **kwargs: Any) -> None:
            layouts.append(args)
            original(*args, **kwargs)

        screen._refresh_layout = counting  # type: ignore[method-assign]
        bar_top = [reversed_end(table, y) for y in range(1, 24)]
        for _ in range(60):
            await pilot.press("j")
        await pilot.pause()
        assert table.cursor_row == 60 and table.top == 60 - 23 + 1  # 23 rows under the header
        assert "Person 000060" in lines(app)[-1]
        assert layouts == []
        await pilot.press("G")
        await pilot.pause()
        bar_bottom = [reversed_end(table, y) for y in range(1, 24)]
        assert bar_top[0] and not bar_top[-1] and bar_top == bar_bottom[::-1]  # the thumb moved
        assert layouts == []

        await pilot.press("g")
        await pilot.pause()
        table.post_message(events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert table.top == 3 and table.cursor_row == 0  # the view moved, not the cursor
        await pilot.click(VirtualTable, offset=(table.size.width - 1, 23))
        assert table.top == 1000 - 23  # the bar's last line: the end
        await pilot.press("j")
        assert table.cursor_row == 1 and table.top == 1  # a key brings the cursor back


async def test_a_cursor_moved_before_the_table_has_a_size_does_not_scroll_it() -> None:
    """`j` pressed as a tab first shows (its table not laid out yet) scrolled the table to
    keep the cursor on a one-row view; the rows above stayed hidden once it had its full
    height (a click on the third line then picked the wrong person)."""
    app = TableApp(FakeListView(100))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.display = False
        await pilot.pause()
        assert table.content_size.height == 0
        table.cursor_row = 3
        table.display = True
        await pilot.pause()
        await pilot.pause()
        assert table.content_size.height > 10
        assert (table.top, table.cursor_row) == (0, 3)
        assert table.viewport.row_on(4) == 3  # the fourth line shows the cursor's row


async def test_no_style_of_a_table_depends_on_its_focus(make_app: Callable[..., Any]) -> None:
    """A table is not restyled when it gains or loses focus (`watch_has_focus`): the
    stylesheet gives it the same styles either way, and the focused cursor is a part of
    its own (drawn as the line is)."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: active(app).loaded, what="the first tab")
        table = active(app).table

        def looks() -> tuple[str, dict[str, str]]:
            app.update_styles(table)  # as Textual restyled it on each focus change
            parts = {name: table.get_component_styles(name).css for name in COMPONENTS}
            return table.styles.css, parts

        def focus() -> bool:
            return table.has_focus

        assert focus()
        focused = looks()
        table.blur()
        await pilot.pause()
        assert not focus()
        assert looks() == focused


async def test_a_row_shown_on_another_line_keeps_its_drawn_line() -> None:
    """New rows in which a row shown before moves up a few lines (a filter's next
    keystroke dropping the rows above it): its text is not drawn again, and Textual is
    handed the very line it showed before (what it kept on it, the colour filter's
    output and the terminal text, serves again). Lines were kept by screen line, and
    Textual copied each one it drew."""
    source = FakeListView(20)  # fewer than the lines: no scrollbar cell changes
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.pause()
        whole = Region(0, 0, table.size.width, table.size.height)
        before = table.render_lines(whole)
        drawn: list[object] = []
        original = table._draw._row_segment

        def counting(row: Any, *args: Any, **options: Any) -> Any:
            drawn.append(row)
            return original(row, *args, **options)

        table._draw._row_segment = counting  # type: ignore[method-assign]
        source.removed = {0, 1, 2, 3, 4}
        table.set_source(source, keep_cursor=False)
        await pilot.pause()
        after = table.render_lines(whole)
        assert "Person 000005" in after[1].text and "Person 000019" in after[15].text
        assert drawn == []  # the cursor's new row too: only its style changed
        # Rows 6 to 19 (not under the cursor before or after) moved up five lines.
        assert all(after[y - 5] is before[y] for y in range(7, 21))


async def test_a_table_with_a_border_or_padding_is_drawn_with_them() -> None:
    """Lines are handed to Textual whole only when there is nothing to wrap them in: a
    table given a border and padding still shows both."""

    class Framed(TableApp):
        CSS = "VirtualTable { border: solid red; padding: 0 2; }"

    app = Framed(FakeListView(20))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.pause()
        strips = table.render_lines(Region(0, 0, *table.outer_size))
        row = strips[2].text  # the border's line, the header's, then the first row
        assert row.startswith("│  Person 000000") and row.endswith("│"), row
        assert strips[0].text.startswith("┌")


async def test_a_removed_table_drawn_by_a_late_frame_draws_blank() -> None:
    """A profile switch replaces the screen's children; a frame drawn from the screen's
    last map can still ask a removed table for its lines, after Textual dropped its
    part styles (and its blur cleared the styles it kept): a KeyError there, in the
    frame timer, ended the app. It draws blank instead."""
    app = TableApp(FakeListView(10))
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(VirtualTable)
        await wait_for(pilot, lambda: table.row_count == 10, what="rows")
        drawn = table.render_lines(Region(0, 0, 60, 3))
        assert "Name" in drawn[0].text
        await table.remove()
        table.notify_style_update()  # what the blur of a removed focused table does
        lines = table.render_lines(Region(0, 0, 60, 3))
        assert [line.text for line in lines] == [" " * 60] * 3
