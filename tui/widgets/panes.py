"""The six tabs: what each asks the Deck, what Enter leads to, what `r` refreshes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState

from tui.core.models import MeetingKind, RegistrantStatus
from tui.core.sync_types import Scope, ScopeKind
from tui.widgets import columns
from tui.widgets.pane import EntityPane, PaneScope
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from tui.core.service import Deck, ViewQuery
    from tui.core.service_types import ListView

WINDOWS = (7, 30, 90, 180)
STATUS_CYCLE: tuple[RegistrantStatus | None, ...] = (
    None,
    RegistrantStatus.PENDING,
    RegistrantStatus.APPROVED,
    RegistrantStatus.DENIED,
)


class OrganizersPane(EntityPane):
    """Organizers (GoTo) and users (Zoom); Enter shows their meetings and events."""

    TITLE = "Organizers"
    KIND = "organizers"
    COLUMNS = columns.ORGANIZERS
    REFRESH_KINDS = (ScopeKind.ORGANIZERS,)

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.organizers(query)

    def detail_of(self, row: Any) -> Any:
        return self.host.deck.detail("organizer", row.key, provider=row.provider)

    def can_drill(self, row: Any) -> bool:
        return True


class MeetingsPane(EntityPane):
    """Upcoming or historical meetings in a date window; Enter shows attendees."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "toggle_kind", "Upcoming/Past", id="upcoming-historical"),
        Binding("w", "cycle_window", "Window", id="window"),
        Binding("W", "custom_window", "Custom window", show=False, id="custom-window"),
    ]

    TITLE = "Meetings"
    KIND = "meetings"
    COLUMNS = columns.MEETINGS

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting_kind = MeetingKind.UPCOMING
        self.window_days: int | None = 30
        self.custom_window: tuple[datetime, datetime] | None = None

    def refresh_kinds(self) -> tuple[ScopeKind, ...]:
        if self.meeting_kind is MeetingKind.HISTORICAL:
            return (ScopeKind.HISTORICAL,)
        return (ScopeKind.MEETINGS,)

    def window(self) -> tuple[datetime, datetime]:
        """The (since, until) the table shows."""
        if self.custom_window is not None:
            return self.custom_window
        now = self.host.clock()
        span = timedelta(days=self.window_days or 30)
        if self.meeting_kind is MeetingKind.HISTORICAL:
            return now - span, now
        return now, now + span

    def build_query(self) -> ViewQuery:
        since, until = self.window()
        return self.with_scope_fields(
            super().build_query(), kind=self.meeting_kind, since=since, until=until
        )

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.meetings(query)

    def detail_of(self, row: Any) -> Any:
        return self.host.deck.detail("meeting", row.key, provider=row.provider)

    def can_drill(self, row: Any) -> bool:
        return True

    def mode_text(self) -> str:
        label = "Upcoming" if self.meeting_kind is MeetingKind.UPCOMING else "Historical"
        if self.custom_window is not None:
            since, until = self.custom_window
            fmt = self.host.time_format
            return f"{label}, {fmt.short(since)[:10]} to {fmt.short(until)[:10]}"
        direction = "next" if self.meeting_kind is MeetingKind.UPCOMING else "last"
        return f"{label}, {direction} {self.window_days} days"

    def action_toggle_kind(self) -> None:
        historical = self.meeting_kind is MeetingKind.UPCOMING
        self.meeting_kind = MeetingKind.HISTORICAL if historical else MeetingKind.UPCOMING
        self.load(keep_cursor=False)

    def action_cycle_window(self) -> None:
        current = self.window_days if self.custom_window is None else None
        index = WINDOWS.index(current) + 1 if current in WINDOWS else 0
        self.window_days = WINDOWS[index % len(WINDOWS)]
        self.custom_window = None
        self.load()

    def action_custom_window(self) -> None:
        from tui.screens.dialogs import WindowDialog

        def chosen(window: tuple[datetime, datetime] | None) -> None:
            if window is not None:
                self.custom_window = window
                self.load()

        self.app.push_screen(WindowDialog(self.host.clock()), chosen)


