"""What a pane asks of the clouds beyond its cached rows: the event writes a key asks
for (register someone, registration settings, a meeting created, changed or deleted)
and host start links (`s`).

Both go the same way: a key asks, a worker of the pane sends (after
`DeckHost.prepare_sync`), and a message brings the answer back to the UI thread. An
event write goes through the screen first: the pane posts `EventWriteRequested`, the
screen opens the form and the confirmation, then calls `send_write` (nothing is sent
before, and nothing at all in a read-only profile). A start link lives in its message
and the dialog only.

`PaneRequests` is a plain helper each `EntityPane` owns (`pane.requests`); it knows the
pane as a `RequestHost`. The messages are the pane's (`EntityPane.WriteDone`, handled
as `on_entity_pane_write_done`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.worker import Worker

    from tui.core.models import Provider, StartUrl
    from tui.widgets.pane_types import DeckHost

__all__ = [
    "EventWriteRequested",
    "PaneRequests",
    "RequestHost",
    "StartUrlFetched",
    "Write",
    "WriteDone",
    "WriteSender",
]

Write = Callable[[], Awaitable[tuple[str, bool, str]]]
"""A confirmed event write: sends, and returns (sentence, ok, note)."""


class WriteSender(Protocol):
    """The pane that asked for an event write: it sends the confirmed write."""

    def send_write(self, write: Write) -> None: ...


class EventWriteRequested(Message, namespace="entity_pane"):
    """A key asked for an event write (register someone, registration settings, a
    meeting created, changed or deleted): the screen opens its form and
    confirmation, then calls `send_write` (nothing is sent before)."""

    def __init__(self, pane: WriteSender, kind: str, row: object | None) -> None:
        super().__init__()
        self.pane = pane
        self.kind = kind
        self.row = row


class WriteDone(Message, namespace="entity_pane"):
    """A confirmed event write came back: what to tell, and whether it went through."""

    def __init__(self, sentence: str, ok: bool, note: str = "") -> None:
        super().__init__()
        self.sentence = sentence
        self.ok = ok
        self.note = note


class StartUrlFetched(Message, namespace="entity_pane"):
    """A host start link arrived (`s`); it lives in this message and the dialog only."""

    def __init__(self, start: StartUrl, what: str) -> None:
        super().__init__()
        self.start = start
        self.what = what


class RequestHost(WriteSender, Protocol):
    """What the requests need from their pane (`EntityPane` implements it)."""

    @property
    def host(self) -> DeckHost: ...

    def post_message(self, message: Message) -> bool: ...

    def run_worker(
        self,
        work: Callable[[], Coroutine[Any, Any, None]],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[None]: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def refuse_read_only(self, what: str) -> None: ...

    def reload(self) -> None: ...


class PaneRequests:
    """The event writes and start links of one pane."""

    def __init__(self, pane: RequestHost) -> None:
        self.pane = pane

    def ask_event_write(self, kind: str, row: object | None, what: str) -> None:
        """Ask the screen for the form of an event write (refused when read-only)."""
        pane = self.pane
        if pane.host.deck.read_only:
            pane.refuse_read_only(what)
            return
        pane.post_message(EventWriteRequested(pane, kind, row))

    def send_write(self, write: Write) -> None:
        """Run a confirmed event write in the pane's worker (group "actions")."""
        pane = self.pane
        pane.notify("Sending…", markup=False, timeout=2)

        async def send() -> None:
            await pane.host.prepare_sync()
            sentence, ok, note = await write()
            pane.post_message(WriteDone(sentence, ok, note))

        pane.run_worker(send, name="send_write", group="actions", exit_on_error=False)

    def write_done(self, done: WriteDone) -> None:
        """The write came back: the rows are re-read, and the outcome is told."""
        pane = self.pane
        pane.reload()
        pane.notify(
            done.sentence,
            title="Done" if done.ok else "Not done",
            severity="information" if done.ok else "error",
            markup=False,
            timeout=8,
        )
        if done.note:
            pane.notify(done.note, severity="warning", markup=False, timeout=10)

    def fetch_start_url(self, kind: str, key: str, provider: Provider, what: str) -> None:
        """Fetch the host start link of `what` (one at a time: a newer one wins)."""
        pane = self.pane

        async def fetch() -> None:
            await pane.host.prepare_sync()
            start = await pane.host.deck.start_url(kind, key, provider=provider)
            pane.post_message(StartUrlFetched(start, what))

        pane.run_worker(
            fetch, name="fetch_start_url", group="start-url", exclusive=True, exit_on_error=False
        )
