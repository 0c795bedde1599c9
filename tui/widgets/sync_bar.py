"""`SyncBar`: the progress line above the footer while a sync runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from tui.core.sync.types import SyncProgress
from tui.text import labelled


class SyncBar(Horizontal):
    """The scope being synced and how far the run has got; hidden between runs."""

    def compose(self) -> ComposeResult:
        yield Label("", id="sync-label", markup=False)
        yield ProgressBar(show_eta=False, id="sync-progress")

    def show(self, progress: SyncProgress) -> None:
        """Show `progress` (the newest of a run)."""
        self.add_class("-active")
        self.query_one("#sync-progress", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
        self.query_one("#sync-label", Label).update(
            labelled(
                "Syncing ", ("bold", progress.scope.label), f" ({progress.done}/{progress.total})"
            )
        )

    def hide(self) -> None:
        """The run ended."""
        self.remove_class("-active")
