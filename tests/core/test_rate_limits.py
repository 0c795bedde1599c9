"""Zoom's per-second limits by plan, the rate headers, and daily limits used up
(docs/real-clouds.md, #14.4), at the HTTP client."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support.fakehttp import Sleeps, make_api
from tui.core.errors import DailyLimitReached
from tui.core.net.limits import Pace, api_template
from tui.core.providers.session import ProviderSet
from tui.core.settings.config import demo_profile
from tui.core.settings.paths import resolve_paths

NOW = datetime(2024, 5, 31, 17, 30, tzinfo=UTC)
DOCUMENTED = {
    "X-RateLimit-Category": "Medium",
    "X-RateLimit-Type": "Daily-limit",
    "X-RateLimit-Limit": "30000",
    "X-RateLimit-Remaining": "0",
    "Retry-After": "2024-06-01T00:00:00Z",
}
BARE_BODY = {
    "code": 429,
    "message": "You have exceeded the daily rate limit (100) of Meeting Create/Update API "
    "requests permitted for this particular user. You may resume these requests at GMT "
    "00:00:00.",
}


class Clock:
    """A settable UTC clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def zoom_buckets(plan: str) -> dict[str, float]:
    profile = demo_profile("http://127.0.0.1:9").model_copy(update={"zoom_plan": plan})
    providers = ProviderSet.for_profile("p", profile, resolve_paths())
    assert providers.zoom is not None
    return {name: pace.rate for name, pace in providers.zoom.api.buckets.items()}


def test_a_business_profile_is_paced_faster_than_a_pro_one() -> None:
    assert zoom_buckets("pro") == {"light": 30.0, "default": 20.0, "heavy": 10.0}
    assert zoom_buckets("business") == {"light": 80.0, "default": 60.0, "heavy": 40.0}


def test_api_template_takes_the_ids_out() -> None:
    assert api_template("get", "/webinars/81234567/registrants") == "GET /webinars/{id}/registrants"
    assert api_template("GET", "/users/me/webinars") == "GET /users/{id}/webinars"
    assert api_template("GET", "/users/KDcuGIm1QgePTOwbOqwIQa/recordings") == (
        "GET /users/{id}/recordings"
    )
    assert api_template("PUT", "/webinars/9/registrants/status") == (
        "PUT /webinars/{id}/registrants/status"
    )
    assert api_template("GET", "/meetings/ab%252Fcd%3D%3D/recordings") == (
        "GET /meetings/{id}/recordings"
    )


async def test_rate_headers_slow_a_bucket_but_never_past_its_plan(tmp_path: Path) -> None:
    limits = ["5", "500", "12"]

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"X-RateLimit-Limit": limits.pop(0), "X-RateLimit-Remaining": "3"}
        return httpx.Response(200, json={}, headers=headers)

    api, _sleeps, _ = make_api(tmp_path, handler, rate=20.0)
    pace = api.buckets["default"]
    await api.get_json("/users")
    assert pace.rate == 5.0  # the service says less than the plan: slower
    await api.get_json("/users")
    assert pace.rate == 20.0  # it says more: back to the plan, never above it
    await api.get_json("/users")
    assert pace.rate == 12.0


async def test_a_daily_counter_does_not_set_the_per_second_rate(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"X-RateLimit-Type": "Daily-limit", "X-RateLimit-Limit": "2"}
        return httpx.Response(200, json={}, headers={**headers, "X-RateLimit-Remaining": "0"})

    api, sleeps, _ = make_api(tmp_path, handler, rate=20.0)
    await api.get_json("/report")
    await api.get_json("/report")
    assert api.buckets["default"].rate == 20.0 and sleeps.calls == []


async def test_no_requests_remaining_holds_the_next_one_for_a_window() -> None:
    ticks = [100.0]
    pace = Pace(20.0, clock=lambda: ticks[0])
    sleeps = Sleeps()
    pace.observe({"x-ratelimit-limit": "20", "x-ratelimit-remaining": "0"})
    ticks[0] = 100.25
    await pace.acquire(sleeps)
    assert sleeps.calls == [pytest.approx(0.75)]
    pace.observe({"x-ratelimit-limit": "20", "x-ratelimit-remaining": "7"})
    ticks[0] = 102.0
    await pace.acquire(sleeps)
    assert len(sleeps.calls) == 1


