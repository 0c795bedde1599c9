"""The service layer against the sandbox over real loopback HTTP (and once via ASGI).

Every exchange here is a real OAuth flow and real HTTP: authorize -> 302 -> code ->
token, bearer tokens, 401 on expiry, 403 for the plain organizer, 302 downloads to
another host name, Range requests, pagination, faults injected through the control API.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from tests.support.control import Control
from tests.support.sandbox import CORE_REGISTRANTS
from tests.support.waits import TIMEOUT
from tui.core.auth.tokens import GOTO
from tui.core.errors import (
    BadResponse,
    DownloadError,
    NeedsAdmin,
    ServiceUnavailable,
    SessionExpired,
)
from tui.core.models import RegistrantStatus
from tui.core.providers.capabilities import RegistrantAction
from tui.core.providers.session import ProviderSet
from tui.core.settings.config import HttpSettings, demo_profile
from tui.core.settings.paths import Paths


class Sleeps:
    """Records backoff sleeps; sleeps a little (the sandbox's buckets refill meanwhile)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(min(seconds, 0.25))


#: The profile's client-side rates, out of the way.
UNPACED = {"goto_rate_limit": 1000.0, "zoom_rate_limit": 1000.0}


def _paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache", tmp_path / "dl")


@pytest.fixture
async def deck(sandbox: Any, tmp_path: Path) -> AsyncIterator[tuple[ProviderSet, Sleeps]]:
    """An admin ProviderSet signed in to the sandbox, backoff sleeps recorded."""
    sleeps = Sleeps()
    providers = ProviderSet.for_profile(
        "demo",
        # No client-side pacing to wait for (as a user may set it): no test here is
        # about pacing, and at GoTo's 10 a second the attendees of every session queued.
        demo_profile(sandbox.base_url).model_copy(update=UNPACED),
        _paths(tmp_path),
        HttpSettings(),
        demo=True,
        sleep=sleeps,
    )
    await providers.demo_sign_in()
    try:
        yield providers, sleeps
    finally:
        await providers.aclose()


# -- sign-in ---------------------------------------------------------------------------


async def test_demo_sign_in_is_a_real_code_exchange(sandbox: Any, tmp_path: Path) -> None:
    state = Control(sandbox.base_url).call("GET", "state")
    seq = Control(sandbox.base_url).mark()
    providers = ProviderSet.for_profile(
        "demo", demo_profile(sandbox.base_url), _paths(tmp_path), demo=True
    )
    async with providers:
        await providers.demo_sign_in()
        goto, zoom = providers.auth_status()
    assert goto.signed_in and goto.is_admin is True
    assert goto.organizer_key == state["goto"]["admin_organizer_key"]
    assert goto.account_key == state["goto"]["account_key"]
    assert zoom.configured and not zoom.signed_in  # fetched on first use
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    calls = [(r["method"], r["path"]) for r in sent]
    assert calls[:2] == [("GET", "/oauth/authorize"), ("POST", "/oauth/token")]
    assert not any(path == "/_sandbox/callback" for _, path in calls)  # Location read only
    token_file = _paths(tmp_path).token_file("demo", demo=True)
    assert token_file.stat().st_mode & 0o077 == 0


async def test_plain_organizer_gets_needs_admin(sandbox: Any, tmp_path: Path) -> None:
    profile = demo_profile(sandbox.base_url).model_copy(
        update={
            "goto_client_id": "demo-organizer",
            "goto_client_secret": SecretStr("demo-organizer-secret"),
        }
    )
    async with ProviderSet.for_profile("plain", profile, _paths(tmp_path)) as providers:
        await providers.demo_sign_in()
        assert providers.goto_auth is not None
        assert providers.goto_auth.status().is_admin is False
        assert providers.goto_meeting is not None
        caps = providers.goto_meeting.capabilities
        assert not caps.other_organizers and "admin" in caps.other_organizers.reason
        with pytest.raises(NeedsAdmin) as info:
            await providers.goto_meeting.groups()
        assert "needs the admin role" in info.value.sentence
        assert "meetdeck auth login goto --profile plain" in info.value.sentence
        assert await providers.goto_meeting.upcoming_meetings() is not None  # own data: fine


# -- GoTo ------------------------------------------------------------------------------


async def test_goto_meeting_reads(deck: tuple[ProviderSet, Sleeps], sandbox: Any) -> None:
    providers, _ = deck
    g2m = providers.goto_meeting
    assert g2m is not None
    counts = Control(sandbox.base_url).call("GET", "state")["goto"]["counts"]
    assert len(await g2m.organizers()) == counts["organizers"]
    assert len(await g2m.groups()) == counts["groups"]
    upcoming = await g2m.upcoming_meetings()
    assert upcoming and all(m.start.tzinfo for m in upcoming)
    one = await g2m.meeting(upcoming[0].key)
    assert one.key == upcoming[0].key
    seq = Control(sandbox.base_url).mark()
    now = datetime.now(UTC)
    history = await g2m.historical_meetings(now - timedelta(days=200), now)
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    windows = [r for r in sent if r["path"].endswith("historicalMeetings")]
    assert len(windows) == 7
    assert history.meetings and history.recordings
    assert len({m.key for m in history.meetings}) == len(history.meetings)
    attendees = await g2m.attendees(history.meetings[-1].key)
    assert all(a.event_key == history.meetings[-1].key for a in attendees)


async def test_goto_meeting_attendees_per_session(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    """Every past session's attendees are found though `meetingInstanceKey` (on the
    attendee rows) and `sessionId` (on the report) differ, as they do in the spec."""
    providers, _ = deck
    g2m = providers.goto_meeting
    assert g2m is not None
    goto = sandbox.state.goto
    held = goto.sessions
    per_meeting = Counter(s.meeting_id for s in held.values() if not s.ongoing)
    recurring = max(per_meeting, key=lambda mid: per_meeting[mid])
    assert per_meeting[recurring] > 1  # a meeting held more than once
    owner = str(goto.meetings[recurring].organizer_key)
    now = datetime.now(UTC)
    history = await g2m.historical_meetings(now - timedelta(days=400), now, organizer_key=owner)
    sids = [int(m.session_key or 0) for m in history.meetings]
    assert all(sid in held and held[sid].instance_key != sid for sid in sids)
    slots = asyncio.Semaphore(8)

    async def count(key: str, start: datetime, end: datetime | None) -> int:
        async with slots:
            return len(await g2m.attendees(key, start=start, end=end))

    found = await asyncio.gather(*(count(m.key, m.start, m.end) for m in history.meetings))
    expected = [held[sid].num_attendees for sid in sids]
    assert found == expected and sum(found) > 0
    sessions = [
        n for m, n in zip(history.meetings, found, strict=True) if m.key.startswith(f"{recurring}:")
    ]
    assert len(sessions) == per_meeting[recurring]
    everyone = await g2m.attendees(str(recurring))  # the meetingId alone: every session
    assert len(everyone) == sum(sessions)


async def test_goto_training_reads_and_writes(deck: tuple[ProviderSet, Sleeps]) -> None:
    providers, _ = deck
    g2t = providers.goto_training
    assert g2t is not None
    organizers = await g2t.organizers()
    found = None
    for organizer in organizers:
        for training in await g2t.trainings(organizer_key=organizer.key):
            sessions = await g2t.sessions(training.key, organizer_key=organizer.key)
            if sessions and await g2t.recordings(training.key):
                found = organizer.key, training, sessions
                break
        if found:
            break
    assert found is not None, "the sandbox has a training with sessions and recordings"
    org, training, sessions = found
    attendance = await g2t.attendance(sessions[0].key, organizer_key=org)
    assert attendance and all(a.name for a in attendance)
    people = await g2t.registrants(training.key, organizer_key=org)
    assert {p.status for p in people} <= set(RegistrantStatus)
    assert (await g2t.registrant(training.key, people[0].key, organizer_key=org)).key == people[
        0
    ].key
    await g2t.update_registration_settings(
        training.key,
        disable_confirmation_email=False,
        disable_web_registration=False,
        organizer_key=org,
    )
    new = await g2t.register(
        training.key,
        email="zoë.new@example.com",
        given_name="Zoë",
        surname="New",
        organizer_key=org,
    )
    result = await g2t.cancel_registrants(training.key, [new.key, new.key], organizer_key=org)
    assert result.succeeded == (new.key,) and len(result.failed) == 1  # 2nd: already gone
    assert (await g2t.start_url(training.key, organizer_key=org)).url.startswith("http")
    assert (await g2t.manage_url(training.key, organizer_key=org)).url.startswith("http")
    assert (await g2t.start(training.key)).url.startswith("http")


async def test_recording_302_without_token_leak(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    g2t = providers.goto_training
    assert g2t is not None
    training_key, recording = await _a_training_recording(providers)
    seq = Control(sandbox.base_url).mark()
    target = await g2t.download_target(training_key, recording.key)
    assert "Authorization" not in target.headers
    assert httpx.URL(target.url).host != httpx.URL(sandbox.base_url).host
    async with g2t.open_recording(training_key, recording.key) as whole:
        data = b"".join([c async for c in whole.chunks])
    async with g2t.open_recording(training_key, recording.key, offset=1000) as tail:
        rest = b"".join([c async for c in tail.chunks])
    assert whole.offset == 0 and whole.total == len(data) and tail.offset == 1000
    assert rest == data[1000:] and whole.etag == tail.etag and whole.etag
    log = Control(sandbox.base_url).requests_since(seq, control=True)
    api_calls = [r for r in log if r["api"] == "g2t"]
    file_calls = [r for r in log if r["api"] == "goto_file"]
    assert api_calls and all(r["authorization"] for r in api_calls)
    assert len(file_calls) == 2 and not any(r["authorization"] for r in file_calls)
    assert all(r["status"] in (200, 206) for r in file_calls)


async def test_html_instead_of_a_file(deck: tuple[ProviderSet, Sleeps], sandbox: Any) -> None:
    providers, _ = deck
    assert providers.goto_training is not None
    training_key, recording = await _a_training_recording(providers)
    Control(sandbox.base_url).call(
        "POST", "faults", {"html_instead_of_file": True, "match": {"path": "^/files/"}}
    )
    with pytest.raises(DownloadError, match="web page"):
        async with providers.goto_training.open_recording(training_key, recording.key):
            pass


async def test_seeit_all_pages_and_create(deck: tuple[ProviderSet, Sleeps], sandbox: Any) -> None:
    providers, _ = deck
    assist = providers.goto_assist
    assert assist is not None
    before = Control(sandbox.base_url).call("GET", "state")["goto"]["counts"]["seeit_sessions"]
    pages = [page async for page in assist.session_pages(page_size=25)]
    assert len(pages) >= 2 and sum(len(p) for p in pages) == before
    created, start = await assist.create_session()
    assert start is not None and start.url.startswith("http")
    assert (await assist.session(created.key)).key == created.key


# -- faults: malformed bodies, retries, token expiry -----------------------------------


async def test_malformed_json_and_extra_fields(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    assert providers.goto_meeting is not None
    Control(sandbox.base_url).fault({"extra_fields": True, "match": {"path": "groups"}})
    assert await providers.goto_meeting.groups()
    Control(sandbox.base_url).call("DELETE", "faults")
    Control(sandbox.base_url).call(
        "POST",
        "faults",
        {"malformed_json": "truncate", "remaining": 1, "match": {"path": "/G2M/rest/groups$"}},
    )
    with pytest.raises(BadResponse) as info:
        await providers.goto_meeting.groups()
    assert "GET /G2M/rest/groups" in info.value.sentence and "JSON" in info.value.sentence


async def test_429_storm_then_success(deck: tuple[ProviderSet, Sleeps], sandbox: Any) -> None:
    providers, sleeps = deck
    assert providers.zoom is not None
    Control(sandbox.base_url).fault(
        {"storm_429": True, "retry_after": 2, "remaining": 2, "match": {"path": "^/zoom/v2/users$"}}
    )
    assert await providers.zoom.users()
    assert sleeps.calls == [2.0, 2.0]


async def test_5xx_retried_for_get_never_for_post(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, sleeps = deck
    g2t = providers.goto_training
    assert g2t is not None
    trainings = await g2t.trainings()
    Control(sandbox.base_url).call(
        "POST",
        "faults",
        {"error_status": 503, "remaining": 2, "match": {"method": "GET", "path": "/trainings$"}},
    )
    assert len(await g2t.trainings()) == len(trainings) and len(sleeps.calls) == 2
    Control(sandbox.base_url).call(
        "POST",
        "faults",
        {"error_status": 503, "remaining": 1, "match": {"method": "POST", "path": "registrants"}},
    )
    seq = Control(sandbox.base_url).mark()
    with pytest.raises(ServiceUnavailable):
        await g2t.register(trainings[0].key, email="x@example.com", given_name="X", surname="Y")
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    posts = [r for r in sent if r["method"] == "POST"]
    assert len(posts) == 1


async def test_expired_token_refreshes_and_a_rotated_refresh_token_is_saved(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    """With the sandbox rotating refresh tokens (one older GoTo page); without rotation,
    today's default, see tests/core/test_goto_identity.py."""
    providers, _ = deck
    assert providers.goto_meeting is not None and providers.zoom is not None
    await providers.zoom.users()
    before = providers.store.get(GOTO)
    control = Control(sandbox.base_url)
    control.goto_oauth(refresh_rotates=True)
    try:
        control.expire()
        seq = control.mark()
        assert await providers.goto_meeting.upcoming_meetings() is not None
        assert await providers.zoom.users()
    finally:
        control.goto_oauth(refresh_rotates=False)
    after = providers.store.get(GOTO)
    assert before is not None and after is not None
    assert after.refresh_token != before.refresh_token  # rotated and saved
    assert after.organizer_key == before.organizer_key
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    statuses = [(r["path"], r["status"]) for r in sent]
    assert ("/oauth/token", 200) in statuses and ("/zoom/oauth/token", 200) in statuses


async def test_revoked_refresh_token_is_session_expired(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    assert providers.goto_meeting is not None
    Control(sandbox.base_url).call("POST", "tokens/revoke")
    seq = Control(sandbox.base_url).mark()
    for _ in range(3):
        with pytest.raises(SessionExpired) as info:
            await providers.goto_meeting.upcoming_meetings()
    assert "sign in again" in info.value.sentence.lower()
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    refreshes = [r for r in sent if r["path"] == "/oauth/token"]
    assert len(refreshes) == 1  # no loop


# -- Zoom ------------------------------------------------------------------------------


async def test_zoom_big_webinar_every_status(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    assert providers.zoom is not None
    state = Control(sandbox.base_url).call("GET", "state")
    big = str(state["zoom"]["big_webinar_id"])
    expected = state["events"][big]
    pages = [page async for page in providers.zoom.webinar_registrant_pages(big)]
    assert all(len(p) <= 300 for p in pages)
    people = [r for p in pages for r in p]
    assert len(people) == expected["total"] == CORE_REGISTRANTS
    by_status = {s.value: sum(r.status is s for r in people) for s in RegistrantStatus}
    for status in ("pending", "approved", "denied"):
        assert by_status[status] == expected["counts"][status]
    assert len({r.key for r in people}) == len(people)


async def test_zoom_registrant_statuses_listed_side_by_side(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    """While the first page is still in the caller's hands, the other statuses are
    already being listed: the three listings do not wait for one another."""
    providers, _ = deck
    assert providers.zoom is not None
    control = Control(sandbox.base_url)
    big = str(control.call("GET", "state")["zoom"]["big_webinar_id"])
    seq = control.mark()
    pages = providers.zoom.webinar_registrant_pages(big, page_size=50)
    first = await anext(pages)
    assert first

    def statuses() -> set[str]:
        return {
            parse_qs(r["query"]).get("status", [""])[0]
            for r in control.requests_since(seq)
            if r["path"].endswith(f"/webinars/{big}/registrants")
        }

    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while statuses() != {"pending", "approved", "denied"}:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"only {sorted(statuses())} were asked for")
        await asyncio.sleep(0.01)
    await cast(AsyncGenerator[Any, None], pages).aclose()


async def test_zoom_35_approvals_in_two_calls_with_partial_failure(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    zoom = providers.zoom
    assert zoom is not None
    big = str(Control(sandbox.base_url).call("GET", "state")["zoom"]["big_webinar_id"])
    pending = [
        r
        async for page in zoom.webinar_registrant_pages(big)
        for r in page
        if r.status is RegistrantStatus.PENDING
    ][:35]
    assert len(pending) == 35
    Control(sandbox.base_url).call(
        "POST", "faults", {"error_status": 400, "remaining": 1, "match": {"method": "PUT"}}
    )
    seq = Control(sandbox.base_url).mark()
    result = await zoom.set_webinar_registrant_status(big, RegistrantAction.APPROVE, pending)
    sent = Control(sandbox.base_url).requests_since(seq, control=True)
    puts = [r for r in sent if r["method"] == "PUT"]
    assert len(puts) == 2
    assert len(result.failed) == 30 and len(result.succeeded) == 5
    assert result.failed[0].message
    now = Control(sandbox.base_url).call("GET", f"state?event={big}")["registrants"]
    assert all(now[key] == "approved" for key in result.succeeded)
    assert all(now[o.target_key] == "pending" for o in result.failed)


async def test_zoom_meetings_recordings_and_start(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any
) -> None:
    providers, _ = deck
    zoom = providers.zoom
    assert zoom is not None
    users = await zoom.users()
    state = Control(sandbox.base_url).call("GET", "state")["zoom"]
    assert len(users) == state["counts"]["users"]
    meetings = await zoom.meetings()
    assert meetings
    start = await zoom.start_url(meetings[0].key)
    assert start.url.startswith("http")
    now = datetime.now(UTC)
    seq = Control(sandbox.base_url).mark()
    recordings = await zoom.recordings(since=now - timedelta(days=180), until=now)
    assert recordings
    # Zoom answers about a month per query: 180 days are asked in 30-day windows.
    asked = [
        parse_qs(r["query"])
        for r in Control(sandbox.base_url).requests_since(seq)
        if r["path"].endswith("/recordings")
    ]
    assert len(asked) == 6
    for query in asked:
        span = date.fromisoformat(query["to"][0]) - date.fromisoformat(query["from"][0])
        assert span <= timedelta(days=31)
    by_meeting = await zoom.meeting_recordings(recordings[0].event_key)
    assert recordings[0].key in {r.key for r in by_meeting}
    events = Control(sandbox.base_url).call("GET", "state")["events"]
    key, event = next((k, e) for k, e in events.items() if e["kind"] == "zoom_meeting")
    people = await zoom.meeting_registrants(key)
    assert len(people) == event["total"]
    assert (await zoom.meeting_registrant(key, people[0].key)).email == people[0].email
    webinars = await zoom.webinars()
    assert webinars and (await zoom.webinar(webinars[0].key)).topic == webinars[0].topic
    ready = next(r for r in recordings if not r.processing)
    target = await zoom.download_target(ready)
    assert target.headers.get("Authorization", "").startswith("Bearer ")
    async with httpx.AsyncClient() as client:
        response = await client.get(target.url, headers=dict(target.headers))
    assert response.status_code == 200 and response.content


# -- the redacted log, after everything above ran in one ProviderSet --------------------


async def test_api_log_holds_no_secrets(
    deck: tuple[ProviderSet, Sleeps], sandbox: Any, tmp_path: Path
) -> None:
    providers, _ = deck
    assert providers.goto_meeting and providers.goto_training and providers.zoom
    upcoming = await providers.goto_meeting.upcoming_meetings()
    start = await providers.goto_meeting.start_url(upcoming[0].key)
    trainings = await providers.goto_training.trainings()
    manage = await providers.goto_training.manage_url(trainings[0].key)
    zoom_start = await providers.zoom.start_url((await providers.zoom.meetings())[0].key)
    training_key, recording = await _a_training_recording(providers)
    target = await providers.goto_training.download_target(training_key, recording.key)
    tokens = json.loads(_paths(tmp_path).token_file("demo", demo=True).read_text())
    text = _paths(tmp_path).api_log.read_text()
    assert "/oauth/token" in text and "/G2M/rest/meetings/" in text
    secrets = [
        tokens["goto"]["access_token"],
        tokens["goto"]["refresh_token"],
        tokens["zoom"]["access_token"],
        "demo-admin-secret",
        "demo-zoom-secret",
        start.url,
        manage.url,
        zoom_start.url,
        target.url,
        httpx.URL(target.url).query.decode() or "<none>",
        "Bearer",
        "Basic",
    ]
    for secret in secrets:
        assert secret not in text


async def _a_training_recording(providers: ProviderSet) -> tuple[str, Any]:
    g2t = providers.goto_training
    assert g2t is not None
    for organizer in await g2t.organizers():
        for training in await g2t.trainings(organizer_key=organizer.key):
            recordings = await g2t.recordings(training.key)
            if recordings:
                return training.key, recordings[0]
    raise AssertionError("no training recording in the sandbox")


# -- ASGI transport: the same code path without sockets ---------------------------------


async def test_asgi_transport_large_registrant_stream(tmp_path: Path) -> None:
    from tui.sandbox.server import SandboxConfig, create_app

    app = create_app(SandboxConfig(seed=3, registrants=5000, rate_limit_scale=0))
    transport = httpx.ASGITransport(app=app)
    base = "http://127.0.0.1:8765"
    async with ProviderSet.for_profile(
        "demo", demo_profile(base), _paths(tmp_path), demo=True, transport=transport
    ) as providers:
        await providers.demo_sign_in()
        assert providers.zoom is not None
        big = str(app.state.sandbox.zoom.big_webinar_id)
        total = 0
        async for page in providers.zoom.webinar_registrant_pages(big):
            total += len(page)
        assert total == 5000
