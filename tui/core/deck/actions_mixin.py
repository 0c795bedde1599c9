"""The Deck's actions and files: the methods issue 6 added to `tui.core.deck.facade.Deck`.

`Deck` inherits them from `DeckActions`; import `Deck` from `tui.core.deck.facade`. Every
write (registrant approve / deny / cancel, creating a support session) goes through
the Deck's one `WriteGate` (read-only check, confirmation match, audit intent before and
result after). The bodies live in `deck_actions`, `deck_detail` and `deck_files`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.deck.types import (
    ActionPlan,
    CreatedSession,
    Detail,
    ListView,
    StartKind,
    UnfinishedNotice,
)
from tui.core.downloads.queue import DownloadProgress
from tui.core.errors import ServiceUnavailable
from tui.core.models import ActionResult, Provider, Recording, Registrant, StartUrl
from tui.core.providers.base import Capabilities, Capability, RegistrantAction
from tui.core.store.views import SearchKind
from tui.core.sync.types import Scope

if TYPE_CHECKING:
    from tui.core.downloads.queue import DownloadQueue
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine


class DeckActions:
    """Capabilities, plans, the write path, start URLs, detail refresh, downloads, export."""

    # Set by Deck.__init__.
    profile_name: str
    paths: Paths
    http: HttpSettings | None
    private_files: bool
    gate: WriteGate
    _downloads: DownloadQueue | None
    _download_client: Any
    _download_watchers: list[Callable[[DownloadProgress], None]]
    _background: set[asyncio.Future[Any]]

    @property
    def store(self) -> Store:
        raise NotImplementedError  # provided by Deck

    @property
    def providers(self) -> ProviderSet | None:
        raise NotImplementedError  # provided by Deck

    @property
    def engine(self) -> SyncEngine | None:
        raise NotImplementedError  # provided by Deck

    @property
    def read_only(self) -> bool:
        raise NotImplementedError  # provided by Deck

    async def connect(self) -> None:
        raise NotImplementedError  # provided by Deck

    @property
    def connected(self) -> bool:
        raise NotImplementedError  # provided by Deck

    def detail(self, kind: SearchKind | str, key: str, *, provider: Provider | None = None,
               event_key: str | None = None) -> Detail | None:
        raise NotImplementedError  # provided by Deck

    def keep(self, task: asyncio.Future[Any]) -> None:
        """Hold a background task of the Deck's until it ends (so it is not collected)."""
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    # -- actions: capabilities, plans, the one write path ----------------------------

    def capabilities(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do in this profile (None: the profile lacks it)."""
        if self.providers is None:
            return None
        return self.providers.capabilities().get(provider)

    def can(
        self, action: RegistrantAction | str, registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> Capability:
        """Whether `action` is offered for this selection, and if not, the sentence why.

        Not offered: an empty selection, people of more than one event, people not of
        `event` (the event on screen, when given), a read-only profile, a provider
        without credentials, or a provider that cannot do it (GoTo Training approvals
        happen in its admin site: see `manage_url`).
        """
        from tui.core.deck.writes import can

        return can(self, RegistrantAction(action), registrants, event)

    def plan_registrant_action(
        self, action: RegistrantAction | str, registrants: Sequence[Registrant],
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
        from tui.core.deck.writes import plan

        return plan(self, RegistrantAction(action), registrants, event)

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
        from tui.core.deck.writes import run

        await self.connect()
        return await run(self, plan, confirmation)

    async def manage_url(self, event_key: str) -> StartUrl:
        """The GoTo Training admin page of a training, where approvals happen (on demand)."""
        from tui.core.deck.writes import manage_url

        await self.connect()
        return await manage_url(self, event_key)

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
        from tui.core.deck.writes import start_url

        await self.connect()
        return await start_url(self, str(kind), key, provider)

    async def create_support_session(self) -> CreatedSession:
        """Create a GoTo Assist (Seeit) session: a write, through the write gate.

        The audit log records the new session's uuid and support key, never its start
        URL. The new session is added to the cache's support sessions list.

        Raises:
            ReadOnlyMode: The profile is read-only (nothing sent).
            NotSupported: The profile has no GoTo Assist.
            MeetdeckError: The service refused or could not be reached (typed).
        """
        from tui.core.deck.writes import create_support_session

        await self.connect()
        return await create_support_session(self)

    async def unfinished_writes(self) -> list[UnfinishedNotice]:
        """This profile's writes whose result was never recorded (the process stopped
        mid-write), oldest first, not yet settled: what the start-up notice lists. The
        audit log is read in a thread.

        Raises:
            Nothing: an unreadable audit log has none.
        """
        from tui.core.deck.writes import unfinished_writes

        return await unfinished_writes(self)

    def settle_unfinished(self, notice: UnfinishedNotice) -> None:
        """Record in the audit log that the person was told about an unfinished write
        (after refreshing `notice.scope`, its event), so the start-up notice stops.

        Raises:
            StorageError: The audit log cannot be written (the notice may show again).
        """
        from tui.core.deck.writes import settle_unfinished

        settle_unfinished(self, notice)

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
        from tui.core.deck.details import refresh_detail

        await self.connect()
        await refresh_detail(self, str(kind), key, provider)
        return self.detail(kind, key, provider=provider)

    # -- recordings and files -----------------------------------------------------------

    def recording(self, key: str, *, provider: Provider | None = None) -> Recording | None:
        """One cached recording by key (None: not in the cache)."""
        return self.store.recording(key, provider)

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
        from tui.core.deck.files import queue_download

        if not self.connected:
            raise ServiceUnavailable("meetdeck is still connecting to the services; try "
                                     "again in a moment.")
        return queue_download(self, recording, directory)

    def downloads(self) -> list[DownloadProgress]:
        """The latest progress of every download this session (for a downloads screen)."""
        return self._downloads.snapshot() if self._downloads is not None else []

    def cancel_download(self, key: str) -> bool:
        """Cancel a queued or running download; its `.part` stays for a later resume."""
        return self._downloads.cancel(key) if self._downloads is not None else False

    def watch_downloads(
        self, callback: Callable[[DownloadProgress], None]
    ) -> Callable[[], None]:
        """Call `callback` with every download progress snapshot; returns an unsubscribe.

        Snapshots carry received/total bytes, speed (bytes/s) and `eta` (seconds). The
        callback runs on the event loop's thread, at most ~10 times a second per file.
        """
        self._download_watchers.append(callback)
        return lambda: self._download_watchers.remove(callback) \
            if callback in self._download_watchers else None

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
        from tui.core.deck.files import export_csv

        return export_csv(self, view, path)
