"""The sync engine over in-memory adapters: progress, fan-out, partial failure, cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.builders import T0, organizer, registrant, training
from tests.support.fakeapis import Apis, FakeTraining, zoom_with_two_webinars
from tui.core.errors import NotSignedIn, ServiceUnavailable
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery
from tui.core.sync.engine import SyncEngine, UnexpectedSyncError
from tui.core.sync.types import Scope, ScopeKind, ScopeState, SyncProgress


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "p.sqlite3", "p")
    yield opened
    opened.close()


async def test_a_full_run_reports_progress_and_fans_out_registrants(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom), concurrency=2, now=lambda: T0)
    events: list[SyncProgress] = []
    report = await engine.run(
        engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.EVENTS]), events.append
    )
    await engine.aclose()

    assert report.ok and not report.cancelled
    assert {s.id for s in report.synced} == {
        "organizers:zoom",
        "events:zoom",
        "registrants:zoom:w1",
        "registrants:zoom:w2",
    }
    assert zoom.calls.index("users") < zoom.calls.index("webinars:u1")  # users first
    done = [e for e in events if e.state is ScopeState.DONE]
    assert [e.done for e in done] == [1, 2, 3, 4] and done[-1].total == 4
    assert {e.scope.id: e.items for e in done}["registrants:zoom:w1"] == 5
    assert all(e.state in (ScopeState.STARTED, ScopeState.WORKING, ScopeState.DONE) for e in events)
    assert store.registrants(ViewQuery(event_key="w1")).count() == 5
    # Registrants carry their event's title (for lookup), and the stamps say when.
    assert store.registrants(ViewQuery(event_key="w2")).rows(0, 1)[0].event_title == "Beta"
    assert store.registrants(ViewQuery(event_key="w1")).fetched_at == T0


async def test_one_failing_scope_does_not_stop_the_rest(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom), now=lambda: T0)
    await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.EVENTS]))
    zoom.fail["registrants-page2:w1"] = ServiceUnavailable("Zoom answered 503.")
    zoom.fail["recordings:u1"] = NotSignedIn("Sign in to Zoom.")
    zoom.registrants_by_webinar["w2"] = [registrant(i, "w2") for i in range(9)]
    events: list[SyncProgress] = []
    report = await engine.run(
        engine.scopes([ScopeKind.EVENTS, ScopeKind.RECORDINGS]), events.append
    )
    await engine.aclose()

    assert not report.ok
    assert {f.scope.id: f.error.title for f in report.failed} == {
        "registrants:zoom:w1": "Service unavailable",
        "recordings:zoom": "Not signed in",
    }
    assert {s.id for s in report.synced} == {"events:zoom", "registrants:zoom:w2"}
    assert store.registrants(ViewQuery(event_key="w2")).count() == 9  # the rest landed
    assert store.registrants(ViewQuery(event_key="w1")).count() == 5  # old data kept
    stamp = store.stamp("registrants:zoom:w1")
    assert stamp is not None and stamp.failed and stamp.fetched_at == T0
    assert stamp.error == "Zoom answered 503."
    assert [e.state for e in events].count(ScopeState.FAILED) == 2
    assert len(events[-1].errors) == 2


async def test_a_bug_in_one_scope_is_reported_as_a_typed_error(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    zoom.fail["users"] = KeyError("id")
    engine = SyncEngine(store, Apis(zoom=zoom))
    report = await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.MEETINGS]))
    await engine.aclose()
    assert isinstance(report.failed[0].error, UnexpectedSyncError)
    assert "KeyError" in report.failed[0].error.sentence
    assert [s.id for s in report.synced] == ["meetings:zoom"]


async def test_vanished_events_lose_their_registrants(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom))
    await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.EVENTS]))
    zoom.webinars_by_user["u2"] = []
    await engine.run(engine.scopes([ScopeKind.EVENTS]))
    await engine.aclose()
    assert store.registrants(ViewQuery(event_key="w2")).count() == 0
    assert store.stamp("registrants:zoom:w2") is None
    assert store.registrants(ViewQuery(event_key="w1")).count() == 5


async def test_cancel_stops_the_run_and_keeps_finished_scopes(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom), concurrency=1)
    await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.EVENTS]))
    zoom.gate = asyncio.Event()  # registrant pages now wait
    zoom.registrants_by_webinar["w1"] = [registrant(i, "w1", first="Zed") for i in range(4)]
    started = asyncio.Event()

    def on_progress(event: SyncProgress) -> None:
        if event.state is ScopeState.STARTED and event.scope.kind is ScopeKind.REGISTRANTS:
            started.set()

    run = asyncio.create_task(engine.run(engine.registrant_scopes(), on_progress))
    await asyncio.wait_for(started.wait(), 5)
    engine.cancel()
    report = await asyncio.wait_for(run, 5)
    await engine.aclose()
    assert report.cancelled and not report.ok
    assert store.registrants(ViewQuery(event_key="w1")).count() == 5
    assert {r.first_name for r in store.registrants(ViewQuery(event_key="w1")).rows(0, 9)} == {
        "Ann"
    }


async def test_refresh_runs_one_scope_now(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    trainings = FakeTraining([training("t1"), training("t2", "Advanced")])
    engine = SyncEngine(store, Apis(zoom=zoom, goto_training=trainings))
    scope = Scope(ScopeKind.EVENTS, training().provider)
    events: list[SyncProgress] = []
    report = await engine.refresh(scope, events.append)
    states = [e.state for e in events]
    assert report.ok and states[0] is ScopeState.STARTED and states[-1] is ScopeState.DONE
    assert set(states[1:-1]) == {ScopeState.WORKING}  # a page, then the write
    assert store.events(ViewQuery(provider=training().provider)).count() == 2
    trainings.error = ServiceUnavailable("GoTo answered 502.")
    failed = await engine.refresh(scope)
    await engine.aclose()
    assert failed.failed[0].error.sentence == "GoTo answered 502."
    assert store.events(ViewQuery(provider=training().provider)).count() == 2


async def test_concurrent_requests_for_one_scope_share_the_work(store: Store) -> None:
    zoom = zoom_with_two_webinars()
    engine = SyncEngine(store, Apis(zoom=zoom))
    scope = Scope(ScopeKind.ORGANIZERS, organizer().provider)
    first, second = await asyncio.gather(engine.refresh(scope), engine.refresh(scope))
    await engine.aclose()
    assert first.ok and second.ok and zoom.calls.count("users") == 1


def test_scopes_follow_the_configured_providers(store: Store) -> None:
    engine = SyncEngine(store, Apis(goto_training=FakeTraining()))
    assert [s.id for s in engine.scopes()] == ["events:goto_training", "recordings:goto_training"]
    assert engine.scopes([ScopeKind.SUPPORT]) == []
