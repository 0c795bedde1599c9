"""`SyncBar`: the progress line above the footer while a sync or a refresh runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar

from tui.core.sync.types import SyncProgress
from tui.text import labelled


class SyncBar(Horizontal):
    """The scope being synced, how far it has got, and how far the run has; hidden
    between runs."""

    def compose(self) -> ComposeResult:
        yield Label("", id="sync-label", markup=False)
        yield ProgressBar(show_eta=False, id="sync-progress")

    def show(self, progress: SyncProgress) -> None:
        """Show `progress` (the newest of a run): the scope running longest, its pages
        and rows so far or that its rows are being written, how many others run, and
        the scopes done of those known."""
        self.add_class("-active")
        self.query_one("#sync-progress", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
        self.query_one("#sync-label", Label).update(describe(progress))

    def hide(self) -> None:
        """The run ended."""
        self.remove_class("-active")


def describe(progress: SyncProgress) -> Content:
    """The sync bar's sentence for `progress`."""
    counted = f" \u00b7 {progress.done}/{progress.total} scopes"
    if not progress.running:
        return labelled("Syncing ", ("bold", progress.scope.label), counted)
    first = progress.running[0]
    others = len(progress.running) - 1
    more = f" (+{others} more)" if others else ""
    return labelled("Syncing ", ("bold", first.scope.label), f": {first.detail}{more}{counted}")
