"""`SyncBar`: the progress line above the footer while a sync or a refresh runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Label, ProgressBar

from tui.core.sync.types import SyncProgress
from tui.text import labelled

#: Seconds between two redraws of the bar. An account's sync reports some thirty steps
#: a second; a sentence a person reads needs four, and each redraw is a frame that
#: cursor keys wait behind.
DRAW_EVERY = 0.25


class SyncBar(Horizontal):
    """The scope being synced, how far it has got, and how far the run has; hidden
    between runs. It draws the first progress of a run at once, then the newest at
    most every DRAW_EVERY seconds."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._newest: SyncProgress | None = None
        self._drawn: SyncProgress | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("", id="sync-label", markup=False)
        yield ProgressBar(show_eta=False, id="sync-progress")

    def show(self, progress: SyncProgress) -> None:
        """Show `progress` (the newest of a run): the scope running longest, its pages
        and rows so far or that its rows are being written, how many others run, and
        the scopes done of those known. Drawn now if the bar has not been drawn for
        DRAW_EVERY seconds, else when they have passed (unless a newer one comes)."""
        self.add_class("-active")
        self._newest = progress
        if self._timer is None:
            self._draw()

    def hide(self) -> None:
        """The run ended."""
        self.remove_class("-active")
        self._newest = self._drawn = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _draw(self) -> None:
        progress = self._newest
        if progress is None or progress is self._drawn:
            self._timer = None  # nothing new: the next progress draws at once
            return
        self._drawn = progress
        self.query_one("#sync-progress", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
        # One line of a fixed width: no layout pass (a layout pass re-renders the screen).
        self.query_one("#sync-label", Label).update(describe(progress), layout=False)
        self._timer = self.set_timer(DRAW_EVERY, self._draw, name="sync-bar-draw")


def describe(progress: SyncProgress) -> Content:
    """The sync bar's sentence for `progress`."""
    counted = f" \u00b7 {progress.done}/{progress.total} scopes"
    if not progress.running:
        return labelled("Syncing ", ("bold", progress.scope.label), counted)
    first = progress.running[0]
    others = len(progress.running) - 1
    more = f" (+{others} more)" if others else ""
    return labelled("Syncing ", ("bold", first.scope.label), f": {first.detail}{more}{counted}")
