"""The real app under faults: each pane keeps its cached rows, says how old they are and
which typed error the refresh hit; after the fault clears, `r` recovers.

The app is built with `tui.app.build_app` (as the CLI and tests/tui build it) on a real
Deck over a copy of a cache synced from the sandbox, its stamps two hours old. Each
scenario: show a tab, set a fault on the endpoints that tab's refresh calls, press `r`,
read the screen; clear the fault, press `r`, read it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import SIZE, build, press, settle, show_tab
from tests.support.chaos import HTTP, PATIENT_HTTP, SyncedCache, tally
from tests.support.control import Control
from tests.support.screen import notices, screen_lines, screen_text
from tui.core.settings.config import HttpSettings
from tui.core.store.codec import TEXT_LIMIT


@dataclass(frozen=True)
class Scenario:
    """A tab, the fault on its refresh's endpoints, and the typed error it must show."""

    name: str
    tab: str
    provider_label: str
    rule: dict[str, Any]
    title: str
    expire_tokens: bool = False
    offline: bool = False
    http: HttpSettings = field(default_factory=lambda: HTTP)
    says: str = ""
    """Words the warning must contain (what happened, what to do)."""


SCENARIOS = [
    Scenario(
        "zoom-users-502-burst",
        "organizers",
        "Zoom",
        {"error_status": 502, "match": {"path": r"^/zoom/v2/users$"}},
        "Service unavailable",
        offline=True,
    ),
    Scenario(
        "g2m-meetings-timeout",
        "meetings",
        "Meeting",
        {"latency_ms": 20_000, "match": {"path": r"^/G2M/rest/"}},
        "Network unreachable",
        offline=True,
        # Limits a healthy answer meets on a loaded machine too: the recovering refresh
        # runs under the same settings.
        http=HTTP.model_copy(update={"read_timeout": 2.0, "max_retries": 0}),
    ),
    Scenario(
        "g2t-events-dropped",
        "events",
        "Training",
        {"drop_mid_body": True, "match": {"path": r"^/G2T/rest/"}},
        "Network unreachable",
        offline=True,
    ),
    Scenario(
        "zoom-registrants-malformed",
        "registrants",
        "Zoom",
        {"malformed_json": "garbage", "match": {"path": r"/registrants$"}},
        "Bad response from the service",
    ),
    Scenario(
        "zoom-token-endpoint-500",
        "events",
        "Zoom",
        {"error_status": 500, "match": {"method": "POST", "path": r"^/zoom/oauth/token$"}},
        "Service unavailable",
        expire_tokens=True,
        offline=True,
    ),
    Scenario(
        "seeit-429-storm",
        "support",
        "Assist",
        {"storm_429": True, "retry_after": 30, "match": {"path": r"^/seeit/v1/"}},
        "Rate limited",
    ),
    Scenario(
        "seeit-429-retry-after-absurd",
        "support",
        "Assist",
        {"storm_429": True, "retry_after": 10**15, "match": {"path": r"^/seeit/v1/"}},
        "Rate limited",
        says="Try again later.",
    ),
    Scenario(
        "g2m-meetings-trickle",
        "meetings",
        "Meeting",
        {"trickle_ms": 2500, "match": {"path": r"^/G2M/rest/"}},
        "Network unreachable",
        offline=True,
        says="after 2 seconds",
        http=HTTP.model_copy(update={"request_deadline": 2.0, "max_retries": 0}),
    ),
    Scenario(
        "zoom-registrants-huge-body",
        "registrants",
        "Zoom",
        {"huge_body": 2 * 1024 * 1024, "match": {"path": r"/registrants$"}},
        "Answer too large",
        says="max_body_bytes",
        http=HTTP.model_copy(update={"max_body_bytes": 1024 * 1024}),
    ),
    Scenario(
        "zoom-token-deeply-nested",
        "events",
        "Zoom",
        {"deep_nesting": 100_000, "match": {"method": "POST", "path": r"^/zoom/oauth/token$"}},
        "Bad response from the service",
        expire_tokens=True,
        says="nested too deeply",
    ),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
async def test_a_failing_refresh_keeps_the_cache_on_screen_and_recovers(
    scenario: Scenario, synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    control = Control(synced.base_url)
    app = build(synced.install(tmp_path), synced.base_url, http=scenario.http)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await show_tab(pilot, app, scenario.tab)
        # The cache is two hours old; the app signs in (the demo path) on the first `r`.
        before = pane.table.row_count
        assert before > 0, f"{scenario.tab} shows no cached rows"
        assert "data 2h ago" in screen_lines(app)[0], screen_lines(app)[0]

        if scenario.expire_tokens:
            control.expire()
        control.fault(scenario.rule)
        try:
            await press(pilot, app, "refresh")
        finally:
            control.clear()

        assert app.is_running
        header = screen_lines(app)[0]
        text = screen_text(app)
        assert "Traceback" not in text and "Unexpected error" not in text, text
        assert pane.table.row_count == before, "the cached rows left the screen"
        assert "data 2h ago" in header, header
        assert f"{scenario.provider_label} \u2717 {scenario.title}" in header, header
        assert ("OFFLINE" in header) is scenario.offline, header
        warned = [t for t in notices(app) if t.startswith(f"{scenario.title}:")]
        assert warned and "Showing cached data." in warned[-1], notices(app)
        assert scenario.says in warned[-1], warned[-1]
        errors_shown = len(notices(app))

        # The fault is gone: `r` recovers, the age resets and the error mark goes.
        await press(pilot, app, "refresh")
        header = screen_lines(app)[0]
        assert app.is_running
        assert pane.table.row_count == before
        assert "data just now" in header, header
        assert "\u2717" not in header and "OFFLINE" not in header, header
        assert len(notices(app)) == errors_shown, notices(app)[errors_shown:]
    tally(request, "tui")


async def test_r_on_recordings_refreshes_everything_the_pane_shows(
    synced: SyncedCache, tmp_path: Path
) -> None:
    """GoTo Meeting recordings come with the historical meetings: `r` on Recordings must
    refresh those too, or the age in the header never resets."""
    app = build(synced.install(tmp_path), synced.base_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await show_tab(pilot, app, "recordings")
        assert "data 2h ago" in screen_lines(app)[0]
        await press(pilot, app, "refresh")
        assert not [t for t in notices(app) if "rror" in t or "navailable" in t], notices(app)
        assert "data just now" in screen_lines(app)[0], screen_lines(app)[0]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
async def test_dates_at_the_ends_of_the_calendar_show_without_a_crash(
    zone: str, synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Every date-time from the API becomes 0001-01-01 (+14:00) or 9999-12-31 (-12:00):
    the refresh stores them (held two days inside the calendar), and the events tab,
    its details and every zone of the `t` cycle show them; no traceback, no error."""
    control = Control(synced.base_url)
    app = build(synced.install(tmp_path), synced.base_url, timezone=zone)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await show_tab(pilot, app, "events")
        control.fault({"extreme_dates": True})
        try:
            await press(pilot, app, "refresh")
        finally:
            control.clear()
        assert app.is_running
        assert not [t for t in notices(app) if "rror" in t or "failed" in t], notices(app)
        seen = set()
        for _ in range(3):
            for key in ("g", "G"):
                await pilot.press(key)
                await pilot.press("i")
                await settle(pilot, app)
                text = screen_text(app)
                assert "Traceback" not in text and "Unexpected error" not in text, text
                seen |= {year for year in ("0001-01-0", "9999-12-") if year in text}
                await pilot.press("escape")
                await settle(pilot, app)
            await press(pilot, app, "timezone")
        assert pane.table.row_count > 0
        assert seen == {"0001-01-0", "9999-12-"}, screen_text(app)  # years in full
    tally(request, "tui")


async def test_text_cut_to_the_cache_limit_is_reported(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Names twice the cache's text limit longer: the refresh succeeds and a notice says
    how many values were cut; the rows stay on screen. (The deck test sends 100,000
    characters to show the cache does not grow with them; here the notice is the point.)

    The fault hits one webinar's registrants, the smallest list: one cut value makes
    the notice as well as thousands do, and each long name costs the sandbox, the
    client and the cache CPU (every webinar's 320+ registrants cost 10 s a run)."""
    control = Control(synced.base_url)
    webinars = {
        key: e["total"]
        for key, e in synced.state["events"].items()
        if e["kind"] == "zoom_webinar" and e["total"] > 0
    }
    smallest = min(webinars, key=lambda key: (webinars[key], key))
    app = build(synced.install(tmp_path), synced.base_url, http=PATIENT_HTTP)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await show_tab(pilot, app, "registrants")
        before = pane.table.row_count
        control.fault(
            {
                "huge_strings": 2 * TEXT_LIMIT,
                "match": {"path": rf"^/zoom/v2/webinars/{re.escape(smallest)}/registrants$"},
            }
        )
        try:
            await press(pilot, app, "refresh")
        finally:
            control.clear()
        assert app.is_running and pane.table.row_count == before
        cut = [t for t in notices(app) if t.startswith("Long text cut:")]
        assert cut and "too long to keep whole" in cut[-1], notices(app)
        assert not [t for t in notices(app) if "rror" in t], notices(app)
    tally(request, "tui")
