"""The one forwarder of worker state to the app's safety net.

Textual's `Worker.StateChanged` goes to the node that runs the worker and does not
bubble, so a pane or screen that runs workers mixes this in: each change is handed to
`DeckHost.worker_state_changed` (the app), which turns a failed worker into a toast.
Textual calls the handler of every class in a node's MRO, so a subclass that also
handles the message (to undo its own progress display) does not call this again.
"""

from __future__ import annotations

from typing import cast

from textual.dom import DOMNode
from textual.worker import Worker

from tui.widgets.pane_types import DeckHost

__all__ = ["ForwardsWorkerState"]


class ForwardsWorkerState:
    """Mixin for a widget or screen: its workers' state changes reach the app's one
    safety net."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        node = cast(DOMNode, self)
        cast(DeckHost, node.app).worker_state_changed(event.worker)
