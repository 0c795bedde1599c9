"""A session that ended ("sign in again") ends the run's work for its sign-in.

After the first SessionExpired of a sign-in in a run, the remaining scopes of that
sign-in (GoTo Meeting, Training and Assist share one; Zoom has its own) fail at once
with the same error and send nothing. Pinned twice: over in-memory adapters (which
calls were made), and over real HTTP against a sandbox of its own, counting the
requests in its request log (/_sandbox/requests).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import T0, organizer, training, webinar
from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck
from tui.core.errors import ServiceUnavailable, SessionExpired
from tui.core.models import (
    Meeting,
    Organizer,
    Provider,
    Recording,
    Registrant,
    Training,
    Webinar,
)
from tui.core.settings.config import HttpSettings
from tui.core.settings.paths import Paths
from tui.core.store.db import Store
from tui.core.sync.engine import SyncEngine
from tui.core.sync.types import Scope, ScopeKind, SyncReport

GOTO = (Provider.GOTO_MEETING, Provider.GOTO_TRAINING, Provider.GOTO_ASSIST)
GOTO_SCOPES = {
    (ScopeKind.ORGANIZERS, Provider.GOTO_MEETING),
    (ScopeKind.GROUPS, Provider.GOTO_MEETING),
    (ScopeKind.MEETINGS, Provider.GOTO_MEETING),
    (ScopeKind.HISTORICAL, Provider.GOTO_MEETING),
    (ScopeKind.EVENTS, Provider.GOTO_TRAINING),
    (ScopeKind.RECORDINGS, Provider.GOTO_TRAINING),
    (ScopeKind.SUPPORT, Provider.GOTO_ASSIST),
}

# -- in-memory adapters ------------------------------------------------------------------


@dataclass
class Calls:
    """Every adapter call of a run, and which of them raise."""

    made: list[str] = field(default_factory=list)
    fail: dict[str, Exception] = field(default_factory=dict)

    def __call__(self, name: str) -> None:
        self.made.append(name)
        for prefix, error in self.fail.items():
            if name.startswith(prefix):
                raise error


@dataclass
class GoToMeeting:
    calls: Calls

    async def organizers(self) -> list[Organizer]:
        self.calls("g2m:organizers")
        return []

    async def upcoming_meetings(self) -> list[Meeting]:
        self.calls("g2m:upcoming")
        return []

    async def historical_meetings(self, since: datetime, until: datetime) -> Any:
        self.calls("g2m:historical")
        raise AssertionError("not reached in these tests")


@dataclass
class GoToTraining:
    calls: Calls

    async def trainings(self) -> list[Training]:
        self.calls("g2t:trainings")
        return [training("t1")]

    async def registrants(self, training_key: str) -> list[Registrant]:
        self.calls("g2t:registrants")
        return []

    async def recordings(self, training_key: str) -> list[Recording]:
        self.calls("g2t:recordings")
        return []


@dataclass
class GoToAssist:
    calls: Calls

    async def session_pages(self, *, since: datetime, until: datetime) -> AsyncIterator[list[Any]]:
        self.calls("seeit:sessions")
        yield []


@dataclass
class Zoom:
    calls: Calls

    async def users(self) -> list[Organizer]:
        self.calls("zoom:users")
        return [organizer("u1")]

    async def meetings(self, user_id: str = "me") -> list[Meeting]:
        self.calls("zoom:meetings")
        return []

    async def webinars(self, user_id: str = "me") -> list[Webinar]:
        self.calls("zoom:webinars")
        return [webinar("w1")]

    async def webinar_registrant_pages(
        self, webinar_id: str, page_size: int = 300, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        self.calls("zoom:registrants")
        yield []

    async def recordings(
        self, user_id: str = "me", *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Recording]:
        self.calls("zoom:recordings")
        return []


@dataclass
class Apis:
    """All four adapters, recording into one `Calls` (duck-typed fakes)."""

    calls: Calls

    @property
    def goto_meeting(self) -> Any:
        return GoToMeeting(self.calls)

    @property
    def goto_training(self) -> Any:
        return GoToTraining(self.calls)

    @property
    def goto_assist(self) -> Any:
        return GoToAssist(self.calls)

    @property
    def zoom(self) -> Any:
        return Zoom(self.calls)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "p.sqlite3", "p")
    yield opened
    opened.close()


KINDS = [
    ScopeKind.ORGANIZERS,
    ScopeKind.MEETINGS,
    ScopeKind.EVENTS,
    ScopeKind.RECORDINGS,
    ScopeKind.SUPPORT,
]


async def run(store: Store, calls: Calls) -> tuple[SyncEngine, SyncReport]:
    engine = SyncEngine(store, Apis(calls), concurrency=4, now=lambda: T0)
    try:
        return engine, await engine.run(engine.scopes(KINDS))
    finally:
        await engine.aclose()


async def test_an_ended_goto_session_skips_the_rest_of_goto(store: Store) -> None:
    ended = SessionExpired("The GoTo session has ended. Sign in again.", provider="goto")
    calls = Calls(fail={"g2": ended, "seeit": ended})
    engine, report = await run(store, calls)

    goto_calls = [c for c in calls.made if not c.startswith("zoom")]
    assert goto_calls == ["g2m:organizers"]  # the first GoTo scope; nothing after it
    goto_scopes = {s for s in engine.scopes(KINDS) if s.provider in GOTO}
    assert len(goto_scopes) == 5
    assert {f.scope for f in report.failed} == goto_scopes
    assert all(f.error is ended for f in report.failed)
    for scope in goto_scopes:  # the cache says so too (health after a restart)
        stamp = store.stamp(scope.id)
        assert stamp is not None and stamp.failed and stamp.error == ended.sentence
    # Zoom is another sign-in: all of it synced, its webinar's registrants too.
    assert {s.id for s in report.synced} == {
        "organizers:zoom",
        "meetings:zoom",
        "events:zoom",
        "recordings:zoom",
        "registrants:zoom:w1",
    }


async def test_an_ended_zoom_session_skips_only_zoom(store: Store) -> None:
    ended = SessionExpired("Zoom refused a freshly issued token.", provider="zoom")
    calls = Calls(fail={"zoom": ended})
    _, report = await run(store, calls)
    assert [c for c in calls.made if c.startswith("zoom")] == ["zoom:users"]
    assert {f.scope.provider for f in report.failed} == {Provider.ZOOM}
    assert len(report.failed) == 4 and all(f.error is ended for f in report.failed)
    assert len(report.synced) == 6  # every GoTo scope, and the training's registrants


async def test_other_errors_do_not_skip_anything(store: Store) -> None:
    calls = Calls(fail={"g2m:organizers": ServiceUnavailable("GoTo answered 503.")})
    _, report = await run(store, calls)
    assert [f.scope.id for f in report.failed] == ["organizers:goto_meeting"]
    assert {
        "g2m:upcoming",
        "g2t:trainings",
        "g2t:registrants",
        "g2t:recordings",
        "seeit:sessions",
    } <= set(calls.made)


async def test_a_new_run_asks_again(store: Store) -> None:
    """The skip lasts one run: a later run (after signing in again) asks afresh."""
    ended = SessionExpired("Sign in again.", provider="goto")
    calls = Calls(fail={"g2m:organizers": ended})
    await run(store, calls)
    calls.fail.clear()
    calls.made.clear()
    _, report = await run(store, calls)
    assert report.ok and "g2t:trainings" in calls.made


# -- real HTTP against a sandbox of its own ----------------------------------------------

GOTO_API = ("/G2M/", "/G2T/", "/seeit/", "/admin/")
HTTP = HttpSettings(
    max_retries=1, max_backoff=0.2, connect_timeout=2.0, read_timeout=5.0, max_concurrency=4
)


@pytest.fixture(scope="module")
def own_sandbox() -> Iterator[Any]:
    """A small sandbox without rate limits: this module revokes its tokens."""
    from tui.sandbox.server import SandboxConfig, start_background

    config = SandboxConfig(
        port=0, seed=11, registrants=40, recording_bytes=20_000, rate_limit_scale=0
    )
    with start_background(config) as handle:
        yield handle


def goto_api(log: list[dict[str, Any]]) -> int:
    return sum(1 for r in log if r["path"].startswith(GOTO_API))


def posts(log: list[dict[str, Any]], path: str) -> int:
    return sum(1 for r in log if r["method"] == "POST" and r["path"] == path)


#: This module's Deck: its own profile, quick to give up, no client-side rate limits.
SESSIONS = DeckSpec(name="sessions", http=HTTP, rate_limit=1000.0)


def paths_in(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "dl")


async def test_a_revoked_goto_session_sends_one_request_then_none(
    own_sandbox: Any, tmp_path: Path
) -> None:
    log = Control(own_sandbox.base_url)
    deck = open_deck(own_sandbox.base_url, paths_in(tmp_path), SESSIONS)
    try:
        await deck.demo_sign_in()
        assert (await deck.sync_all()).ok
        log.revoke()
        seq = log.mark()
        first = await deck.sync_all()
        first_log = log.requests_since(seq)
        seq = log.mark()
        second = await deck.sync_all()
        second_log = log.requests_since(seq)
    finally:
        await deck.aclose()

    goto_failed = [f for f in first.failed if f.scope.provider in GOTO]
    # Every GoTo scope of the run (past meetings: the windows not complete yet).
    assert {(f.scope.kind, f.scope.provider) for f in goto_failed} == GOTO_SCOPES
    assert all(isinstance(f.error, SessionExpired) for f in goto_failed)
    assert len({id(f.error) for f in goto_failed}) == 1  # the same error, skipped
    assert {f.scope for f in second.failed} == {f.scope for f in goto_failed}
    assert not [f for f in first.failed + second.failed if f.scope.provider is Provider.ZOOM]
    # Run 1: the first GoTo scope's request (401) and one refused refresh; then nothing.
    assert goto_api(first_log) == 1 and posts(first_log, "/oauth/token") == 1
    # Run 2: the refused tokens are known; nothing is sent at all.
    assert goto_api(second_log) == 0 and posts(second_log, "/oauth/token") == 0


async def test_a_zoom_token_refused_at_once_ends_zoom_for_the_run(
    own_sandbox: Any, tmp_path: Path
) -> None:
    log = Control(own_sandbox.base_url)
    deck = open_deck(own_sandbox.base_url, paths_in(tmp_path), SESSIONS)
    try:
        log.fault({"error_status": 401, "match": {"path": "^/zoom/v2/"}})
        seq = log.mark()
        report = await deck.sync_all(
            kinds=[ScopeKind.ORGANIZERS, ScopeKind.MEETINGS, ScopeKind.EVENTS, ScopeKind.RECORDINGS]
        )
        zoom_log = [r for r in log.requests_since(seq) if r["path"].startswith("/zoom/")]
    finally:
        log.clear()
        await deck.aclose()

    zoom_failed = [f for f in report.failed if f.scope.provider is Provider.ZOOM]
    assert {f.scope for f in zoom_failed} == {
        Scope(kind, Provider.ZOOM)
        for kind in (
            ScopeKind.ORGANIZERS,
            ScopeKind.MEETINGS,
            ScopeKind.EVENTS,
            ScopeKind.RECORDINGS,
        )
    }
    assert all(isinstance(f.error, SessionExpired) for f in zoom_failed)
    # A token, the users call (401), a new token, the same call again (401): then no
    # other scope sends anything (before: two calls and a token for each of them).
    api = [r for r in zoom_log if r["path"].startswith("/zoom/v2/")]
    assert len(api) == 2 and posts(zoom_log, "/zoom/oauth/token") == 2, zoom_log
