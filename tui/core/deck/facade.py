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
from typing import TYPE_CHECKING, Any, TypeVar

from tui.core.audit import AuditLog
from tui.core.deck.connection import Connector, DeckConnection
from tui.core.deck.file_methods import DeckFiles
from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.deck.health import Health, ProgressCallback
from tui.core.deck.reads import CacheView
from tui.core.deck.service_loop import Here
from tui.core.deck.unfinished import UnfinishedWrites
from tui.core.deck.watchers import ApiCalls, Watchers
from tui.core.providers.capabilities import Capabilities, Capability, RegistrantAction

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from datetime import datetime

    from tui.core.deck.api import DeckApi
    from tui.core.deck.types import (
        ActionPlan,
        CreatedSession,
        Detail,
        ProviderHealth,
        StartKind,
        UnfinishedNotice,
    )
    from tui.core.deck.wiring import Collaborators, DeckParts
    from tui.core.deck.write_plans import (
        MeetingPlan,
        MeetingWritten,
        Person,
        Registered,
        RegistrationPlan,
        SettingsPlan,
    )
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import (
        ActionResult,
        MeetingDraft,
        Provider,
        Registrant,
        StartUrl,
    )
    from tui.core.net.apilog import ApiLog, ApiLogEntry
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.store.views import SearchKind
    from tui.core.sync.engine import SyncEngine
    from tui.core.sync.types import Scope, ScopeKind, SyncFocus, SyncReport

R = TypeVar("R")


