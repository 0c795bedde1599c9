"""The `/` filter of a pane: type-ahead, reads in a thread, newest result wins.

`PaneFilter` is a plain helper each `EntityPane` owns (`pane.filter`); the pane keeps
the Textual handlers and actions (Textual finds those only on the widget class) and
hands them here in a line or two. What it holds and why:

- Typing never waits for SQL: each keystroke's matches are counted and their first
  page read in the filter's own thread (`LatestReader`), and the rows are handed back
  to the UI thread.
- Keys typed in the same burst as `/` (a fast typist, a paste, a slow link) reach the
  table before the filter box has focus; they go into the filter instead of approving
  a registrant or switching tabs, and Enter keeps the filter instead of opening a row.
- The newest result wins: every read carries a generation, and a result that arrives
  after a newer keystroke (or a plain reload) is dropped.
- Short filters show rows before their count: one or two letters on a big view read
  their first rows from an ordered scan that stops at once, and the status line says
  "64+" until the count, run after them in the same thread, arrives.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

from tui.widgets.latest import LatestReader
from tui.widgets.virtual_table import PAGE_SIZE

if TYPE_CHECKING:
    from tui.core.service import ViewQuery
    from tui.core.service_types import ListView
    from tui.widgets.pane import EntityPane

__all__ = ["PaneFilter"]


class PaneFilter:
    """The `/` filter machinery of one pane (its text stays in `pane.filter_text`)."""

    def __init__(self, pane: EntityPane) -> None:
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

    def stale(self) -> None:
        """The pane reads its rows itself: a filter still being read is now stale."""
        self.generation += 1
        self.counting = False

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
            box = Input(placeholder="filter: type to narrow, Enter to keep, Esc to clear",
                        id="filter")
            await pane.mount(box, after=pane.query_one(".pane--status"))
        box.add_class("-active")
        typed, enter, _ = self.typed_ahead.partition("\n")
        self.typed_ahead = ""
        box.value = pane.filter_text + typed
        box.cursor_position = len(box.value)
        box.focus()
        if enter:
            self.keep()

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

    def apply(self) -> None:
        """Filter as the person types: the query runs in a thread, the newest one wins.

        Matches are counted and their first page read in the filter's own thread
        (`LatestReader`), so typing never waits for SQL; a result that arrives after a
        newer keystroke is dropped.
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
        self.generation += 1
        self._read_filtered(pane.build_query(), self.generation)

    def _read_filtered(self, query: ViewQuery, generation: int) -> None:
        """Count the matches and read their first page in the filter's thread."""
        pane = self.pane
        deck = pane.host.deck
        app = pane.app

        def read() -> None:
            if generation != self.generation:
                return  # a newer keystroke is already on its way
            try:
                view = pane.make_view(deck, query)
                if view.quick_to_count:
                    view.count()
                    first_page = view.rows(0, PAGE_SIZE)
                    self._from_thread(app, self._filter_read, query, view, first_page,
                                      None, generation)
                    return
                # A short filter (one or two letters) on a big view: its first rows
                # come from an ordered scan that stops at once, the count after them.
                first_page = view.head(PAGE_SIZE)
                known = len(first_page)
                self._from_thread(app, self._filter_read, query, view, first_page,
                                  known, generation)
                if known == PAGE_SIZE and generation == self.generation:
                    self._from_thread(app, self._filter_counted, view.count(), generation)
            except Exception as error:  # typed or not, it becomes a dialog, not a crash
                self._from_thread(app, self._filter_failed, error, generation)

        if self._reader is None:
            self._reader = LatestReader(f"filter-{pane.id}")
        self._reader.submit(read)

    @staticmethod
    def _from_thread(app: Any, callback: Any, *args: Any) -> None:
        # RuntimeError: the app is closing, and nobody is waiting for these rows.
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(callback, *args)

    def stop(self) -> None:
        """The pane is going away: end the filter's thread."""
        if self._reader is not None:
            self._reader.stop()

    def _filter_read(self, query: ViewQuery, view: ListView[Any], first_page: Sequence[Any],
                     known: int | None, generation: int) -> None:
        pane = self.pane
        if generation == self.generation and pane.is_mounted:
            self.counting = known == PAGE_SIZE
            pane._show_view(query, view, keep_cursor=False, first_page=first_page,
                            count=known)

    def _filter_counted(self, count: int, generation: int) -> None:
        pane = self.pane
        if generation == self.generation and pane.is_mounted and self.counting:
            self.counting = False
            pane.table.set_row_count(count)
            pane.update_status(count)
            pane.post_message(pane.ViewLoaded(pane, count, getattr(pane.view, "fetched_at",
                                                                   None)))

    def _filter_failed(self, error: BaseException, generation: int) -> None:
        pane = self.pane
        if generation == self.generation and pane.is_mounted:
            pane._show_error(error)
