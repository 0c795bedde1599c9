"""GoToAssist Seeit: paged sessions, create, get; epoch-millisecond times."""

from __future__ import annotations

import httpx

from tests.support.specs import goto_headers, validate
from tui.sandbox.config import SandboxConfig
from tui.sandbox.server import create_app
from tui.sandbox.state import SandboxState

S = "/seeit/v1"


async def test_paged_sessions(client: httpx.AsyncClient, state: SandboxState) -> None:
    admin = await goto_headers(client)
    first = validate(
        "seeit", "get", "/sessions", await client.get(f"{S}/sessions", headers=admin), 200
    )
    assert first["page"] == {
        "size": 5,
        "number": 0,
        "totalElements": len(state.goto.seeit),
        "totalPages": (len(state.goto.seeit) + 4) // 5,
    }
    created = [s["sessionCreateTime"] for s in first["content"]]
    assert created == sorted(created) and all(t > 10**12 for t in created)  # milliseconds
    assert {link["rel"] for link in first["links"]} == {"self", "next"}
    following = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = validate("seeit", "get", "/sessions", await client.get(following, headers=admin))
    assert second["page"]["number"] == 1
    assert {link["rel"] for link in second["links"]} == {"self", "next", "prev"}
    desc = (
        await client.get(
            f"{S}/sessions", headers=admin, params={"sort": "sessionCreateTime,desc", "size": 100}
        )
    ).json()
    times = [s["sessionCreateTime"] for s in desc["content"]]
    assert times == sorted(times, reverse=True)
    window = (
        await client.get(
            f"{S}/sessions",
            headers=admin,
            params={"startTime": times[10], "endTime": times[5], "size": 50},
        )
    ).json()
    assert window["page"]["totalElements"] == 6
    statuses = {s["sessionStatus"] for s in desc["content"]}
    assert statuses == {"CREATED", "STARTED", "JOINED", "FINISHED"}
    assert any(s["sessionDataStatus"] == "AVAILABLE" for s in desc["content"])
    bad = await client.get(f"{S}/sessions", headers=admin, params={"sort": "nope"})
    assert bad.status_code == 400


async def test_create_and_get_a_session(client: httpx.AsyncClient) -> None:
    admin = await goto_headers(client)
    created = validate(
        "seeit", "post", "/sessions", await client.post(f"{S}/sessions", headers=admin), 201
    )
    assert created["startUrl"].startswith("http") and created["sessionStatus"] == "CREATED"
    got = validate(
        "seeit",
        "get",
        "/sessions/{uuid}",
        await client.get(f"{S}/sessions/{created['uuid']}", headers=admin),
        200,
    )
    assert got["supportKey"] == created["supportKey"]
    missing = await client.get(f"{S}/sessions/00000000-0000-4000-8000-000000000000", headers=admin)
    assert missing.status_code == 404


async def test_plain_organizer_sees_only_own_sessions(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    plain = await goto_headers(client, admin=False)
    rows = (await client.get(f"{S}/sessions", headers=plain, params={"size": 100})).json()
    email = state.goto.organizers[state.goto.organizer_key].email
    assert rows["content"] and {s["technicianEmail"] for s in rows["content"]} == {email}
    other = next(s for s in state.goto.seeit.values() if s.technician_email != email)
    assert (await client.get(f"{S}/sessions/{other.uuid}", headers=plain)).status_code == 404


async def test_new_sessions_can_answer_409_for_a_while(config: SandboxConfig) -> None:
    config.seeit_409_ms = 60_000
    app = create_app(config)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8765"
    ) as client:
        admin = await goto_headers(client)
        created = (await client.post(f"{S}/sessions", headers=admin)).json()
        early = await client.get(f"{S}/sessions/{created['uuid']}", headers=admin)
        assert early.status_code == 409
