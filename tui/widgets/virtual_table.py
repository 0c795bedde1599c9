"""A table that pages its rows from the store as the viewport moves.

`VirtualTable` never holds every row: `render_line` asks a `RowSource` (the Deck's
`ListView`) for the page a line falls in and keeps a few pages in an LRU cache, so a
webinar with 100,000 registrants costs one page query per screenful. Moving the
cursor repaints two lines. After a refresh the cursor stays on the same row, found by
key (`RowSource.index_of`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.text import clean
from tui.widgets.formatting import TimeFormat
from tui.widgets.table_model import (
    Column,
    RowSource,
    SequenceSource,
    fit,
    layout_columns,
    row_key,
)

__all__ = [
    "MAX_PAGES",
    "PAGE_SIZE",
    "Column",
    "RowSource",
    "SequenceSource",
    "VirtualTable",
    "fit",
    "layout_columns",
    "row_key",
]

PAGE_SIZE = 64
MAX_PAGES = 48


class VirtualTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A keyboard-driven table over a `RowSource`, paging rows as it scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="up"),
        Binding("home,g", "first", "First row", show=False, id="first-row"),
        Binding("end,G", "last", "Last row", show=False, id="last-row"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="half-page-down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="half-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="page-up"),
        Binding("enter", "select", "Open", id="open"),
        Binding("space", "toggle_mark", "Mark", id="mark"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="mark-all"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--marked",
        "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        height: 1fr;
        scrollbar-size-vertical: 1;
        & > .virtual-table--header { text-style: bold; background: $panel; }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .virtual-table--marked { color: $warning; }
        & > .virtual-table--placeholder { color: $text-muted; text-style: italic; }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=False, repaint=False)
    """Index of the highlighted row in the source."""

    class _RowMessage(Message):
        """A message about one row of the table."""

        def __init__(self, table: VirtualTable, index: int, row: Any) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to a row (or the rows under it changed)."""

    class RowSelected(_RowMessage):
        """Enter was pressed on a row."""

    class MarksChanged(Message):
        """Rows were marked or unmarked (space, *)."""

        def __init__(self, table: VirtualTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        time_format: TimeFormat | None = None,
        key: Callable[[Any], str] = row_key,
        markable: bool = False,
        openable: bool = True,
        placeholder: str = "No rows.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.time_format = time_format or TimeFormat()
        self.key_of = key
        self.markable = markable
        self.openable = openable
        """Whether Enter leads somewhere (shown in the footer only then)."""
        self.placeholder = placeholder
        self._source: RowSource[Any] | None = None
        self._count = 0
        self._pages: OrderedDict[int, Sequence[Any]] = OrderedDict()
        self._lines: LRUCache[tuple[int, bool, bool, int], Strip] = LRUCache(256)
        self._layout: tuple[int, list[tuple[Column, int]]] = (-1, [])
        # Marked rows by key (in marking order); after `*`, the rows NOT marked.
        self._marks: dict[str, Any] = {}
        self._marks_inverted = False
        self.page_queries = 0
        """How many pages were read from the source (for tests and benchmarks)."""

    # -- the source ------------------------------------------------------------

    @property
    def source(self) -> RowSource[Any] | None:
        """The rows shown (None: nothing yet)."""
        return self._source

    @property
    def row_count(self) -> int:
        """How many rows the source had at the last (re)load."""
        return self._count

    def set_source(self, source: RowSource[Any] | None, *, keep_cursor: bool = True) -> None:
        """Show `source`, keeping the cursor on the same row (by key) when asked."""
        key = self.cursor_key if keep_cursor else None
        screen_offset = self.cursor_row - round(self.scroll_y)
        self._source = source
        self._pages.clear()
        self._lines.clear()
        self._count = source.count() if source is not None else 0
        index = source.index_of(key) if (source is not None and key is not None) else None
        if index is None:
            index = min(self.cursor_row, self._count - 1) if keep_cursor else 0
        index = max(0, index)
        self.virtual_size = Size(self.size.width, self._count + 1)
        self.set_reactive(VirtualTable.cursor_row, index)
        # Keep the row at the same height on screen, so a refresh does not jump.
        if keep_cursor:
            self.scroll_to(y=max(0, index - max(0, screen_offset)), animate=False)
        else:
            self.scroll_to(y=0, animate=False)
        self._scroll_cursor_into_view()
        self.refresh()
        self._post_highlight()

    def reload(self) -> None:
        """Re-read the same source (after a refresh), keeping the cursor by key."""
        self.set_source(self._source, keep_cursor=True)

    def clear_line_cache(self) -> None:
        """Forget rendered lines (the time zone or theme changed)."""
        self._lines.clear()
        self._layout = (-1, [])
        self.refresh()

    def row_at(self, index: int) -> Any | None:
        """The row at `index`, read through the page cache (None past the end)."""
        if self._source is None or not 0 <= index < self._count:
            return None
        page_no, within = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._source.rows(page_no * PAGE_SIZE, PAGE_SIZE)
            self.page_queries += 1
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[within] if within < len(page) else None

    @property
    def cursor_value(self) -> Any | None:
        """The highlighted row, or None."""
        return self.row_at(self.cursor_row)

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None."""
        row = self.cursor_value
        return None if row is None else self.key_of(row)

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with `key`; False when it is not in the source."""
        if self._source is None:
            return False
        index = self._source.index_of(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # -- marks -----------------------------------------------------------------

    def is_marked(self, row: Any) -> bool:
        """Whether a row is marked."""
        return (self.key_of(row) in self._marks) != self._marks_inverted

    @property
    def mark_count(self) -> int:
        """How many rows are marked."""
        if self._marks_inverted:
            return max(0, self._count - len(self._marks))
        return len(self._marks)

    @property
    def marks_all(self) -> bool:
        """True after `*`: every row of the source is marked except those unmarked since."""
        return self._marks_inverted

    def marked_keys(self, limit: int = 10_000) -> list[str]:
        """Keys of the marked rows, sorted (at most `limit`)."""
        return sorted(self.key_of(row) for row in self.marked_rows())[:limit]

    def marked_rows(self) -> list[Any]:
        """The marked rows: in marking order, or in the source's order after `*`.

        After `*` the source is read once for all its rows (one query, no widgets):
        marking a 100,000-row view costs nothing until an action asks for its rows.
        """
        if not self._marks_inverted:
            return list(self._marks.values())
        if self._source is None:
            return []
        rows = self._source.rows(0, self._count)
        return [row for row in rows if self.key_of(row) not in self._marks]

    def set_marked(self, rows: Sequence[Any]) -> None:
        """Mark exactly `rows` (e.g. the people an action could not process)."""
        self._marks = {self.key_of(row): row for row in rows}
        self._marks_inverted = False
        self._marks_changed()

    def clear_marks(self) -> None:
        """Unmark every row."""
        self.set_marked(())

    def _marks_changed(self) -> None:
        self._lines.clear()
        self.refresh()
        self.post_message(self.MarksChanged(self, self.mark_count))

    # -- actions ---------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor_row + delta)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self._count - 1)

    def action_half_page(self, direction: int) -> None:
        self._move(self.cursor_row + direction * max(1, self._data_height // 2))

    def action_page(self, direction: int) -> None:
        self._move(self.cursor_row + direction * max(1, self._data_height - 1))

    def action_select(self) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    def action_toggle_mark(self) -> None:
        row = self.cursor_value
        if not self.markable or row is None:
            return
        key = self.key_of(row)
        if self._marks.pop(key, None) is None:
            self._marks[key] = row
        self._lines.clear()
        self.post_message(self.MarksChanged(self, self.mark_count))
        self._move(self.cursor_row + 1, force_paint=True)

    def action_mark_all(self) -> None:
        if not self.markable:
            return
        everything = self._marks_inverted and not self._marks
        self._marks.clear()
        self._marks_inverted = not everything
        self._marks_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_mark", "mark_all"):
            return self.markable
        if action == "select":
            return self.openable
        return True

    # -- cursor ----------------------------------------------------------------

    @property
    def _data_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _move(self, index: int, *, force_paint: bool = False) -> None:
        index = max(0, min(index, self._count - 1))
        if index != self.cursor_row:
            self.cursor_row = index
        elif force_paint:
            self._refresh_row(index)

    def watch_cursor_row(self, old: int, new: int) -> None:
        scrolled = self._scroll_cursor_into_view()
        if not scrolled:
            self._refresh_row(old)
            self._refresh_row(new)
        self._post_highlight()

    def _refresh_row(self, index: int) -> None:
        # Line y of the widget shows row scroll_y + y - 1 (line 0 is the header).
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh_lines(y + round(self.scroll_y))

    def _scroll_cursor_into_view(self) -> bool:
        top = round(self.scroll_y)
        height = self._data_height
        target = top
        if self.cursor_row < top:
            target = self.cursor_row
        elif self.cursor_row >= top + height:
            target = self.cursor_row - height + 1
        if target != top:
            self.scroll_to(y=target, animate=False, immediate=True)
            return True
        return False

    def _post_highlight(self) -> None:
        row = self.cursor_value
        self.post_message(self.RowHighlighted(self, self.cursor_row, row))

    # -- events ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self._count + 1)
        self._lines.clear()

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._move(round(self.scroll_y) + event.y - 1)
            if event.chain >= 2:
                self.action_select()

    def on_focus(self) -> None:
        self._lines.clear()

    def on_blur(self) -> None:
        self._lines.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._layout = (-1, [])

    # -- rendering -------------------------------------------------------------

    def _columns_for(self, width: int) -> list[tuple[Column, int]]:
        if self._layout[0] != width:
            gutter = 2 if self.markable else 0
            self._layout = (width, layout_columns(self.columns, max(1, width - gutter)))
        return self._layout[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_line(width, self.rich_style)
        index = round(self.scroll_y) + y - 1
        row = self.row_at(index) if index < self._count else None
        if row is None:
            base = self.rich_style
            if index == 0 and y == 1 and self._count == 0:
                style = base + self.get_component_rich_style("virtual-table--placeholder")
                return Strip([Segment(fit(" " + self.placeholder, width), style)], width)
            return Strip.blank(width, base)
        is_cursor = index == self.cursor_row
        marked = self.markable and self.is_marked(row)
        cache_key = (index, is_cursor, marked, width)
        cached = self._lines.get(cache_key)
        if cached is not None:
            return cached
        strip = self._row_line(row, width, self.rich_style, is_cursor=is_cursor,
                               marked=marked)
        self._lines[cache_key] = strip
        return strip

    def _header_line(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("virtual-table--header")
        parts = ["  "] if self.markable else []
        for column, col_width in self._columns_for(width):
            parts.append(fit(column.title, col_width, column.align))
        text = fit(" ".join(parts) if not self.markable else parts[0] + " ".join(parts[1:]), width)
        return Strip([Segment(text, style)], width)

    def _row_line(
        self, row: Any, width: int, base: Style, *, is_cursor: bool, marked: bool
    ) -> Strip:
        style = base
        if marked:
            style += self.get_component_rich_style("virtual-table--marked")
        if is_cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        cells = []
        for column, col_width in self._columns_for(width):
            try:
                value = clean(column.value(row, self.time_format))
            except Exception:  # one broken cell must not blank the table
                value = "\ufffd"
            cells.append(fit(value, col_width, column.align))
        text = " ".join(cells)
        if self.markable:
            text = ("\u25cf " if marked else "  ") + text
        return Strip([Segment(fit(text, width), style)], width)
