"""When a sync run's phases start (tui/core/sync/order.py): the users before anything
that asks per user, and the recordings as soon as every scope before them has all its
pages, while the last writes still run (issue 18: a big webinar's swap took seconds to
minutes after its last page, and the recordings' requests waited for it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import T0
from tests.support.fakeapis import Apis, zoom_with_two_webinars
from tests.support.waits import wait_until
from tui.core.models import EventKind, Provider
from tui.core.store.db import Store
from tui.core.store.writer import ScopeBatch
from tui.core.sync.engine import SyncEngine
from tui.core.sync.order import RunOrder
from tui.core.sync.types import Scope, ScopeKind

USERS = Scope(ScopeKind.ORGANIZERS, Provider.ZOOM)
EVENTS = Scope(ScopeKind.EVENTS, Provider.ZOOM)
RECORDINGS = Scope(ScopeKind.RECORDINGS, Provider.ZOOM)
W1 = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, "w1")


def test_the_recordings_start_when_every_scope_before_them_is_writing() -> None:
    order = RunOrder([USERS, W1, RECORDINGS], None, follow_events=False)
    assert order.take() == USERS
    assert order.take() is None  # the users are fetched: nothing asks per user yet
    order.writing(USERS)
    assert order.take() is None  # nor while they are written
    order.done(USERS)
    assert order.take() == W1
    assert order.take() is None  # its pages still come
    order.writing(W1)
    assert order.take() == RECORDINGS  # its rows are being written: no need to wait
    assert order.take() is None
    order.done(RECORDINGS)
    assert order.waiting is False
    order.done(W1)
    assert order.waiting is False


def test_a_scope_still_fetching_holds_the_recordings_back() -> None:
    order = RunOrder([USERS, EVENTS, W1, RECORDINGS], None, follow_events=False)
    assert order.take() == USERS
    order.done(USERS)
    assert [order.take(), order.take()] == [EVENTS, W1]
    order.writing(W1)
    assert order.take() is None  # the events still come
    assert order.waiting
    order.done(EVENTS)
    assert order.take() == RECORDINGS


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "p.sqlite3", "p")
    yield opened
    opened.close()


async def test_recordings_are_asked_while_the_registrants_are_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom), now=lambda: T0)
    await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.EVENTS]), follow_events=False)
    asked_meanwhile: list[bool] = []
    commit = ScopeBatch.commit

    def held_commit(batch: ScopeBatch, *args: Any, **kwargs: Any) -> int:
        # The registrants' write waits (on the writer thread) until every user's
        # recordings are asked for: they can only be if they do not wait for the write
        # (to start, or to stage a user's page before the next user is asked).
        if batch.scope == W1.id:
            try:
                wait_until(
                    lambda: {"recordings:u1", "recordings:u2"} <= set(zoom.calls),
                    what="every user's recordings to be asked for",
                )
            except AssertionError:
                asked_meanwhile.append(False)
            else:
                asked_meanwhile.append(True)
        return commit(batch, *args, **kwargs)

    monkeypatch.setattr(ScopeBatch, "commit", held_commit)
    try:
        report = await engine.run([W1, RECORDINGS], follow_events=False)
    finally:
        await engine.aclose()
    assert report.ok, report.failed
    assert asked_meanwhile == [True]
    assert {s.id for s in report.synced} == {W1.id, RECORDINGS.id}
