"""The TUI's Deck runs its providers and syncs on its own thread and event loop.

What a sync reads, parses and stages runs on the Deck's service thread, never on the
caller's (the UI's) loop; its progress comes back in batches on the caller's thread,
every report, the last before the result; cancelling the caller cancels the sync there; API
calls can be relayed in batches.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from tests.support.waits import wait_on_loop
from tui.core.deck.service_loop import Batched, ServiceLoop
from tui.core.settings.paths import resolve_paths


def lazy_deck(base_url: str) -> Any:
    """A Deck opened as `meetdeck` opens one (`open_profile_lazily`)."""
    from tui.core.deck.connection import DeckConnection
    from tui.core.deck.from_profile import open_profile_lazily
    from tui.core.settings.config import HttpSettings, demo_profile
    from tui.core.store.db import Store

    paths = resolve_paths()

    def connect(store: Store) -> DeckConnection:
        return DeckConnection.build(
            store,
            paths,
            "sbx",
            demo_profile(base_url),
            demo=True,
            http=HttpSettings(max_retries=2, max_backoff=0.5),
        )

    return open_profile_lazily(paths, "sbx", connect, demo=True)


async def test_a_sync_reads_its_pages_on_the_decks_own_thread(sandbox: Any) -> None:
    from tui.core.sync.types import ScopeKind, SyncProgress

    here = threading.current_thread()
    call_threads: set[threading.Thread] = set()
    progress_threads: set[threading.Thread] = set()
    told: list[SyncProgress] = []

    def progressed(progress: SyncProgress) -> None:
        progress_threads.add(threading.current_thread())
        told.append(progress)

    deck = lazy_deck(sandbox.base_url)
    deck.watch_api_calls(lambda _entry: call_threads.add(threading.current_thread()))
    try:
        await deck.demo_sign_in()
        report = await deck.sync_all(progressed, kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
        assert report.ok, report.failed
        assert deck.organizers().count() > 0
        # Every request (and the page reading after it) ran on one other thread.
        assert len(call_threads) == 1 and here not in call_threads, call_threads
        assert next(iter(call_threads)).name == "meetdeck-service"
        # Progress came back to this thread, the run's last report before its result.
        assert progress_threads == {here}
        assert told and told[-1].done == told[-1].total
    finally:
        await deck.aclose()
    assert not any(t.is_alive() for t in call_threads)  # closing joined the thread


async def test_cancelling_the_caller_cancels_the_sync_on_its_thread(sandbox: Any) -> None:
    from tui.core.sync.types import ScopeKind

    loop = asyncio.get_running_loop()
    first_call = asyncio.Event()
    deck = lazy_deck(sandbox.base_url)
    deck.watch_api_calls(lambda _entry: loop.call_soon_threadsafe(first_call.set))
    try:
        await deck.demo_sign_in()
        first_call.clear()
        run = asyncio.ensure_future(deck.sync_all(kinds=list(ScopeKind)))
        await first_call.wait()
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        # The engine wound down on its thread: the next sync runs whole.
        report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS])
        assert report.ok and not report.cancelled, report.failed
    finally:
        await deck.aclose()


async def test_work_on_the_service_loop_fails_as_it_would_here() -> None:
    service = ServiceLoop()

    async def fails() -> None:
        raise ValueError("the work's own error")

    try:
        with pytest.raises(ValueError, match="the work's own error"):
            await service.run(fails)
        assert service.thread is not None and service.thread is not threading.current_thread()
    finally:
        await service.aclose()


async def test_reports_of_work_on_the_service_loop_come_back_whole_and_in_order() -> None:
    """A thousand reports told on the service thread: every one, in order, on the
    caller's thread, before the work's result."""
    here = threading.current_thread()
    got: list[tuple[int, threading.Thread]] = []
    service = ServiceLoop()

    async def work(report: Any) -> str:
        for n in range(1000):
            report(n)
        return "done"

    try:
        result = await service.reporting(
            lambda n: got.append((n, threading.current_thread())), work
        )
    finally:
        await service.aclose()
    assert result == "done"
    assert [n for n, _ in got] == list(range(1000))
    assert {thread for _, thread in got} == {here}


async def test_api_calls_from_another_thread_come_in_batches() -> None:
    """A thousand calls while the caller's loop is busy: one batch, every call in order."""
    batches: list[list[int]] = []
    batched = Batched(batches.append)

    def feed() -> None:
        for n in range(1000):
            batched(n)

    feeder = threading.Thread(target=feed)
    feeder.start()
    feeder.join()
    await wait_on_loop(lambda: bool(batches), what="the batch")
    assert batches == [list(range(1000))]


async def test_a_dropped_relay_posts_no_batch_of_its_old_deck() -> None:
    batches: list[list[int]] = []
    batched = Batched(batches.append)
    batched(1)  # its flush is due
    batched.close()
    batched(2)
    batched.flush()
    assert batches == []
