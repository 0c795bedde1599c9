"""The `/` filter of a pane: type-ahead, reads in a thread, newest result wins.

`PaneFilter` is a plain helper each `EntityPane` owns (`pane.filter`); the pane keeps
the Textual handlers and actions (Textual finds those only on the widget class) and
hands them here in a line or two. It knows the pane only as a `FilterHost`, and its
reader thread never touches the pane: it posts results (`RowsRead`, `RowsCounted`,
`ReadFailed`) that the UI thread hands to the pane's public methods. What it holds
and why:

- Typing never waits long for SQL: each keystroke's matches are counted and their
  first page read in the filter's own thread (`LatestReader`), and the results are
  handed back to the UI thread (`Handoff`; both in tui/widgets/latest.py). They are
  plain records rather than Textual messages: a message is handled a loop turn later,
  and a quick answer must be shown before the UI thread returns to the loop.
- A quick answer paints with the keystroke: the box reports each change from inside
  the key's handler (`FilterBox`), before the frame that echoes the key, and the UI
  thread waits up to QUICK_WAIT for the first rows, on every keystroke (one slow read
  does not make the next ones paint their echo alone). A slower read (a cold cache, a
  busy machine) paints a frame later; the echo never waits longer than that.
- Keys typed in the same burst as `/` (a fast typist, a paste, a slow link) reach the
  table before the filter box has focus; they go into the filter instead of approving
  a registrant or switching tabs, and Enter keeps the filter instead of opening a row.
- The newest result wins: every read carries a generation, and a result that arrives
  after a newer keystroke (or a plain reload) is dropped.
- Broad filters show rows before their count: one or two letters on a big view, or a
  term thousands of rows share, read the rows on screen from an ordered scan that stops
  at once, and the status line says "33+" until the count, run after them in the same
  thread once the typing pauses (`TYPING_PAUSE`), arrives. A newer keystroke skips
  that count or ends it (`DeckApi.interruptible`: the UI thread interrupts the SQLite
  statement, no Python runs in the read), so it never waits behind it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Protocol

from textual import events
from textual.widgets import Input

from tui.widgets.filter_ahead import (
    COUNT_SETTLE,
    Ahead,
    FilterAhead,
    FilterResult,
    ReadFailed,
    RowsCounted,
    RowsRead,
)
from tui.widgets.filter_box import FilterBox
from tui.widgets.latest import Handoff, LatestReader
from tui.widgets.pane_types import RowT
from tui.widgets.virtual_table import PAGE_SIZE, VirtualTable

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi, ViewQuery
    from tui.core.deck.types import ListView
    from tui.widgets.pane_types import DeckHost

__all__ = ["FilterHost", "PaneFilter"]

QUICK_WAIT = 0.016
"""Seconds the UI thread waits, at most, for a filter's first rows so they paint in
the frame that echoes the keystroke; a slower read paints a frame later. It waits on
every keystroke: an echo painted alone delays the rows' frame by one to two frame
periods (8-17 ms at 120 fps: Textual paints a frame at least a period after the
last), so waiting up to two periods never shows the rows later than not waiting, and
holds the echo up by 16 ms at worst (its target is 30)."""


COUNT_AFTER_PAINT = 0.1
"""Seconds a short filter's count waits at most for its first rows to be painted."""

TYPING_PAUSE = 0.3
"""Seconds without a newer keystroke before the count of a filter of one or two
letters starts. The count reads every match (a million rows for one letter: 0.4-0.9 s
of a core), and a word typed at a few keys a second had each next key share the two
cores with the count of the last; typing on skips it ("33+" meanwhile)."""


