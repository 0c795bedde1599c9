"""The six tabs: what each asks the Deck, what Enter leads to, what `r` refreshes.

The Meetings and Registrants tabs, which do more, have modules of their own
(`meetings_pane.py`, `registrants_pane.py`); the tab order (`PANES`, `TAB_IDS`) and
where Enter on a row leads (`drill_scope`) are here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import Worker, WorkerState

from tui.core.models import (
    Group,
    Organizer,
    Provider,
    Recording,
    SupportSession,
)
from tui.core.sync.types import ScopeKind
from tui.widgets import columns
from tui.widgets.meetings_pane import MeetingsPane
from tui.widgets.pane import EntityPane, PaneScope
from tui.widgets.pane_keys import START_LINK
from tui.widgets.read_ahead import DrillAhead
from tui.widgets.registrants_pane import RegistrantsPane
from tui.widgets.virtual_table import Column

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi, Event, ViewQuery
    from tui.core.deck.types import CreatedSession, Detail, ListView


class OrganizersPane(EntityPane[Organizer | Group]):
    """Organizers (GoTo) and users (Zoom); Enter shows their meetings and events.

    `v` shows GoTo Meeting's organizer groups instead (name, parent, status, how many
    organizers); Enter on a group shows its organizers, and the Meetings tab then shows
    their meetings, until Backspace or Esc goes back to the groups.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "v",
            "show_groups(True)",
            "Groups",
            id="groups-view",
            tooltip="Show GoTo Meeting's organizer groups",
        ),
        Binding(
            "v",
            "show_groups(False)",
            "Organizers",
            id="organizers-view",
            tooltip="Show the organizers again (from the groups)",
        ),
    ]

    TITLE = "Organizers"
    KIND = "organizers"
    KIND_ONE = "organizer"
    COLUMNS = columns.ORGANIZERS
    REFRESH_KINDS = (ScopeKind.ORGANIZERS,)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_groups = False
        """`v`: the groups instead of the organizers (when not drilled into a group)."""

    @property
    def groups_shown(self) -> bool:
        """Whether the rows are groups (the groups view, not a group's organizers)."""
        return self.show_groups and self.scope is None

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[Organizer | Group]:
        if self.groups_shown:
            return cast("ListView[Organizer | Group]", deck.groups(query))
        return cast("ListView[Organizer | Group]", deck.organizers(query))

    def visible_columns(self) -> list[Column]:
        return columns.GROUPS if self.groups_shown else self.COLUMNS

    def kind_words(self) -> tuple[str, str]:
        return ("groups", "group") if self.groups_shown else super().kind_words()

    def refresh_kinds(self) -> tuple[ScopeKind, ...]:
        return (ScopeKind.GROUPS,) if self.groups_shown else self.REFRESH_KINDS

    def breadcrumb(self) -> tuple[str, ...]:
        return ("Groups",) if self.groups_shown else super().breadcrumb()

    def detail_of(self, row: Organizer | Group) -> object:
        if isinstance(row, Group):
            return row
        return self.host.deck.detail("organizer", row.key, provider=row.provider)

    def can_drill(self, row: Organizer | Group) -> bool:
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_groups":
            # The key offers the other view; inside a group, Backspace goes back.
            return self.scope is None and parameters == (not self.show_groups,)
        return super().check_action(action, parameters)

    def action_show_groups(self, groups: bool) -> None:
        if self.scope is not None or groups == self.show_groups:
            return
        self.show_groups = groups
        self.load(keep_cursor=False)
        self.refresh_bindings()


class EventsPane(EntityPane["Event"]):
    """GoTo Training trainings and Zoom webinars; Enter shows their registrants."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch_detail", "Fetch sessions", id="fetch-sessions"),
        START_LINK,
        Binding(
            "n",
            "event_write('register')",
            "Register",
            id="register",
            tooltip="Register someone for the highlighted training or webinar",
        ),
        Binding(
            "E",
            "event_write('registration_settings')",
            "Registration settings",
            show=False,
            id="registration-settings",
            tooltip="Web registration and confirmation emails (GoTo Training)",
        ),
    ]

    TITLE = "Trainings & Webinars"
    SHORT_TITLE = "Events"
    KIND = "events"
    KIND_ONE = "event"
    COLUMNS = columns.EVENTS
    REFRESH_KINDS = (ScopeKind.EVENTS,)
    START_URLS = True
    WRITE_ACTIONS = frozenset({"event_write"})

    def show_detail(self) -> None:
        super().show_detail()
        row = self.table.cursor_value
        if row is not None:
            # After the panel's frame: the registrants tab reads the event's first rows.
            self.call_after_refresh(self.post_message, DrillAhead(self, row))

    def action_event_write(self, kind: str) -> None:
        row = self.table.cursor_value
        if row is None:
            self.app.notify("Highlight a training or webinar first.", markup=False, timeout=4)
            return
        if kind == "registration_settings" and row.provider is not Provider.GOTO_TRAINING:
            self.app.notify(
                "Only GoTo Training trainings have registration settings here.",
                markup=False,
                timeout=5,
            )
            return
        what = "Register" if kind == "register" else "Registration settings"
        self.request_event_write(kind, row, what)

    class DetailFetched(Message):
        """A training's sessions and attendance arrived (from `f`)."""

        def __init__(self, key: str, detail: Detail | None) -> None:
            super().__init__()
            self.key = key
            self.detail = detail

    def action_fetch_detail(self) -> None:
        row = self.table.cursor_value
        if row is not None:
            self.detail.message("Fetching sessions and attendance\u2026")
            self._fetch_detail(str(row.kind), row.key, row.provider)

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def _fetch_detail(self, kind: str, key: str, provider: Provider) -> None:
        await self.host.prepare_sync()
        detail = await self.host.deck.refresh_detail(kind, key, provider=provider)
        self.post_message(self.DetailFetched(key, detail))

    def on_events_pane_detail_fetched(self, event: EventsPane.DetailFetched) -> None:
        if self.table.cursor_key == event.key:
            self.detail.show(event.detail, self.host.time_format)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # EntityPane's handler (ForwardsWorkerState) hands it to the safety net too.
        if event.state is WorkerState.ERROR and event.worker.group == "detail":
            self.show_detail()

    def start_target(self, row: Event) -> tuple[str, str, Provider, str] | None:
        return (str(row.kind), row.key, row.provider, row.title or f"event {row.key}")

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[Event]:
        return deck.events(query)

    def detail_of(self, row: Event) -> object:
        return self.host.deck.detail(str(row.kind), row.key, provider=row.provider)

    def can_drill(self, row: Event) -> bool:
        return True

    def copy_values(self, row: Event) -> tuple[str, str]:
        return (str(row.key), str(row.key))