class Deck(DeckFiles, CacheView):
    """Cache-first reads, background refresh and actions, for one profile.

    Open a profile's with `tui.core.deck.from_profile` (the CLI and the TUI), or hand
    it the parts (tests).

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
            `open_profile_lazily`), so that the cache shows before they are imported.
        private_files: Recordings and exports are written 0600 (in a new folder 0700).
        service: Where the providers and syncs run: the TUI's Deck has its own thread
            (`tui.core.deck.service_loop`); default: the caller's loop.
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
        service: Here | None = None,
    ) -> None:
        if paths is None:
            from tui.core.settings.paths import resolve_paths

            paths = resolve_paths()
        super().__init__(store, profile_name=profile_name, accent=accent, profiles=profiles)
        self._engine = engine
        self._providers = providers
        self.paths = paths
        self.gate = WriteGate(
            profile=profile_name, read_only=read_only, audit=AuditLog(paths.audit_log)
        )
        self._health = Health(store)
        self._download_watchers: Watchers[DownloadProgress] = Watchers()
        self._api_calls = ApiCalls(self._health.called)
        self._background: set[asyncio.Future[Any]] = set()
        self._connector = Connector(connector)
        self._service = service or Here()
        self._unfinished = UnfinishedWrites(store, self.gate.audit, profile_name=profile_name)
        self._wire(http, private_files)

    def _wire(self, http: HttpSettings | None, private_files: bool) -> None:
        """Build the collaborators over the current providers and engine; before those
        exist (`open_profile_lazily`), on first use instead (`_parts`; `tui.startup`
        says why). Called again when `connect` adds them; no download can have started
        before that (`download` waits for the connection), so no queue is dropped. The
        API calls of the providers' log reach `watch_api_calls` from then on."""
        self._api_calls.follow(self.api_log())
        self._wiring = (http, private_files)
        # Swapped whole: the UI's thread may ask for them while the service's connects.
        connected = self._providers is not None or self._engine is not None
        self._collaborators: Collaborators | None = self._built() if connected else None
        if self._collaborators is not None:
            self._details = self._collaborators.details

    def _built(self) -> Collaborators:
        from tui.core.deck.wiring import Collaborators, DeckParts

        http, private_files = self._wiring
        return Collaborators(
            DeckParts(self._store, self._providers, self._engine),
            self.gate,
            self._health,
            paths=self.paths,
            http=http,
            private_files=private_files,
            download_watchers=self._download_watchers,
            keep=self._keep,
        )

    @property
    def _parts(self) -> Collaborators:
        if self._collaborators is None:
            self._collaborators = self._built()
            self._details = self._collaborators.details
        return self._collaborators

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
        return self._parts.files.private

    @private_files.setter
    def private_files(self, value: bool) -> None:
        self._parts.files.private = value

    def parts_for_tests(self) -> DeckParts:
        """The store, providers and engine this Deck is built on: for tests only.

        The TUI and the commands use the Deck's methods; nothing else reaches in.
        """
        from tui.core.deck.wiring import DeckParts

        return DeckParts(self._store, self._providers, self._engine)

    @property
    def connected(self) -> bool:
        """True when the providers exist (or never will: a plain cache view)."""
        return not self._connector.pending

    async def connect(self) -> None:
        """Build the providers and the sync engine if `open_profile_lazily` deferred them.

        Raises:
            MeetdeckError: The settings are invalid (ConfigError) or the providers
                could not be built; the Deck stays a read-only view of the cache.
        """
        await self._served(_nothing)

    async def _connect_here(self) -> None:
        connection = await self._connector.connect(self._store)
        if connection is None:
            return
        self._providers = connection.providers
        self._engine = connection.engine
        self.accent = connection.accent or self.accent
        self.gate.read_only = self.gate.read_only or connection.read_only
        self._wire(connection.http, connection.private_files)

    async def _served(self, work: Callable[[], Awaitable[R]]) -> R:
        """`work()`, connected first, where the providers run (`service`)."""

        async def connected() -> R:
            await self._connect_here()
            return await work()

        return await self._service.run(connected)

    def api_log(self) -> ApiLog | None:
        """The log of API calls (recent entries, subscribe); None until connected."""
        return self._providers.api_log if self._providers is not None else None

    def watch_api_calls(self, callback: Callable[[ApiLogEntry], None]) -> Callable[[], None]:
        """Call `callback` with every API call from now on, whether the Deck is connected
        yet or not (it connects on first need); returns an unsubscribe.

        The entries are redacted (`tui.core.net.apilog`). The callback runs in the
        thread that made the call and must be quick (post a message).
        """
        return self._api_calls.add(callback)

    def health(self) -> list[ProviderHealth]:
        """Per provider: configured, signed in, last success, last error, offline."""
        return self._health.report(self._providers, self._engine)

    # -- refresh (async) ----------------------------------------------------------

    async def refresh(
        self, scope: Scope, on_progress: ProgressCallback | None = None
    ) -> SyncReport:
        """Refresh one scope now, ahead of any background queue."""
        return await self._service.reporting(
            on_progress, lambda told: self._served(lambda: self._parts.refresh.scope(scope, told))
        )

    async def sync_all(
        self,
        on_progress: ProgressCallback | None = None,
        *,
        kinds: Sequence[ScopeKind] | None = None,
        since: datetime | None = None,
        refetch: bool = False,
        first: SyncFocus | None = None,
    ) -> SyncReport:
        """Refresh every scope (or those of `kinds`); see `Refresh.every`. Cancellable.
        What the screen shows (`first`) is fetched before the rest."""
        return await self._service.reporting(
            on_progress,
            lambda told: self._served(
                lambda: self._parts.refresh.every(
                    told, kinds=kinds, since=since, refetch=refetch, first=first
                )
            ),
        )

    def cancel_sync(self) -> None:
        """Cancel a running `sync_all` (its finished scopes stay stored)."""
        self._service.call(self._parts.refresh.cancel)

    async def demo_sign_in(self) -> None:
        """For `--demo`: sign in to the sandbox through the real OAuth code path."""
        await self._served(self._demo_sign_in_here)

    async def _demo_sign_in_here(self) -> None:
        if self._providers is not None:
            await self._providers.demo_sign_in()

    def _keep(self, task: asyncio.Future[Any]) -> None:
        """Hold a background task of the Deck's until it ends (so it is not collected)."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- registrant actions and support sessions (`Writes`), unfinished writes ---------

    def capabilities(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do in this profile (None: the profile lacks it)."""
        if self._providers is None:  # not connected: none to ask, and nothing to build
            return None
        return self._parts.writes.capabilities(provider)

    def can(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> Capability:
        """Whether `action` is offered for this selection, and if not, the sentence why."""
        return self._parts.writes.can(RegistrantAction(action), registrants, event)

    def plan_registrant_action(
        self,
        action: RegistrantAction | str,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> ActionPlan:
        """What the confirmation dialog shows for `action` on `registrants` (no I/O)."""
        return self._parts.writes.plan(RegistrantAction(action), registrants, event)

    async def run_registrant_action(
        self, plan: ActionPlan, confirmation: Confirmation
    ) -> ActionResult:
        """Send a confirmed registrant action; the per-person outcome comes back."""
        return await self._served(lambda: self._parts.writes.run(plan, confirmation))

    async def create_support_session(self) -> CreatedSession:
        """Create a GoTo Assist (Seeit) session: a write, through the write gate."""
        return await self._served(lambda: self._parts.writes.create_support_session())

    async def unfinished_writes(self) -> list[UnfinishedNotice]:
        """This profile's unsettled writes whose result was never recorded, oldest first."""
        return await self._unfinished.notices()

    def settle_unfinished(self, notice: UnfinishedNotice) -> None:
        """Record that the person was told of an unfinished write, so its notice stops."""
        self._unfinished.settle(notice)

    # -- event writes: registrations (`EventWrites`), meetings (`MeetingChanges`) -----

    def plan_registration(self, event: Scope, person: Person) -> RegistrationPlan:
        """What the confirmation shows for registering `person` for `event` (no I/O)."""
        return self._parts.event_writes.plan_registration(event, person)

    async def register(self, plan: RegistrationPlan, confirmation: Confirmation) -> Registered:
        """Register one person, through the write gate (audit before and after)."""
        return await self._served(lambda: self._parts.event_writes.register(plan, confirmation))

    def plan_registration_settings(
        self, training_key: str, *, web_registration: bool, confirmation_email: bool
    ) -> SettingsPlan:
        """What the confirmation shows for a GoTo Training's new registration settings."""
        return self._parts.event_writes.plan_registration_settings(
            training_key, web_registration=web_registration, confirmation_email=confirmation_email
        )

    async def update_registration_settings(
        self, plan: SettingsPlan, confirmation: Confirmation
    ) -> ActionResult:
        """PUT a training's registration settings, through the write gate."""
        return await self._served(
            lambda: self._parts.event_writes.update_registration_settings(plan, confirmation)
        )

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
        """What the confirmation shows for creating, changing or deleting a meeting."""
        return self._parts.meetings.plan_meeting(
            action,
            provider,
            meeting_key=meeting_key,
            draft=draft,
            organizer=organizer,
            timezone=timezone,
        )

    async def write_meeting(self, plan: MeetingPlan, confirmation: Confirmation) -> MeetingWritten:
        """Create, change or delete a meeting, through the write gate."""
        return await self._served(lambda: self._parts.meetings.write_meeting(plan, confirmation))

    # -- on demand: links (`StartLinks`), a detail's related rows (`Details`) ------------

    async def manage_url(self, event_key: str) -> StartUrl:
        """The GoTo Training admin page of a training, where approvals happen (on demand)."""
        return await self._served(lambda: self._parts.links.manage_url(event_key))

    async def start_url(
        self, kind: StartKind | str, key: str, *, provider: Provider | None = None
    ) -> StartUrl:
        """Fetch a host start URL now: never cached, never logged, never audited."""
        return await self._served(lambda: self._parts.links.start_url(str(kind), key, provider))

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
        await self._served(lambda: self._parts.details.refresh(str(kind), key, provider))
        return self.detail(kind, key, provider=provider)

    async def aclose(self) -> None:
        """Stop downloads and syncing; close the providers and the store."""
        try:
            await self._service.run(self._close_here)
        finally:
            await self._service.aclose()
        self._store.close()

    async def _close_here(self) -> None:
        if self._collaborators is not None:  # no collaborator, no download to stop
            await self._collaborators.files.aclose()
        if self._engine is not None:
            await self._engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()


async def _nothing() -> None:
    """No work: `_served` connects before it."""


def _satisfies_deck_api(deck: Deck) -> DeckApi:
    """mypy checks here that `Deck` implements everything the TUI calls (`DeckApi`)."""
    return deck
