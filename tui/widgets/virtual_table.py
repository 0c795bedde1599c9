"""A table that pages its rows from the store as the viewport moves.

`VirtualTable` never holds every row: `render_line` asks a `RowSource` (the Deck's
`ListView`) for the page a line falls in and keeps a few pages in an LRU cache, so a
webinar with 100,000 registrants costs one page query per screenful.

It is a plain Line-API widget that keeps its own scroll offset (`top`, a `Viewport`:
table_scroll.py) and draws its own lines and scrollbar (table_lines.py), not a
`ScrollView`: a cursor move repaints two lines, a scroll repaints this widget, and
neither changes the screen's layout. After a refresh the cursor stays on the same row,
found by key (`RowSource.index_of`). What it tells its parent is in table_messages.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Generic, TypeAlias, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets import table_messages
from tui.widgets.formatting import TimeFormat
from tui.widgets.scrollbar import thumb_top
from tui.widgets.table_lines import COMPONENTS, TABLE_CSS, TableLines
from tui.widgets.table_model import (
    MAX_PAGES,
    PAGE_SIZE,
    Column,
    Marks,
    PagedRows,
    RowSource,
    SequenceSource,
    column_at,
    fit,
    layout_columns,
    row_key,
)
from tui.widgets.table_scroll import Viewport, clamp_row
from tui.widgets.whole_lines import WholeLines

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

RowT = TypeVar("RowT")
"""What the table's rows are (a pane's row type, attendees, ...)."""

WHEEL_LINES = 3


class VirtualTable(Widget, Generic[RowT], can_focus=True, inherit_bindings=False):
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

    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENTS)
    DEFAULT_CSS = TABLE_CSS

    cursor_row: reactive[int] = reactive(0, always_update=False, repaint=False)
    """Index of the highlighted row in the source."""

    # What the table tells its parent (tui/widgets/table_messages.py).
    RowHighlighted: TypeAlias = table_messages.RowHighlighted
    RowSelected: TypeAlias = table_messages.RowSelected
    HeaderClicked: TypeAlias = table_messages.HeaderClicked
    MarksChanged: TypeAlias = table_messages.MarksChanged

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        time_format: TimeFormat | None = None,
        key: Callable[[RowT], str] = row_key,
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
        self._rows: PagedRows[RowT] = PagedRows()
        self._draw: TableLines[RowT] = TableLines(self, self)
        self._styles_cache = WholeLines()  # Textual shows the Strips drawn (whole_lines.py)
        self._marks: Marks[RowT] = Marks(key)
        self.viewport = Viewport()
        """The first row shown (tui/widgets/table_scroll.py)."""
        self.sort: tuple[str, bool] | None = None
        """The sorted column's key and whether it is descending (an arrow in its title)."""

    @property
    def top(self) -> int:
        """Index of the first row shown (the scroll offset)."""
        return self.viewport.top

    # -- the source ------------------------------------------------------------

    @property
    def source(self) -> RowSource[RowT] | None:
        """The rows shown (None: nothing yet)."""
        return self._rows.source

    @property
    def row_count(self) -> int:
        """How many rows the source had at the last (re)load."""
        return self._rows.count

    @property
    def _count(self) -> int:
        return self._rows.count

    @property
    def page_queries(self) -> int:
        """How many pages were read from sources (for tests and benchmarks)."""
        return self._rows.page_queries

    def set_source(
        self,
        source: RowSource[RowT] | None,
        *,
        keep_cursor: bool = True,
        first_page: Sequence[RowT] | None = None,
        count: int | None = None,
    ) -> None:
        """Show `source`, keeping the cursor on the same row (by key) when asked.

        Args:
            source: The rows (None: nothing yet).
            keep_cursor: Keep the cursor on the highlighted row's key, at the same
                height on screen; else start at the top.
            first_page: `source.rows(0, PAGE_SIZE)` when the caller already read it
                (a filter runs its query in a thread).
            count: The rows known so far, when counting them all is still under way
                (see `set_row_count`); None: ask the source.
        """
        key = self.cursor_key if keep_cursor else None
        screen_offset = self.cursor_row - self.top
        shown = self._draw.shown()
        self._rows.reset(source, first_page, count)
        index = source.index_of(key) if (source is not None and key is not None) else None
        if index is None:
            index = min(self.cursor_row, self._count - 1) if keep_cursor else 0
        index = max(0, index)
        self.set_reactive(VirtualTable.cursor_row, index)
        # Keep the row at the same height on screen, so a refresh does not jump.
        self.viewport.keep(index, screen_offset if keep_cursor else 0, *self._extent)
        self.viewport.follow(index, *self._extent)
        self._draw.repaint_changed(shown)
        self._post_highlight()

    def prepare(self, rows: Sequence[RowT], columns: list[Column], size: Size, count: int) -> None:
        """Draw the texts of rows about to be shown, ahead (`TableLines.prepare`): in
        this table's size once it has one, else in `size`."""
        self._draw.prepare(rows, columns, self.content_size or size, count)

    def set_row_count(self, count: int) -> None:
        """The full count arrived after a provisional one: the cursor and rows stay."""
        if count == self._rows.count:
            return
        shown = self._draw.shown()
        self._rows.count = count
        self._draw.repaint_changed(shown)

    def set_sort(self, column: str | None, descending: bool = False) -> None:
        """Show which column the rows are sorted by (None: no arrow)."""
        sort = None if column is None else (column, descending)
        if sort != self.sort:
            self.sort = sort
            self.refresh(Region(0, 0, self.content_size.width, 1))

    def reload(self) -> None:
        """Re-read the same source (after a refresh), keeping the cursor by key."""
        self.set_source(self._rows.source, keep_cursor=True)

    def clear_line_cache(self) -> None:
        """Forget rendered lines (the time zone or theme changed)."""
        self._draw.forget_layout()
        self.refresh()

    def row_at(self, index: int) -> RowT | None:
        """The row at `index`, read through the page cache (None past the end)."""
        return self._rows.row(index)

    def row_read(self, index: int) -> RowT | None:
        """The row at `index` if its page is read already (never reads one)."""
        return self._rows.peek(index)

    @property
    def cursor_value(self) -> RowT | None:
        """The highlighted row, or None."""
        return self.row_at(self.cursor_row)

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None."""
        row = self.cursor_value
        return None if row is None else self.key_of(row)

    def move_to_key(self, key: str) -> bool:
        """Put the cursor on the row with `key`; False when it is not in the source."""
        source = self._rows.source
        if source is None:
            return False
        index = source.index_of(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # -- marks -----------------------------------------------------------------

    def is_marked(self, row: RowT) -> bool:
        """Whether a row is marked."""
        return row in self._marks

    @property
    def mark_count(self) -> int:
        """How many rows are marked."""
        return self._marks.count(self._count)

    @property
    def marks_all(self) -> bool:
        """True after `*`: every row of the source is marked except those unmarked since."""
        return self._marks.inverted

    def marked_keys(self, limit: int = 10_000) -> list[str]:
        """Keys of the marked rows, sorted (at most `limit`)."""
        return sorted(self.key_of(row) for row in self.marked_rows())[:limit]

    def marked_rows(self) -> list[RowT]:
        """The marked rows: in marking order, or in the source's order after `*`.

        After `*` the source is read once for all its rows (one query, no widgets):
        marking a 100,000-row view costs nothing until an action asks for its rows.
        """
        return self._marks.rows(self._rows.source, self._count)

    def set_marked(self, rows: Sequence[RowT]) -> None:
        """Mark exactly `rows` (e.g. the people an action could not process)."""
        if not rows and self._marks.empty:
            return  # nothing was marked and nothing is: nothing to draw or to say
        self._marks.set(rows)
        self._marks_changed()

    def clear_marks(self) -> None:
        """Unmark every row."""
        self.set_marked(())

    def _marks_changed(self) -> None:
        self._draw.forget_lines()
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
        self._move(self.cursor_row + direction * max(1, self.data_height // 2))

    def action_page(self, direction: int) -> None:
        self._move(self.cursor_row + direction * max(1, self.data_height - 1))

    def action_select(self) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor_row, row))

    def action_toggle_mark(self) -> None:
        row = self.cursor_value
        if not self.markable or row is None:
            return
        self._marks.toggle(row)
        self._draw.forget_lines()
        self.post_message(self.MarksChanged(self, self.mark_count))
        self._move(self.cursor_row + 1, force_paint=True)

    def action_mark_all(self) -> None:
        if not self.markable:
            return
        self._marks.toggle_all()
        self._marks_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_mark", "mark_all"):
            return self.markable
        if action == "select":
            return self.openable
        return True

    # -- cursor and scrolling ----------------------------------------------------

    @property
    def data_height(self) -> int:
        """How many rows fit (the header takes a line)."""
        return max(1, self.content_size.height - 1)

    @property
    def has_bar(self) -> bool:
        """Whether the rows overflow, so the scrollbar shows."""
        return self._count > self.data_height

    @property
    def _extent(self) -> tuple[int, int]:
        """(the rows, how many fit): what the viewport scrolls over."""
        return self._count, self.data_height

    def scroll_rows(self, top: int) -> None:
        """Show rows from `top` (clamped); the cursor stays where it is."""
        if self.viewport.scroll_to(top, *self._extent):
            self.refresh()

    def _move(self, index: int, *, force_paint: bool = False) -> None:
        index = clamp_row(index, self._count)
        if index != self.cursor_row:
            self.cursor_row = index
        elif force_paint:
            self._refresh_row(index)

    def watch_cursor_row(self, old: int, new: int) -> None:
        # Without its size yet (a tab's first frame), `on_resize` follows the cursor.
        laid_out = self.content_size.height > 1
        if laid_out and self.viewport.follow(new, *self._extent):
            self.refresh()
        else:
            self._refresh_row(old)
            self._refresh_row(new)
        self._post_highlight()

    def _refresh_row(self, index: int) -> None:
        y = self.viewport.line_of(index)
        if 1 <= y < self.content_size.height:
            self.refresh(Region(0, y, self.content_size.width, 1))

    def _post_highlight(self) -> None:
        row = self.cursor_value
        self.post_message(self.RowHighlighted(self, self.cursor_row, row))

    # -- events ----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        # Drawn rows are kept by width and bar cell; Textual repaints a resized widget.
        # A tab shown again is "resized" to its size: nothing is drawn again for it.
        scrolled = self.viewport.scroll_to(self.top, *self._extent)
        followed = self.viewport.follow(self.cursor_row, *self._extent)
        if scrolled or followed:
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(self.top + WHEEL_LINES)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(self.top - WHEEL_LINES)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = column_at(self._draw.header_layout(), event.x, markable=self.markable)
            if column is not None:
                self.post_message(self.HeaderClicked(self, column))
            return
        if self.has_bar and event.x >= self.content_size.width - 1 and event.y >= 1:
            self.scroll_rows(thumb_top(event.y - 1, self.data_height, self._count))
            return
        if event.y >= 1:
            self._move(self.viewport.row_on(event.y))
            if event.chain >= 2:
                self.action_select()

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No restyle (~1 ms a table): no style of the table depends on its focus; the
        focused cursor is a component of its own, and `on_focus`/`on_blur` redraw."""

    def on_focus(self) -> None:
        self._draw.forget_lines()

    def on_blur(self) -> None:
        self._draw.forget_lines()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._draw.forget_styles()

    # -- drawing (tui/widgets/table_lines.py) -----------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.is_attached:
            # Removed (a profile switch replaces the screen's children), yet drawn by a
            # frame from the screen's last map: Textual has dropped the table's part
            # styles by then, and looking one up raised KeyError in the frame timer,
            # which ends the app. Nothing of it is shown again: blank, not cached.
            return [Strip.blank(crop.width)] * crop.height
        self._draw.frame = (self.content_size, self.has_bar)  # read once a frame
        try:
            return super().render_lines(crop)
        finally:
            self._draw.frame = None

    def render_line(self, y: int) -> Strip:
        return self._draw.line(y)
