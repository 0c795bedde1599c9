"""The writer thread stages a page while the next one is fetched, and a failure while
a page is being staged still keeps the scope's previous rows."""

from __future__ import annotations

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
