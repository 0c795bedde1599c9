"""Zoom: the excerpt's 14 operations, validated; registrant paging, status updates."""

from __future__ import annotations

import httpx
import pytest

from tests.support.specs import validate, zoom_headers
from tui.sandbox.state import SandboxState

Z = "/zoom/v2"


@pytest.fixture
async def zoom(client: httpx.AsyncClient) -> dict[str, str]:
    return await zoom_headers(client)


async def test_users(client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState) -> None:
    page = validate(
        "zoom",
        "get",
        "/users",
        await client.get(f"{Z}/users", headers=zoom, params={"page_size": 5}),
        200,
    )
    active = [u for u in state.zoom.users.values() if u.status == "active"]
    assert page["total_records"] == len(active) and len(page["users"]) == 5
    rest = (
        await client.get(
            f"{Z}/users",
            headers=zoom,
            params={"page_size": 5, "next_page_token": page["next_page_token"]},
        )
    ).json()
    assert {u["id"] for u in rest["users"]}.isdisjoint({u["id"] for u in page["users"]})
    pending = (await client.get(f"{Z}/users", headers=zoom, params={"status": "pending"})).json()
    assert pending["total_records"] == 1
    me = validate(
        "zoom", "get", "/users/{userId}", await client.get(f"{Z}/users/me", headers=zoom), 200
    )
    assert me["id"] == state.zoom.owner_id
    by_email = (await client.get(f"{Z}/users/{me['email']}", headers=zoom)).json()
    assert by_email["id"] == me["id"]
    missing = await client.get(f"{Z}/users/nobody", headers=zoom)
    assert missing.status_code == 404 and missing.json()["code"] == 1001