async def test_daily_limit_stops_that_api_until_retry_after(tmp_path: Path) -> None:
    """Never retried; later calls to the same API fail at once with the same error;
    other APIs carry on; after the reset the API is asked again."""
    calls: list[str] = []
    clock = Clock()

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if "/registrants" in request.url.path and clock.now < datetime(2024, 6, 1, tzinfo=UTC):
            return httpx.Response(429, json={"code": 429}, headers=DOCUMENTED)
        return httpx.Response(200, json={})

    api, sleeps, _ = make_api(tmp_path, handler, clock=clock)
    with pytest.raises(DailyLimitReached) as first:
        await api.get_json("/webinars/111/registrants")
    assert calls == ["/v1/webinars/111/registrants"] and sleeps.calls == []
    error = first.value
    assert error.resets_at == datetime(2024, 6, 1, tzinfo=UTC)
    assert error.retry_after == pytest.approx(6.5 * 3600)
    assert error.limit == "GET /webinars/{id}/registrants"
    assert error.sentence == (
        "Test API's daily limit for GET /webinars/{id}/registrants is used up until 00:00 "
        "UTC; showing cached data. meetdeck asks again after then."
    )

    with pytest.raises(DailyLimitReached) as again:
        await api.get_json("/webinars/222/registrants")
    assert again.value.sentence == error.sentence
    assert len(calls) == 1  # not asked
    assert await api.get_json("/webinars/222") == {}  # another API carries on

    clock.now = datetime(2024, 6, 1, 0, 0, 1, tzinfo=UTC)
    assert await api.get_json("/webinars/222/registrants") == {}
    assert calls[-1] == "/v1/webinars/222/registrants"


async def test_daily_limit_without_headers_lasts_until_the_next_midnight(
    tmp_path: Path,
) -> None:
    """The shape seen in practice: no X-RateLimit-Type, no Retry-After, only the body."""
    calls: list[str] = []
    clock = Clock(datetime(2024, 5, 31, 23, 59, 58, tzinfo=UTC))

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        headers = {"X-RateLimit-Category": "Light", "X-RateLimit-Limit": "6000"}
        return httpx.Response(429, json=BARE_BODY, headers=headers)

    api, sleeps, _ = make_api(tmp_path, handler, max_retries=4, clock=clock)
    with pytest.raises(DailyLimitReached) as info:
        await api.request("POST", "/users/me/meetings")
    assert calls == ["POST"] and sleeps.calls == []  # not retried 4 times
    assert info.value.resets_at == datetime(2024, 6, 1, tzinfo=UTC)
    assert "until 00:00 UTC" in info.value.sentence
    clock.now += timedelta(seconds=1)
    with pytest.raises(DailyLimitReached):
        await api.request("POST", "/users/me/meetings")
    assert calls == ["POST"]
    clock.now += timedelta(seconds=2)  # past midnight: asked again (and refused again)
    with pytest.raises(DailyLimitReached) as later:
        await api.request("POST", "/users/me/meetings")
    assert calls == ["POST", "POST"]
    assert later.value.resets_at == datetime(2024, 6, 2, tzinfo=UTC)


async def test_a_heavy_daily_cap_stops_every_heavy_api_it_knows(tmp_path: Path) -> None:
    """Heavy calls share one daily cap: an API the service labelled Heavy is not asked
    once another Heavy API used it up; a Medium API carries on."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        heavy = request.url.path.endswith(("/report", "/dashboard"))
        category = "Heavy" if heavy else "Medium"
        if request.url.path.endswith("/dashboard") and len(calls) > 2:
            return httpx.Response(429, headers={**DOCUMENTED, "X-RateLimit-Category": category})
        return httpx.Response(200, json={}, headers={"X-RateLimit-Category": category})

    api, _sleeps, _ = make_api(tmp_path, handler, clock=Clock())
    await api.get_json("/report")
    await api.get_json("/users")
    with pytest.raises(DailyLimitReached) as info:
        await api.get_json("/dashboard")
    assert info.value.limit == "Heavy APIs (GET /dashboard)"
    with pytest.raises(DailyLimitReached):
        await api.get_json("/report")
    assert await api.get_json("/users") == {}
    assert calls == ["/v1/report", "/v1/users", "/v1/dashboard", "/v1/users"]


async def test_calls_sent_together_learn_from_the_first_answer(tmp_path: Path) -> None:
    """Several scopes ask the same API at once: only the first call goes out until it is
    answered, so a daily limit used up costs one refused call, not one per scope."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(429, json={"code": 429}, headers=DOCUMENTED)

    api, _sleeps, _ = make_api(tmp_path, handler, clock=Clock())
    results = await asyncio.gather(
        *(api.get_json(f"/webinars/{n}/registrants") for n in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, DailyLimitReached) for r in results)
    assert len(calls) == 1


async def test_after_a_quiet_spell_the_next_call_is_a_first_call_again(tmp_path: Path) -> None:
    """A long-lived session (the TUI) that comes back to an API after a minute finds a
    daily limit used up with one refused call too."""
    calls: list[str] = []
    clock = Clock()

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 1:
            return httpx.Response(200, json={})
        return httpx.Response(429, json={"code": 429}, headers=DOCUMENTED)

    api, _sleeps, _ = make_api(tmp_path, handler, clock=clock)
    assert await api.get_json("/webinars/1/registrants") == {}
    clock.now += timedelta(seconds=61)
    results = await asyncio.gather(
        *(api.get_json(f"/webinars/{n}/registrants") for n in range(5)), return_exceptions=True
    )
    assert all(isinstance(r, DailyLimitReached) for r in results)
    assert len(calls) == 2
