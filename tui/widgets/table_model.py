"""What a VirtualTable shows: the row source protocol, column specs and their layout.

Kept apart from the widget so that panes and tests can describe columns and build
in-memory sources without the widget machinery.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size

from tui.text import clean
from tui.widgets.formatting import TimeFormat

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class RowSource(Protocol[T_co]):
    """What the table reads: the Deck's ListView has exactly this shape."""

    def count(self) -> int: ...

    def rows(self, offset: int, limit: int) -> Sequence[T_co]: ...

    def index_of(self, key: str) -> int | None: ...


@dataclass(frozen=True)
class Column:
    """One column: its title, how to get a cell's text, and how wide it may be.

    Attributes:
        key: A stable name (also the sort key the Deck understands, when it does).
        title: The header text.
        value: Cell text for a row; the TimeFormat lets time columns follow `t`.
        width: The preferred width in cells.
        min_width: The narrowest the column may become before it is dropped.
        grow: Share of spare width this column takes (0: none).
        priority: Lower numbers are kept longer when the table is narrow.
        align: "left" or "right".
    """

    key: str
    title: str
    value: Callable[[Any, TimeFormat], str]
    width: int = 12
    min_width: int = 6
    grow: int = 0
    priority: int = 5
    align: Literal["left", "right"] = "left"


def layout_columns(columns: Sequence[Column], width: int) -> list[tuple[Column, int]]:
    """Choose which columns fit in `width` cells and how wide each one is.

    Columns are dropped in order of priority (highest number first) until their
    minimum widths fit; the rest shrink towards their minimums or grow into spare
    room. One cell separates columns.
    """
    kept = list(columns)

    def drop_one() -> None:
        drop = max(range(len(kept)), key=lambda i: (kept[i].priority, i))
        del kept[drop]

    # Must fit at minimum widths; and rather than squeezing every column hard, drop
    # the least important ones while the preferred widths overshoot by over 20%.
    while len(kept) > 1 and sum(c.min_width for c in kept) + len(kept) - 1 > width:
        drop_one()
    while len(kept) > 2 and sum(c.width for c in kept) + len(kept) - 1 > width * 1.2:
        drop_one()
    widths = [c.width for c in kept]
    room = width - (len(kept) - 1)
    excess = sum(widths) - room
    # Take excess from the widest columns first, never below their minimum.
    while excess > 0:
        candidates = [i for i, c in enumerate(kept) if widths[i] > c.min_width]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i] - kept[i].min_width)
        widths[widest] -= 1
        excess -= 1
    if excess < 0:
        growers = [i for i, c in enumerate(kept) if c.grow]
        spare = -excess
        total_grow = sum(kept[i].grow for i in growers)
        for i in growers:
            share = spare * kept[i].grow // total_grow
            widths[i] += share
        leftover = room - sum(widths)
        if growers and leftover > 0:
            widths[growers[-1]] += leftover
    if kept and sum(widths) > room:
        widths[-1] = max(1, widths[-1] - (sum(widths) - room))
    return list(zip(kept, widths, strict=True))


def fit(text: str, width: int, align: str = "left") -> str:
    """Pad or cut `text` to exactly `width` cells, with an ellipsis when cut.

    Only a head of `text` is measured: a cell shows at most `width` cells, and a name
    of 16,000 wide or combining characters costs rich 15 ms to measure whole.
    """
    return _fit(text, width, align)[0]


_FITTED: dict[tuple[str, int, str], tuple[str, int]] = {}
"""Measured fits (text that is not plain ASCII), by text, width and alignment."""

FITS_KEPT = 4096
"""How many measured fits are kept: an event's title or a status is on every row."""

JOINERS = ("\u200d", "\ufe0f")
"""Characters that change the width of their neighbours (rich measures a text holding
one as a whole, not character by character)."""


