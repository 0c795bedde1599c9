"""How a VirtualTable draws a line: the header, a row, the placeholder, the scrollbar.

Drawing is the table's hot path (every line of every frame), so what it computes is
kept: the column layout per width, the scrollbar's cells per scroll position, and the
last few hundred drawn rows (by the row they show, its cursor, mark, width and
scrollbar cell, wherever on screen: a filter's next keystroke shows many of the same
rows a few lines up), and their text apart from the style and the scrollbar. Textual
is handed each drawn line as it is (`WholeLines`), so what it keeps on a line's Strip
(the colour filter's output, the terminal text) serves the row again too. What a line
shows is also told as a value (`shown`), so that the table repaints only the lines
that change when its rows do (a filter keystroke), and of a line whose scrollbar cell
alone changed (a filter that keeps the first rows, a count that arrives), that cell.
The table says when these go stale (`forget_lines` when marks or focus change,
`forget_layout` when the columns' text does, `forget_styles` when the theme does).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.formatting import TimeFormat
from tui.widgets.scrollbar import scrollbar_cells
from tui.widgets.table_model import Column, fit, header_text, layout_columns, row_text

RowT = TypeVar("RowT")

#: How many drawn rows are kept.
LINES_KEPT = 256

#: The parts of a table's look (`VirtualTable.COMPONENT_CLASSES`). The focused table's
#: cursor is a part of its own, not a `:focus` rule: no style of the table then
#: depends on its focus, and a focus change restyles nothing (`watch_has_focus`).
COMPONENTS = (
    "virtual-table--header",
    "virtual-table--cursor",
    "virtual-table--focused-cursor",
    "virtual-table--marked",
    "virtual-table--placeholder",
)

TABLE_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        width: 1fr;
        height: 1fr;
        & > .virtual-table--header { text-style: bold; background: $panel; }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .virtual-table--marked { color: $warning; }
        & > .virtual-table--placeholder { color: $text-muted; text-style: italic; }
        & > .virtual-table--focused-cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
"""`VirtualTable.DEFAULT_CSS`."""


class LineSource(Protocol[RowT]):
    """What drawing reads of the table (`VirtualTable`)."""

    columns: list[Column]
    time_format: TimeFormat
    markable: bool
    placeholder: str
    sort: tuple[str, bool] | None

    @property
    def top(self) -> int: ...

    @property
    def cursor_row(self) -> int: ...

    @property
    def content_size(self) -> Size: ...

    @property
    def row_count(self) -> int: ...

    @property
    def data_height(self) -> int: ...

    @property
    def has_bar(self) -> bool: ...

    def row_at(self, index: int) -> RowT | None: ...

    def row_read(self, index: int) -> RowT | None:
        """The row at `index` if it has been read already (None: not read, or none)."""

    def is_marked(self, row: RowT) -> bool: ...

    def key_of(self, row: RowT) -> str:
        """The row's key (two rows with one key are told apart by value)."""


class Ahead:
    """Row texts drawn ahead (`TableLines.prepare`): the layout, width and time zone
    they were drawn for, and each row's text by the row's id (with the row, to check);
    and the whole lines of the rows under the first, with the style and scrollbar cell
    each was drawn with."""

    def __init__(
        self,
        layout: list[tuple[Column, int]],
        width: int,
        zone: tuple[str, object],
        texts: Mapping[int, tuple[object, str]],
    ) -> None:
        self.layout = layout
        self.width = width
        self.zone = zone
        self.texts = texts
        self.lines: dict[int, tuple[Style, Segment | None, Strip]] = {}


