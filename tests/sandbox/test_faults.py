"""Fault injection at runtime, random errors, latency and the per-second rate limits."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.support.sandbox import ANCHOR, BASE
from tests.support.specs import goto_headers, validate, zoom_headers
from tui.sandbox.body_faults import DroppedConnection
from tui.sandbox.server import SandboxConfig, create_app
from tui.sandbox.state import SandboxState

UPCOMING = "/G2M/rest/upcomingMeetings"


async def add(client: httpx.AsyncClient, **rule: Any) -> dict[str, Any]:
    answer = await client.post("/_sandbox/faults", json=rule)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_faults_are_listed_cleared_and_validated(client: httpx.AsyncClient) -> None:
    rule = await add(client, latency_ms=5, match={"method": "get", "path": "^/zoom/"}, remaining=3)
    assert rule["match"] == {"method": "GET", "path": "^/zoom/"} and rule["remaining"] == 3
    listed = (await client.get("/_sandbox/faults")).json()["faults"]
    assert [r["id"] for r in listed] == [rule["id"]]
    assert (await client.delete(f"/_sandbox/faults/{rule['id']}")).status_code == 204
    await add(client, storm_429=True)
    assert (await client.delete("/_sandbox/faults")).json() == {"faults": []}
    for bad in (
        {"nope": 1},
        {"error_rate": 2},
        {"match": {"path": "("}},
        {"malformed_json": "weird"},
        {"remaining": 0},
        [1],
    ):
        answer = await client.post("/_sandbox/faults", json=bad)
        assert answer.status_code == 400, bad
        assert "error" in answer.json()


async def test_error_status_for_the_next_n_matching_requests(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    await add(client, error_status=503, match={"path": "^/G2M/"}, remaining=2)
    other = await client.get("/G2T/rest/trainings/1/recordings", headers=admin)
    assert other.status_code == 404  # not matched, not counted
    for _ in range(2):
        failed = await client.get(UPCOMING, headers=admin)
        assert failed.status_code == 503 and failed.headers["retry-after"] == "1"
        assert failed.headers["content-type"].startswith("text/html")  # like a gateway
    assert (await client.get(UPCOMING, headers=admin)).status_code == 200
    assert (await client.get("/_sandbox/faults")).json()["faults"] == []
    zoom = await zoom_headers(client)
    await add(client, error_status=500, remaining=1)  # token endpoints are not spared either
    answer = await client.get("/zoom/v2/users", headers=zoom)
    assert answer.status_code == 500 and answer.json()["code"] == 500


async def test_storm_429(client: httpx.AsyncClient) -> None:
    zoom = await zoom_headers(client)
    await add(client, storm_429=True, retry_after=7, match={"path": "/registrants"})
    storm = await client.get("/zoom/v2/webinars/1/registrants", headers=zoom)
    assert storm.status_code == 429 and storm.headers["retry-after"] == "7"
    assert storm.headers["x-ratelimit-category"] == "Medium"
    assert storm.headers["x-ratelimit-type"] == "QPS"
    assert storm.json()["code"] == 429
    assert (await client.get("/zoom/v2/users/me", headers=zoom)).status_code == 200


async def test_latency(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    await add(client, latency_ms=150, match={"path": "upcoming"})
    started = time.perf_counter()
    assert (await client.get(UPCOMING, headers=admin)).status_code == 200
    assert time.perf_counter() - started >= 0.15


async def test_malformed_json(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    await add(client, malformed_json=True, remaining=1)
    cut = await client.get(UPCOMING, headers=admin)
    assert cut.status_code == 200 and int(cut.headers["content-length"]) == len(cut.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)
    await add(client, malformed_json="garbage", remaining=1)
    with pytest.raises(ValueError):
        json.loads((await client.get(UPCOMING, headers=admin)).content)
    assert (await client.get(UPCOMING, headers=admin)).json()


async def test_extra_fields_reach_every_object_and_stay_valid(client: httpx.AsyncClient) -> None:
    zoom = await zoom_headers(client)
    await add(client, extra_fields=True)
    page = validate("zoom", "get", "/users", await client.get("/zoom/v2/users", headers=zoom))
    assert "sandboxUnknownField" in page and "sandboxUnknownField" in page["users"][0]


async def test_html_instead_of_file_touches_only_files(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    zoom = await zoom_headers(client)
    rule = await add(client, html_instead_of_file=True, remaining=1)
    assert (await client.get("/zoom/v2/users/me", headers=zoom)).status_code == 200
    assert (await client.get("/_sandbox/faults")).json()["faults"][0]["remaining"] == 1
    file_id = next(
        m.recording.files[0].id
        for m in state.zoom.meetings.values()
        if m.recording and not m.recording.files[0].file.html
    )
    page = await client.get(f"/zoom/rec/download/{file_id}", headers=zoom)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert b"<html" in page.content
    real = await client.get(f"/zoom/rec/download/{file_id}", headers=zoom)
    assert real.headers["content-type"] == "video/mp4"
    log = (await client.get("/_sandbox/requests")).json()["requests"]
    assert next(e for e in log if e["fault"] == [rule["id"]])["path"].endswith(file_id)


async def test_drop_mid_body_aborts_the_response(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    await add(client, drop_mid_body=True, remaining=1)
    with pytest.raises(DroppedConnection):  # over a socket: a broken connection, see test_server
        await client.get(UPCOMING, headers=admin)
    log = (await client.get("/_sandbox/requests")).json()["requests"]
    assert log[-2]["dropped"] is True and log[-2]["status"] == 200


async def test_configured_error_rate_and_latency_spare_the_control_api() -> None:
    # The sandbox's waits are recorded instead of slept (its own sleep, not asyncio's):
    # a control call asks for none of the configured 20 s, an API call asks for that.
    waits: list[float] = []

    async def recorded(delay: float) -> None:
        waits.append(delay)

    app = create_app(
        SandboxConfig(anchor=ANCHOR, error_rate=1.0, latency_ms=20_000, rate_limit_scale=0)
    )
    app.state.sandbox.sleep = recorded
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        assert (await c.get("/_sandbox/state")).status_code == 200
        assert 20.0 not in waits
        await c.get(UPCOMING)
        assert 20.0 in waits
    app = create_app(SandboxConfig(anchor=ANCHOR, error_rate=1.0, rate_limit_scale=0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        statuses = {(await c.get(UPCOMING)).status_code for _ in range(12)}
        assert statuses <= {500, 502, 503, 504} and len(statuses) > 1


async def test_rate_limits_per_api_and_category() -> None:
    # The buckets' clock stands still until the test moves it: on a loaded machine
    # seven requests can take over a second, and a real clock would refill the bucket.
    # Only this sandbox's clock: the event loop and httpx keep the real one.
    now = [1000.0]
    app = create_app(SandboxConfig(anchor=ANCHOR, rate_limit_scale=0.3))
    app.state.sandbox.limiter.clock = lambda: now[0]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        admin = await goto_headers(c)
        zoom = await zoom_headers(c)
        answers = [await c.get(UPCOMING, headers=admin) for _ in range(4)]  # 3 per second
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[0].headers["x-ratelimit-limit"] == "3"
        assert answers[0].headers["x-ratelimit-remaining"] == "2"
        limited = answers[-1]
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["int_err_code"] == "TooManyRequests"
        assert (await c.get("/admin/rest/v1/me", headers=admin)).status_code == 200  # own bucket
        medium = [await c.get("/zoom/v2/users", headers=zoom) for _ in range(7)]  # 6 per second
        assert medium[-1].status_code == 429
        assert medium[-1].headers["x-ratelimit-category"] == "Medium"
        assert medium[-1].headers["x-ratelimit-type"] == "QPS"
        assert medium[-1].headers["x-ratelimit-remaining"] == "0"
        light = await c.get("/zoom/v2/users/me", headers=zoom)
        assert light.status_code == 200 and light.headers["x-ratelimit-category"] == "Light"
        now[0] += 0.4  # a third of a second refills one G2M request
        assert (await c.get(UPCOMING, headers=admin)).status_code == 200


async def test_body_reshaping_faults(client: httpx.AsyncClient) -> None:
    """huge_strings, extreme_dates, deep_nesting and huge_body rewrite a JSON answer."""
    zoom = await zoom_headers(client)
    clean = (await client.get("/zoom/v2/users", headers=zoom)).json()
    await add(
        client,
        huge_strings=500,
        extreme_dates=True,
        remaining=1,
        match={"path": "^/zoom/v2/users$"},
    )
    users = (await client.get("/zoom/v2/users", headers=zoom)).json()["users"]
    assert len(users) == len(clean["users"])
    assert all(u["first_name"].endswith("x" * 500) for u in users)
    assert users[0]["id"] == clean["users"][0]["id"]  # keys are left alone
    dates = {
        v for u in users for v in u.values() if isinstance(v, str) and v[:4] in ("0001", "9999")
    }
    assert dates <= {"0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"} and dates
    await add(
        client, deep_nesting=50, huge_body=100_000, remaining=1, match={"path": "^/zoom/v2/users$"}
    )
    answer = await client.get("/zoom/v2/users", headers=zoom)
    assert "content-length" not in answer.headers  # chunked: only reading tells the size
    body = answer.json()
    assert body["x_deep"] == json.loads("[" * 50 + "]" * 50) and len(body["x_padding"]) == 100_000
    assert body["users"] == clean["users"]
    for bad in ({"trickle_ms": -1}, {"deep_nesting": "deep"}):
        assert (await client.post("/_sandbox/faults", json=bad)).status_code == 400, bad


async def test_trickle_sends_the_same_body_a_byte_at_a_time(client: httpx.AsyncClient) -> None:
    await add(client, trickle_ms=1, remaining=1, match={"path": "^/zoom/v2/users$"})
    trickled = await client.get("/zoom/v2/users")  # no token: a short 401 body
    assert trickled.status_code == 401
    assert trickled.json() == (await client.get("/zoom/v2/users")).json()
