"""Zoom meeting registration against the sandbox, counted in its request log.

The meetings list carries no `settings`, so the adapter asks GET /meetings/{id} of each
meeting that can take registration (types 2 and 8; never the instant meeting), and a
sync then caches the registrants of the meetings whose `approval_type` is 0 or 1.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.control import Control
from tui.core.deck.from_profile import open_profile
from tui.core.errors import ServiceUnavailable
from tui.core.models import EventKind, Meeting, Provider
from tui.core.providers.session import ProviderSet
from tui.core.providers.zoom import Zoom
from tui.core.settings.config import HttpSettings, demo_profile
from tui.core.settings.paths import Paths, resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind

DETAIL = re.compile(r"/zoom/v2/meetings/(\d+)")
#: Zoom only, without client-side pacing to wait for (no test here is about it).
ZOOM_ONLY = {"goto_client_id": None, "goto_client_secret": None, "zoom_rate_limit": 1000.0}
#: Retries only for the sandbox's 429s (its rate limits are on); a 500 is never retried.
HTTP = HttpSettings(max_retries=3, max_backoff=1.0)


def details_asked(sandbox: Any, seq: int) -> list[str]:
    """Meeting ids of the GET /meetings/{id} calls since `seq`."""
    log = Control(sandbox.base_url).requests_since(seq, control=True)
    return [m.group(1) for r in log if r["method"] == "GET" if (m := DETAIL.fullmatch(r["path"]))]


def registration_meetings(sandbox: Any) -> set[str]:
    """Ids of the sandbox's Zoom meetings that take registration (they have registrants)."""
    events = Control(sandbox.base_url).call("GET", "state")["events"]
    return {key for key, e in events.items() if e["kind"] == "zoom_meeting"}


@pytest.fixture
async def zoom(sandbox: Any, tmp_path: Path) -> AsyncIterator[Zoom]:
    """The Zoom adapter of a Zoom-only demo profile."""
    profile = demo_profile(sandbox.base_url).model_copy(update=ZOOM_ONLY)
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "dl")
    providers = ProviderSet.for_profile("demo", profile, paths, HTTP, demo=True)
    assert providers.zoom is not None
    try:
        yield providers.zoom
    finally:
        await providers.aclose()


async def all_meetings(zoom: Zoom) -> list[Meeting]:
    active = [user for user in await zoom.users() if user.status == "active"]
    return [m for user in active for m in await zoom.meetings(user.key)]


async def test_registration_is_read_from_each_candidate_meeting(zoom: Zoom, sandbox: Any) -> None:
    users = [user for user in await zoom.users() if user.status == "active"]
    seq = Control(sandbox.base_url).mark()
    meetings = [m for user in users for m in await zoom.meetings(user.key)]
    asked = details_asked(sandbox, seq)

    candidates = [m.key for m in meetings if m.meeting_type in ("2", "8")]
    assert sorted(asked) == sorted(candidates)  # once each, and only these
    assert not any(m.meeting_type == "1" for m in meetings)  # instant ones are never listed
    listed = {m.key for m in meetings}
    live = {str(e.id) for e in sandbox.state.zoom.meetings.values() if e.status == "started"}
    assert live and live <= listed  # `scheduled` includes the meeting in progress
    with_registration = {m.key for m in meetings if m.has_registration}
    assert with_registration and with_registration == registration_meetings(sandbox) & listed
    key = sorted(with_registration)[0]
    people = await zoom.meeting_registrants(key)
    assert people and {p.event_kind for p in people} == {EventKind.MEETING}


async def test_a_meeting_deleted_meanwhile_is_left_out(zoom: Zoom, sandbox: Any) -> None:
    before = await all_meetings(zoom)
    victim = next(m for m in before if m.has_registration)
    Control(sandbox.base_url).call(
        "POST",
        "faults",
        {
            "error_status": 404,
            "match": {"method": "GET", "path": f"^/zoom/v2/meetings/{victim.key}$"},
        },
    )
    after = await all_meetings(zoom)
    assert {m.key for m in after} == {m.key for m in before} - {victim.key}
    assert {m.key for m in after if m.has_registration} == {
        m.key for m in before if m.has_registration
    } - {victim.key}


async def test_a_failing_meeting_lookup_fails_the_list(zoom: Zoom, sandbox: Any) -> None:
    users = [user for user in await zoom.users() if user.status == "active"]
    meetings = [m for user in users for m in await zoom.meetings(user.key)]
    victim = next(m for m in meetings if m.meeting_type == "2")
    Control(sandbox.base_url).call(
        "POST",
        "faults",
        {
            "error_status": 500,
            "match": {"method": "GET", "path": f"^/zoom/v2/meetings/{victim.key}$"},
        },
    )
    host = next(u for u in users if u.key == victim.organizer_key)
    with pytest.raises(ServiceUnavailable):
        await zoom.meetings(host.key)


async def test_sync_caches_zoom_meeting_registrants(sandbox: Any) -> None:
    profile = demo_profile(sandbox.base_url).model_copy(update=ZOOM_ONLY)
    deck = open_profile(resolve_paths(), "zm", profile, demo=True, http=HTTP)
    try:
        # Users, meetings and (following them) meeting registrants; no webinars.
        report = await deck.sync_all(
            kinds=[ScopeKind.ORGANIZERS, ScopeKind.MEETINGS, ScopeKind.REGISTRANTS]
        )
        assert report.ok, report.failed
        meetings = deck.meetings(ViewQuery(provider=Provider.ZOOM))
        with_registration = {
            m.key: m for m in meetings.rows(0, meetings.count()) if m.has_registration
        }
        assert with_registration
        for key, meeting in with_registration.items():
            expected = Control(sandbox.base_url).call("GET", f"state?event={key}")["counts"]
            view = deck.registrants(ViewQuery(event_key=key))
            people = view.rows(0, view.count())
            assert len(people) == sum(n for s, n in expected.items() if s != "cancelled")
            assert {p.event_title for p in people} == {meeting.subject}
        # A registrants-only sync refreshes them too (from the cache's meetings).
        again = await deck.sync_all(kinds=[ScopeKind.REGISTRANTS])
        assert again.ok and {
            s.event_key for s in again.synced if s.event_kind is EventKind.MEETING
        } == set(with_registration)
    finally:
        await deck.aclose()
