"""Signed in as the sandbox's GoTo admin, one sync caches the whole account: every
organizer's upcoming meetings, every training and every GoTo Training recording, as the
sandbox's own API lists them (issue 15, items 1 and 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck
from tests.support.specs import goto_headers
from tui.core.models import MeetingKind, Provider
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import HISTORY_WINDOW_DAYS, ScopeKind, history_window

#: Its own profile; no client-side pacing (the sandbox's limits are off too).
ACCOUNT = DeckSpec(name="account", rate_limit=1000.0)
#: 28 demo organizers and 42 more in new groups (the group calls serve <= 50).
ORGANIZERS = 70


@pytest.fixture(scope="module")
def big_sandbox() -> Iterator[Any]:
    from tui.sandbox.server import SandboxConfig, start_background

    config = SandboxConfig(
        port=0,
        seed=15,
        registrants=20,
        recording_bytes=20_000,
        rate_limit_scale=0,
        organizers=ORGANIZERS,
    )
    with start_background(config) as handle:
        yield handle


def paths_in(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "dl")


async def the_sandbox_says(base_url: str) -> dict[str, set[str]]:
    """What the sandbox's own API lists, asked as its admin organizer by organizer."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        headers = await goto_headers(client, admin=True)

        async def get(path: str) -> Any:
            answer = await client.get(path, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            return answer.json()

        organizers = await get("/G2M/rest/organizers")
        upcoming = set()
        for o in organizers:
            for m in await get(f"/G2M/rest/organizers/{o['organizerKey']}/upcomingMeetings"):
                upcoming.add(str(m["meetingId"]))
        me = await get("/admin/rest/v1/me")
        trainers = await get(f"/G2T/rest/accounts/{me['accountKey']}/organizers")
        trainings = set()
        for t in trainers:
            for training in await get(f"/G2T/rest/organizers/{t['organizerKey']}/trainings"):
                trainings.add(str(training["trainingKey"]))
        recordings = set()
        for key in trainings:
            listed = await get(f"/G2T/rest/trainings/{key}/recordings")
            recordings |= {str(r["recordingId"]) for r in listed["recordingList"]}
    return {
        "organizers": {str(o["organizerKey"]) for o in organizers},
        "upcoming": upcoming,
        "trainings": trainings,
        "recordings": recordings,
    }


async def test_an_admin_sync_caches_every_organizers_meetings_trainings_and_recordings(
    big_sandbox: Any, tmp_path: Path
) -> None:
    base = big_sandbox.base_url
    log = Control(base)
    deck = open_deck(base, paths_in(tmp_path), ACCOUNT, goto_only=True)
    try:
        await deck.demo_sign_in()
        seq = log.mark()
        report = await deck.sync_all()
        requests = log.requests_since(seq)
        assert report.ok, report.failed
        truth = await the_sandbox_says(base)

        def keys(view: Any) -> set[str]:
            return {row.key for row in view.rows(0, view.count())}

        organizers = keys(deck.organizers(ViewQuery(provider=Provider.GOTO_MEETING)))
        upcoming = keys(
            deck.meetings(ViewQuery(provider=Provider.GOTO_MEETING, kind=MeetingKind.UPCOMING))
        )
        trainings = keys(deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)))
        recordings = keys(deck.recordings(ViewQuery(provider=Provider.GOTO_TRAINING)))
        health = {h.provider: h for h in deck.health()}
    finally:
        await deck.aclose()

    assert len(truth["organizers"]) == ORGANIZERS and organizers == truth["organizers"]
    assert len(truth["upcoming"]) > ORGANIZERS and upcoming == truth["upcoming"]
    assert len(truth["trainings"]) > 20 and trainings == truth["trainings"]
    assert len(truth["recordings"]) > 10 and recordings == truth["recordings"]
    paths = [r["path"] for r in requests]
    # Small groups are asked once per group; nothing was refused (no group over 50).
    assert any(p.startswith("/G2M/rest/groups/") for p in paths)
    assert all(r["status"] < 400 for r in requests), [
        (r["path"], r["status"]) for r in requests if r["status"] >= 400
    ]
    assert not health[Provider.GOTO_MEETING].own_only
    assert health[Provider.GOTO_MEETING].history_from is not None


async def test_a_wider_window_fetches_only_the_missing_history(
    big_sandbox: Any, tmp_path: Path
) -> None:
    """90 days (the default), then 180: the second sync asks only for the older
    windows and the one still open; a third asks only for the open one again."""
    base = big_sandbox.base_url
    log = Control(base)
    deck = open_deck(base, paths_in(tmp_path), ACCOUNT, goto_only=True)
    history = [ScopeKind.ORGANIZERS, ScopeKind.HISTORICAL]

    def asked(seq: int) -> set[datetime]:
        """The window starts of the history calls made since `seq`."""
        out = set()
        for r in log.requests_since(seq):
            if r["path"].endswith("historicalMeetings"):
                start = parse_qs(r["query"])["startDate"][0]
                out.add(datetime.fromisoformat(start.replace("Z", "+00:00")))
        return out

    def held() -> datetime | None:
        return {h.provider: h for h in deck.health()}[Provider.GOTO_MEETING].history_from

    try:
        await deck.demo_sign_in()
        seq = log.mark()
        first = await deck.sync_all(kinds=history)
        run_1, held_90 = asked(seq), held()
        seq = log.mark()
        wider = await deck.sync_all(kinds=history, since=_days_ago(180))
        run_2, held_180 = asked(seq), held()
        seq = log.mark()
        again = await deck.sync_all(kinds=history)
        run_3 = asked(seq)
        past = deck.meetings(
            ViewQuery(provider=Provider.GOTO_MEETING, kind=MeetingKind.HISTORICAL)
        ).count()
    finally:
        await deck.aclose()

    assert first.ok and wider.ok and again.ok
    assert held_90 is not None and held_180 is not None
    assert held_180 <= _days_ago(180) < held_90 <= _days_ago(90)
    open_start = history_window(_days_ago(0))[0]
    recent = {open_start, open_start - timedelta(days=HISTORY_WINDOW_DAYS)}
    assert len(run_1) >= 4 and min(run_1) == held_90  # 90 days span four windows
    older = {s for s in run_2 if s < held_90}
    assert len(older) == 3 and min(older) == held_180
    assert run_2 - older <= recent  # the windows held and complete are not asked again
    assert run_3 and run_3 <= recent
    assert past > 0


def _days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)