class EventsPane(EntityPane):
    """GoTo Training trainings and Zoom webinars; Enter shows their registrants."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch_detail", "Fetch sessions", id="fetch-sessions"),
    ]

    TITLE = "Trainings & Webinars"
    SHORT_TITLE = "Events"
    KIND = "events"
    COLUMNS = columns.EVENTS
    REFRESH_KINDS = (ScopeKind.EVENTS,)

    class DetailFetched(Message):
        """A training's sessions and attendance arrived (from `f`)."""

        def __init__(self, key: str, detail: Any) -> None:
            super().__init__()
            self.key = key
            self.detail = detail

    def action_fetch_detail(self) -> None:
        row = self.table.cursor_value
        if row is not None:
            self.detail.message("Fetching sessions and attendance\u2026")
            self._fetch_detail(str(row.kind), row.key, row.provider)

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def _fetch_detail(self, kind: str, key: str, provider: Any) -> None:
        await self.host.prepare_sync()
        detail = await self.host.deck.refresh_detail(kind, key, provider=provider)
        self.post_message(self.DetailFetched(key, detail))

    def on_events_pane_detail_fetched(self, event: EventsPane.DetailFetched) -> None:
        if self.table.cursor_key == event.key:
            self.detail.show(event.detail, self.host.time_format)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.host.worker_state_changed(event.worker)
        if event.state is WorkerState.ERROR:
            self.show_detail()

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.events(query)

    def detail_of(self, row: Any) -> Any:
        return self.host.deck.detail(str(row.kind), row.key, provider=row.provider)

    def can_drill(self, row: Any) -> bool:
        return True

    def copy_values(self, row: Any) -> tuple[str, str]:
        return (str(row.key), str(row.key))


class RegistrantsPane(EntityPane):
    """Registrants, usually of one event; `s` cycles the status filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_status", "Status", id="status-filter"),
    ]

    TITLE = "Registrants"
    KIND = "registrants"
    COLUMNS = columns.REGISTRANTS
    REFRESH_KINDS = (ScopeKind.REGISTRANTS,)
    MARKABLE = True

    class Marked(Message):
        """Registrants were marked or unmarked (for batch actions)."""

        def __init__(self, pane: RegistrantsPane, count: int) -> None:
            super().__init__()
            self.pane = pane
            self.count = count

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status: RegistrantStatus | None = None

    def build_query(self) -> ViewQuery:
        return self.with_scope_fields(super().build_query(), status=self.status)

    def visible_columns(self) -> list[Column]:
        # One event's registrants need no event column.
        scoped = self.scope is not None and self.scope.event_key is not None
        return [c for c in self.COLUMNS if not (scoped and c.key == "event")]

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.registrants(query)

    def detail_of(self, row: Any) -> Any:
        return self.host.deck.detail(
            "registrant", row.key, provider=row.provider, event_key=row.event_key
        )

    def refresh_scope(self) -> Scope | None:
        """The one event's registrants, when the pane is scoped to an event."""
        scope = self.scope
        if scope is None or scope.event_key is None or scope.provider is None:
            return None
        return Scope.registrants(scope.provider, scope.event_kind, scope.event_key)

    def mode_text(self) -> str:
        return f"status: {self.status.value if self.status else 'all'}"

    def action_cycle_status(self) -> None:
        index = STATUS_CYCLE.index(self.status)
        self.status = STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)]
        self.load(keep_cursor=True)

    def on_virtual_table_marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self.post_message(self.Marked(self, event.count))


class RecordingsPane(EntityPane):
    """Recordings of trainings, meetings and Zoom meetings."""

    TITLE = "Recordings"
    KIND = "recordings"
    COLUMNS = columns.RECORDINGS
    REFRESH_KINDS = (ScopeKind.RECORDINGS,)

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.recordings(query)

    def copy_values(self, row: Any) -> tuple[str, str]:
        return (str(row.key), str(row.key))


class SupportPane(EntityPane):
    """GoTo Assist (Seeit) support sessions."""

    TITLE = "Support sessions"
    SHORT_TITLE = "Support"
    KIND = "support sessions"
    COLUMNS = columns.SUPPORT
    REFRESH_KINDS = (ScopeKind.SUPPORT,)

    def make_view(self, deck: Deck, query: ViewQuery) -> ListView[Any]:
        return deck.support_sessions(query)

    def detail_of(self, row: Any) -> Any:
        return self.host.deck.detail("support_session", row.key, provider=row.provider)

    def copy_values(self, row: Any) -> tuple[str, str]:
        return (str(row.technician_email or row.key), str(row.key))


PANES: tuple[type[EntityPane], ...] = (
    OrganizersPane,
    MeetingsPane,
    EventsPane,
    RegistrantsPane,
    RecordingsPane,
    SupportPane,
)
TAB_IDS = ("organizers", "meetings", "events", "registrants", "recordings", "support")


def drill_scope(row: Any, trail: tuple[str, ...]) -> tuple[str, PaneScope] | None:
    """Where Enter on `row` leads: (target tab id, the scope to apply there).

    None means the row opens a screen of its own (a meeting's attendees).
    """
    kind = type(row).__name__
    if kind == "Organizer":
        return "meetings", PaneScope(
            label=row.name or row.email, organizer_key=row.key, trail=trail
        )
    if kind == "Event":
        return "registrants", PaneScope(
            label=row.title, event_key=row.key, provider=row.provider, event_kind=row.kind,
            trail=trail,
        )
    return None