def _fit(text: str, width: int, align: str) -> tuple[str, int]:
    """`fit`, and the cells the result takes (as rich's `cell_len` measures it).

    Printable ASCII takes one cell a character: it is cut and padded by length. Other
    text is measured by rich (cutting it splits graphemes: 0.1 ms for a title with a
    dash in it), once per text and width.
    """
    if width >= 0 and text.isascii() and text.isprintable():
        size = len(text)
        if size <= width:
            pad = " " * (width - size)
            return (pad + text if align == "right" else text + pad), width
        if width <= 1:
            return text[:width], width
        return text[: width - 1] + "\u2026", width
    head = _head(text, width)
    key = (head, width, align)
    known = _FITTED.get(key)
    if known is None:
        fitted = _measured_fit(head, width, align)
        known = (fitted, cell_len(fitted))
        if len(_FITTED) >= FITS_KEPT:
            _FITTED.clear()
        _FITTED[key] = known
    return known


def _measured_fit(text: str, width: int, align: str) -> str:
    """`fit` of a head of a text (`_head`), measured by rich."""
    length = cell_len(text)
    if length <= width:
        pad = " " * (width - length)
        return pad + text if align == "right" else text + pad
    if width <= 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "\u2026"


def _head(text: str, width: int) -> str:
    """A head of `text` wider than `width` cells (`text` itself when none is shorter).

    Every character takes at most two cells but may take none (combining marks), so the
    head grows until it is wide enough: cutting the head and cutting `text` to `width`
    cells give the same start.
    """
    size = 2 * width + 16
    while size < len(text):
        head = text[:size]
        if cell_len(head) > width:
            return head
        size *= 4
    return text


SORT_ARROWS = ("\u25b2", "\u25bc")
"""What follows the sorted column's title: ascending, descending."""


def header_text(
    layout: Sequence[tuple[Column, int]],
    width: int,
    *,
    markable: bool,
    sort: tuple[str, bool] | None = None,
) -> str:
    """The header line: each column's title in its width (after the mark gutter); the
    sorted column (`sort`: its key, descending) ends with an arrow, kept however
    narrow the column is."""
    cells = []
    for column, col_width in layout:
        if sort is not None and column.key == sort[0] and col_width >= 2:
            arrow = SORT_ARROWS[sort[1]]
            marked = f"{column.title} {arrow}"
            if cell_len(marked) > col_width:
                marked = fit(column.title, col_width - 1) + arrow
            cells.append(fit(marked, col_width, column.align))
        else:
            cells.append(fit(column.title, col_width, column.align))
    text = " ".join(cells)
    return fit(("  " + text) if markable else text, width)


def column_at(layout: Sequence[tuple[Column, int]], x: int, *, markable: bool) -> Column | None:
    """The column under cell `x` of a line (None: the gutter or a gap)."""
    left = 2 if markable else 0
    for column, col_width in layout:
        if left <= x < left + col_width:
            return column
        left += col_width + 1
    return None


def row_text(
    row: object,
    layout: Sequence[tuple[Column, int]],
    time_format: TimeFormat,
    width: int,
    *,
    markable: bool,
    marked: bool,
) -> str:
    """One row as a line of `width` cells; API text made literal by `tui.text.clean`."""
    cells = []
    cells_width = 0
    additive = True
    for column, col_width in layout:
        try:
            value = clean(column.value(row, time_format))
        except Exception:  # one broken cell must not blank the table
            value = "\ufffd"
        cell, size = _fit(value, col_width, column.align)
        cells.append(cell)
        cells_width += size
        if additive and not cell.isascii() and any(j in cell for j in JOINERS):
            additive = False
    text = " ".join(cells)
    if markable:
        text = ("\u25cf " if marked else "  ") + text
    # The line's width is the sum of its parts' (rich measures character by character
    # when no joiner is in it): nothing to measure again unless it must be cut.
    if additive:
        total = cells_width + max(0, len(cells) - 1) + (2 if markable else 0)
        if total <= width:
            return text + " " * (width - total)
    return fit(text, width)


class SequenceSource(Generic[T]):
    """A RowSource over rows already in memory (attendees of one meeting, tests)."""

    def __init__(self, rows: Sequence[T], key: Callable[[T], str]) -> None:
        self._rows = list(rows)
        self._key = key
        self.fetched_at = None

    def count(self) -> int:
        return len(self._rows)

    def rows(self, offset: int, limit: int) -> list[T]:
        return self._rows[offset : offset + limit]

    def index_of(self, key: str) -> int | None:
        for index, row in enumerate(self._rows):
            if self._key(row) == key:
                return index
        return None


