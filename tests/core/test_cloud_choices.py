"""Choices meetdeck makes about the real clouds (docs/real-clouds.md), proved on the
sandbox over loopback: which OAuth host and paths, how far back support sessions are
asked for, how Zoom's token travels and is shared, what a 403 on attendees means."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr

from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck, sandbox_profile
from tui.core.errors import NeedsAdmin
from tui.core.providers.session import ProviderSet
from tui.core.settings.config import ProfileSettings, demo_profile
from tui.core.settings.paths import Paths
from tui.core.sync.types import ScopeKind


def paths_in(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "data", tmp_path / "cache", tmp_path / "dl")


async def test_goto_signs_in_on_the_current_oauth_host_never_the_deprecated_one(
    sandbox: Any, tmp_path: Path
) -> None:
    """A profile that names no host signs in at authentication.logmeininc.com; the
    sign-in asks /oauth/authorize and /oauth/token, never api.getgo.com's /oauth/v2."""
    profile = ProfileSettings(goto_client_id="cid", goto_client_secret=SecretStr("s"))
    async with ProviderSet.for_profile("work", profile, paths_in(tmp_path)) as providers:
        assert providers.goto_auth is not None
        url = urlsplit(providers.goto_auth.begin_login().url)
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "authentication.logmeininc.com",
        "/oauth/authorize",
    )
    control = Control(sandbox.base_url)
    seq = control.mark()
    demo = ProviderSet.for_profile(
        "demo", demo_profile(sandbox.base_url), paths_in(tmp_path / "demo"), demo=True
    )
    async with demo:
        await demo.demo_sign_in()
        assert demo.goto_meeting is not None
        await demo.goto_meeting.upcoming_meetings()
    oauth = [r["path"] for r in control.requests_since(seq) if "/oauth/" in r["path"]]
    assert oauth and set(oauth) <= {"/oauth/authorize", "/oauth/token"}


async def test_support_sessions_are_asked_for_the_90_days_goto_keeps(
    sandbox: Any, tmp_path: Path
) -> None:
    """GoTo Assist keeps session details 90 days: the support scope asks from 90 days
    back to now (epoch milliseconds), and caches what that window holds."""
    now = datetime.now(UTC).replace(microsecond=0)
    control = Control(sandbox.base_url)
    deck = open_deck(sandbox.base_url, spec=DeckSpec(sync_clock=lambda: now), goto_only=True)
    try:
        await deck.demo_sign_in()
        seq = control.mark()
        report = await deck.sync_all(kinds=[ScopeKind.SUPPORT])
    finally:
        await deck.aclose()
    assert report.ok, report.failed
    asked = [r for r in control.requests_since(seq) if r["path"] == "/seeit/v1/sessions"]
    assert asked
    for request in asked:
        query = parse_qs(request["query"])
        since = datetime.fromtimestamp(int(query["startTime"][0]) / 1000, UTC)
        until = datetime.fromtimestamp(int(query["endTime"][0]) / 1000, UTC)
        assert (since, until) == (now - timedelta(days=90), now)


async def test_the_zoom_token_goes_only_in_the_header_and_is_shared_through_the_file(
    sandbox: Any, tmp_path: Path
) -> None:
    """Zoom refuses a token in the query string (code 124) and may end a token when a
    new one is asked for: the token travels as `Authorization: Bearer` only, and a
    second client on the same profile (another process) uses the saved token instead
    of asking for its own."""
    control = Control(sandbox.base_url)
    paths = paths_in(tmp_path)
    profile = sandbox_profile(sandbox.base_url, zoom_only=True)
    seq = control.mark()
    for _ in range(2):
        async with ProviderSet.for_profile("demo", profile, paths, demo=True) as providers:
            assert providers.zoom is not None
            assert await providers.zoom.users()
    sent = control.requests_since(seq)
    tokens = [r for r in sent if r["path"] == "/zoom/oauth/token"]
    api = [r for r in sent if r["path"].startswith("/zoom/v2/")]
    assert len(tokens) == 1 and len(api) >= 2
    assert all(r["authorization"] and "token" not in r["query"] for r in api)


async def test_attendees_of_another_organizers_meeting_need_the_admin_role(
    sandbox: Any, tmp_path: Path
) -> None:
    """GoTo answers a non-admin's attendee call for a meeting they did not organize
    with 403: the client says the call needs the admin role, not a broken request."""
    profile = demo_profile(sandbox.base_url).model_copy(
        update={
            "goto_client_id": "demo-organizer",
            "goto_client_secret": SecretStr("demo-organizer-secret"),
            "zoom_client_id": None,
        }
    )
    goto = sandbox.state.goto
    held = next(
        s
        for s in goto.sessions.values()
        if goto.meetings[s.meeting_id].organizer_key != goto.organizer_key
    )
    async with ProviderSet.for_profile("plain", profile, paths_in(tmp_path)) as providers:
        await providers.demo_sign_in()
        assert providers.goto_meeting is not None
        with pytest.raises(NeedsAdmin) as info:
            await providers.goto_meeting.attendees(f"{held.meeting_id}:{held.id}")
    assert "admin role" in info.value.sentence
