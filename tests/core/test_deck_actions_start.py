"""Start URLs, support sessions and on-demand detail rows, through the Deck on the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.support.control import Control
from tests.support.decks import open_deck, registrants_of, sync_events
from tests.support.sandbox import ANCHOR
from tui.core.deck.types import EventDetail, MeetingDetail
from tui.core.models import MeetingKind, Provider
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind
from tui.sandbox.server import SandboxConfig, start_background


def files_containing(needles: list[str], *roots: Path) -> list[str]:
    """Every file under `roots` that contains any of `needles` (bytes, any encoding)."""
    found = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else ():
            if path.is_file():
                data = path.read_bytes()
                if any(n.encode() in data for n in needles):
                    found.append(str(path))
    return found


async def test_start_urls_are_fetched_on_demand_and_never_written_anywhere(
    sandbox: Any,
) -> None:
    deck = open_deck(sandbox.base_url)
    try:
        await sync_events(deck, goto=True)
        report = await deck.sync_all(kinds=[ScopeKind.MEETINGS])
        assert report.ok, report.failed
        goto_meeting = deck.meetings(ViewQuery(provider=Provider.GOTO_MEETING)).rows(0, 1)[0]
        zoom_meeting = deck.meetings(ViewQuery(provider=Provider.ZOOM)).rows(0, 1)[0]
        training = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)).rows(0, 1)[0]
        webinar = deck.events(ViewQuery(provider=Provider.ZOOM)).rows(0, 1)[0]
        urls = {
            "goto meeting": await deck.start_url("meeting", goto_meeting.key),
            "zoom meeting": await deck.start_url("meeting", zoom_meeting.key),
            "training": await deck.start_url("training", training.key),
            "webinar": await deck.start_url("webinar", webinar.key),
        }
        created = await deck.create_support_session()
        assert created.start_url is not None
        urls["new session"] = created.start_url
        urls["session"] = await deck.start_url("support_session", created.session.key)
        cached_session = deck.detail("support_session", created.session.key)
    finally:
        await deck.aclose()

    now = datetime.now(UTC)
    for name, url in urls.items():
        assert url.url.startswith(sandbox.base_url), name
        assert url.url not in repr(url) and url.url not in str(url)
    for name in ("zoom meeting", "webinar"):  # Zoom documents about two hours
        expires = urls[name].expires_at
        assert expires is not None and timedelta(hours=1.9) < expires - now <= timedelta(hours=2)
    assert urls["goto meeting"].expires_at is None
    paths = resolve_paths()
    secrets = [u.url for u in urls.values()] + ["zak=", "/_sandbox/start/"]
    assert paths.api_log.exists() and paths.audit_log.exists()
    assert files_containing(secrets, paths.data_dir, paths.cache_dir, paths.config_dir) == []
    # The creation is audited: its uuid and support key, never its start URL.
    lines = [json.loads(x) for x in paths.audit_log.read_text(encoding="utf-8").splitlines()]
    assert [x["phase"] for x in lines] == ["intent", "result"]
    assert lines[-1]["action"] == "create_session" and lines[-1]["outcomes"][0]["ok"]
    assert created.session.key in lines[-1]["outcomes"][0]["message"]
    assert cached_session == created.session  # the support list shows it at once


async def test_each_zoom_start_url_is_fetched_fresh_and_an_old_one_expires() -> None:
    """Zoom start URLs last about two hours: the Deck asks Zoom every time one is
    wanted (never a cached link), so a link asked for after two hours opens while the
    one asked for before is refused. Its own sandbox: the test moves the clock."""
    config = SandboxConfig(port=0, anchor=ANCHOR, registrants=50, rate_limit_scale=0)
    with start_background(config) as sandbox:
        control = Control(sandbox.base_url)
        meeting = str(next(iter(sandbox.state.zoom.meetings)))
        deck = open_deck(sandbox.base_url, zoom_only=True)
        try:
            seq = control.mark()
            first = await deck.start_url("meeting", meeting, provider=Provider.ZOOM)
            again = await deck.start_url("meeting", meeting, provider=Provider.ZOOM)
            asked = [r for r in control.requests_since(seq) if r["path"].endswith(f"/{meeting}")]
            opened = httpx.get(again.url)
            control.advance_clock(2 * 3600 + 60)
            stale = httpx.get(first.url)
            later = await deck.start_url("meeting", meeting, provider=Provider.ZOOM)
            fresh = httpx.get(later.url)
        finally:
            await deck.aclose()
    assert [r["path"] for r in asked] == [f"/zoom/v2/meetings/{meeting}"] * 2
    assert opened.status_code == 200
    assert stale.status_code == 403 and "expired" in stale.text
    assert later.url != first.url and fresh.status_code == 200


async def test_refresh_detail_fills_training_sessions_and_attendance(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url)
    try:
        await sync_events(deck, goto=True)
        trainings = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING))
        training = next(
            t
            for t in trainings.rows(0, trainings.count())
            if t.start is not None and t.start < datetime.now(UTC)
        )
        before = deck.detail("training", training.key)
        after = await deck.refresh_detail("training", training.key)
        reread = deck.detail("training", training.key)
    finally:
        await deck.aclose()

    assert isinstance(before, EventDetail) and before.sessions == ()
    assert before.sessions_fetched_at is None
    assert isinstance(after, EventDetail) and after.sessions
    assert after.sessions_fetched_at is not None and after == reread
    assert set(after.attendance) == {s.key for s in after.sessions}
    assert sum(len(people) for people in after.attendance.values()) > 0
    for session in after.sessions:
        people = after.attendance[session.key]
        assert all(a.event_key == session.key for a in people)
        # At most the count the report gives (other tests may cancel registrants).
        assert session.attendance_count is None or len(people) <= session.attendance_count


async def test_refresh_detail_fills_one_past_meetings_attendees(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url)
    try:
        await deck.demo_sign_in()
        report = await deck.sync_all(kinds=[ScopeKind.HISTORICAL])
        assert report.ok, report.failed
        view = deck.meetings(ViewQuery(kind=MeetingKind.HISTORICAL, sort="start", descending=True))
        meeting = next(m for m in view.rows(0, 50) if m.num_attendees)
        before = deck.detail("meeting", meeting.key)
        after = await deck.refresh_detail("meeting", meeting.key)
        upcoming_zoom = await deck.refresh_detail("webinar", "none")
    finally:
        await deck.aclose()

    assert isinstance(before, MeetingDetail) and before.attendees == ()
    assert isinstance(after, MeetingDetail) and after.attendees_fetched_at is not None
    assert len(after.attendees) == meeting.num_attendees
    assert upcoming_zoom is None


async def test_refresh_detail_failure_keeps_the_cached_rows(sandbox: Any) -> None:
    from tui.core.errors import MeetdeckError

    deck = open_deck(sandbox.base_url)
    try:
        await sync_events(deck, goto=True)
        training = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)).rows(0, 1)[0]
        first = await deck.refresh_detail("training", training.key)
        Control(sandbox.base_url).fault(
            {"error_status": 500, "match": {"path": "^/G2T/rest/reports/"}}
        )
        try:
            await deck.refresh_detail("training", training.key)
        except MeetdeckError as exc:
            error: MeetdeckError | None = exc
        else:
            error = None
        kept = deck.detail("training", training.key)
        await registrants_of(deck, Provider.GOTO_TRAINING, training.key)
    finally:
        await deck.aclose()
    assert error is not None and error.sentence
    assert kept == first
