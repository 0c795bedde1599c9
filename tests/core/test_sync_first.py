"""What the screen shows comes first (issue 15): a sync asks for the open tab's scopes,
the organizer on screen and the event on screen before the rest.

Against a sandbox with GoTo's real rate limits (10 requests a second per API, in the
sandbox and in the client) and more organizers than the demo, so that the scopes of
one API queue behind each other. Proved by the order of the sandbox's request log,
never by timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck
from tui.core.models import Provider
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery
from tui.core.sync.account import UNIT_CONCURRENCY
from tui.core.sync.types import Scope, ScopeKind, SyncFocus

#: GoTo's documented limit, in the client too.
PACED = DeckSpec(name="first", rate_limit=10.0)
ORGANIZERS = 20


@pytest.fixture(scope="module")
def paced_sandbox() -> Iterator[Any]:
    from tui.sandbox.server import SandboxConfig, start_background

    config = SandboxConfig(
        port=0, seed=15, registrants=5, recording_bytes=2_000, organizers=ORGANIZERS
    )
    with start_background(config) as handle:
        yield handle


def paths_in(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "dl")


def g2m(requests: list[dict[str, Any]], part: str) -> list[int]:
    """Positions in the log of the GoTo Meeting requests whose path has `part`."""
    return [i for i, r in enumerate(requests) if r.get("api") == "g2m" and part in r["path"]]


async def test_the_open_tabs_meetings_come_before_the_other_goto_meeting_scopes(
    paced_sandbox: Any, tmp_path: Path
) -> None:
    log = Control(paced_sandbox.base_url)
    deck = open_deck(paced_sandbox.base_url, paths_in(tmp_path), PACED, goto_only=True)
    try:
        await deck.demo_sign_in()
        seq = log.mark()
        focus = SyncFocus((ScopeKind.MEETINGS,))
        report = await deck.sync_all(
            kinds=[
                ScopeKind.ORGANIZERS,
                ScopeKind.GROUPS,
                ScopeKind.MEETINGS,
                ScopeKind.HISTORICAL,
            ],
            first=focus,
        )
        requests = log.requests_since(seq)
    finally:
        await deck.aclose()
    assert report.ok, report.failed
    upcoming = g2m(requests, "upcomingMeetings")
    history = g2m(requests, "historicalMeetings")
    groups = [i for i, r in enumerate(requests) if r["path"].endswith("/groups")]
    assert len(upcoming) > 5 and len(history) > 5 and groups
    # Every upcoming call (the tab on screen) was asked before any past one, and before
    # the group list: those waited, though they were queued first.
    assert max(upcoming) < min(history) and max(upcoming) < min(groups)


async def test_the_organizer_and_the_event_on_screen_are_asked_first(
    paced_sandbox: Any, tmp_path: Path
) -> None:
    log = Control(paced_sandbox.base_url)
    deck = open_deck(paced_sandbox.base_url, paths_in(tmp_path), PACED, goto_only=True)
    try:
        await deck.demo_sign_in()
        first = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
        assert first.ok, first.failed
        people = deck.organizers(ViewQuery(provider=Provider.GOTO_MEETING))
        last = people.rows(0, people.count())[-1]  # asked last, unless on screen
        trainings = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING))
        training = trainings.rows(0, trainings.count())[-1]
        on_screen = Scope.registrants(Provider.GOTO_TRAINING, training.kind, training.key)

        seq = log.mark()
        report = await deck.sync_all(
            kinds=[ScopeKind.MEETINGS, ScopeKind.REGISTRANTS],
            first=SyncFocus((ScopeKind.MEETINGS,), last.key, on_screen),
        )
        requests = log.requests_since(seq)
    finally:
        await deck.aclose()
    assert report.ok, report.failed
    upcoming = [r["path"] for r in requests if "upcomingMeetings" in r["path"]]
    unit = f"/groups/{last.group_key}/" if last.group_key else f"/organizers/{last.key}/"
    mine = [i for i, path in enumerate(upcoming) if unit in path]
    assert len(upcoming) > UNIT_CONCURRENCY and mine
    assert mine[0] < UNIT_CONCURRENCY, (unit, upcoming[:8])
    registrants = [r["path"] for r in requests if r["path"].endswith("/registrants")]
    assert len(registrants) > 1 and f"/trainings/{training.key}/" in registrants[0], registrants[:3]