class FilterHost(Protocol[RowT]):
    """What the filter needs from its pane (`EntityPane` implements it)."""

    filter_text: str
    """The filter in force (the filter sets it; the pane reads it for its query)."""

    @property
    def host(self) -> DeckHost: ...

    @property
    def id(self) -> str | None: ...

    @property
    def is_mounted(self) -> bool: ...

    @property
    def table(self) -> VirtualTable[RowT]: ...

    @property
    def filter_box(self) -> Input | None: ...

    async def mount_filter_box(self, box: FilterBox) -> None:
        """Mount the box (first use) under the status line."""

    def build_query(self) -> ViewQuery: ...

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[RowT]:
        """Read the rows of `query` (called in the filter's thread)."""

    def load(self, *, keep_cursor: bool = True) -> None: ...

    def show_view(
        self,
        query: ViewQuery,
        view: ListView[RowT],
        *,
        keep_cursor: bool,
        first_page: Sequence[RowT] | None = None,
        count: int | None = None,
    ) -> None: ...

    def show_failure(self, error: BaseException) -> None: ...

    def show_count(self, count: int) -> None:
        """The full count of the rows shown (after a short filter's first rows)."""

    def call_after_refresh(self, callback: Callable[[], object]) -> bool: ...


class PaneFilter(Generic[RowT]):
    """The `/` filter machinery of one pane (its text stays in `pane.filter_text`)."""

    def __init__(self, pane: FilterHost[RowT]) -> None:
        self.pane = pane
        self.typing_ahead = False
        """From `/` until the table has focus again: see `type_ahead`."""
        self.typed_ahead = ""
        """Keys typed ahead before the box exists or is shown ("\\n" for Enter)."""
        self.generation = 0
        """Bumped by each read of the rows; a filter read of an older one is dropped."""
        self.counting = False
        """The table shows a filter's first rows while their count is still running."""
        self._reader: LatestReader | None = None
        self._handoff: Handoff[FilterResult[RowT]] | None = None
        self._end_read: Callable[[], None] | None = None
        """Ends the read the filter's thread is running (its scope's `end`), if any."""
        self._superseded = threading.Event()
        """Set when a newer read begins: the last read's count waiting for a pause in
        the typing (`TYPING_PAUSE`) is skipped at once."""
        self.ahead: FilterAhead[RowT] = FilterAhead()
        """The next keystroke's likely rows, read while the person has not typed
        (tui/widgets/filter_ahead.py)."""

    @property
    def idle(self) -> bool:
        """Nothing being read, counted or waiting to be shown (tests and screenshots
        wait for it instead of sleeping)."""
        reading = self._reader is not None and not self._reader.idle
        undelivered = self._handoff is not None and self._handoff.pending
        return not (reading or undelivered or self.counting)

    def stale(self) -> None:
        """The pane reads its rows itself: a filter still being read is now stale."""
        self._newer()
        self.ahead.forget()
        self.counting = False

    def _newer(self) -> None:
        """UI thread: a newer read begins; the one running (a count) ends now."""
        self.generation += 1
        self._superseded.set()
        end = self._end_read
        if end is not None:
            end()

    async def open(self) -> None:
        """`/`: show the box (mounting it on first use) with what was typed ahead."""
        pane = self.pane
        # Keys typed right after `/` (a fast typist, a paste) reach the table before
        # the box has focus: `on_key` catches them for the filter instead of letting
        # `a` approve or `1` switch tabs.
        self.typing_ahead = True
        box = pane.filter_box
        if box is None:
            # Mounted on first use: most panes are never filtered.
            box = FilterBox(
                self.apply,
                placeholder="filter: type to narrow, Enter to keep, Esc to clear",
                id="filter",
            )
            await pane.mount_filter_box(box)
        box.add_class("-active")
        typed, enter, _ = self.typed_ahead.partition("\n")
        self.typed_ahead = ""
        box.value = pane.filter_text + typed
        box.cursor_position = len(box.value)
        box.focus()
        if enter:
            self.keep()
        elif not typed:
            # Nothing typed yet: the likely first keystrokes' rows are read meanwhile.
            painted = threading.Event()
            pane.call_after_refresh(painted.set)
            query, on_screen, shown = pane.build_query(), self._on_screen(), (painted, None)
            self._submit(self._then(query, self.generation, lambda: shown, None, on_screen), True)

    def slash_passing(self) -> None:
        """`/` reached the pane's `on_key`: the keys after it belong to the filter."""
        # Set here, as `/` passes on its way to the binding: the keys after it in the
        # same burst pass here after it, and before the box has focus.
        self.typing_ahead = True

    def type_ahead(self, event: events.Key) -> bool:
        """While the filter opens, a key that reached the table belongs to the filter."""
        if not self.typing_ahead:
            return False
        box = self.pane.filter_box
        ready = box is not None and box.has_class("-active")
        if event.key == "enter":
            # "/name<Enter>" in one burst: keep the filter, do not open the row.
            event.stop()
            event.prevent_default()
            if ready:
                self.keep()
            else:
                self.typed_ahead += "\n"
            return True
        if not (event.is_printable and event.character):
            return False
        event.stop()
        event.prevent_default()
        if box is None or not ready:
            self.typed_ahead += event.character
        else:
            box.insert_text_at_cursor(event.character)
        return True

    def keep(self) -> None:
        """Enter in the filter: apply it and go back to the table (the box stays)."""
        pane = self.pane
        self.apply()
        if not pane.filter_text and pane.filter_box is not None:
            pane.filter_box.remove_class("-active")
        pane.table.focus()

    def clear(self) -> bool:
        """Esc: hide and empty the box, and show every row again; False when there was
        no filter to clear."""
        pane = self.pane
        box = pane.filter_box
        had_filter = bool(pane.filter_text) or (box is not None and box.has_class("-active"))
        if box is not None:
            box.remove_class("-active")
            if box.has_focus:
                pane.table.focus()
            box.value = ""
        if pane.filter_text:
            pane.filter_text = ""
            pane.load()
        return had_filter

    def apply(self) -> None:
        """Filter as the person types: the query runs in a thread, the newest one wins.

        Matches are counted and their first page read in the filter's own thread
        (`LatestReader`); the UI thread waits for them up to QUICK_WAIT, so a quick
        answer paints with the keystroke and a slow one never holds up typing. A
        result that arrives after a newer keystroke is dropped.
        The cursor starts on the first match. Clearing the filter reads the whole view
        again here, keeping the cursor on the row it was on.
        """
        pane = self.pane
        box = pane.filter_box
        text = box.value.strip() if box is not None else ""
        if text == pane.filter_text:
            return
        pane.filter_text = text
        if not text:
            pane.load(keep_cursor=True)
            return
        self._newer()
        query = pane.build_query()
        found = self.ahead.take(query)
        if found is None:
            self._read_filtered(query, self.generation)
        else:
            self._show_ahead(found, self.generation)

    def _read_filtered(self, query: ViewQuery, generation: int) -> None:
        """Count the matches and read their first page in the filter's thread."""
        pane = self.pane
        deck = pane.host.deck
        out = self._handoff_for(generation)
        on_screen = self._on_screen()

        def rows() -> tuple[threading.Event, ListView[RowT] | None]:
            view = pane.make_view(deck, query)
            first_page = view.head(on_screen)
            painted = threading.Event()
            if view.quick_to_count:
                view.count()
                known = None
            else:  # many matches (one or two letters, a name thousands share)
                known = len(first_page)  # the first rows are shown now, the count after
            read = RowsRead(generation, query, view, first_page, known, painted, on_screen)
            out.post(read)
            return painted, view if read.count_follows else None

        self._submit(self._then(query, generation, rows, out, on_screen))
        out.wait(QUICK_WAIT)

    def _show_ahead(self, found: Ahead[RowT], generation: int) -> None:
        """UI thread: show a keystroke's rows read ahead, then count them (a short
        filter's, as `_read_filtered` does) and read ahead the next keystroke's."""
        out = self._handoff_for(generation)
        painted = threading.Event()
        read = found.shown(generation, painted)
        self.receive(read)
        shown = (painted, found.view if read.count_follows else None)
        self._submit(self._then(found.query, generation, lambda: shown, out, found.limit))

    def _on_screen(self) -> int:
        """How many rows a filter reads first: those on screen, whether the count comes
        with them or after them (an ordered scan or the index's hits stop at the last
        match shown; at a million, "ng" read 1.5-1.6 ms of CPU where a page took
        2.4-3.7; the table reads page 0 when the cursor goes further). A table not laid
        out yet (a tab switch and the filter in one burst) reads a page."""
        height = self.pane.table.data_height
        return min(PAGE_SIZE, height) if height > 0 else PAGE_SIZE

    def _handoff_for(self, generation: int) -> Handoff[FilterResult[RowT]]:
        """A new read's handoff to the UI thread, and its own `superseded`."""
        self._superseded = threading.Event()
        out: Handoff[FilterResult[RowT]] = Handoff(
            self.receive, lambda error: self.receive(ReadFailed(generation, error))
        )
        self._handoff = out
        return out

    def _then(
        self,
        query: ViewQuery,
        generation: int,
        rows: Callable[[], tuple[threading.Event, ListView[RowT] | None]],
        out: Handoff[FilterResult[RowT]] | None,
        on_screen: int,
    ) -> Callable[[], None]:
        """The filter thread's job for `query`'s rows: `rows()` posts them (or they are
        shown) and says when they are painted and which view to count; once painted, the
        next keystroke's are read ahead (filter_ahead.py), then the count, in a pause."""
        pane = self.pane
        deck = pane.host.deck
        superseded = self._superseded
        # Only a filter without a term of three letters scans rows to count: a longer
        # term's count resolves its matches in the trigram index (~20 ms at a million),
        # which the next keystroke then narrows instead of asking the index again.
        pause = TYPING_PAUSE if all(len(term) < 3 for term in query.text.split()) else 0.0

        def stale() -> bool:
            return generation != self.generation

        def ahead_ends() -> bool:
            return stale() or not self.typing_ahead

        def publish(end: Callable[[], None]) -> None:
            self._end_read = end

        def read() -> None:
            if stale():
                return  # a newer keystroke is already on its way
            try:
                # A newer keystroke ends this read where it is (a count of a million
                # rows), so the next one never waits behind it: `_newer` calls `end`,
                # published before the check below (a keystroke either sees it or
                # made this read stale already).
                with deck.interruptible(stale) as end:
                    self._end_read = end
                    if stale():
                        return
                    painted, counted = rows()
                self._end_read = None
                # The rows are drawn before anything else runs here (a 4 ms frame took
                # 13 while a count ran); a short filter's count also waits for the
                # typing to pause (the read-ahead runs meanwhile), a longer one's comes
                # first (its matches are what the read-ahead narrows) once the frame is
                # out (`COUNT_SETTLE`); a keystroke skips or ends either.
                painted.wait(COUNT_AFTER_PAINT)
                until = time.monotonic() + (pause or COUNT_SETTLE)
                if pause:
                    self.ahead.read(deck, pane.make_view, query, on_screen, ahead_ends, publish)
                    self._end_read = None
                wait = max(0.0, until - time.monotonic())
                if counted is not None and out is not None and not superseded.wait(wait):
                    with deck.interruptible(stale) as end:
                        self._end_read = end
                        if not stale():
                            out.post(RowsCounted(generation, counted.count()))
                    self._end_read = None
                if not pause:
                    self.ahead.read(deck, pane.make_view, query, on_screen, ahead_ends, publish)
            except Exception as error:  # typed or not, it becomes a dialog, not a crash
                if not stale() and out is not None:  # else a newer keystroke ended it
                    out.post(ReadFailed(generation, error))
            finally:
                self._end_read = None

        return read

    def _submit(self, job: Callable[[], None], spare: bool = False) -> None:
        """Run `job` in the filter's thread next (`spare`: unless a read is waiting)."""
        if self._reader is None:
            self._reader = LatestReader(f"filter-{self.pane.id}")
        self._reader.submit(job, spare=spare)

    def stop(self) -> None:
        """The pane is going away: end the filter's thread and the read it runs."""
        if self._reader is not None:
            self._reader.stop()
        self._newer()

    def receive(self, result: FilterResult[RowT]) -> None:
        """UI thread: show a read's result, unless a newer read has begun since."""
        pane = self.pane
        current = result.generation == self.generation and pane.is_mounted
        if isinstance(result, RowsRead):
            if current:
                self.counting = result.count_follows
                pane.show_view(
                    result.query,
                    result.view,
                    keep_cursor=False,
                    first_page=result.first_page,
                    count=result.known,
                )
                if result.painted is not None:
                    pane.call_after_refresh(result.painted.set)
            elif result.painted is not None:
                result.painted.set()
        elif isinstance(result, RowsCounted):
            if current and self.counting:
                self.counting = False
                pane.show_count(result.count)
        elif current:
            pane.show_failure(result.error)
