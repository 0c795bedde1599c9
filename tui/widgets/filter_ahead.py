"""What the `/` filter's thread hands the UI thread (`RowsRead`, `RowsCounted`,
`ReadFailed`), and its read-ahead: the next keystroke's rows read before it is typed.

A keystroke that brings a whole new screenful (a term's first letters) waited for its
read in the filter's thread and two thread handoffs before its frame could be drawn:
14-50 ms where a cursor key takes 5-13. While the person has not typed yet (the box
just opened, or a keystroke's rows shown), the filter's thread reads the first
screenful of each likely next filter, the filter in force and one more character
(`NEXT_KEYS`, the most frequent first), into `FilterAhead`; the keystroke that types
one of them shows it at once on the UI thread, without a read or a handoff.

What keeps it cheap and harmless: the read-ahead runs only while the filter box is
being typed in, stops at the next keystroke (which ends the read running, as it ends
a count), never keeps a read that was ended, and gives up on a candidate whose read
takes longer than its bound (a rare pair of letters scans a million rows in vain).
What it found is kept for one keystroke (the next one takes or drops it all) and is
dropped when the pane reads its rows again (a sync, a sort, a scope).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic

from tui.widgets.pane_types import RowT
from tui.widgets.virtual_table import PAGE_SIZE

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi, ViewQuery
    from tui.core.deck.types import ListView

__all__ = [
    "AHEAD_AFTER_PAINT",
    "AHEAD_READ_MAX",
    "AHEAD_SHORT_BOUNDS",
    "AHEAD_TOTAL_MAX",
    "COUNT_SETTLE",
    "NEXT_KEYS",
    "Ahead",
    "FilterAhead",
    "FilterResult",
    "ReadFailed",
    "RowsCounted",
    "RowsRead",
]

NEXT_KEYS = "eanirolstuhdmcykbgjpvzfwxq.0123456789"
"""The characters tried after the filter in force, the likeliest first (letters by
their frequency in names and emails, then the dot of "first.last", then digits)."""

AHEAD_AFTER_PAINT = 0.03
"""Seconds the read-ahead waits after the rows it follows were painted."""

COUNT_SETTLE = AHEAD_AFTER_PAINT
"""Seconds the count of a filter with a term of three letters or more waits after its
first rows were painted (a short filter's waits for the typing to pause), for the
same reason: painted means handed to Textual's writer thread, and the terminal has yet
to read and draw the frame. A count started at once (20-70 ms of CPU at a million
rows: "ngo" reads 22,000 matches) shared the two cores with them: on a busy machine,
from the frame handed over to the terminal reading it, 5.1 ms at the median and 14.8
at the 90th percentile, 2.3 and 6.8 with the wait. A keystroke meanwhile skips the
count, as it ends one running."""

AHEAD_TOTAL_MAX = 0.4
"""Seconds one keystroke's read-ahead may take in all (a short filter's count, which
waits for a pause in the typing, comes after it)."""

AHEAD_READ_MAX = 0.025
"""Seconds one candidate's read may take before it is ended and passed over (most
take 1-5 ms; the trigram index answers a term of three letters or more)."""

AHEAD_SHORT_BOUNDS = (0.01, 0.04)
"""The same for a filter of two letters, read by an ordered scan that stops at the
last row on screen, in two passes: a pair of letters few rows hold scans the whole
table in vain (40 ms of CPU at 100,000 rows, 600-800 at a million), where a common
one takes 1-2 ms at 100,000 and 2-11 at a million (twice that on a busy machine)."""


@dataclass(frozen=True)
class RowsRead(Generic[RowT]):
    """A filter's first rows (and their count, unless `known` says it is still coming)."""

    generation: int
    query: ViewQuery
    view: ListView[RowT]
    first_page: Sequence[RowT]
    known: int | None
    """None: the view is counted; else the rows known so far (a count follows)."""
    painted: threading.Event | None = None
    """Set once the rows are on screen (or dropped): the count waits for it."""
    limit: int = PAGE_SIZE
    """How many rows were asked for: fewer came when they are all there are."""

    @property
    def count_follows(self) -> bool:
        """As many rows as asked for, of a view not counted yet: its count comes later."""
        return self.known is not None and self.known >= self.limit


