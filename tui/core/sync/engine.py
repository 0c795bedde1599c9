"""The sync engine: fetch scopes from the providers into the store, with progress.

A run takes a list of scopes (organizers, a provider's meetings, historical meetings in
a window, trainings and webinars, each event's registrants, recordings, support
sessions) and works through them with at most `concurrency` scopes in flight, in the
order `tui.core.sync.order` gives (users first, what the screen shows before the rest);
the per-API rate limits live in the HTTP layer (`tui.core.net.client`), which every
provider call goes through. Each scope's rows are staged page by page and swapped in
one transaction (`tui.core.sync.swap`), so a failed or cancelled scope leaves its
previous rows and stamp in place, marked with the failure. Progress events (`SyncProgress`) go to a
callback as each scope starts, as each page arrives and its rows are written, and as
it ends; each carries every scope in flight. When an events scope lands, one registrants
scope per event joins the run; so does one per Zoom meeting that takes registration
when a meetings scope lands.

A session that ended ("sign in again": SessionExpired) ends the run's work for every
product of that sign-in: the remaining scopes of GoTo Meeting, Training and Assist (one
GoTo sign-in), or of Zoom, fail at once with the same error and send no request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from tui.core.errors import MeetdeckError, SessionExpired
from tui.core.models import Meeting, MeetingKind, Provider, Training, Webinar
from tui.core.providers.base import GoToAssistApi, GoToMeetingApi, GoToTrainingApi, ZoomApi
from tui.core.store.db import Store
from tui.core.store.writer import StoreWriter
from tui.core.sync.fetch import CancelledHere, Found, ScopeFetcher, registrant_scopes_of
from tui.core.sync.order import RunOrder
from tui.core.sync.swap import ScopeSwap, UnexpectedSyncError
from tui.core.sync.types import (
    HISTORY_SETTLE,
    Scope,
    ScopeFailure,
    ScopeKind,
    ScopeState,
    ScopeStep,
    SyncFocus,
    SyncProgress,
    SyncReport,
    history_windows,
)

R = TypeVar("R")
ProgressCallback = Callable[[SyncProgress], None]
#: Told how far a scope has got (each page, then the write).
StepCallback = Callable[[ScopeStep], None]

#: Which providers offer which scope kinds (registrants scopes come from events).
OFFERED: dict[ScopeKind, tuple[Provider, ...]] = {
    ScopeKind.ORGANIZERS: (Provider.GOTO_MEETING, Provider.ZOOM),
    ScopeKind.MEETINGS: (Provider.GOTO_MEETING, Provider.ZOOM),
    ScopeKind.HISTORICAL: (Provider.GOTO_MEETING,),
    ScopeKind.EVENTS: (Provider.GOTO_TRAINING, Provider.ZOOM),
    ScopeKind.RECORDINGS: (Provider.GOTO_TRAINING, Provider.ZOOM),
    ScopeKind.SUPPORT: (Provider.GOTO_ASSIST,),
    ScopeKind.GROUPS: (Provider.GOTO_MEETING,),
}
_ORDER = list(ScopeKind)
#: Which sign-in each provider's calls use: the GoTo products share one.
SIGN_IN: dict[Provider, str] = {
    Provider.GOTO_MEETING: "goto",
    Provider.GOTO_TRAINING: "goto",
    Provider.GOTO_ASSIST: "goto",
    Provider.ZOOM: "zoom",
}


class ProviderApis(Protocol):
    """The adapters of one profile; None where the profile has no credentials."""

    @property
    def goto_meeting(self) -> GoToMeetingApi | None: ...
    @property
    def goto_training(self) -> GoToTrainingApi | None: ...
    @property
    def goto_assist(self) -> GoToAssistApi | None: ...
    @property
    def zoom(self) -> ZoomApi | None: ...


class SyncEngine:
    """Fetches scopes into one profile's store.

    Args:
        store: The profile's cache (its read connection lists cached users and events).
        apis: The provider adapters.
        concurrency: Scopes in flight at once.
        history_days: How far back historical meetings, recordings and support
            sessions are fetched (`sync_all(since=...)` reaches further).
        now: The clock (tests pass a fixed one).
        account_wide: True when the GoTo sign-in is an admin's: the GoTo scopes then
            cover every organizer of the account (see `tui.core.sync.fetch`).
    """

    def __init__(
        self,
        store: Store,
        apis: ProviderApis,
        *,
        concurrency: int = 4,
        history_days: int = 90,
        now: Callable[[], datetime] | None = None,
        account_wide: Callable[[], bool] = lambda: False,
    ) -> None:
        self._store = store
        self._apis = apis
        self._concurrency = max(1, concurrency)
        self._history = timedelta(days=history_days)
        self._now = now or (lambda: datetime.now(UTC))
        self._fetch = ScopeFetcher(store, self._api, self._history, self._now, account_wide)
        self._swap = ScopeSwap(store, self._now)
        self._inflight: dict[str, asyncio.Task[int]] = {}
        self._cancel = asyncio.Event()
        self._order: RunOrder | None = None

    def keep_cancellations(self, source: CancelledHere) -> None:
        """Registrations meetdeck cancelled stay cancelled in the cache while the
        provider may still list them (`source` says which; see `keep_cancelled_here`)."""
        self._fetch.cancelled_here = source

    # -- what there is to sync ----------------------------------------------------

    def available(self, provider: Provider) -> bool:
        """True when the profile has an adapter for `provider`."""
        return self._api(provider) is not None

    def _api(self, provider: Provider) -> Any:
        return {
            Provider.GOTO_MEETING: self._apis.goto_meeting,
            Provider.GOTO_TRAINING: self._apis.goto_training,
            Provider.GOTO_ASSIST: self._apis.goto_assist,
            Provider.ZOOM: self._apis.zoom,
        }[provider]

    def scopes(
        self,
        kinds: Iterable[ScopeKind] | None = None,
        *,
        since: datetime | None = None,
        refetch: bool = False,
    ) -> list[Scope]:
        """The top-level scopes of `kinds` (default: all) this profile can sync.

        REGISTRANTS has no top-level scope: asking for it means "every cached event's
        registrants" (see `registrant_scopes`). HISTORICAL means the history windows
        not held yet (`history_scopes`); `since` reaches further back than
        `history_days` (and stays the history's start for this engine's life);
        `refetch` asks every window again, complete or not (a refresh someone asked for).
        """
        if since is not None:
            widest = self._fetch.widest
            self._fetch.widest = since if widest is None else min(widest, since)
        wanted = set(kinds or _ORDER)
        out: list[Scope] = []
        for kind in _ORDER:
            if kind not in wanted:
                continue
            for provider in OFFERED.get(kind, ()):
                if not self.available(provider):
                    continue
                if kind is ScopeKind.HISTORICAL:
                    out += self.history_scopes(provider, refetch=refetch)
                else:
                    out.append(Scope(kind, provider))
        return out

    def history_scopes(self, provider: Provider, *, refetch: bool = False) -> list[Scope]:
        """The history windows from the history's start to now that need fetching:
        those never fetched, and those not complete when last fetched (the current
        window always; an ended one until fetched a day after its end)."""
        now = self._now()
        out = []
        for start, end in history_windows(self._fetch.since(now), now):
            scope = Scope(ScopeKind.HISTORICAL, provider, since=start)
            stamp = self._store.stamp(scope.id)
            fetched = stamp.fetched_at if stamp is not None else None
            if refetch or fetched is None or fetched < end + HISTORY_SETTLE:
                out.append(scope)
        return out

    def history_from(self, provider: Provider) -> datetime | None:
        """The start of the history the cache holds without a gap up to now (None:
        none held)."""
        now = self._now()
        held: datetime | None = None
        for start, _end in reversed(history_windows(now - timedelta(days=3650), now)):
            stamp = self._store.stamp(Scope(ScopeKind.HISTORICAL, provider, since=start).id)
            if stamp is None or stamp.fetched_at is None:
                break
            held = start
        return held

    def registrant_scopes(
        self,
        events: Iterable[Training | Webinar | Meeting] | None = None,
        *,
        refetch: bool = True,
    ) -> list[Scope]:
        """One registrants scope per event or meeting that takes registration; without
        `refetch`, not those of events that ended before they were last fetched.

        Default: every cached training and webinar, and every cached meeting that
        takes registration (Zoom).
        """
        if events is None:
            events = self._fetch.cached_registration_events()
        return [
            scope
            for event, scope in registrant_scopes_of(events, self.available)
            if refetch or not self._fetch.settled(event, scope)
        ]

    # -- running ------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop the current run: no new scope starts, running ones are cancelled."""
        self._cancel.set()
        if self._order is not None:
            self._order.wake()
        for task in list(self._inflight.values()):
            task.cancel()

    async def run(
        self,
        scopes: Sequence[Scope],
        on_progress: ProgressCallback | None = None,
        *,
        follow_events: bool = True,
        first: SyncFocus | None = None,
        refetch: bool = False,
    ) -> SyncReport:
        """Sync `scopes` (and, if `follow_events`, the registrants of synced events),
        what the screen shows (`first`) before the rest (see `tui.core.sync.order`).

        The registrants of an event that ended before they were last fetched are not
        asked again, unless `refetch` (a refresh someone asked for)."""
        self._cancel = asyncio.Event()
        order = self._order = RunOrder(scopes, first, follow_events=follow_events)
        self._fetch.first_organizer = order.focus.organizer_key
        self._fetch.refetch = refetch
        known = order.known
        synced: list[Scope] = []
        failed: list[ScopeFailure] = []
        # Sign-ins that ended in this run (SIGN_IN value -> the "sign in again" error).
        ended: dict[str, MeetdeckError] = {}
        counter = {"done": 0}
        steps: dict[Scope, ScopeStep] = {}  # in flight, the longest running first
        emit = on_progress or (lambda _event: None)
        if any(s.kind is ScopeKind.HISTORICAL and s.since is not None for s in known):
            await self._swap.drop_unwindowed_history(OFFERED[ScopeKind.HISTORICAL])

        def report(
            scope: Scope, state: ScopeState, items: int = 0, note: str | None = None
        ) -> None:
            if state is ScopeState.STARTED:
                steps[scope] = ScopeStep(scope)
            elif state is not ScopeState.WORKING:
                steps.pop(scope, None)
            emit(
                SyncProgress(
                    scope,
                    state,
                    counter["done"],
                    len(known),
                    items,
                    tuple(failed),
                    note,
                    tuple(steps.values()),
                )
            )

        def stepped(step: ScopeStep) -> None:
            if step.writing:
                order.writing(step.scope)  # a later phase may start meanwhile
            if step.scope in steps:
                steps[step.scope] = step
                report(step.scope, ScopeState.WORKING)

        async def one(scope: Scope) -> None:
            sign_in = SIGN_IN[scope.provider]
            if sign_in in ended:
                # The session is over until someone signs in again: asking would
                # only be refused.
                await self._swap.record_error(scope, ended[sign_in])
                failed.append(ScopeFailure(scope, ended[sign_in]))
                counter["done"] += 1
                report(scope, ScopeState.FAILED)
                return
            report(scope, ScopeState.STARTED)
            try:
                items, found = await self._sync_scope(scope, stepped)
            except asyncio.CancelledError:
                if not self._cancel.is_set():
                    raise
                report(scope, ScopeState.CANCELLED)
                return
            except MeetdeckError as exc:
                if isinstance(exc, SessionExpired):
                    ended.setdefault(sign_in, exc)
                failed.append(ScopeFailure(scope, exc))
                counter["done"] += 1
                report(scope, ScopeState.FAILED)
                return
            synced.append(scope)
            counter["done"] += 1
            if follow_events:
                order.add_all(c for c in found.children if refetch or c not in found.settled)
            report(scope, ScopeState.DONE, items, self._swap.notes.get(scope.id))

        async def worker() -> None:
            while not self._cancel.is_set():
                scope = order.take()
                if scope is None:
                    if not order.waiting:
                        return
                    await order.changed()  # a focused scope of its provider runs
                    continue
                try:
                    await one(scope)
                finally:
                    order.done(scope)

        # Workers stop when the queue is empty and every phase has started; a scope
        # that adds children (events) may refill it after the others stopped, so this
        # loops until nothing is left.
        try:
            # The order starts each phase when the one before allows it (RunOrder.take).
            while order.waiting and not self._cancel.is_set():
                await _all_ended(worker() for _ in range(self._concurrency))
        finally:
            self._fetch.first_organizer = None
            self._fetch.refetch = False
        return SyncReport(
            tuple(synced),
            tuple(failed),
            self._cancel.is_set(),
            self._swap.cut_in(synced),
            self._swap.notes_of(synced),
        )

    async def refresh(
        self, scope: Scope, on_progress: ProgressCallback | None = None
    ) -> SyncReport:
        """Sync one scope now, ahead of any queued work (joins it if already running).

        A HISTORICAL scope without a window means the windows not held yet.
        """
        if scope.kind is ScopeKind.HISTORICAL and scope.since is None:
            return await self.run(self.history_scopes(scope.provider), on_progress)
        emit = on_progress or (lambda _event: None)

        def stepped(step: ScopeStep) -> None:
            emit(SyncProgress(scope, ScopeState.WORKING, 0, 1, running=(step,)))

        emit(SyncProgress(scope, ScopeState.STARTED, 0, 1, running=(ScopeStep(scope),)))
        try:
            items, _found = await self._sync_scope(scope, stepped)
        except MeetdeckError as exc:
            failure = ScopeFailure(scope, exc)
            emit(SyncProgress(scope, ScopeState.FAILED, 1, 1, 0, (failure,)))
            return SyncReport(failed=(failure,))
        emit(SyncProgress(scope, ScopeState.DONE, 1, 1, items, note=self._swap.notes.get(scope.id)))
        return SyncReport(
            synced=(scope,), cut=self._swap.cut_in([scope]), notes=self._swap.notes_of([scope])
        )

    async def write(self, fn: Callable[[StoreWriter], R]) -> R:
        """Run `fn(writer)` on the store's writer thread (the Deck's cache updates)."""
        return await self._swap.write(fn)

    def running(self, scope: Scope) -> asyncio.Task[int] | None:
        """The in-flight sync of `scope`, if one is running."""
        return self._inflight.get(scope.id)

    async def aclose(self) -> None:
        """Cancel running work and close the writer connection and its thread."""
        self.cancel()
        await self._swap.aclose()

    # -- one scope ----------------------------------------------------------------

    async def _sync_scope(
        self, scope: Scope, on_step: StepCallback | None = None
    ) -> tuple[int, Found]:
        """Sync one scope, sharing the work with a concurrent sync of the same scope
        (`on_step` hears how far it gets, when this call started the work); what its
        fetch found besides rows (nothing, when it joined another)."""
        running = self._inflight.get(scope.id)
        if running is None:
            found = Found()
            running = asyncio.ensure_future(
                self._swap.fetch_and_store(scope, self._fetch.pages(scope, found), found, on_step)
            )
            running.add_done_callback(lambda _t: self._inflight.pop(scope.id, None))
            self._inflight[scope.id] = running
            return await running, found
        return await asyncio.shield(running), Found()


async def _all_ended(work: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Run `work` side by side until every part has ended; at the first failure, or
    when the caller is cancelled, cancel the rest and wait for them too (a plain gather
    returns at the first cancelled part with the others' scopes still winding down: a
    sync started next would join one of them); then raise the first failure."""
    tasks = [asyncio.ensure_future(part) for part in work]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
    for task in tasks:
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error


__all__ = [
    "OFFERED",
    "SIGN_IN",
    "MeetingKind",
    "ProviderApis",
    "SyncEngine",
    "UnexpectedSyncError",
]
