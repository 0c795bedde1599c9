"""The control API: state (also per event, compact for big ones) and the request log."""

from __future__ import annotations

import httpx

from tests.support.sandbox import ANCHOR, BASE
from tests.support.specs import goto_headers
from tui.sandbox.server import SandboxConfig, create_app
from tui.sandbox.state import SandboxState


async def test_state_counts_every_entity(client: httpx.AsyncClient, state: SandboxState) -> None:
    body = (await client.get("/_sandbox/state")).json()
    assert body["seed"] == 7 and body["anchor"] == "2025-03-10T00:00:00Z"
    goto, zoom = body["goto"]["counts"], body["zoom"]["counts"]
    assert 20 <= goto["organizers"] <= 60 and goto["groups"] >= 3
    assert goto["historical_meetings"] > 100 and goto["ongoing_meetings"] == 1
    assert goto["trainings"] and goto["training_registrants"] and goto["seeit_sessions"] == 80
    assert zoom["users"] == 16 and zoom["recordings"] > 5
    assert zoom["webinar_registrants"] >= 700
    big = str(body["zoom"]["big_webinar_id"])
    assert body["events"][big]["total"] == 700
    assert sum(body["events"][big]["counts"].values()) == 700
    kinds = {e["kind"] for e in body["events"].values()}
    assert kinds == {"zoom_webinar", "zoom_meeting", "g2t_training"}


async def test_state_of_one_event(client: httpx.AsyncClient, state: SandboxState) -> None:
    training = next(iter(state.goto.trainings.values()))
    body = (await client.get("/_sandbox/state", params={"event": str(training.key)})).json()
    assert body["kind"] == "g2t_training"
    assert body["registrants"] == {str(r.key): r.status for r in training.registrants.values()}
    missing = await client.get("/_sandbox/state", params={"event": "1"})
    assert missing.status_code == 404


async def test_big_events_are_reported_compactly() -> None:
    app = create_app(SandboxConfig(anchor=ANCHOR, registrants=5000, rate_limit_scale=0))
    state: SandboxState = app.state.sandbox
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        big = state.zoom.big_webinar_id
        body = (await c.get("/_sandbox/state", params={"event": str(big)})).json()
    compact = body["registrants_compact"]
    assert len(compact["ids"]) == len(compact["statuses"]) == 5000
    assert set(compact["statuses"]) <= set(compact["legend"])
    assert compact["statuses"].count("p") == body["counts"]["pending"]


async def test_request_log(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    mark = (await client.get("/_sandbox/requests")).json()["last_seq"]
    await client.get("/G2M/rest/upcomingMeetings", headers=admin)
    await client.get("/G2M/rest/nothing?x=1", headers=admin)
    await client.get("/G2M/rest/upcomingMeetings")
    log = (await client.get("/_sandbox/requests", params={"since": mark})).json()["requests"]
    assert [(e["path"], e["status"], e["authorization"]) for e in log[:3]] == [
        ("/G2M/rest/upcomingMeetings", 200, True),
        ("/G2M/rest/nothing", 404, True),
        ("/G2M/rest/upcomingMeetings", 401, False),
    ]
    first = log[0]
    assert {"seq", "time", "method", "query", "host", "api", "duration_ms"} <= set(first)
    assert log[1]["query"] == "x=1" and first["host"] == "127.0.0.1:8765"
    assert first["api"] == "g2m" and first["seq"] == mark + 1
    cleared = await client.delete("/_sandbox/requests")
    assert cleared.json()["cleared"] >= 4
    assert (await client.get("/_sandbox/requests", params={"since": 10**9})).json()[
        "requests"
    ] == []


async def test_request_log_is_bounded() -> None:
    app = create_app(SandboxConfig(anchor=ANCHOR, request_log_size=5, rate_limit_scale=0))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        for _ in range(12):
            await c.get("/G2M/rest/upcomingMeetings")
        body = (await c.get("/_sandbox/requests")).json()
    assert len(body["requests"]) == 5 and body["last_seq"] >= 12


async def test_landing_pages_and_index(client: httpx.AsyncClient) -> None:
    index = (await client.get("/")).json()
    assert index["zoom_api_base"] == "http://127.0.0.1:8765/zoom/v2"
    page = await client.get("/_sandbox/start/g2m/123")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert (await client.get("/zoom/j/123")).status_code == 200
    assert (await client.get("/_sandbox/unknown")).status_code == 404


def test_request_log_since_returns_what_follows_the_mark_up_to_the_limit() -> None:
    """`since(seq, limit)`: the entries numbered after `seq`, oldest first, at most
    `limit` (a negative limit leaves out that many of the newest), also once the oldest
    have been dropped and after the log was cleared."""
    from tui.sandbox.reqlog import RequestLog

    log = RequestLog(5)

    def add(count: int) -> None:
        for _ in range(count):
            log.start("GET", "/x", "", "h", False, "g2m")

    def seqs(seq: int, limit: int | None = None) -> list[int]:
        return [entry["seq"] for entry in log.since(seq, limit)]

    assert seqs(0) == [] and seqs(0, 1) == []
    add(3)
    assert seqs(0) == [1, 2, 3] and seqs(1) == [2, 3] and seqs(3) == [] and seqs(99) == []
    assert seqs(0, 1) == [1] and seqs(1, 0) == [] and seqs(0, -1) == [1, 2]
    add(9)  # 12 logged, the newest 5 kept
    assert seqs(0) == [8, 9, 10, 11, 12] and seqs(9) == [10, 11, 12] and seqs(-5, 2) == [8, 9]
    assert seqs(10, 1) == [11] and seqs(12) == [] and log.last_seq == 12
    copy = log.since(11)[0]
    copy["status"] = 999  # a copy: the log's own entry is unchanged
    assert log.since(11)[0]["status"] is None
    assert log.clear() == 5 and seqs(0) == []
    add(2)
    assert seqs(0) == [13, 14] and seqs(13) == [14] and seqs(0, 1) == [13]
