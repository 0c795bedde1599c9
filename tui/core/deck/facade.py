"""The Deck: the one facade the TUI and the CLI call.

Reads are cache-first and synchronous: a `ListView` answers from the local SQLite cache
in milliseconds (filter, sort and paging happen in SQL) and says how old its data is.
Refreshes are async: `refresh(scope)` and `sync_all(on_progress)` fetch from the APIs
through the sync engine, replace each scope's rows in one transaction and report
progress events (`SyncProgress`: scope, state, done, total, errors). Cancel them by
cancelling the task (a Textual worker's `cancel()`), or with `Deck.cancel_sync()`.

The TUI codes against `tui.core.deck.api.DeckApi`; the record types it needs are
imported from where they are defined (`tui.core.deck.types`, `tui.core.store.views`,
`tui.core.sync.types`, `tui.core.models`).

Actions: `can` / `plan_registrant_action` / `run_registrant_action` (approve, deny,
cancel), `create_support_session`, all through one write path (`tui.core.deck.gate.WriteGate`:
read-only check, confirmation match, audit intent before and result after). On demand:
`start_url` (never cached or logged), `manage_url`, `refresh_detail` (sessions,
attendance, attendees), `download` (a bounded queue with progress, cancel and resume)
and `export_csv`.

The Deck's methods are the whole contract (`tui.core.deck.api.DeckApi` is the part the
TUI uses); the work is done by collaborators the Deck builds with exactly what each
needs: `Writes` (the write gate and audit), `StartLinks`, `Details` and `Files`. The
store, the providers and the sync engine stay inside.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tui.core.audit import AuditLog, ConfirmedTargets
from tui.core.deck.connection import DeckConnection
from tui.core.deck.details import Details
from tui.core.deck.event_writes import EventWrites
from tui.core.deck.files import Files
from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.deck.health import Health, ProgressCallback
from tui.core.deck.start_links import StartLinks
from tui.core.deck.types import (
    ActionPlan,
    CreatedSession,
    Detail,
    ListView,
    ProviderHealth,
    StartKind,
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
from tui.core.deck.writes import Writes
from tui.core.downloads.queue import DownloadProgress
from tui.core.errors import NotSupported, ServiceUnavailable
from tui.core.models import (
    ActionResult,
    EventKind,
    Group,
    Meeting,
    MeetingDraft,
    Organizer,
    Provider,
    Recording,
    Registrant,
    StartUrl,
    SupportSession,
)
from tui.core.providers.base import Capabilities, Capability, RegistrantAction
from tui.core.store.views import ALL, Event, SearchHit, SearchKind, SyncStamp, ViewQuery
from tui.core.sync.types import Scope, ScopeKind, SyncFocus, SyncReport

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi
    from tui.core.net.apilog import ApiLog, ApiLogEntry
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings, ProfileSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine


class DeckParts(NamedTuple):
    """What a Deck is built on, for tests that set up or inspect a cache directly."""

    store: Store
    providers: ProviderSet | None
    engine: SyncEngine | None


class Deck:
    """Cache-first reads, background refresh and actions, for one profile.

    Build it with `Deck.open(...)` (the CLI and the TUI) or hand it the parts (tests).

    Args:
        store: The profile's cache.
        profile_name: The profile's name (shown in the header).
        engine: The sync engine; None for a read-only view of the cache (`lookup`).
        providers: The profile's adapters (a `ProviderSet`), for sign-in state and
            closing; None when there is no engine.
        read_only: Refuse every write.
        accent: The profile's header colour.
        profiles: Names of every configured profile.
        paths: Where the audit log and downloads go (default: `resolve_paths()`).
        http: Timeouts of the download client.
        connector: Builds the providers and the sync engine on first need (see
            `Deck.open_cached`), so that the cache shows before they are imported.
        private_files: Recordings and exports are written 0600 (in a new folder 0700).
    """

    def __init__(
        self,
        store: Store,
        *,
        profile_name: str,
        engine: SyncEngine | None = None,
        providers: ProviderSet | None = None,
        read_only: bool = False,
        accent: str | None = None,
        profiles: Sequence[str] = (),
        paths: Paths | None = None,
        http: HttpSettings | None = None,
        connector: Callable[[Store], DeckConnection] | None = None,
        private_files: bool = True,
    ) -> None:
        if paths is None:
            from tui.core.settings.paths import resolve_paths

            paths = resolve_paths()
        self._store = store
        self._engine = engine
        self._providers = providers
        self.profile_name = profile_name
        self.paths = paths
        self.gate = WriteGate(
            profile=profile_name, read_only=read_only, audit=AuditLog(paths.audit_log)
        )
        self.accent = accent
        self._profiles = tuple(profiles)
        self._health = Health(store)
        self._download_watchers: list[Callable[[DownloadProgress], None]] = []
        self._call_watchers: list[Callable[[ApiLogEntry], None]] = []
        self._relayed: ApiLog | None = None
        self._background: set[asyncio.Future[Any]] = set()
        self._connector = connector
        self._connecting: asyncio.Lock | None = None
        self._wire(http, private_files)

    def _wire(self, http: HttpSettings | None, private_files: bool) -> None:
        """Build the collaborators over the current providers and engine.

        Called again when `connect` adds them; no download can have started before
        that (`download` waits for the connection), so no queue is dropped. The API
        calls of the providers' log reach `watch_api_calls` from then on.
        """
        log = self._providers.api_log if self._providers is not None else None
        if log is not None and log is not self._relayed:
            self._relayed = log
            log.subscribe(self._api_called)
        self._details = Details(self._store, self._providers, self._engine)
        confirmed = ConfirmedTargets(self.gate.audit, profile=self.profile_name, action="cancel")

        def cancels(provider: Provider, event: str, since: datetime) -> dict[str, datetime]:
            return confirmed.of(provider.value, event, since)

        if self._engine is not None:
            self._engine.keep_cancellations(cancels)
        self._links = StartLinks(self._store, self._providers)
        self._writes = Writes(
            self._store,
            self.gate,
            self._providers,
            self._engine,
            self._links,
            profile_name=self.profile_name,
            keep=self._keep,
            cancels=cancels,
        )
        self._event_writes = EventWrites(
            self._store,
            self.gate,
            self._providers,
            self._engine,
            profile_name=self.profile_name,
        )
        self._files = Files(
            self.paths,
            self._download_watchers,
            providers=self._providers,
            http=http,
            private=private_files,
        )

    @property
    def read_only(self) -> bool:
        """True when every write is refused (the UI hides write keys)."""
        return self.gate.read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self.gate.read_only = value

    @property
    def private_files(self) -> bool:
        """Recordings and exports are written 0600 (in a new folder 0700)."""
        return self._files.private

    @private_files.setter
    def private_files(self, value: bool) -> None:
        self._files.private = value

    def parts_for_tests(self) -> DeckParts:
        """The store, providers and engine this Deck is built on: for tests only.

        The TUI and the commands use the Deck's methods; nothing else reaches in.
        """
        return DeckParts(self._store, self._providers, self._engine)

    @classmethod
    def open(
        cls,
        paths: Paths,
        profile_name: str,
        profile: ProfileSettings,
        *,
        http: HttpSettings | None = None,
        demo: bool = False,
        read_only: bool = False,
        profiles: Sequence[str] = (),
        concurrency: int | None = None,
        private_files: bool = True,
    ) -> Deck:
        """Open the profile's cache and build its providers and sync engine.

        The demo keeps its cache apart: `Paths.cache_db(name, demo=True)`.
        """
        from tui.core.store.db import Store

        store = Store.open(paths.cache_db(profile_name, demo=demo), profile_name)
        connection = DeckConnection.build(
            store, paths, profile_name, profile, http=http, demo=demo, concurrency=concurrency
        )
        return cls(
            store,
            profile_name=profile_name,
            engine=connection.engine,
            providers=connection.providers,
            read_only=read_only or profile.read_only,
            accent=profile.accent,
            profiles=profiles,
            paths=paths,
            http=http,
            private_files=private_files,
        )

    @classmethod
    def open_cached(
        cls,
        paths: Paths,
        profile_name: str,
        connect: Callable[[Store], DeckConnection],
        *,
        demo: bool = False,
        read_only: bool = False,
        accent: str | None = None,
        profiles: Sequence[str] = (),
    ) -> Deck:
        """Open only the cache now; `connect(store)` builds the rest when first needed.

        The first frame needs nothing but the cache: the settings' validation, httpx,
        pydantic and the providers are imported by `connect`, which `Deck.connect`
        runs in a thread after that frame (or the first refresh or action that needs
        them). Until then the Deck is read-only.
        """
        from tui.core.store.db import Store

        store = Store.open(paths.cache_db(profile_name, demo=demo), profile_name)
        return cls(
            store,
            profile_name=profile_name,
            read_only=read_only,
            accent=accent,
            profiles=profiles,
            paths=paths,
            connector=connect,
        )

    @property
    def connected(self) -> bool:
        """True when the providers exist (or never will: a plain cache view)."""
        return self._connector is None

    def _pending_connector(self) -> Callable[[Store], DeckConnection] | None:
        return self._connector

    async def connect(self) -> None:
        """Build the providers and the sync engine if `open_cached` deferred them.

        Raises:
            MeetdeckError: The settings are invalid (ConfigError) or the providers
                could not be built; the Deck stays a read-only view of the cache.
        """
        if self._connector is None:
            return
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            connector = self._pending_connector()
            if connector is None:  # connected while this call waited for the lock
                return
            connection = await asyncio.to_thread(connector, self._store)
            self._providers = connection.providers
            self._engine = connection.engine
            self.accent = connection.accent or self.accent
            self.gate.read_only = self.gate.read_only or connection.read_only
            self._wire(connection.http, connection.private_files)
            self._connector = None

    @property
    def notice(self) -> str | None:
        """A sentence to show once when the cache file was moved aside and rebuilt."""
        return self._store.notice

    def api_log(self) -> ApiLog | None:
        """The log of API calls (recent entries, subscribe); None until connected."""
        return self._providers.api_log if self._providers is not None else None

    def watch_api_calls(self, callback: Callable[[ApiLogEntry], None]) -> Callable[[], None]:
        """Call `callback` with every API call from now on, whether the Deck is connected
        yet or not (it connects on first need); returns an unsubscribe.

        The entries are redacted (`tui.core.net.apilog`). The callback runs in the
        thread that made the call and must be quick (post a message).
        """
        self._call_watchers.append(callback)

        def unsubscribe() -> None:
            if callback in self._call_watchers:
                self._call_watchers.remove(callback)

        return unsubscribe

    def _api_called(self, entry: ApiLogEntry) -> None:
        self._health.called(entry)
        for callback in list(self._call_watchers):
            with contextlib.suppress(Exception):  # a broken viewer must not break a call
                callback(entry)

    # -- reads (synchronous, from the cache) --------------------------------------

    def organizers(self, q: ViewQuery = ALL) -> ListView[Organizer]:
        """Organizers (GoTo) and users (Zoom). Sorts: name, email, provider."""
        return self._store.organizers(q)

    def groups(self, q: ViewQuery = ALL) -> ListView[Group]:
        """GoTo Meeting's organizer groups. Sorts: name."""
        return self._store.groups(q)

    def meetings(self, q: ViewQuery = ALL) -> ListView[Meeting]:
        """Meetings; `q.kind` picks upcoming or historical (live ones first). Sorts:
        start, subject, organizer."""
        return self._store.meetings(q)

    def events(self, q: ViewQuery = ALL) -> ListView[Event]:
        """Trainings and webinars side by side. Sorts: start, title, organizer, pending."""
        return self._store.events(q)

    def registrants(self, q: ViewQuery = ALL) -> ListView[Registrant]:
        """Registrants, usually of `q.event_key`. Sorts: name, email, registered, status."""
        return self._store.registrants(q)

    def recordings(self, q: ViewQuery = ALL) -> ListView[Recording]:
        """Recordings. Sorts: start, name, size."""
        return self._store.recordings(q)

    def support_sessions(self, q: ViewQuery = ALL) -> ListView[SupportSession]:
        """GoTo Assist support sessions. Sorts: created, status, technician."""
        return self._store.support_sessions(q)

    def recording(self, key: str, *, provider: Provider | None = None) -> Recording | None:
        """One cached recording by key (None: not in the cache)."""
        return self._store.recording(key, provider)

    def registration_events(self, key: str, provider: Provider | None = None) -> list[Scope]:
        """The registrants scopes of the cached events whose key is `key`: trainings,
        webinars and Zoom meetings that take registrations (one per provider at most;
        none when the cache does not know the key)."""
        found: list[Scope] = []
        for each in (provider,) if provider is not None else tuple(Provider):
            event = self._store.event(key, each)
            if event is not None:
                found.append(Scope.registrants(event.provider, event.kind, event.key))
                continue
            meeting = self._store.meeting(key, each)
            if meeting is not None and meeting.has_registration:
                found.append(Scope.registrants(meeting.provider, EventKind.MEETING, meeting.key))
        return found

    def detail(
        self,
        kind: SearchKind | str,
        key: str,
        *,
        provider: Provider | None = None,
        event_key: str | None = None,
    ) -> Detail | None:
        """The full object with its related rows, or None if the cache lacks it.

        Args:
            kind: "meeting", "training", "webinar", "event", "registrant", "organizer"
                or "support_session".
            key: The entity's key.
            provider: Narrows the lookup when keys could collide across providers.
            event_key: For a registrant: the event it belongs to.
        """
        return self._details.read(kind, key, provider=provider, event_key=event_key)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Search names, emails, subjects, titles, recordings' file names and support
        sessions' keys and notes (FTS5), prefix matches first."""
        return self._store.search(text, limit=limit)

    def stamp(self, scope: Scope) -> SyncStamp | None:
        """How fresh one scope is (None: never synced)."""
        return self._store.stamp(scope.id)

    def health(self) -> list[ProviderHealth]:
        """Per provider: configured, signed in, last success, last error, offline."""
        return self._health.report(self._providers, self._engine)

    def profiles(self) -> tuple[str, ...]:
        """Names of the configured profiles (to switch)."""
        return self._profiles

    # -- refresh (async) ----------------------------------------------------------

    def _need_engine(self) -> SyncEngine:
        if self._engine is None:
            raise NotSupported("This view of the cache cannot sync; open the profile.")
        return self._engine

    async def refresh(
        self, scope: Scope, on_progress: ProgressCallback | None = None
    ) -> SyncReport:
        """Refresh one scope now, ahead of any background queue."""
        await self.connect()
        return await self._need_engine().refresh(scope, self._health.track(on_progress))

    async def sync_all(
        self,
        on_progress: ProgressCallback | None = None,
        *,
        kinds: Sequence[ScopeKind] | None = None,
        since: datetime | None = None,
        refetch: bool = False,
        first: SyncFocus | None = None,
    ) -> SyncReport:
        """Refresh every scope (or those of `kinds`), reporting progress. Cancellable.
        What the screen shows (`first`) is fetched before the rest.

        Asking for REGISTRANTS alone refreshes the registrants of every cached event;
        with EVENTS too, those of the freshly synced events. `since` takes history
        (past meetings, Zoom recordings) back that far, beyond `history_days`; only
        the past meetings not held yet are fetched, and those still open, unless
        `refetch` (a refresh someone asked for) asks every window again. The
        registrants of an event that ended before they were last fetched are asked
        again only with `refetch`.
        """
        await self.connect()
        engine = self._need_engine()
        wanted = list(kinds) if kinds else list(ScopeKind)
        scopes = engine.scopes(wanted, since=since, refetch=refetch)
        follow = ScopeKind.REGISTRANTS in wanted
        if follow and ScopeKind.EVENTS not in wanted:
            scopes += engine.registrant_scopes(refetch=refetch)
        return await engine.run(
            scopes,
            self._health.track(on_progress),
            follow_events=follow,
            first=first,
            refetch=refetch,
        )

    def cancel_sync(self) -> None:
        """Cancel a running `sync_all` (its finished scopes stay stored)."""
        if self._engine is not None:
            self._engine.cancel()

    async def demo_sign_in(self) -> None:
        """For `--demo`: sign in to the sandbox through the real OAuth code path."""
        await self.connect()
        if self._providers is not None:
            await self._providers.demo_sign_in()

    def _keep(self, task: asyncio.Future[Any]) -> None:
        """Hold a background task of the Deck's until it ends (so it is not collected)."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- actions: capabilities, plans, the one write path ----------------------------

    def capabilities(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do in this profile (None: the profile lacks it)."""
        return self._writes.capabilities(provider)

    def can(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> Capability:
        """Whether `action` is offered for this selection, and if not, the sentence why.

        Not offered: an empty selection, people of more than one event, people not of
        `event` (the event on screen, when given), a read-only profile, a provider
        without credentials, or a provider that cannot do it (GoTo Training approvals
        happen in its admin site: see `manage_url`).
        """
        return self._writes.can(RegistrantAction(action), registrants, event)

    def plan_registrant_action(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> ActionPlan:
        """What the confirmation dialog shows for `action` on `registrants` (no I/O).

        Args:
            action: approve, deny or cancel.
            registrants: Exactly who the action is for.
            event: The event on screen (`Scope.registrants(...)`): the plan is for that
                event, and is not offered when anyone in `registrants` is not
                registered for it. By default, the event of the registrants.

        The plan carries `capability`; when it is not allowed, show its reason instead
        of a confirmation. Raises nothing for a bad selection: `can` explains it.
        """
        return self._writes.plan(RegistrantAction(action), registrants, event)

    async def run_registrant_action(
        self, plan: ActionPlan, confirmation: Confirmation
    ) -> ActionResult:
        """Send a confirmed registrant action; the per-person outcome comes back.

        Goes through the write gate: refused in read-only mode (ReadOnlyMode, nothing
        sent), refused when `confirmation` does not match the plan
        (ConfirmationMismatch) or when anyone in it is not registered for the plan's
        event (NotSupported; the write gate checks it again: WrongEvent), audit
        intent before and result after. Zoom calls go 30 people per request. Only
        people the service confirmed are `ok`; the cache is updated for them at once
        (approve -> approved, deny -> denied, cancel -> removed) in one transaction.
        Failed or unknown ones keep their cached status; running the same plan again
        is safe.

        Raises:
            ReadOnlyMode: The profile is read-only.
            ConfirmationMismatch: The confirmation is not for this plan.
            NotSupported: The provider cannot do this (see `can`).
            StorageError: The audit log cannot be written (nothing was sent).
        """
        await self.connect()
        return await self._writes.run(plan, confirmation)

    async def create_support_session(self) -> CreatedSession:
        """Create a GoTo Assist (Seeit) session: a write, through the write gate.

        The audit log records the new session's uuid and support key, never its start
        URL. The new session is added to the cache's support sessions list.

        Raises:
            ReadOnlyMode: The profile is read-only (nothing sent).
            NotSupported: The profile has no GoTo Assist.
            MeetdeckError: The service refused or could not be reached (typed).
        """
        await self.connect()
        return await self._writes.create_support_session()

    async def unfinished_writes(self) -> list[UnfinishedNotice]:
        """This profile's writes whose result was never recorded (the process stopped
        mid-write), oldest first, not yet settled: what the start-up notice lists. The
        audit log is read in a thread.

        Raises:
            Nothing: an unreadable audit log has none.
        """
        return await self._writes.unfinished_writes()

    def settle_unfinished(self, notice: UnfinishedNotice) -> None:
        """Record in the audit log that the person was told about an unfinished write
        (after refreshing `notice.scope`, its event), so the start-up notice stops.

        Raises:
            StorageError: The audit log cannot be written (the notice may show again).
        """
        self._writes.settle_unfinished(notice)

    # -- event writes: register someone, registration settings, meetings ------------------

    def plan_registration(self, event: Scope, person: Person) -> RegistrationPlan:
        """What the confirmation shows for registering `person` for `event` (no I/O).

        Args:
            event: The training, webinar or meeting (`Scope.registrants(...)`).
            person: Who, as typed; checked (email, names) into the plan's capability.
        """
        return self._event_writes.plan_registration(event, person)

    async def register(self, plan: RegistrationPlan, confirmation: Confirmation) -> Registered:
        """Register one person, through the write gate (audit before and after).

        GoTo Training: POST …/registrants, then the status is read back (approval is
        automatic unless the training needs approval or payment). Zoom: POST
        …/registrants with `auto_approve` as the plan's person says. The new registrant
        is added to the cache at once. A refusal by the service (already registered,
        registration closed) is a failed outcome with its sentence.

        Raises:
            ReadOnlyMode: The profile is read-only (nothing sent).
            ConfirmationMismatch: The confirmation is not for this plan.
            NotSupported: The plan is not offered (see its capability).
            StorageError: The audit log cannot be written (nothing was sent).
        """
        await self.connect()
        return await self._event_writes.register(plan, confirmation)

    def plan_registration_settings(
        self, training_key: str, *, web_registration: bool, confirmation_email: bool
    ) -> SettingsPlan:
        """What the confirmation shows for a GoTo Training's new registration settings."""
        return self._event_writes.plan_registration_settings(
            training_key, web_registration=web_registration, confirmation_email=confirmation_email
        )

    async def update_registration_settings(
        self, plan: SettingsPlan, confirmation: Confirmation
    ) -> ActionResult:
        """PUT the training's registration settings, through the write gate; the cached
        training shows them at once.

        Raises:
            ReadOnlyMode, ConfirmationMismatch, NotSupported, StorageError: as `register`.
        """
        await self.connect()
        return await self._event_writes.update_registration_settings(plan, confirmation)

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
        """What the confirmation shows for creating, changing or deleting a meeting.

        Args:
            action: create_meeting, update_meeting or delete_meeting.
            provider: GoTo Meeting or Zoom (default: the cached meeting's; GoTo Meeting
                for a new one).
            meeting_key: The meeting to change or delete (an upcoming one, cached).
            draft: What it is to be (create, update).
            organizer: Zoom: the user a new meeting is for (id or email).
            timezone: The zone to show times in (default: the draft's or meeting's).
        """
        return self._event_writes.plan_meeting(
            action,
            provider,
            meeting_key=meeting_key,
            draft=draft,
            organizer=organizer,
            timezone=timezone,
        )

    async def write_meeting(self, plan: MeetingPlan, confirmation: Confirmation) -> MeetingWritten:
        """Create, change or delete a meeting, through the write gate. A delete needs the
        meeting's subject or ID typed (`plan.confirm(typed_text)`). The cache gets the
        new or changed meeting at once, or loses the deleted one.

        Raises:
            ReadOnlyMode, ConfirmationMismatch, NotSupported, StorageError: as `register`.
        """
        await self.connect()
        return await self._event_writes.write_meeting(plan, confirmation)

    # -- links on demand ----------------------------------------------------------------

    async def manage_url(self, event_key: str) -> StartUrl:
        """The GoTo Training admin page of a training, where approvals happen (on demand)."""
        await self.connect()
        return await self._links.manage_url(event_key)

    async def start_url(
        self, kind: StartKind | str, key: str, *, provider: Provider | None = None
    ) -> StartUrl:
        """Fetch a host start URL now: never cached, never logged, never audited.

        Args:
            kind: "meeting" (GoTo Meeting or Zoom), "training" (GoTo Training),
                "webinar" (Zoom) or "support_session" (GoTo Assist).
            key: The meeting id (a GoTo historical key "meetingId:sessionId" works
                too), training key, webinar id or session uuid.
            provider: Which provider, when `kind` alone does not say (a meeting): by
                default the one the cache holds it under.

        Returns:
            The URL, with `expires_at` where the API documents a lifetime (Zoom:
            about two hours) and a `note` saying so.
        """
        await self.connect()
        return await self._links.start_url(str(kind), key, provider)

    # -- related rows on demand ---------------------------------------------------------

    async def refresh_detail(
        self, kind: SearchKind | str, key: str, *, provider: Provider | None = None
    ) -> Detail | None:
        """Fetch the related rows `detail()` shows, store them, and return the new detail.

        A training: its past sessions and each session's attendance. A historical
        GoTo meeting: its attendees. Other kinds have nothing extra to fetch and just
        return `detail(kind, key)`. Call it from a worker after showing `detail()`.

        Raises:
            MeetdeckError: The fetch failed (typed); the cached rows stay.
        """
        await self.connect()
        await self._details.refresh(str(kind), key, provider)
        return self.detail(kind, key, provider=provider)

    # -- recordings and files -----------------------------------------------------------

    def download(
        self, recording: Recording, *, directory: Path | None = None
    ) -> asyncio.Task[Path | None]:
        """Queue a recording download (call it on the event loop); returns its task.

        Files go to `directory` or the download dir as `NAME.part`, renamed when
        complete; an existing file is never overwritten (a numbered suffix instead); a
        `.part` left by an interrupted download is resumed. Follow progress with
        `watch_downloads` or `downloads()`; cancel with `cancel_download(key)`. The
        task's result is the final path, or None when it failed or was cancelled (the
        last `DownloadProgress` of the key says why).
        """
        if not self.connected:
            raise ServiceUnavailable(
                "meetdeck is still connecting to the services; try again in a moment."
            )
        return self._files.download(recording, directory)

    def downloads(self) -> list[DownloadProgress]:
        """The latest progress of every download this session (for a downloads screen)."""
        return self._files.downloads()

    def cancel_download(self, key: str) -> bool:
        """Cancel a queued or running download; its `.part` stays for a later resume."""
        return self._files.cancel(key)

    def watch_downloads(self, callback: Callable[[DownloadProgress], None]) -> Callable[[], None]:
        """Call `callback` with every download progress snapshot; returns an unsubscribe.

        Snapshots carry received/total bytes, speed (bytes/s) and `eta` (seconds). The
        callback runs on the event loop's thread, at most ~10 times a second per file.
        """
        self._download_watchers.append(callback)

        def unsubscribe() -> None:
            if callback in self._download_watchers:
                self._download_watchers.remove(callback)

        return unsubscribe

    def export_csv(self, view: ListView[Any], path: Path | None = None) -> Path:
        """Write every row of `view` (as filtered and sorted) to a CSV file.

        Args:
            view: A view from `registrants(q)`, `meetings(q)`, ...
            path: Where to write; by default a unique name in the download dir such as
                `registrants-<event>-<timestamp>.csv`. An existing file is never
                overwritten: a numbered suffix is added instead.

        Returns:
            The path written. Cells starting with = + - @ (or a tab / carriage return)
            are prefixed with a single quote, so spreadsheets do not run them.
        """
        return self._files.export_csv(view, path)

    async def aclose(self) -> None:
        """Stop downloads and syncing; close the providers and the store."""
        await self._files.aclose()
        if self._engine is not None:
            await self._engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()
        self._store.close()


def _satisfies_deck_api(deck: Deck) -> DeckApi:
    """mypy checks here that `Deck` implements everything the TUI calls (`DeckApi`)."""
    return deck
