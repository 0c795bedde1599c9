"""The Deck: the one facade the TUI and the CLI call.

Reads are cache-first and synchronous: a `ListView` answers from the local SQLite cache
in milliseconds (filter, sort and paging happen in SQL) and says how old its data is.
Refreshes are async: `refresh(scope)` and `sync_all(on_progress)` fetch from the APIs
through the sync engine, replace each scope's rows in one transaction and report
progress events (`SyncProgress`: scope, state, done, total, errors). Cancel them by
cancelling the task (a Textual worker's `cancel()`), or with `Deck.cancel_sync()`.

The TUI codes against this module only: the record types it needs (`ViewQuery`,
`Event`, `SearchHit`, details, health, scopes, progress) are re-exported here.

Actions: `can` / `plan_registrant_action` / `run_registrant_action` (approve, deny,
cancel), `create_support_session`, all through one write path (`tui.core.deck.gate.WriteGate`:
read-only check, confirmation match, audit intent before and result after). On demand:
`start_url` (never cached or logged), `manage_url`, `refresh_detail` (sessions,
attendance, attendees), `download` (a bounded queue with progress, cancel and resume)
and `export_csv`. The work lives in `deck_actions`, `deck_detail` and `deck_files`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.core.audit import AuditLog
from tui.core.deck.actions_mixin import DeckActions
from tui.core.deck.gate import Confirmation, ConfirmationMismatch, WriteGate
from tui.core.deck.types import (
    ActionPlan,
    CreatedSession,
    Detail,
    EventDetail,
    ListView,
    MeetingDetail,
    OrganizerDetail,
    ProviderHealth,
    RegistrantDetail,
    StartKind,
    UnfinishedNotice,
)
from tui.core.downloads.queue import DownloadProgress, DownloadState
from tui.core.errors import (
    MeetdeckError,
    NetworkUnreachable,
    NotSupported,
    ServiceUnavailable,
)
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    EventKind,
    Meeting,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    Registrant,
    StartUrl,
    SupportSession,
    Training,
    Webinar,
)
from tui.core.providers.base import Capability, RegistrantAction
from tui.core.store.views import ALL, Event, SearchHit, SearchKind, SyncStamp, ViewQuery
from tui.core.sync.types import (
    Scope,
    ScopeFailure,
    ScopeKind,
    ScopeState,
    SyncProgress,
    SyncReport,
)

if TYPE_CHECKING:
    from tui.core.downloads.queue import DownloadQueue
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings, ProfileSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine

#: A progress callback; called on the event loop's thread.
ProgressCallback = Callable[[SyncProgress], None]


class Deck(DeckActions):
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
        connector: Callable[[Store], Connection] | None = None,
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
        self.http = http
        self.private_files = private_files
        """Recordings and exports are written 0600 (in a new folder 0700)."""
        self.gate = WriteGate(profile=profile_name, read_only=read_only,
                              audit=AuditLog(paths.audit_log))
        self.accent = accent
        self._profiles = tuple(profiles)
        self._errors: dict[Provider, MeetdeckError | None] = {}
        self._downloads: DownloadQueue | None = None
        self._download_client: Any = None
        self._download_watchers: list[Callable[[DownloadProgress], None]] = []
        self._background: set[asyncio.Future[Any]] = set()
        self._connector = connector
        self._connecting: asyncio.Lock | None = None

    @property
    def read_only(self) -> bool:
        """True when every write is refused (the UI hides write keys)."""
        return self.gate.read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self.gate.read_only = value

    @property
    def providers(self) -> ProviderSet | None:
        """The profile's adapters (None for a cache-only Deck)."""
        return self._providers

    @property
    def engine(self) -> SyncEngine | None:
        """The sync engine (None for a cache-only Deck)."""
        return self._engine

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
        connection = Connection.build(store, paths, profile_name, profile, http=http,
                                      demo=demo, concurrency=concurrency)
        return cls(store, profile_name=profile_name, engine=connection.engine,
                   providers=connection.providers, read_only=read_only or profile.read_only,
                   accent=profile.accent, profiles=profiles, paths=paths, http=http,
                   private_files=private_files)

    @classmethod
    def open_cached(
        cls,
        paths: Paths,
        profile_name: str,
        connect: Callable[[Store], Connection],
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
        return cls(store, profile_name=profile_name, read_only=read_only, accent=accent,
                   profiles=profiles, paths=paths, connector=connect)

    @property
    def connected(self) -> bool:
        """True when the providers exist (or never will: a plain cache view)."""
        return self._connector is None

    def _pending_connector(self) -> Callable[[Store], Connection] | None:
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
            self.http = connection.http
            self.private_files = connection.private_files
            self.accent = connection.accent or self.accent
            self.gate.read_only = self.gate.read_only or connection.read_only
            self._connector = None

    @property
    def store(self) -> Store:
        """The cache (for the CLI; the TUI uses the methods below)."""
        return self._store

    @property
    def notice(self) -> str | None:
        """A sentence to show once when the cache file was moved aside and rebuilt."""
        return self._store.notice

    # -- reads (synchronous, from the cache) --------------------------------------

    def organizers(self, q: ViewQuery = ALL) -> ListView[Organizer]:
        """Organizers (GoTo) and users (Zoom). Sorts: name, email, provider."""
        return self._store.organizers(q)

    def meetings(self, q: ViewQuery = ALL) -> ListView[Meeting]:
        """Meetings; `q.kind` picks upcoming or historical. Sorts: start, subject, organizer."""
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
        store = self._store
        if kind == "meeting":
            meeting = store.meeting(key, provider)
            if meeting is None:
                return None
            anchor = meeting.session_key or meeting.key
            attendees = store.attendees(anchor) or store.attendees(meeting.key)
            return MeetingDetail(meeting, tuple(attendees), tuple(store.recordings_of(key)),
                                 self._detail_age(meeting.provider, meeting.key))
        if kind in ("training", "webinar", "event"):
            event = store.event(key, provider)
            if event is None:
                return None
            sessions = tuple(store.training_sessions(key))
            attendance = {s.key: tuple(store.attendees(s.key)) for s in sessions}
            return EventDetail(event, sessions, attendance, tuple(store.recordings_of(key)),
                               store.counts(event.provider, key),
                               self._detail_age(event.provider, event.key))
        if kind == "registrant":
            registrant = store.registrant(key, event_key=event_key, provider=provider)
            if registrant is None:
                return None
            return RegistrantDetail(registrant,
                                    store.event(registrant.event_key, registrant.provider))
        if kind == "organizer":
            organizer = store.organizer(key, provider)
            if organizer is None:
                return None
            mine = ViewQuery(organizer_key=key)
            meetings = store.meetings(mine)
            events = store.events(mine)
            return OrganizerDetail(organizer, tuple(meetings.rows(0, 200)),
                                   tuple(events.rows(0, 200)))
        if kind == "support_session":
            return store.support_session(key)
        raise ValueError(f"unknown detail kind {kind!r}")

    def _detail_age(self, provider: Provider, key: str) -> datetime | None:
        stamp = self._store.stamp(f"detail:{provider.value}:{key}")
        return stamp.fetched_at if stamp is not None else None

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Search names, emails, subjects and titles (FTS5), prefix matches first."""
        return self._store.search(text, limit=limit)

    def stamp(self, scope: Scope) -> SyncStamp | None:
        """How fresh one scope is (None: never synced)."""
        return self._store.stamp(scope.id)

    def health(self) -> list[ProviderHealth]:
        """Per provider: configured, signed in, last success, last error, offline."""
        signed = self._signed_in()
        out = []
        for provider in Provider:
            stamps = [s for s in self._store.stamps()
                      if s.scope.split(":")[1:2] == [provider.value]]
            successes = [s.fetched_at for s in stamps if s.fetched_at is not None]
            error = self._errors.get(provider)
            if provider not in self._errors:
                failed = sorted((s for s in stamps if s.failed),
                                key=lambda s: s.error_at or _EPOCH)
                if failed:
                    error = _rebuild_error(failed[-1], provider)
            configured = self._engine.available(provider) if self._engine else False
            out.append(ProviderHealth(
                provider, configured, signed.get(provider, False),
                max(successes) if successes else None, error,
                isinstance(error, NetworkUnreachable | ServiceUnavailable)))
        return out

    def _signed_in(self) -> dict[Provider, bool]:
        if self._providers is None:
            return {}
        by_cloud = {s.provider: s.signed_in for s in self._providers.auth_status()}
        goto = by_cloud.get("goto", False)
        return {Provider.GOTO_MEETING: goto, Provider.GOTO_TRAINING: goto,
                Provider.GOTO_ASSIST: goto, Provider.ZOOM: by_cloud.get("zoom", False)}

    def profiles(self) -> tuple[str, ...]:
        """Names of the configured profiles (to switch)."""
        return self._profiles

    # -- refresh (async) ----------------------------------------------------------

    def _need_engine(self) -> SyncEngine:
        if self._engine is None:
            raise NotSupported("This view of the cache cannot sync; open the profile.")
        return self._engine

    def _track(self, on_progress: ProgressCallback | None) -> ProgressCallback:
        def track(event: SyncProgress) -> None:
            provider = event.scope.provider
            if event.state is ScopeState.DONE:
                self._errors[provider] = None
            elif event.state is ScopeState.FAILED:
                for failure in event.errors:
                    if failure.scope == event.scope:
                        self._errors[provider] = failure.error
            if on_progress is not None:
                on_progress(event)
        return track

    async def refresh(
        self, scope: Scope, on_progress: ProgressCallback | None = None
    ) -> SyncReport:
        """Refresh one scope now, ahead of any background queue."""
        await self.connect()
        return await self._need_engine().refresh(scope, self._track(on_progress))

    async def sync_all(
        self,
        on_progress: ProgressCallback | None = None,
        *,
        kinds: Sequence[ScopeKind] | None = None,
    ) -> SyncReport:
        """Refresh every scope (or those of `kinds`), reporting progress. Cancellable.

        Asking for REGISTRANTS alone refreshes the registrants of every cached event;
        with EVENTS too, those of the freshly synced events.
        """
        await self.connect()
        engine = self._need_engine()
        wanted = list(kinds) if kinds else list(ScopeKind)
        scopes = engine.scopes(wanted)
        follow = ScopeKind.REGISTRANTS in wanted
        if follow and ScopeKind.EVENTS not in wanted:
            scopes += engine.registrant_scopes()
        return await engine.run(scopes, self._track(on_progress), follow_events=follow)

    def cancel_sync(self) -> None:
        """Cancel a running `sync_all` (its finished scopes stay stored)."""
        if self._engine is not None:
            self._engine.cancel()

    async def demo_sign_in(self) -> None:
        """For `--demo`: sign in to the sandbox through the real OAuth code path."""
        await self.connect()
        if self._providers is not None:
            await self._providers.demo_sign_in()

    async def aclose(self) -> None:
        """Stop downloads and syncing; close the providers and the store."""
        if self._downloads is not None:
            for progress in self._downloads.snapshot():
                self._downloads.cancel(progress.key)
            await self._downloads.wait()
        if self._download_client is not None:
            await self._download_client.aclose()
            self._download_client = None
        if self._engine is not None:
            await self._engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()
        self._store.close()



class Connection:
    """What `Deck.connect` adds to a cache-only Deck: providers and a sync engine."""

    __slots__ = ("accent", "engine", "http", "private_files", "providers", "read_only")

    def __init__(self, providers: ProviderSet, engine: SyncEngine, *,
                 http: HttpSettings | None, read_only: bool, accent: str | None,
                 private_files: bool = True) -> None:
        self.private_files = private_files
        self.providers = providers
        self.engine = engine
        self.http = http
        self.read_only = read_only
        self.accent = accent

    @classmethod
    def build(
        cls,
        store: Store,
        paths: Paths,
        profile_name: str,
        profile: ProfileSettings,
        *,
        http: HttpSettings | None = None,
        demo: bool = False,
        concurrency: int | None = None,
        private_files: bool = True,
    ) -> Connection:
        """Build a profile's providers and its sync engine over `store`."""
        from tui.core.providers.session import ProviderSet
        from tui.core.sync.engine import SyncEngine

        providers = ProviderSet.for_profile(profile_name, profile, paths, http, demo=demo)
        limit = concurrency or (http.max_concurrency if http else 4)
        engine = SyncEngine(store, providers, concurrency=limit)
        return cls(providers, engine, http=http, read_only=profile.read_only,
                   accent=profile.accent, private_files=private_files)


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _rebuild_error(stamp: SyncStamp, provider: Provider) -> MeetdeckError:
    """A typed error from a stored failure (its class found by title)."""
    by_title = {cls.title: cls for cls in _error_classes(MeetdeckError)}
    cls = by_title.get(stamp.error_title or "", MeetdeckError)
    error = MeetdeckError.__new__(cls)
    MeetdeckError.__init__(error, stamp.error or "", provider=provider.value)
    return error


def _error_classes(base: type[MeetdeckError]) -> list[type[MeetdeckError]]:
    out = [base]
    for sub in base.__subclasses__():
        out.extend(_error_classes(sub))
    return out


__all__ = [
    "ActionOutcome",
    "ActionPlan",
    "ActionResult",
    "Capability",
    "Confirmation",
    "ConfirmationMismatch",
    "CreatedSession",
    "Deck",
    "Detail",
    "DownloadProgress",
    "DownloadState",
    "Event",
    "EventDetail",
    "EventKind",
    "ListView",
    "MeetingDetail",
    "MeetingKind",
    "OrganizerDetail",
    "ProgressCallback",
    "ProviderHealth",
    "RegistrantAction",
    "RegistrantDetail",
    "Scope",
    "ScopeFailure",
    "ScopeKind",
    "ScopeState",
    "SearchHit",
    "StartKind",
    "StartUrl",
    "SyncProgress",
    "SyncReport",
    "SyncStamp",
    "Training",
    "UnfinishedNotice",
    "ViewQuery",
    "Webinar",
]
