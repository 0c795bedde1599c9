"""An in-memory stand-in for the Deck, for TUI tests that must not depend on sync.

It answers the Deck's read API (ListViews filtered by ViewQuery, detail, search,
health) from a few generated rows, and its refresh can be told to fail like an API
outage. Tests of the whole stack use the real Deck on the sandbox instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.deck.api import DeckApi
from tui.core.deck.gate import Confirmation
from tui.core.deck.types import (
    ActionPlan,
    CreatedSession,
    EventDetail,
    MeetingDetail,
    OrganizerDetail,
    ProviderHealth,
    RegistrantDetail,
    UnfinishedNotice,
)
from tui.core.deck.write_plans import (
    MeetingPlan,
    MeetingWritten,
    Person,
    Registered,
    RegistrationPlan,
    SettingsPlan,
)
from tui.core.downloads.queue import DownloadProgress
from tui.core.errors import MeetdeckError, NetworkUnreachable, NotSupported
from tui.core.models import (
    ActionResult,
    Attendee,
    EventKind,
    Group,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    StartUrl,
    SupportSession,
    Webinar,
)
from tui.core.net.apilog import ApiLog, ApiLogEntry
from tui.core.providers.capabilities import Capabilities, Capability, RegistrantAction
from tui.core.store.views import Event, SearchHit, ViewQuery
from tui.core.sync.types import (
    Scope,
    ScopeFailure,
    ScopeKind,
    ScopeState,
    SyncFocus,
    SyncProgress,
    SyncReport,
)

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
HOSTILE = "[@click=app.quit]x"
ALL = ViewQuery()


class CountedLater:
    """A view whose count reads every row (one letter on a big webinar): its first rows
    come before its count, which calls `before_count` first."""

    def __init__(self, view: Any, before_count: Callable[[], object]) -> None:
        self.view = view
        self.before_count = before_count
        self.fetched_at = view.fetched_at
        self.sort_columns = view.sort_columns
        self.sort = view.sort
        self.quick_to_count = False

    def head(self, limit: int) -> list[Any]:
        rows: list[Any] = self.view.rows(0, limit)
        return rows

    def count(self) -> int:
        self.before_count()
        return int(self.view.count())

    def rows(self, offset: int, limit: int) -> list[Any]:
        return list(self.view.rows(offset, limit))

    def index_of(self, key: str) -> int | None:
        return self.view.index_of(key)  # type: ignore[no-any-return]


class FakeView:
    """A ListView over a filtered list."""

    def __init__(self, rows: Sequence[Any], fetched_at: datetime | None) -> None:
        self._rows = list(rows)
        self.fetched_at = fetched_at
        self.sort_columns: tuple[str, ...] = ()
        self.sort = ""

    def count(self) -> int:
        return len(self._rows)

    quick_to_count = True

    def head(self, limit: int) -> list[Any]:
        return self._rows[:limit]

    def rows(self, offset: int, limit: int) -> list[Any]:
        return self._rows[offset : offset + limit]

    def index_of(self, key: str) -> int | None:
        for index, row in enumerate(self._rows):
            if row.key == key:
                return index
        return None


def _text_match(text: str, *values: object) -> bool:
    needle = text.casefold()
    return not needle or any(needle in str(v or "").casefold() for v in values)


@dataclass
class FakeDeck:
    """Implements the parts of the Deck the TUI calls."""

    profile_name: str = "demo"
    read_only: bool = False
    accent: str | None = "green"
    registrants_total: int = 120
    fetched_at: datetime | None = NOW - timedelta(minutes=5)
    fail_refresh: MeetdeckError | None = None
    profile_names: tuple[str, ...] = ("demo", "work")
    refreshed: list[Any] = field(default_factory=list)
    exported: list[tuple[Any, Any]] = field(default_factory=list)
    closed: bool = False
    offline: bool = False
    on_refresh: Callable[[], None] | None = None
    gate: asyncio.Event | None = None
    downloads_: list[DownloadProgress] = field(default_factory=list)
    unfinished: list[UnfinishedNotice] = field(default_factory=list)
    settled: list[UnfinishedNotice] = field(default_factory=list)
    sync_focus: SyncFocus | None = None

    def __post_init__(self) -> None:
        self.organizers_ = [
            Organizer(
                Provider.GOTO_MEETING,
                "o1",
                "ada@example.test",
                "Ada",
                "Lovelace",
                group_key="g1",
                group_name="Engineering",
                status="active",
            ),
            Organizer(
                Provider.ZOOM, "o2", "grace@example.test", "Grace", "Hopper", status="active"
            ),
            Organizer(
                Provider.GOTO_MEETING, "o3", "evil@example.test", HOSTILE, "", status="active"
            ),
        ]
        self.groups_ = [
            Group(Provider.GOTO_MEETING, "g1", "Engineering", "g1", "active", 1),
        ]
        self.meetings_ = [
            Meeting(
                Provider.GOTO_MEETING,
                "m1",
                MeetingKind.UPCOMING,
                "Weekly sync",
                NOW + timedelta(days=1),
                organizer_key="o1",
                organizer_name="Ada Lovelace",
                join_url="https://meet.example.test/m1",
            ),
            Meeting(
                Provider.ZOOM,
                "m2",
                MeetingKind.UPCOMING,
                "Planning",
                NOW + timedelta(days=3),
                organizer_key="o2",
                organizer_name="Grace Hopper",
            ),
            Meeting(
                Provider.GOTO_MEETING,
                "m3",
                MeetingKind.HISTORICAL,
                "Retro",
                NOW - timedelta(days=2),
                organizer_key="o1",
                organizer_name="Ada Lovelace",
                num_attendees=2,
                duration_minutes=45,
            ),
        ]
        webinar = Webinar(
            Provider.ZOOM,
            "w1",
            "Launch webinar",
            NOW + timedelta(days=7),
            duration_minutes=60,
            host_key="o2",
            host_email="grace@example.test",
            join_url="https://zoom.example.test/w1",
            registration_url="https://zoom.example.test/r/w1",
        )
        self.events_ = [
            Event(
                Provider.ZOOM,
                "w1",
                EventKind.WEBINAR,
                "Launch webinar",
                webinar.start,
                "Grace Hopper",
                "o2",
                None,
                self.registrants_total,
                10,
                webinar,
            ),
        ]
        statuses = (RegistrantStatus.PENDING, RegistrantStatus.APPROVED, RegistrantStatus.DENIED)
        self.registrants_ = [
            Registrant(
                Provider.ZOOM,
                f"r{n:05d}",
                "w1",
                EventKind.WEBINAR,
                f"person{n}@example.test",
                f"Person{n:05d}",
                "Test",
                statuses[n % 3],
                statuses[n % 3].value,
                registered_at=NOW - timedelta(hours=n),
                event_title="Launch webinar",
                custom_questions=(("Company", "Acme"),),
            )
            for n in range(self.registrants_total)
        ]
        self.registrants_[1] = Registrant(
            Provider.ZOOM,
            "r00001",
            "w1",
            EventKind.WEBINAR,
            "hostile@example.test",
            HOSTILE,
            "",
            RegistrantStatus.APPROVED,
            "approved",
            event_title="Launch webinar",
        )
        self.recordings_ = [
            Recording(
                Provider.GOTO_MEETING,
                "rec1",
                "m3",
                "Retro recording",
                NOW - timedelta(days=2),
                file_size=1_500_000,
                file_extension="mp4",
                event_title="Retro",
            ),
        ]
        self.support_ = [
            SupportSession(
                Provider.GOTO_ASSIST,
                "s1",
                "123456789",
                "ended",
                NOW - timedelta(hours=3),
                technician_email="tech@example.test",
                notes="Printer",
            ),
        ]

    # -- reads -----------------------------------------------------------------

    def organizers(self, q: ViewQuery = ALL) -> FakeView:
        rows = [
            o
            for o in self.organizers_
            if _text_match(q.text, o.name, o.email)
            and (q.group_key is None or o.group_key == q.group_key)
        ]
        return FakeView(rows, self.fetched_at)

    def groups(self, q: ViewQuery = ALL) -> FakeView:
        return FakeView([g for g in self.groups_ if _text_match(q.text, g.name)], self.fetched_at)

    def meetings(self, q: ViewQuery = ALL) -> FakeView:
        rows = [
            m
            for m in self.meetings_
            if (q.kind is None or m.kind == q.kind)
            and (q.organizer_key is None or m.organizer_key == q.organizer_key)
            and (q.since is None or m.start >= q.since)
            and (q.until is None or m.start < q.until)
            and _text_match(q.text, m.subject, m.organizer_name)
        ]
        return FakeView(rows, self.fetched_at)

    def events(self, q: ViewQuery = ALL) -> FakeView:
        rows = [
            e
            for e in self.events_
            if (q.organizer_key is None or e.organizer_key == q.organizer_key)
            and _text_match(q.text, e.title, e.organizer)
        ]
        return FakeView(rows, self.fetched_at)

    def registrants(self, q: ViewQuery = ALL) -> FakeView:
        rows = [
            r
            for r in self.registrants_
            if (q.event_key is None or r.event_key == q.event_key)
            and (q.status is None or r.status == q.status)
            and _text_match(q.text, r.name, r.email, r.event_title)
        ]
        return FakeView(rows, self.fetched_at)

    def interruptible(self, stop: Callable[[], bool]) -> AbstractContextManager[Callable[[], None]]:
        return nullcontext(lambda: None)

    def recordings(self, q: ViewQuery = ALL) -> FakeView:
        rows = [
            r
            for r in self.recordings_
            if (q.event_key is None or r.event_key == q.event_key)
            and _text_match(q.text, r.name, r.event_title)
        ]
        return FakeView(rows, self.fetched_at)

    def support_sessions(self, q: ViewQuery = ALL) -> FakeView:
        rows = [s for s in self.support_ if _text_match(q.text, s.technician_email, s.notes)]
        return FakeView(rows, self.fetched_at)

    def detail(
        self, kind: str, key: str, *, provider: Any = None, event_key: str | None = None
    ) -> Any:
        if kind == "meeting":
            meeting = next(m for m in self.meetings_ if m.key == key)
            attendees: tuple[Attendee, ...] = ()
            if meeting.kind == MeetingKind.HISTORICAL:
                attendees = (
                    Attendee(
                        Provider.GOTO_MEETING,
                        key,
                        "Ada Lovelace",
                        "ada@example.test",
                        meeting.start,
                    ),
                    Attendee(Provider.GOTO_MEETING, key, HOSTILE, None, meeting.start),
                )
            recs = tuple(r for r in self.recordings_ if r.event_key == key)
            return MeetingDetail(meeting, attendees, recs)
        if kind in ("webinar", "training", "event"):
            event = next(e for e in self.events_ if e.key == key)
            return EventDetail(event, counts={RegistrantStatus.PENDING: 10})
        if kind == "registrant":
            registrant = next(r for r in self.registrants_ if r.key == key)
            return RegistrantDetail(registrant, self.events_[0])
        if kind == "organizer":
            organizer = next(o for o in self.organizers_ if o.key == key)
            meetings = tuple(m for m in self.meetings_ if m.organizer_key == key)
            return OrganizerDetail(organizer, meetings)
        return None

    async def refresh_detail(self, kind: str, key: str, *, provider: Any = None) -> Any:
        await asyncio.sleep(0)
        return self.detail(kind, key, provider=provider)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        hits: list[SearchHit] = []
        for r in self.registrants_:
            if _text_match(text, r.name, r.email):
                hits.append(
                    SearchHit(
                        "registrant",
                        r.key,
                        r.name,
                        r.email,
                        r.provider,
                        event_key=r.event_key,
                        event_title=r.event_title,
                        status=r.status.value,
                    )
                )
        for o in self.organizers_:
            if _text_match(text, o.name, o.email):
                hits.append(SearchHit("organizer", o.key, o.name, o.email, o.provider))
        for m in self.meetings_:
            if _text_match(text, m.subject):
                hits.append(SearchHit("meeting", m.key, m.subject, "", m.provider))
        return hits[:limit]

    def health(self) -> list[ProviderHealth]:
        error = self.fail_refresh if self.offline else None
        return [
            ProviderHealth(Provider.GOTO_MEETING, True, True, self.fetched_at, error, self.offline),
            ProviderHealth(Provider.ZOOM, True, True, self.fetched_at, error, self.offline),
            ProviderHealth(Provider.GOTO_TRAINING, False, False),
        ]

    def profiles(self) -> tuple[str, ...]:
        return self.profile_names

    # -- refresh ---------------------------------------------------------------

    async def _run(self, scopes: list[Scope], on_progress: Any) -> SyncReport:
        await asyncio.sleep(0)
        self.refreshed.extend(scopes)
        if self.on_refresh is not None:
            self.on_refresh()
        if self.fail_refresh is not None:
            self.offline = isinstance(self.fail_refresh, NetworkUnreachable)
            failures = tuple(ScopeFailure(s, self.fail_refresh) for s in scopes)
            return SyncReport(failed=failures)
        for done, scope in enumerate(scopes, 1):
            if on_progress is not None:
                on_progress(SyncProgress(scope, ScopeState.DONE, done, len(scopes)))
            if self.gate is not None:
                await self.gate.wait()
        return SyncReport(synced=tuple(scopes))

    def downloads(self) -> list[DownloadProgress]:
        return list(self.downloads_)

    async def refresh(self, scope: Scope, on_progress: Any = None) -> SyncReport:
        return await self._run([scope], on_progress)

    async def sync_all(
        self,
        on_progress: Any = None,
        *,
        kinds: Any = None,
        since: Any = None,
        refetch: bool = False,
        first: Any = None,
    ) -> SyncReport:
        self.sync_focus = first
        kinds = list(kinds) if kinds is not None else list(ScopeKind)
        # One Zoom scope of each kind (Zoom has no organizer groups).
        scopes = [Scope(kind, Provider.ZOOM) for kind in kinds if kind is not ScopeKind.GROUPS]
        return await self._run(scopes, on_progress)

    def cancel_sync(self) -> None:
        pass

    # -- unfinished writes -----------------------------------------------------

    async def unfinished_writes(self) -> list[UnfinishedNotice]:
        return [n for n in self.unfinished if n not in self.settled]

    def settle_unfinished(self, notice: UnfinishedNotice) -> None:
        self.settled.append(notice)

    def export_csv(self, view: Any, path: Any = None) -> Any:
        self.exported.append((view, path))
        return path

    async def aclose(self) -> None:
        self.closed = True

    # -- the rest of DeckApi: no services behind a fake ------------------------

    @property
    def notice(self) -> str | None:
        return None

    def api_log(self) -> ApiLog | None:
        return None

    def watch_api_calls(self, callback: Callable[[ApiLogEntry], None]) -> Callable[[], None]:
        return lambda: None

    async def connect(self) -> None:
        pass

    async def demo_sign_in(self) -> None:
        pass

    def capabilities(self, provider: Provider) -> Capabilities | None:
        return None

    def plan_registrant_action(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> ActionPlan:
        raise NotSupported(_NO_SERVICES)

    async def run_registrant_action(
        self, plan: ActionPlan, confirmation: Confirmation
    ) -> ActionResult:
        raise NotSupported(_NO_SERVICES)

    async def create_support_session(self) -> CreatedSession:
        raise NotSupported(_NO_SERVICES)

    # Event writes: the plans say why nothing is offered; sending raises.

    def plan_registration(self, event: Scope, person: Person) -> RegistrationPlan:
        kind = event.event_kind or EventKind.WEBINAR
        return RegistrationPlan(
            event.provider,
            event.event_key or "",
            kind,
            "",
            self.profile_name,
            person,
            Capability(False, _NO_SERVICES),
        )

    async def register(self, plan: RegistrationPlan, confirmation: Confirmation) -> Registered:
        raise NotSupported(_NO_SERVICES)

    def plan_registration_settings(
        self, training_key: str, *, web_registration: bool, confirmation_email: bool
    ) -> SettingsPlan:
        return SettingsPlan(
            training_key,
            "",
            self.profile_name,
            web_registration,
            confirmation_email,
            (None, None),
            Capability(False, _NO_SERVICES),
        )

    async def update_registration_settings(
        self, plan: SettingsPlan, confirmation: Confirmation
    ) -> ActionResult:
        raise NotSupported(_NO_SERVICES)

    def plan_meeting(
        self,
        action: str,
        provider: Provider | None = None,
        *,
        meeting_key: str | None = None,
        draft: MeetingDraft | None = None,
        organizer: str | None = None,
        timezone: str | None = None,
    ) -> MeetingPlan:
        return MeetingPlan(
            action,
            provider or Provider.GOTO_MEETING,
            meeting_key,
            draft.subject if draft is not None else "",
            self.profile_name,
            draft,
            Capability(False, _NO_SERVICES),
        )

    async def write_meeting(self, plan: MeetingPlan, confirmation: Confirmation) -> MeetingWritten:
        raise NotSupported(_NO_SERVICES)

    async def manage_url(self, event_key: str) -> StartUrl:
        raise NotSupported(_NO_SERVICES)

    async def start_url(self, kind: str, key: str, *, provider: Provider | None = None) -> StartUrl:
        raise NotSupported(_NO_SERVICES)

    def download(
        self, recording: Recording, *, directory: Path | None = None
    ) -> asyncio.Task[Path | None]:
        raise NotSupported(_NO_SERVICES)

    def cancel_download(self, key: str) -> bool:
        return False

    def watch_downloads(self, callback: Callable[[DownloadProgress], None]) -> Callable[[], None]:
        return lambda: None


_NO_SERVICES = "The fake Deck has no services behind it; use the real Deck on the sandbox."


def _satisfies_deck_api(deck: FakeDeck) -> DeckApi:
    """mypy checks here that the fake implements everything the TUI calls (`DeckApi`)."""
    return deck