class TableLines(Generic[RowT]):
    """Draws the lines of `widget` (the table) from `table` (the same table's state)."""

    def __init__(self, widget: Widget, table: LineSource[RowT]) -> None:
        self._widget = widget
        self._table = table
        self._lines: LRUCache[tuple[str, bool, bool, int, Segment | None], tuple[object, Strip]]
        self._lines = LRUCache(LINES_KEPT)
        """Drawn rows by the row's key, cursor, mark, width and scrollbar cell, with the
        row each was drawn from: a row equal to it draws the same line, wherever it is
        on screen (a filter's next keystroke shows many of the same rows, shifted)."""
        self._texts: dict[tuple[str, bool, int], tuple[object, str]] = {}
        """A row's text (by the row's key, mark and width), with the row it was drawn
        from: the same row drawn with another cursor style or scrollbar cell keeps it.
        (Not an LRUCache: its `set` keeps the value of a key it holds.)"""
        self._layout: tuple[int, list[tuple[Column, int]]] = (-1, [])
        self._bar: tuple[tuple[int, int, int], list[Segment]] | None = None
        self._ahead: Ahead | None = None
        """Row texts drawn before their rows are shown (`prepare`)."""
        self.frame: tuple[Size, bool] | None = None
        """The table's content size and whether its scrollbar shows, fixed while a
        frame draws its lines (`VirtualTable.render_lines`); None: asked per line."""

    def prepare(self, rows: Sequence[RowT], columns: list[Column], size: Size, count: int) -> None:
        """Draw the texts of `rows` ahead, for a table of `size` showing `count` rows in
        `columns`, and the lines of all but the first: the first frame that shows them
        (a drill-down's) styles the cursor's line and hands Textual the others.

        Kept until the next call; used only for the same row objects, unmarked, laid out
        the same way in the same width and time zone (any other line is drawn as usual).
        """
        table = self._table
        bar = count > size.height - 1  # as `has_bar`: more rows than lines under the header
        width = size.width - 1 if bar else size.width
        gutter = 2 if table.markable else 0
        layout = layout_columns(columns, max(1, width - gutter))
        zone = (table.time_format.label, table.time_format.zone)
        texts = {
            id(row): (
                row,
                row_text(
                    row, layout, table.time_format, width, markable=bool(gutter), marked=False
                ),
            )
            for row in rows[: max(0, size.height - 1)]
        }
        self._ahead = ahead = Ahead(layout, width, zone, texts)
        # The rows under the first (a drill's cursor starts there) are drawn whole, as
        # `line` draws an unmarked row away from the cursor (no style depends on focus).
        under = rows[1 : max(1, size.height - 1)]
        if not under:
            return
        widget = self._widget
        cells = scrollbar_cells(widget, size.height - 1, count, 0) if bar else None
        base = widget.visual_style.rich_style
        # What Textual does to a line it is handed, done now (it keeps each result on
        # the Strip): the app's line filters, then the terminal text.
        filters, background = widget.get_line_filters(), widget.background_colors[1]
        console = widget.app.console
        for index, row in enumerate(under, start=1):
            cell = cells[index] if cells is not None else None
            segment = Segment(texts[id(row)][1], base)
            strip = shown = Strip([segment] if cell is None else [segment, cell], size.width)
            for line_filter in filters:
                shown = shown.apply_filter(line_filter, background)
            shown.render(console)
            ahead.lines[id(row)] = (base, cell, strip)

    def _text_ahead(self, row: RowT, layout: list[tuple[Column, int]], width: int) -> str | None:
        """The text `prepare` drew for `row` in this layout, if any."""
        ahead = self._ahead
        if ahead is None or ahead.width != width:
            return None
        if ahead.layout is not layout:
            time_format = self._table.time_format
            if ahead.layout != layout or ahead.zone != (time_format.label, time_format.zone):
                return None
            ahead.layout = layout  # the same: the table's own list is compared by identity now
        entry = ahead.texts.get(id(row))
        return entry[1] if entry is not None and entry[0] is row else None

    def _line_ahead(
        self, row: RowT, width: int, style: Style, cell: Segment | None
    ) -> Strip | None:
        """The line `prepare` drew for `row`, if drawn in this layout, width, time zone,
        style and scrollbar cell."""
        ahead = self._ahead
        if ahead is None or self._text_ahead(row, self.layout(width), width) is None:
            return None
        drawn = ahead.lines.get(id(row))
        return drawn[2] if drawn is not None and drawn[:2] == (style, cell) else None

    def forget_lines(self) -> None:
        """Marks or focus changed: draw every line again (a row equal to the one drawn
        before, in the same style, keeps its text). New rows need not forget anything:
        lines are kept by the row they show."""
        self._lines.clear()

    def forget_layout(self) -> None:
        """The columns or their text changed (the time zone): lay them out again too."""
        self._lines.clear()
        self._texts.clear()
        self._layout = (-1, [])

    def forget_styles(self) -> None:
        """The theme or a style changed: nothing drawn is kept."""
        self.forget_layout()
        self._bar = None

    def layout(self, width: int) -> list[tuple[Column, int]]:
        """The columns that fit in `width` cells (after the mark gutter), and their widths."""
        if self._layout[0] != width:
            gutter = 2 if self._table.markable else 0
            self._layout = (width, layout_columns(self._table.columns, max(1, width - gutter)))
        return self._layout[1]

    def header_layout(self) -> Sequence[tuple[Column, int]]:
        """The header's columns (the scrollbar, when shown, takes the last cell)."""
        table = self._table
        return self.layout(table.content_size.width - (1 if table.has_bar else 0))

    def _geometry(self) -> tuple[Size, bool]:
        # Each `content_size` looks the table up in the screen's map: once a frame.
        frame = self.frame
        return frame if frame is not None else (self._table.content_size, self._table.has_bar)

    def _bar_cells(self) -> list[Segment]:
        """The scrollbar's cell on each row line (index 0: the first row's)."""
        table = self._table
        height = max(1, self._geometry()[0].height - 1)  # the rows shown (`data_height`)
        key = (table.top, table.row_count, height)
        if self._bar is None or self._bar[0] != key:
            self._bar = (key, scrollbar_cells(self._widget, height, table.row_count, table.top))
        return self._bar[1]

    def _bar_cell(self, y: int) -> Segment:
        return self._bar_cells()[y - 1]

    def repaint_changed(self, before: list[object] | None) -> None:
        """Repaint the lines not showing what they did in `before` (a `shown` taken
        before the rows changed; all of them if the table was not on screen)."""
        after = self.shown(read=True) if before is not None else None
        changed = changed_lines(before, after)
        if changed is None:
            self._widget.refresh()
        elif changed:
            # One refresh for them all: each call clears the widget's caches again. A
            # line whose scrollbar cell alone changed repaints that cell (the last).
            width = self._table.content_size.width
            assert before is not None and after is not None  # else `changed` is None
            self._widget.refresh(
                *(
                    Region(width - 1, y, 1, 1)
                    if bar_only(before[y], after[y])
                    else Region(0, y, width, 1)
                    for y in changed
                )
            )

    def shown(self, *, read: bool = False) -> list[object] | None:
        """What each line shows, as a value that is equal for two lines drawn the same
        (the row itself, compared by value); None: the table is not on screen.

        `read`: read the rows' pages (new rows, which the next frame draws anyway);
        else a row not read is None (old rows were all read when they were drawn).
        """
        table = self._table
        size = table.content_size
        height = size.height
        if not height or not self._widget.region:
            return None
        full = size.width
        bar = table.has_bar
        width = full - 1 if bar else full
        top, count, cursor = table.top, table.row_count, table.cursor_row
        markable = table.markable
        row_of = table.row_at if read else table.row_read
        cells: list[Segment] | list[None] = self._bar_cells() if bar else [None] * height
        lines: list[object] = [("header", full, bar, table.sort)]
        for y in range(1, height):
            index = top + y - 1
            cell = cells[y - 1]
            if index >= count:
                if index == 0 and y == 1:
                    lines.append(("placeholder", full, table.placeholder))
                else:
                    lines.append(("blank", width, cell))
                continue
            row = row_of(index)
            if row is None:
                lines.append(None)
                continue
            marked = markable and table.is_marked(row)
            lines.append(("row", row, index == cursor, marked, width, cell))
        return lines

    def line(self, y: int) -> Strip:
        """Line `y` of the table: the header (0), else a row, the placeholder or blank."""
        table, widget = self._table, self._widget
        size, bar = self._geometry()
        full = size.width
        width = full - 1 if bar else full
        base = widget.visual_style.rich_style
        if y == 0:
            return self._header_line(full, base, bar)
        index = table.top + y - 1
        count = table.row_count
        row = table.row_at(index) if index < count else None
        cell = self._bar_cell(y) if bar else None
        if row is None:
            if index == 0 and y == 1 and count == 0:
                style = base + widget.get_component_rich_style("virtual-table--placeholder")
                return Strip([Segment(fit(" " + table.placeholder, full), style)], full)
            blank = Segment(" " * width, base)
            return Strip([blank] if cell is None else [blank, cell], full)
        is_cursor = index == table.cursor_row
        marked = table.markable and table.is_marked(row)
        key = table.key_of(row)
        cache_key = (key, is_cursor, marked, width, cell)
        drawn = self._lines.get(cache_key)
        if drawn is not None and (drawn[0] is row or drawn[0] == row):
            return drawn[1]
        style = self._row_style(base, is_cursor=is_cursor, marked=marked)
        ahead = None if marked else self._line_ahead(row, width, style, cell)
        if ahead is not None:
            self._lines[cache_key] = (row, ahead)
            return ahead
        kept = self._texts.get((key, marked, width))
        if kept is not None and (kept[0] is row or kept[0] == row):
            segment = Segment(kept[1], style)
        else:
            segment = self._row_segment(row, width, style, marked=marked)
            if len(self._texts) >= LINES_KEPT:
                self._texts.clear()
            self._texts[(key, marked, width)] = (row, segment.text)
        strip = Strip([segment] if cell is None else [segment, cell], full)
        self._lines[cache_key] = (row, strip)
        return strip

    def _header_line(self, width: int, base: Style, bar: bool) -> Strip:
        table = self._table
        style = base + self._widget.get_component_rich_style("virtual-table--header")
        columns = self.layout(width - 1 if bar else width)
        text = header_text(columns, width, markable=table.markable, sort=table.sort)
        return Strip([Segment(text, style)], width)

    def _row_style(self, base: Style, *, is_cursor: bool, marked: bool) -> Style:
        style = base
        if marked:
            style += self._widget.get_component_rich_style("virtual-table--marked")
        if is_cursor:
            cursor = (
                "virtual-table--focused-cursor"
                if self._widget.has_focus
                else "virtual-table--cursor"
            )
            style += self._widget.get_component_rich_style(cursor)
        return style

    def _row_segment(self, row: RowT, width: int, style: Style, *, marked: bool) -> Segment:
        layout = self.layout(width)
        text = None if marked else self._text_ahead(row, layout, width)
        if text is None:
            text = row_text(
                row,
                layout,
                self._table.time_format,
                width,
                markable=self._table.markable,
                marked=marked,
            )
        return Segment(text, style)


def changed_lines(before: list[object] | None, after: list[object] | None) -> list[int] | None:
    """The lines whose value differs between two `TableLines.shown` (None: every
    line, when either is unknown); a line not known before counts as changed."""
    if before is None or after is None or len(before) != len(after):
        return None
    return [
        y
        for y, (old, new) in enumerate(zip(before, after, strict=True))
        if old is None or old != new
    ]


def bar_only(before: object, after: object) -> bool:
    """Whether two `shown` values of a line differ in their scrollbar cell alone (the
    last item of a row's or a blank line's, when the bar shows in both)."""
    if not (isinstance(before, tuple) and isinstance(after, tuple)):
        return False
    if before[0] not in ("row", "blank") or len(before) != len(after):
        return False
    return before[:-1] == after[:-1] and before[-1] is not None and after[-1] is not None