class RecordingsPane(EntityPane[Recording]):
    """Recordings of trainings, meetings and Zoom meetings; `D` downloads one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("D", "download", "Download", id="download"),
    ]

    TITLE = "Recordings"
    KIND = "recordings"
    KIND_ONE = "recording"
    COLUMNS = columns.RECORDINGS
    OPENABLE = False
    # GoTo Meeting recordings come with the historical meetings report.
    REFRESH_KINDS = (ScopeKind.RECORDINGS, ScopeKind.HISTORICAL)

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[Recording]:
        return deck.recordings(query)

    def copy_values(self, row: Recording) -> tuple[str, str]:
        return (str(row.key), str(row.key))

    def action_download(self) -> None:
        row = self.table.cursor_value
        if row is not None:
            self.host.queue_downloads([row])


class SupportPane(EntityPane[SupportSession]):
    """GoTo Assist (Seeit) support sessions; `n` creates one, `s` fetches its link."""

    BINDINGS: ClassVar[list[BindingType]] = [
        START_LINK,
        Binding("n", "new_session", "New session", id="new-session"),
    ]

    TITLE = "Support sessions"
    SHORT_TITLE = "Support"
    KIND = "support sessions"
    KIND_ONE = "support session"
    COLUMNS = columns.SUPPORT
    OPENABLE = False
    REFRESH_KINDS = (ScopeKind.SUPPORT,)
    START_URLS = True
    WRITE_ACTIONS = frozenset({"new_session"})

    class SessionCreated(Message):
        """A support session was created; its start link comes with it (or None)."""

        def __init__(self, created: CreatedSession) -> None:
            super().__init__()
            self.created = created

    def start_target(self, row: SupportSession) -> tuple[str, str, Provider, str] | None:
        return (
            "support_session",
            row.key,
            Provider.GOTO_ASSIST,
            f"support session {row.support_key}",
        )

    class NewSessionRequested(Message):
        """`n`: create a support session once the person confirms (the screen asks,
        then calls `create_session`)."""

        def __init__(self, pane: SupportPane) -> None:
            super().__init__()
            self.pane = pane

    def action_new_session(self) -> None:
        if self.host.deck.read_only:
            self.refuse_read_only("New session")
            return
        self.post_message(self.NewSessionRequested(self))

    def create_session(self) -> None:
        """Create a support session (confirmed); its start link is offered when it
        arrives."""
        self.app.notify("Creating a support session…", markup=False, timeout=3)
        self._create_session()

    @work(group="actions", exit_on_error=False)
    async def _create_session(self) -> None:
        await self.host.prepare_sync()
        created = await self.host.deck.create_support_session()
        self.post_message(self.SessionCreated(created))

    def on_support_pane_session_created(self, event: SessionCreated) -> None:
        session = event.created.session
        self.reload()
        self.table.move_to_key(session.key)
        self.app.notify(
            f"Created support session {session.support_key}.", title="Done", markup=False, timeout=6
        )
        what = f"support session {session.support_key}"
        if event.created.start_url is not None:
            self.host.show_start_url(event.created.start_url, what)
        else:
            self.requests.fetch_start_url(
                "support_session", session.key, Provider.GOTO_ASSIST, what
            )

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[SupportSession]:
        return deck.support_sessions(query)

    def detail_of(self, row: SupportSession) -> object:
        return self.host.deck.detail("support_session", row.key, provider=row.provider)

    def copy_values(self, row: SupportSession) -> tuple[str, str]:
        return (str(row.technician_email or row.key), str(row.key))


PANES: tuple[type[EntityPane[Any]], ...] = (
    OrganizersPane,
    MeetingsPane,
    EventsPane,
    RegistrantsPane,
    RecordingsPane,
    SupportPane,
)
TAB_IDS = ("organizers", "meetings", "events", "registrants", "recordings", "support")


def drill_scope(row: object, trail: tuple[str, ...]) -> tuple[str, PaneScope] | None:
    """Where Enter on `row` leads: (target tab id, the scope to apply there).

    None means the row opens a screen of its own (a meeting's attendees).
    """
    # Loaded with the Deck by the time a row can be entered; kept off the first frame.
    from tui.core.deck.api import Event

    if isinstance(row, Organizer):
        return "meetings", PaneScope(
            label=row.name or row.email, organizer_key=row.key, trail=trail
        )
    if isinstance(row, Group):
        return "organizers", PaneScope(
            label=row.name or row.key, group_key=row.key, provider=row.provider, trail=trail
        )
    if isinstance(row, Event):
        return "registrants", PaneScope(
            label=row.title,
            event_key=row.key,
            provider=row.provider,
            event_kind=row.kind,
            trail=trail,
        )
    return None