def row_key(row: Any) -> str:
    """The default key of a row: its `key` attribute."""
    return str(row.key)


class Marks(Generic[T]):
    """Which rows are marked, by key: the rows picked, or after `*` all but some.

    After `*` nothing is read: the marks mean "every row of the source except the
    ones unmarked since", and the rows are only fetched when an action asks for them.
    """

    def __init__(self, key: Callable[[T], str]) -> None:
        self._key = key
        self._picked: dict[str, T] = {}
        """Marked rows by key in marking order; after `*`, the rows NOT marked."""
        self.inverted = False
        """True after `*`: every row of the source is marked except `_picked`."""

    @property
    def empty(self) -> bool:
        """Nothing marked (and not `*`)."""
        return not self._picked and not self.inverted

    def __contains__(self, row: T) -> bool:
        return (self._key(row) in self._picked) != self.inverted

    def count(self, total: int) -> int:
        """How many rows are marked in a source of `total` rows."""
        return max(0, total - len(self._picked)) if self.inverted else len(self._picked)

    def toggle(self, row: T) -> None:
        """Mark `row`, or unmark it when it is marked."""
        key = self._key(row)
        if self._picked.pop(key, None) is None:
            self._picked[key] = row

    def toggle_all(self) -> None:
        """`*`: mark every row; pressed again with nothing unmarked since, unmark all."""
        everything = self.inverted and not self._picked
        self._picked.clear()
        self.inverted = not everything

    def set(self, rows: Sequence[T]) -> None:
        """Mark exactly `rows`."""
        self._picked = {self._key(row): row for row in rows}
        self.inverted = False

    def rows(self, source: RowSource[T] | None, total: int) -> list[T]:
        """The marked rows: in marking order, or in the source's order after `*`."""
        if not self.inverted:
            return list(self._picked.values())
        if source is None:
            return []
        return [row for row in source.rows(0, total) if self._key(row) not in self._picked]


PAGE_SIZE = 64
MAX_PAGES = 48


class PagedRows(Generic[T]):
    """A row source read a page at a time, the last MAX_PAGES pages kept (LRU).

    The table reads its rows through this: a screenful costs one page query, and
    the count is asked once per source.
    """

    def __init__(self) -> None:
        self.source: RowSource[T] | None = None
        self.count = 0
        self._pages: OrderedDict[int, Sequence[T]] = OrderedDict()
        self._head: Sequence[T] = ()
        """The first rows when fewer than page 0 were read (a filter's rows on screen)."""
        self.page_queries = 0
        """How many pages were read from sources (for tests and benchmarks)."""

    def reset(
        self,
        source: RowSource[T] | None,
        first_page: Sequence[T] | None = None,
        count: int | None = None,
    ) -> None:
        """Read from `source` now (counting its rows unless `count` is given: a
        provisional count, raised later by `set_count`); `first_page` saves a query."""
        self.source = source
        self._pages.clear()
        self._head = ()
        provisional = count is not None
        if count is None:
            count = source.count() if source is not None else 0
        self.count = count
        if first_page is not None and source is not None:
            # A provisional count is only the rows read so far: they are all of page 0
            # only when they fill it.
            if len(first_page) >= (PAGE_SIZE if provisional else min(PAGE_SIZE, count)):
                self._pages[0] = first_page
            else:  # the rows on screen, read first: page 0 is read when more are shown
                self._head = first_page

    def peek(self, index: int) -> T | None:
        """The row at `index` if its page is already read (never reads one)."""
        if not 0 <= index < self.count:
            return None
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return self._head[index] if index < len(self._head) else None
        within = index % PAGE_SIZE
        return page[within] if within < len(page) else None

    def row(self, index: int) -> T | None:
        """The row at `index` (None past the end or without a source)."""
        if self.source is None or not 0 <= index < self.count:
            return None
        page_no, within = divmod(index, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None and index < len(self._head):
            return self._head[index]
        if page is None:
            page = self.source.rows(page_no * PAGE_SIZE, PAGE_SIZE)
            self.page_queries += 1
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[within] if within < len(page) else None
