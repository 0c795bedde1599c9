"""Zoom's plans and daily limits in the sandbox (docs/real-clouds.md, #14.4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from tests.support.sandbox import ANCHOR, BASE
from tests.support.specs import goto_headers, zoom_headers
from tui.sandbox.server import SandboxConfig, create_app

REGISTRANTS = "/zoom/v2/webinars/{}/registrants"


def frozen(app: Starlette) -> Starlette:
    """`app` whose buckets' clock stands still: a bucket lets exactly its second's worth
    through. Only the sandbox's clock: the event loop and httpx keep the real one."""
    app.state.sandbox.limiter.clock = lambda: 1000.0
    return app


async def burst(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[int]:
    """Statuses of requests to `path` until the first 429 (at most 100)."""
    statuses = []
    for _ in range(100):
        statuses.append((await client.get(path, headers=headers)).status_code)
        if statuses[-1] == 429:
            break
    return statuses


async def test_per_second_limits_follow_the_plan() -> None:
    """Pro lets 20 Medium calls through in a second, Business 60; Light 30 and 80."""
    app = frozen(create_app(SandboxConfig(anchor=ANCHOR, rate_limit_scale=1.0)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        zoom = await zoom_headers(c)
        medium = await burst(c, "/zoom/v2/users", zoom)
        assert medium == [200] * 20 + [429]
        light = await burst(c, "/zoom/v2/users/me", zoom)
        assert light == [200] * 30 + [429]
        first = await c.get("/zoom/v2/users/me", headers=zoom)
        assert first.headers["x-ratelimit-category"] == "Light"
        assert first.headers["x-ratelimit-type"] == "QPS"

        limits = (await c.post("/_sandbox/limits", json={"zoom_plan": "business"})).json()
        assert limits["zoom_plan"] == "business"
        assert limits["zoom_per_second"] == {"Light": 80.0, "Medium": 60.0, "Heavy": 40.0}
        medium = await burst(c, "/zoom/v2/users", zoom)
        assert medium == [200] * 60 + [429]
        ok = await c.get("/zoom/v2/users/me", headers=zoom)
        assert ok.headers["x-ratelimit-limit"] == "80"
        assert ok.headers["x-ratelimit-remaining"] == "79"
        state = (await c.get("/_sandbox/state")).json()
        assert state["config"]["zoom_plan"] == "business"

        reset = (await c.delete("/_sandbox/limits")).json()
        assert reset["zoom_plan"] == "pro"


def test_the_configured_plan_and_a_bad_one() -> None:
    app = create_app(SandboxConfig(anchor=ANCHOR, zoom_plan="enterprise"))
    assert app.state.sandbox.limiter.zoom_rate("Heavy") == 40.0
    with pytest.raises(ValueError, match="unknown Zoom plan 'gold'"):
        create_app(SandboxConfig(anchor=ANCHOR, zoom_plan="gold"))


async def test_control_refuses_a_bad_plan_or_rule(client: httpx.AsyncClient) -> None:
    bad_plan = await client.post("/_sandbox/limits", json={"zoom_plan": "gold"})
    assert bad_plan.status_code == 400 and "pro" in bad_plan.json()["error"]
    for rule in ({}, {"category": "Huge"}, {"path": "("}, {"path": "x", "shape": "odd"}):
        answer = await client.post("/_sandbox/limits/daily", json=rule)
        assert answer.status_code == 400, rule


async def test_daily_limit_documented_shape(client: httpx.AsyncClient) -> None:
    """X-RateLimit-Type: Daily-limit and Retry-After at the next 00:00 UTC; only the
    matching API is refused, whether per-second limits are on or off."""
    zoom = await zoom_headers(client)
    state = (await client.get("/_sandbox/state")).json()
    webinar = state["zoom"]["big_webinar_id"]
    rule = {"method": "GET", "path": r"^/zoom/v2/webinars/\d+/registrants$"}
    assert (await client.post("/_sandbox/limits/daily", json=rule)).status_code == 201

    refused = await client.get(REGISTRANTS.format(webinar), headers=zoom)
    assert refused.status_code == 429
    assert refused.headers["x-ratelimit-type"] == "Daily-limit"
    assert refused.headers["x-ratelimit-category"] == "Medium"
    assert refused.headers["x-ratelimit-limit"] == "30000"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    now = datetime.fromisoformat(state["now"].replace("Z", "+00:00"))
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert refused.headers["retry-after"] == midnight.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert refused.json()["code"] == 429 and "daily" in refused.json()["message"]

    assert (await client.get(f"/zoom/v2/webinars/{webinar}", headers=zoom)).status_code == 200
    assert (await client.get("/zoom/v2/users", headers=zoom)).status_code == 200
    await client.delete("/_sandbox/limits/daily")
    assert (await client.get(REGISTRANTS.format(webinar), headers=zoom)).status_code == 200


async def test_daily_limit_bare_shape_and_by_category(client: httpx.AsyncClient) -> None:
    """The shape a forum thread recorded: no type, no Retry-After, a Remaining above 0,
    and the body saying "GMT 00:00:00". A category rule refuses every API in it."""
    zoom = await zoom_headers(client)
    await client.post("/_sandbox/limits/daily", json={"category": "Light", "shape": "bare"})
    refused = await client.get("/zoom/v2/users/me", headers=zoom)
    assert refused.status_code == 429
    assert "retry-after" not in refused.headers
    assert "x-ratelimit-type" not in refused.headers
    assert refused.headers["x-ratelimit-category"] == "Light"
    assert int(refused.headers["x-ratelimit-remaining"]) > 0
    assert "You may resume these requests at GMT 00:00:00." in refused.json()["message"]
    assert (await client.get("/zoom/v2/users", headers=zoom)).status_code == 200  # Medium
    listed = (await client.get("/_sandbox/limits")).json()["daily"]
    assert [(r["category"], r["shape"], r["applied"]) for r in listed] == [("Light", "bare", 1)]


async def test_goto_apis_allow_10_requests_a_second_each() -> None:
    """GoTo's documented default: 10 a second per API, then 429; another API has its
    own 10. The sandbox adds rate headers and `Retry-After`, which GoTo does not document."""
    app = frozen(create_app(SandboxConfig(anchor=ANCHOR, rate_limit_scale=1.0)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        admin = await goto_headers(c)
        assert await burst(c, "/G2M/rest/upcomingMeetings", admin) == [200] * 10 + [429]
        trainings = f"/G2T/rest/organizers/{app.state.sandbox.goto.admin_key}/trainings"
        assert await burst(c, trainings, admin) == [200] * 10 + [429]
        refused = await c.get("/G2M/rest/upcomingMeetings", headers=admin)
        assert refused.status_code == 429 and "retry-after" in refused.headers
