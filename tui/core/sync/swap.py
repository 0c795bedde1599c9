"""One scope's rows into the store: staged page by page, swapped in one transaction.

Every SQLite write of a sync runs on one dedicated thread (the writer connection's),
so the event loop never blocks on a 100k-row swap. A failed or cancelled scope keeps
its previous rows and stamp, marked with the failure; an error that is not an API
problem (a bug) is reported per scope as `UnexpectedSyncError`, so the run goes on.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from tui.core.errors import MeetdeckError
from tui.core.models import Provider
from tui.core.pages import PlainRegistrants
from tui.core.store.db import Store
from tui.core.store.writer import ScopeBatch, StoreWriter
from tui.core.sync.fetch import Found
from tui.core.sync.types import Scope, ScopeKind, ScopeStep

R = TypeVar("R")
#: Rows of fetched pages a scope lets wait for the writer thread before its fetch waits
#: too (ten pages of 300 registrants; a recordings page holds a handful).
PENDING_ROWS = 3_000
#: Told how far a scope has got (each page, then the write).
StepCallback = Callable[[ScopeStep], None]


class UnexpectedSyncError(MeetdeckError):
    """A bug, not an API problem: reported per scope so the rest of the run goes on."""

    title = "Unexpected error while syncing"


def _owned(page: Sequence[Any]) -> Sequence[Any]:
    """A page the writer thread may keep: a copy, unless the fetch hands it over whole
    (`PlainRegistrants`, made for it)."""
    return page if isinstance(page, PlainRegistrants) else list(page)


def _stage(batch: Future[ScopeBatch], page: Sequence[Any]) -> None:
    """(On the writer thread.) Stage `page` in the batch opened before on this thread."""
    batch.result().add(page)


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class ScopeSwap:
    """Stores scopes' rows through the profile's writer connection, on its own thread.

    Attributes:
        cut: Scope id -> text values cut to the store's limit at its last store.
        notes: Scope id -> what its last stored rows leave out (users skipped).
    """

    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetdeck-store")
        self._writer: StoreWriter | None = None
        self.cut: dict[str, int] = {}
        self.notes: dict[str, str] = {}

    def cut_in(self, scopes: Iterable[Scope]) -> tuple[tuple[Scope, int], ...]:
        """The scopes whose last store cut text values, with how many."""
        return tuple((scope, self.cut[scope.id]) for scope in scopes if self.cut.get(scope.id))

    def notes_of(self, scopes: Iterable[Scope]) -> tuple[tuple[Scope, str], ...]:
        """The scopes whose last stored rows leave someone out, with the note."""
        return tuple((scope, self.notes[scope.id]) for scope in scopes if scope.id in self.notes)

    async def write(self, fn: Callable[[StoreWriter], R]) -> R:
        """Run `fn(writer)` on the writer thread."""
        writer = await self._db(self._writer_conn)
        return await self._db(fn, writer)

    async def aclose(self) -> None:
        """Close the writer connection and its thread."""
        if self._writer is not None:
            await self._db(self._writer.close)
            self._writer = None
        self._thread.shutdown(wait=True)

    async def _db(self, fn: Callable[..., R], *args: Any) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    def _open_batch(self, scope: Scope) -> ScopeBatch:
        """(On the writer thread.) A batch that will replace `scope`'s rows."""
        return self._writer_conn().replace(scope.id, scope.provider.value)

    def _writer_conn(self) -> StoreWriter:
        if self._writer is None:
            self._writer = self._store.writer()
        return self._writer

    async def drop_unwindowed_history(self, providers: Sequence[Provider]) -> None:
        """Forget history cached before it came in windows (it would show twice)."""
        old = [
            Scope(ScopeKind.HISTORICAL, provider).id
            for provider in providers
            if self._store.stamp(Scope(ScopeKind.HISTORICAL, provider).id) is not None
        ]
        if old:
            writer = await self._db(self._writer_conn)
            await self._db(writer.drop_scopes, old)

    async def record_error(self, scope: Scope, error: MeetdeckError) -> None:
        """Mark a scope that was not asked for as failed (its rows stay)."""
        writer = await self._db(self._writer_conn)
        await self._db(writer.record_error, scope.id, error.title, error.sentence, self._now())

    async def fetch_and_store(
        self,
        scope: Scope,
        pages: AsyncIterator[Sequence[Any]],
        found: Found,
        on_step: StepCallback | None = None,
    ) -> int:
        """Stage each of `pages` and swap them in as `scope`'s rows; how many.

        The writer thread stages a page while the next ones are fetched, in their
        order; the fetch goes on while the thread is busy (with another scope's swap,
        say) until `PENDING_ROWS` rows wait to be staged, then waits for the oldest
        page (so a slow disk slows the fetch, and pages never pile up in memory).
        """
        # Queued on the writer thread, behind whatever it is doing (the pages' staging
        # queues after it there): the pages are asked for meanwhile.
        batch_on_thread = self._thread.submit(self._open_batch, scope)
        opened = asyncio.wrap_future(batch_on_thread)
        opened.add_done_callback(_retrieved)
        step = on_step or (lambda _step: None)
        count = rows = 0
        staging: deque[tuple[asyncio.Future[None], int]] = deque()  # oldest first
        pending = 0  # rows of the pages in `staging`
        try:
            async for page in pages:
                count += 1
                rows += len(page)
                step(ScopeStep(scope, count, rows))
                if page:
                    while staging and (staging[0][0].done() or pending >= PENDING_ROWS):
                        done, size = staging.popleft()
                        await done
                        pending -= size
                    staged = asyncio.ensure_future(self._db(_stage, batch_on_thread, _owned(page)))
                    # Its failure is raised where it is awaited, or else by what failed
                    # meanwhile: either way it is not "never retrieved".
                    staged.add_done_callback(_retrieved)
                    staging.append((staged, len(page)))
                    pending += len(page)
            while staging:
                await staging.popleft()[0]
            batch = await opened
            step(ScopeStep(scope, count, rows, writing=True))
            note = found.note()
            stored = await self._db(batch.commit, self._now(), note)
            self.cut[scope.id] = batch.cut
            if note:
                self.notes[scope.id] = note
            else:
                self.notes.pop(scope.id, None)
        except BaseException as exc:
            # (Pages still being staged finish first: the writer thread takes its
            # calls in order.)
            try:
                batch = await asyncio.shield(opened)
            except Exception:
                raise exc from None  # the writer could not open: no batch, no stamp
            await asyncio.shield(self._db(batch.abort))
            if not isinstance(exc, Exception):
                raise  # cancelled: no stamp
            error = (
                exc
                if isinstance(exc, MeetdeckError)
                else UnexpectedSyncError(
                    f"{scope.label} failed with {type(exc).__name__}; the previous data "
                    "was kept. Try again, and report it if it keeps happening.",
                    provider=scope.provider.value,
                )
            )
            writer = await self._db(self._writer_conn)
            await self._db(writer.record_error, scope.id, error.title, error.sentence, self._now())
            if error is exc:
                raise
            raise error from exc
        if scope.kind in (ScopeKind.EVENTS, ScopeKind.MEETINGS):
            await self._drop_vanished(await self._db(self._writer_conn), scope, found.children)
        return stored

    async def _drop_vanished(
        self, writer: StoreWriter, scope: Scope, children: list[Scope]
    ) -> None:
        """Forget the registrants of events (or meetings) that no longer exist or no
        longer take registration.

        Webinar and meeting registrants of Zoom share a scope prefix: an events scope
        leaves those of cached meetings alone, a meetings scope those of cached events.
        """
        keep = {c.id for c in children}
        prefix = f"{ScopeKind.REGISTRANTS}:{scope.provider}:"
        other = self._store.meeting if scope.kind is ScopeKind.EVENTS else self._store.event
        stale = [
            s
            for s in self._store.scope_ids(prefix)
            if s not in keep and other(s[len(prefix) :], scope.provider) is None
        ]
        await self._db(writer.drop_scopes, stale)


__all__ = ["ScopeSwap", "StepCallback", "UnexpectedSyncError"]