async def test_webinars(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    listed = validate(
        "zoom",
        "get",
        "/users/{userId}/webinars",
        await client.get(f"{Z}/users/me/webinars", headers=zoom),
        200,
    )
    big = state.zoom.big_webinar_id
    assert big in {w["id"] for w in listed["webinars"]}
    one = validate(
        "zoom",
        "get",
        "/webinars/{webinarId}",
        await client.get(f"{Z}/webinars/{big}", headers=zoom),
        200,
    )
    assert one["start_url"] and one["join_url"] and one["settings"]["approval_type"] == 1
    missing = await client.get(f"{Z}/webinars/1", headers=zoom)
    assert missing.status_code == 404 and missing.json()["code"] == 3001


async def test_registrants_default_to_approved_and_page_with_tokens(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    big = state.zoom.big_webinar_id
    table = state.zoom.webinars[big].registrants
    assert table is not None
    url = f"{Z}/webinars/{big}/registrants"
    default = validate(
        "zoom", "get", "/webinars/{webinarId}/registrants", await client.get(url, headers=zoom), 200
    )
    assert default["total_records"] == table.count(1) and default["page_size"] == 30
    assert {r["status"] for r in default["registrants"]} == {"approved"}
    seen: list[str] = []
    token = ""
    while True:
        params: dict[str, str | int] = {"status": "pending", "page_size": 300}
        if token:
            params["next_page_token"] = token
        page = (await client.get(url, headers=zoom, params=params)).json()
        seen.extend(r["id"] for r in page["registrants"])
        token = page["next_page_token"]
        if not token:
            break
    assert len(seen) == len(set(seen)) == table.count(0)
    capped = (await client.get(url, headers=zoom, params={"page_size": 1000})).json()
    assert capped["page_size"] == 300
    second = (await client.get(url, headers=zoom, params={"page_number": 2})).json()
    assert {r["id"] for r in second["registrants"]}.isdisjoint(
        {r["id"] for r in default["registrants"]}
    )
    bad = await client.get(url, headers=zoom, params={"next_page_token": "garbage!"})
    assert bad.status_code == 400
    denied = (await client.get(url, headers=zoom, params={"status": "denied"})).json()
    assert denied["total_records"] == table.count(2) > 0


async def test_hostile_registrant_is_on_the_first_pending_page(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    big = state.zoom.big_webinar_id
    page = (
        await client.get(
            f"{Z}/webinars/{big}/registrants", headers=zoom, params={"status": "pending"}
        )
    ).json()
    names = {r["first_name"] for r in page["registrants"]}
    assert "[@click=app.quit]x" in names and "山田太郎" in names
    rid = next(r["id"] for r in page["registrants"] if r["first_name"] == "[@click=app.quit]x")
    one = validate(
        "zoom",
        "get",
        "/webinars/{webinarId}/registrants/{registrantId}",
        await client.get(f"{Z}/webinars/{big}/registrants/{rid}", headers=zoom),
        200,
    )
    assert one["status"] == "pending"


async def test_status_update_approve_deny_cancel(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    big = state.zoom.big_webinar_id
    url = f"{Z}/webinars/{big}/registrants"
    pending = (await client.get(url, headers=zoom, params={"status": "pending"})).json()
    approved_before = (await client.get(url, headers=zoom)).json()["total_records"]
    three = pending["registrants"][:3]
    body = {
        "action": "approve",
        "registrants": [{"id": three[0]["id"]}, {"email": three[1]["email"]}],
    }
    answer = await client.put(f"{url}/status", headers=zoom, json=body)
    assert answer.status_code == 204 and answer.content == b""
    approved = (await client.get(url, headers=zoom)).json()["total_records"]
    assert approved == approved_before + 2
    deny = await client.put(
        f"{url}/status",
        headers=zoom,
        json={"action": "deny", "registrants": [{"id": three[2]["id"]}]},
    )
    assert deny.status_code == 204
    got = (await client.get(f"{url}/{three[2]['id']}", headers=zoom)).json()
    assert got["status"] == "denied"
    cancel = await client.put(
        f"{url}/status",
        headers=zoom,
        json={"action": "cancel", "registrants": [{"id": three[0]["id"]}]},
    )
    assert cancel.status_code == 204
    assert (await client.get(f"{url}/{three[0]['id']}", headers=zoom)).status_code == 404
    after = (await client.get(url, headers=zoom)).json()["total_records"]
    assert after == approved - 1
    state_view = (await client.get("/_sandbox/state", params={"event": str(big)})).json()
    statuses = state_view["registrants"]
    assert statuses[three[0]["id"]] == "cancelled" and statuses[three[2]["id"]] == "denied"


async def test_status_update_refuses_more_than_30_and_bad_actions(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    url = f"{Z}/webinars/{state.zoom.big_webinar_id}/registrants/status"
    many = [{"id": f"id{n}"} for n in range(31)]
    answer = await client.put(url, headers=zoom, json={"action": "approve", "registrants": many})
    assert answer.status_code == 400
    assert answer.json()["code"] == 300 and "message" in answer.json()
    bad = await client.put(url, headers=zoom, json={"action": "maybe", "registrants": many[:1]})
    assert bad.status_code == 400
    junk = await client.put(
        url, headers={**zoom, "content-type": "application/json"}, content=b"{not json"
    )
    assert junk.status_code == 400
    missing = await client.put(
        f"{Z}/webinars/1/registrants/status",
        headers=zoom,
        json={"action": "approve", "registrants": many[:1]},
    )
    assert missing.status_code == 404


async def test_meetings_and_their_registrants(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    event = next(
        m
        for m in state.zoom.meetings.values()
        if m.registrants is not None and m.registrants.count(0)
    )
    host = event.host_id
    listed = validate(
        "zoom",
        "get",
        "/users/{userId}/meetings",
        await client.get(
            f"{Z}/users/{host}/meetings", headers=zoom, params={"type": "previous_meetings"}
        ),
        200,
    )
    upcoming = (
        await client.get(f"{Z}/users/{host}/meetings", headers=zoom, params={"type": "upcoming"})
    ).json()
    assert listed["meetings"] or upcoming["meetings"]
    live = (
        await client.get(f"{Z}/users/me/meetings", headers=zoom, params={"type": "live"})
    ).json()
    assert live["total_records"] == 1
    one = validate(
        "zoom",
        "get",
        "/meetings/{meetingId}",
        await client.get(f"{Z}/meetings/{event.id}", headers=zoom),
        200,
    )
    assert one["start_url"] and one["join_url"]
    # Registration shows in `settings.approval_type` (0 automatic, 1 manual approval).
    assert one["settings"]["approval_type"] in (0, 1) and one["type"] in (2, 8)
    url = f"{Z}/meetings/{event.id}/registrants"
    pending = validate(
        "zoom",
        "get",
        "/meetings/{meetingId}/registrants",
        await client.get(url, headers=zoom, params={"status": "pending"}),
        200,
    )
    rid = pending["registrants"][0]["id"]
    validate(
        "zoom",
        "get",
        "/meetings/{meetingId}/registrants/{registrantId}",
        await client.get(f"{url}/{rid}", headers=zoom),
        200,
    )
    done = await client.put(
        f"{url}/status", headers=zoom, json={"action": "approve", "registrants": [{"id": rid}]}
    )
    assert done.status_code == 204
    assert (await client.get(f"{url}/{rid}", headers=zoom)).json()["status"] == "approved"
    plain = next(m for m in state.zoom.meetings.values() if m.registrants is None)
    detail = validate(
        "zoom",
        "get",
        "/meetings/{meetingId}",
        await client.get(f"{Z}/meetings/{plain.id}", headers=zoom),
        200,
    )
    assert detail["settings"]["approval_type"] == 2  # no registration required
    refused = await client.get(f"{Z}/meetings/{plain.id}/registrants", headers=zoom)
    assert refused.status_code == 400 and refused.json()["code"] == 3000  # a 400 of the spec
    # The meetings list carries no settings: registration is only in GET /meetings/{id}.
    assert all("settings" not in m for m in listed["meetings"] + upcoming["meetings"])


async def test_some_listed_meetings_take_registration(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """The demo has upcoming scheduled meetings (types 2 and 8) with registrants, so a
    client reading the default `scheduled` list finds some to sync."""
    found = []
    for user in state.zoom.users.values():
        page = validate(
            "zoom",
            "get",
            "/users/{userId}/meetings",
            await client.get(
                f"{Z}/users/{user.id}/meetings", headers=zoom, params={"page_size": 300}
            ),
            200,
        )
        for item in page["meetings"]:
            meeting = state.zoom.meetings[item["id"]]
            if meeting.registrants is not None:
                assert item["type"] in (2, 8) and meeting.approval_type in (0, 1)
                found.append(len(meeting.registrants))
    assert len(found) >= 2 and all(found)


async def test_recordings(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    event = next(m for m in state.zoom.meetings.values() if m.recording is not None)
    day = event.start.date()
    listed = validate(
        "zoom",
        "get",
        "/users/{userId}/recordings",
        await client.get(
            f"{Z}/users/{event.host_id}/recordings",
            headers=zoom,
            params={"from": day.isoformat(), "to": day.isoformat()},
        ),
        200,
    )
    assert event.id in {m["id"] for m in listed["meetings"]}
    files = listed["meetings"][0]["recording_files"]
    assert {"download_url", "file_size", "file_type", "file_extension", "id"} <= set(files[0])
    default = (await client.get(f"{Z}/users/{event.host_id}/recordings", headers=zoom)).json()
    assert default["from"] == "2025-03-10"  # today, by default (the anchor here)
    wide = (
        await client.get(
            f"{Z}/users/{event.host_id}/recordings",
            headers=zoom,
            params={"from": "2024-01-01", "to": "2025-03-10"},
        )
    ).json()
    assert wide["to"] == "2024-02-01"  # "The maximum range can be a month."
    one = validate(
        "zoom",
        "get",
        "/meetings/{meetingId}/recordings",
        await client.get(f"{Z}/meetings/{event.id}/recordings", headers=zoom),
        200,
    )
    assert isinstance(one["recording_files"][0]["file_size"], int)
    by_uuid = await client.get(
        f"{Z}/meetings/{event.uuid.replace('/', '%252F')}/recordings", headers=zoom
    )
    assert by_uuid.status_code == 200 and by_uuid.json()["uuid"] == event.uuid
    none = next(m for m in state.zoom.meetings.values() if m.recording is None)
    missing = await client.get(f"{Z}/meetings/{none.id}/recordings", headers=zoom)
    assert missing.status_code == 404 and missing.json()["code"] == 3301
