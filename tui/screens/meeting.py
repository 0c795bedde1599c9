"""Drill-down into one meeting: its attendees and recordings, from the cache."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.core.errors import MeetdeckError
from tui.text import labelled
from tui.widgets import columns
from tui.widgets.detail import DetailPanel
from tui.widgets.keybar import KeyBar
from tui.widgets.pane import DeckHost
from tui.widgets.safety_net import ForwardsWorkerState
from tui.widgets.virtual_table import SequenceSource, VirtualTable


def _attendee_key(row: Any) -> str:
    return f"{row.email or ''}|{row.name}|{row.join_time}"


class MeetingScreen(ForwardsWorkerState, Screen[None]):
    """A meeting's attendees (table) and everything about it (detail panel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace,escape", "app.pop_screen", "Back", id="meeting-back"),
        Binding("y", "copy", "Copy email", id="meeting-copy"),
        Binding("D", "download", "Download recording", id="meeting-download"),
    ]

    def __init__(self, meeting: Any, *, trail: tuple[str, ...]) -> None:
        super().__init__()
        self.meeting = meeting
        self.trail = trail
        self.detail_obj: Any = meeting

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    def compose(self) -> ComposeResult:
        parts: list[str | tuple[str, object]] = []
        for step in (*self.trail, self.meeting.subject):
            parts += [("", step), " \u203a "]
        parts += [("bold", "Attendees"), "   (Backspace: back)"]
        yield Static(labelled(*parts), id="breadcrumb")
        with Horizontal(id="meeting-body"):
            yield VirtualTable(
                columns.ATTENDEES,
                time_format=self.host.time_format,
                key=_attendee_key,
                placeholder="No attendees cached.",
            )
            yield DetailPanel()
        yield KeyBar()

    def on_mount(self) -> None:
        try:
            detail = self.host.deck.detail(
                "meeting", self.meeting.key, provider=self.meeting.provider
            )
        except MeetdeckError as error:
            self.host.show_error(error)
            detail = None
        self.detail_obj = detail if detail is not None else self.meeting
        attendees = tuple(getattr(detail, "attendees", ()) or ())
        table = self.query_one(VirtualTable)
        if not attendees and self.meeting.kind != "historical":
            table.placeholder = "An upcoming meeting has no attendees yet."
        table.set_source(SequenceSource(attendees, key=_attendee_key))
        self.query_one(DetailPanel).show(self.detail_obj, self.host.time_format)
        table.focus()
        self.refresh_bindings()
        if self.meeting.kind == "historical":
            self._fetch_attendees()

    class AttendeesFetched(Message):
        """The meeting's attendees arrived from the API."""

        def __init__(self, detail: Any) -> None:
            super().__init__()
            self.detail = detail

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def _fetch_attendees(self) -> None:
        await self.host.prepare_sync()
        detail = await self.host.deck.refresh_detail(
            "meeting", self.meeting.key, provider=self.meeting.provider
        )
        self.post_message(self.AttendeesFetched(detail))

    def on_meeting_screen_attendees_fetched(self, event: AttendeesFetched) -> None:
        if event.detail is None:
            return
        self.detail_obj = event.detail
        table = self.query_one(VirtualTable)
        table.set_source(SequenceSource(tuple(event.detail.attendees), key=_attendee_key))
        self.query_one(DetailPanel).show(event.detail, self.host.time_format)
        self.refresh_bindings()

    def _recordings(self) -> tuple[Any, ...]:
        return tuple(getattr(self.detail_obj, "recordings", ()) or ())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "download":
            return bool(self._recordings())
        return True

    def action_download(self) -> None:
        """Queue the meeting's recordings (all of its files)."""
        self.host.queue_downloads(self._recordings())

    def action_copy(self) -> None:
        row = self.query_one(VirtualTable).cursor_value
        if row is not None and (row.email or row.name):
            self.host.copy_text(str(row.email or row.name), "email")
