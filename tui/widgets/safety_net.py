"""The app's one safety net: how any error is said, and the forwarder of worker state.

Textual's `Worker.StateChanged` goes to the node that runs the worker and does not
bubble, so a pane or screen that runs workers mixes this in: each change is handed to
`DeckHost.worker_state_changed` (the app), which turns a failed worker into a toast.
Textual calls the handler of every class in a node's MRO, so a subclass that also
handles the message (to undo its own progress display) does not call this again.
`describe_error` gives the title and sentence of any error, for the toast or a dialog.
"""

from __future__ import annotations

from typing import cast

from textual.dom import DOMNode
from textual.worker import Worker

from tui.core.errors import MeetdeckError
from tui.widgets.pane_types import DeckHost

__all__ = ["ForwardsWorkerState", "describe_error"]


def describe_error(error: BaseException | None) -> tuple[str, str]:
    """(title, sentence) for any error: typed ones speak for themselves."""
    if isinstance(error, MeetdeckError):
        return error.title, error.sentence
    name = type(error).__name__ if error is not None else "Error"
    return "Unexpected error", f"Something failed inside meetdeck ({name}). Nothing was lost."


class ForwardsWorkerState:
    """Mixin for a widget or screen: its workers' state changes reach the app's one
    safety net."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        node = cast(DOMNode, self)
        cast(DeckHost, node.app).worker_state_changed(event.worker)
