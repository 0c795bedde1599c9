"""What a VirtualTable shows: the row source protocol, column specs and their layout.

Kept apart from the widget so that panes and tests can describe columns and build
in-memory sources without the widget machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size

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
    """Pad or cut `text` to exactly `width` cells, with an ellipsis when cut."""
    length = cell_len(text)
    if length <= width:
        pad = " " * (width - length)
        return pad + text if align == "right" else text + pad
    if width <= 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "\u2026"


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
