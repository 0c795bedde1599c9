"""The writer thread stages a page while the next ones are fetched (the fetch waits
only once `PENDING_ROWS` rows wait to be staged), and a failure while a page is being
staged still keeps the scope's previous rows."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import put, registrant
from tests.support.waits import TIMEOUT
from tui.core.errors import NetworkUnreachable
from tui.core.models import EventKind, Provider
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery
from tui.core.store.writer import ScopeBatch
from tui.core.sync.fetch import Found
from tui.core.sync.swap import ScopeSwap
from tui.core.sync.types import Scope

SCOPE = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, "w1")


def now() -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC)


async def test_page_k_is_staged_while_page_k_plus_1_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "p.sqlite3", "p")
    asked_next = threading.Event()
    overlapped: list[bool] = []
    add = ScopeBatch.add

    def slow_add(batch: ScopeBatch, models: Any) -> None:
        # The first page's staging waits (on the writer thread) for the fetch to ask
        # for the second page: it can only be asked for if fetching goes on meanwhile.
        if not overlapped:
            overlapped.append(asked_next.wait(TIMEOUT))
        add(batch, models)

    monkeypatch.setattr(ScopeBatch, "add", slow_add)

    async def pages() -> AsyncIterator[Sequence[Any]]:
        yield [registrant(1), registrant(2)]
        asked_next.set()
        yield [registrant(3)]

    swap = ScopeSwap(store, now)
    try:
        stored = await swap.fetch_and_store(SCOPE, pages(), Found())
    finally:
        await swap.aclose()
    assert overlapped == [True]
    assert stored == 3
    assert store.registrants(ViewQuery(event_key="w1")).count() == 3
    store.close()


async def test_a_fetch_failing_while_a_page_is_staged_keeps_the_previous_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "p.sqlite3", "p")
    put(store, SCOPE.id, [registrant(i) for i in range(5)])
    staging = threading.Event()
    add = ScopeBatch.add

    def blocked_add(batch: ScopeBatch, models: Any) -> None:
        staging.wait(TIMEOUT)
        add(batch, models)

    monkeypatch.setattr(ScopeBatch, "add", blocked_add)

    async def pages() -> AsyncIterator[Sequence[Any]]:
        yield [registrant(10)]
        staging.set()
        raise NetworkUnreachable("The network went away.", provider="zoom")

    swap = ScopeSwap(store, now)
    try:
        with pytest.raises(NetworkUnreachable):
            await swap.fetch_and_store(SCOPE, pages(), Found())
    finally:
        await swap.aclose()
    rows = store.registrants(ViewQuery(event_key="w1")).rows(0, 9)
    assert sorted(r.key for r in rows) == [f"r{i}" for i in range(5)]
    assert store.stamp(SCOPE.id) is not None
    assert store.stamp(SCOPE.id).error is not None  # type: ignore[union-attr]
    store.close()


async def test_the_fetch_goes_on_while_the_writer_is_busy_until_pending_rows_fill_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.sync import swap as swap_module

    store = Store.open(tmp_path / "p.sqlite3", "p")
    monkeypatch.setattr(swap_module, "PENDING_ROWS", 3)
    asked: list[int] = []
    fourth_asked = threading.Event()
    first_staged = threading.Event()
    add = ScopeBatch.add

    def busy_add(batch: ScopeBatch, models: Any) -> None:
        # The writer thread is busy with the first page until the fourth is asked for:
        # it can only be asked for if the fetch does not wait for each page's staging.
        if not first_staged.is_set():
            fourth_asked.wait(TIMEOUT)
            add(batch, models)
            first_staged.set()
            return
        add(batch, models)

    monkeypatch.setattr(ScopeBatch, "add", busy_add)
    fifth_waited: list[bool] = []

    async def pages() -> AsyncIterator[Sequence[Any]]:
        for n in range(5):
            asked.append(n)
            if n == 3:
                fourth_asked.set()
            if n == 4:
                # Three rows waited to be staged with the fourth page in: the fetch
                # waited for the oldest before it asked for the fifth.
                fifth_waited.append(first_staged.is_set())
            yield [registrant(n)]

    swap = ScopeSwap(store, now)
    try:
        stored = await swap.fetch_and_store(SCOPE, pages(), Found())
    finally:
        await swap.aclose()
    assert fourth_asked.is_set() and fifth_waited == [True]
    assert stored == 5
    assert store.registrants(ViewQuery(event_key="w1")).count() == 5
    store.close()


async def test_pages_are_asked_for_while_the_writer_is_busy_with_another_scope(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "p.sqlite3", "p")
    swap = ScopeSwap(store, now)
    busy, third_asked = threading.Event(), threading.Event()
    asked_meanwhile: list[bool] = []

    def another_scopes_swap(_writer: Any) -> None:
        busy.set()
        asked_meanwhile.append(third_asked.wait(TIMEOUT))

    async def pages() -> AsyncIterator[Sequence[Any]]:
        for n in range(3):
            if n == 2:
                third_asked.set()
            yield [registrant(n)]

    try:
        await swap.write(lambda _writer: None)  # the writer connection is open
        other = asyncio.ensure_future(swap.write(another_scopes_swap))
        await asyncio.to_thread(busy.wait, TIMEOUT)
        stored = await swap.fetch_and_store(SCOPE, pages(), Found())
        await other
    finally:
        await swap.aclose()
    # The batch is opened, and the pages staged, on the writer thread after the other
    # swap: the fetch did not wait for it to ask for the next pages.
    assert asked_meanwhile == [True]
    assert stored == 3
    store.close()
