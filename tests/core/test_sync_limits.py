"""Zoom daily limits during a sync, over loopback against the sandbox (#14.4)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.decks import open_deck, sandbox_profile
from tui.core.errors import DailyLimitReached
from tui.core.models import Provider
from tui.core.providers.session import ProviderSet
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.fetch import event_end
from tui.core.sync.types import ScopeKind

WEBINAR_REGISTRANTS = r"^/zoom/v2/webinars/\d+/registrants$"
KINDS = [ScopeKind.ORGANIZERS, ScopeKind.MEETINGS, ScopeKind.EVENTS, ScopeKind.REGISTRANTS]


class Clock:
    """A settable UTC clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def test_a_daily_limit_on_webinar_registrants_is_one_call_and_one_problem(
    sandbox: Any,
) -> None:
    """The next morning's sync (a new session, as `meetdeck sync` is) finds the limit
    used up: its scopes start together, yet the API is asked once."""
    control = Control(sandbox.base_url)
    deck = open_deck(sandbox.base_url, zoom_only=True)
    try:
        first = await deck.sync_all(kinds=KINDS)
        assert first.ok, first.failed
        events = deck.events(ViewQuery())
        # A webinar that ended is not asked again (its registrants were fetched after
        # its end): the limit stops the others.
        now = datetime.now(UTC)
        webinars = [
            e.key
            for e in events.rows(0, events.count())
            if (end := event_end(e.source)) is None or end >= now
        ]
        assert len(webinars) >= 2
        before = {key: deck.registrants(ViewQuery(event_key=key)).count() for key in webinars}
        meeting_scopes = {s.id for s in first.synced if s.event_kind == "meeting"}
        assert meeting_scopes  # Zoom meetings that take registration: another API
    finally:
        await deck.aclose()

    control.daily_limit(method="GET", path=WEBINAR_REGISTRANTS)
    seq = control.mark()
    deck = open_deck(sandbox.base_url, zoom_only=True)
    try:
        report = await deck.sync_all(kinds=KINDS)
        asked = control.requests_since(seq)
        after = {key: deck.registrants(ViewQuery(event_key=key)).count() for key in webinars}
    finally:
        await deck.aclose()

    refused = [r for r in asked if re.match(WEBINAR_REGISTRANTS, r["path"])]
    assert [r["status"] for r in refused] == [429]  # asked once, never retried
    assert sorted(f.scope.event_key or "" for f in report.failed) == sorted(webinars)
    assert all(isinstance(f.error, DailyLimitReached) for f in report.failed)
    (problem,) = report.problems()
    assert len(problem.scopes) == len(webinars)
    assert problem.error.sentence.startswith(
        "Zoom's daily limit for GET /webinars/{id}/registrants is used up until 00:00 UTC; "
        "showing cached data."
    )
    synced = {s.id for s in report.synced}
    assert {"organizers:zoom", "meetings:zoom", "events:zoom"} <= synced
    assert meeting_scopes <= synced  # the other scopes carry on
    assert after == before  # the cached registrants stay


async def test_a_daily_limit_without_retry_after_lasts_until_the_next_midnight(
    sandbox: Any,
) -> None:
    """The bare 429 (no X-RateLimit-Type, no Retry-After): stopped until 00:00 UTC by
    the client's clock, then asked again."""
    control = Control(sandbox.base_url)
    webinar = str(control.state()["zoom"]["big_webinar_id"])
    clock = Clock(datetime(2024, 5, 31, 21, 15, tzinfo=UTC))
    profile = sandbox_profile(sandbox.base_url, zoom_only=True)
    providers = ProviderSet.for_profile("sbx", profile, resolve_paths(), demo=True, clock=clock)
    control.daily_limit(method="GET", path=WEBINAR_REGISTRANTS, shape="bare")
    seq = control.mark()
    async with providers:
        zoom = providers.zoom
        assert zoom is not None
        with pytest.raises(DailyLimitReached) as info:
            await zoom.webinar_registrants(webinar)
        assert info.value.resets_at == datetime(2024, 6, 1, tzinfo=UTC)
        assert info.value.provider == Provider.ZOOM.value
        assert "until 00:00 UTC" in info.value.sentence
        clock.now = datetime(2024, 5, 31, 23, 59, 59, tzinfo=UTC)
        with pytest.raises(DailyLimitReached):
            await zoom.webinar_registrants(webinar)
        control.clear()  # the day is over for the service too
        clock.now = datetime(2024, 6, 1, 0, 0, 1, tzinfo=UTC)
        assert await zoom.webinar_registrants(webinar)
    statuses = [r["status"] for r in control.requests_since(seq) if webinar in r["path"]]
    assert statuses[0] == 429 and 429 not in statuses[1:] and len(statuses) > 1
