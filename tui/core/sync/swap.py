"""One scope's rows into the store: staged page by page, swapped in one transaction.

Every SQLite write of a sync runs on one dedicated thread (the writer connection's),
so the event loop never blocks on a 100k-row swap. A failed or cancelled scope keeps
its previous rows and stamp, marked with the failure; an error that is not an API
problem (a bug) is reported per scope as `UnexpectedSyncError`, so the run goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from tui.core.errors import MeetdeckError
from tui.core.models import Provider
from tui.core.pages import PlainRegistrants
from tui.core.store.db import Store
from tui.core.store.writer import StoreWriter
from tui.core.sync.fetch import Found
from tui.core.sync.types import Scope, ScopeKind, ScopeStep

R = TypeVar("R")
#: Told how far a scope has got (each page, then the write).
StepCallback = Callable[[ScopeStep], None]


class UnexpectedSyncError(MeetdeckError):
    """A bug, not an API problem: reported per scope so the rest of the run goes on."""

    title = "Unexpected error while syncing"


def _owned(page: Sequence[Any]) -> Sequence[Any]:
    """A page the writer thread may keep: a copy, unless the fetch hands it over whole
    (`PlainRegistrants`, made for it)."""
    return page if isinstance(page, PlainRegistrants) else list(page)


def _retrieved(future: asyncio.Future[None]) -> None:
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

        The writer thread stages page k while page k + 1 is fetched: one page is staged
        at a time, and the next waits for it (so a slow disk slows the fetch, and pages
        never pile up in memory).
        """
        writer = await self._db(self._writer_conn)
        batch = await self._db(writer.replace, scope.id, scope.provider.value)
        step = on_step or (lambda _step: None)
        count = rows = 0
        staging: asyncio.Future[None] | None = None
        try:
            async for page in pages:
                count += 1
                rows += len(page)
                step(ScopeStep(scope, count, rows))
                if page:
                    if staging is not None:
                        await staging
                    staging = asyncio.ensure_future(self._db(batch.add, _owned(page)))
                    # Its failure is raised where it is awaited, or else by what failed
                    # meanwhile: either way it is not "never retrieved".
                    staging.add_done_callback(_retrieved)
            if staging is not None:
                await staging
                staging = None
            step(ScopeStep(scope, count, rows, writing=True))
            note = found.note()
            stored = await self._db(batch.commit, self._now(), note)
            self.cut[scope.id] = batch.cut
            if note:
                self.notes[scope.id] = note
            else:
                self.notes.pop(scope.id, None)
        except BaseException as exc:
            # (A page still being staged finishes first: the writer thread takes its
            # calls in order.)
            await asyncio.shield(self._db(batch.abort))
            if isinstance(exc, MeetdeckError):
                await self._db(writer.record_error, scope.id, exc.title, exc.sentence, self._now())
                raise
            if isinstance(exc, Exception):
                error = UnexpectedSyncError(
                    f"{scope.label} failed with {type(exc).__name__}; the previous data "
                    "was kept. Try again, and report it if it keeps happening.",
                    provider=scope.provider.value,
                )
                await self._db(
                    writer.record_error, scope.id, error.title, error.sentence, self._now()
                )
                raise error from exc
            raise
        if scope.kind in (ScopeKind.EVENTS, ScopeKind.MEETINGS):
            await self._drop_vanished(writer, scope, found.children)
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