@dataclass(frozen=True)
class RowsCounted:
    """The full count of a short filter's matches."""

    generation: int
    count: int


@dataclass(frozen=True)
class ReadFailed:
    """A filter's read raised."""

    generation: int
    error: BaseException


FilterResult = RowsRead[RowT] | RowsCounted | ReadFailed


@dataclass(frozen=True)
class Ahead(Generic[RowT]):
    """One candidate filter read ahead: its view and first rows."""

    query: ViewQuery
    view: ListView[RowT]
    first_page: Sequence[RowT]
    known: int | None
    """None: the view is counted; else the rows read (a count follows, if as many as
    `limit`)."""
    limit: int

    def shown(self, generation: int, painted: threading.Event) -> RowsRead[RowT]:
        """These rows as a keystroke's read (`painted` set once they are on screen)."""
        return RowsRead(
            generation, self.query, self.view, self.first_page, self.known, painted, self.limit
        )


class FilterAhead(Generic[RowT]):
    """The candidates read ahead for the next keystroke (the filter's thread adds, the
    UI thread takes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[ViewQuery, Ahead[RowT]] = {}

    def take(self, query: ViewQuery) -> Ahead[RowT] | None:
        """UI thread, at a keystroke: the read of `query` if it was read ahead; the
        other candidates are dropped (they extended the filter before it)."""
        with self._lock:
            found, self._found = self._found, {}
        return found.get(query)

    def forget(self) -> None:
        """The rows are read again (a sync, a sort): nothing read ahead is kept."""
        with self._lock:
            self._found = {}

    def read(
        self,
        deck: DeckApi,
        make_view: Callable[[DeckApi, ViewQuery], ListView[RowT]],
        base: ViewQuery,
        limit: int,
        stop: Callable[[], bool],
        ending: Callable[[Callable[[], None]], None],
    ) -> None:
        """The filter's thread: read the first `limit` rows of `base` extended by each of
        NEXT_KEYS until `stop()` (a keystroke, the box closed). `ending` publishes
        each read's `end`, which the next keystroke calls."""
        # The frame just painted reaches the terminal first (the writer thread, the
        # terminal's own drawing): a read-ahead right after it held them up on a busy
        # machine (the filter's rows seen 5-10 ms later at a million).
        settled = time.monotonic() + AHEAD_AFTER_PAINT
        while time.monotonic() < settled:
            if stop():
                return
            time.sleep(0.005)
        # A short filter's candidates are tried twice: all of them briefly, then those
        # that took longer for a while more (the common pairs first, whatever their
        # place in NEXT_KEYS).
        short = all(len(term) < 2 for term in base.text.split())
        keys, bounds = NEXT_KEYS, AHEAD_SHORT_BOUNDS if short else (AHEAD_READ_MAX,)
        until = time.monotonic() + AHEAD_TOTAL_MAX
        for bound in bounds:
            missed = ""
            for key in keys:
                if stop() or time.monotonic() > until:
                    return
                query = dataclasses.replace(base, text=base.text + key)
                found = self._read_one(deck, make_view, query, limit, stop, ending, bound)
                if found is None:
                    missed += key
                    continue
                with self._lock:
                    if stop():
                        return
                    self._found[query] = found
            keys = missed

    def _read_one(
        self,
        deck: DeckApi,
        make_view: Callable[[DeckApi, ViewQuery], ListView[RowT]],
        query: ViewQuery,
        limit: int,
        stop: Callable[[], bool],
        ending: Callable[[Callable[[], None]], None],
        bound: float,
    ) -> Ahead[RowT] | None:
        """One candidate's first rows, or None when its read failed, was ended by a
        keystroke or took longer than `bound` seconds."""
        with deck.interruptible(stop) as end:
            ending(end)
            timer = threading.Timer(bound, end)
            timer.daemon = True
            timer.start()
            try:
                if stop():
                    return None
                view = make_view(deck, query)
                first_page = view.head(limit)
                if view.quick_to_count:
                    view.count()  # counted now, as a keystroke's own read counts it
                    known = None
                else:
                    known = len(first_page)
            except Exception:  # ended (too slow, a keystroke) or failed: not kept
                return None  # the keystroke that types it reads it as usual
            finally:
                timer.cancel()
        return Ahead(query, view, first_page, known, limit)
