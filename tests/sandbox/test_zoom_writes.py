"""Zoom writes beyond the spec excerpt: add a registrant; create, update and delete a
meeting (docs/real-clouds.md). Bad input answers 4xx with Zoom's error body, never 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.specs import validate, zoom_headers
from tui.sandbox.state import SandboxState

Z = "/zoom/v2"


@pytest.fixture
async def zoom(client: httpx.AsyncClient) -> dict[str, str]:
    return await zoom_headers(client)


async def test_create_update_delete_a_meeting(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    body = {
        "topic": "Café planning 会議",
        "type": 2,
        "start_time": "2031-03-04T09:30:00",
        "duration": 45,
        "timezone": "Europe/Berlin",
    }
    created = await client.post(f"{Z}/users/me/meetings", headers=zoom, json=body)
    assert created.status_code == 201, created.text
    meeting = created.json()
    assert meeting["topic"] == body["topic"] and meeting["duration"] == 45
    assert meeting["start_time"] == "2031-03-04T08:30:00Z"  # 09:30 in Berlin
    assert meeting["timezone"] == "Europe/Berlin" and meeting["start_url"]
    # It is a meeting like the others: GET by id, and listed for its host.
    one = validate(
        "zoom",
        "get",
        "/meetings/{meetingId}",
        await client.get(f"{Z}/meetings/{meeting['id']}", headers=zoom),
        200,
    )
    assert one["host_id"] == state.zoom.owner_id
    listed = (
        await client.get(f"{Z}/users/me/meetings", headers=zoom, params={"page_size": 300})
    ).json()
    assert meeting["id"] in {m["id"] for m in listed["meetings"]}
    changed = await client.patch(
        f"{Z}/meetings/{meeting['id']}",
        headers=zoom,
        json={"topic": "Renamed", "start_time": "2031-03-05T10:00:00Z", "duration": 30},
    )
    assert changed.status_code == 204, changed.text
    again = (await client.get(f"{Z}/meetings/{meeting['id']}", headers=zoom)).json()
    assert (again["topic"], again["start_time"], again["duration"]) == (
        "Renamed",
        "2031-03-05T10:00:00Z",
        30,
    )
    assert again["timezone"] == "Europe/Berlin"  # what was not sent stays
    gone = await client.delete(f"{Z}/meetings/{meeting['id']}", headers=zoom)
    assert gone.status_code == 204
    missing = await client.get(f"{Z}/meetings/{meeting['id']}", headers=zoom)
    assert missing.status_code == 404 and missing.json()["code"] == 3001
    twice = await client.delete(f"{Z}/meetings/{meeting['id']}", headers=zoom)
    assert twice.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        {"topic": 5, "start_time": "2031-01-01T00:00:00Z"},
        {"topic": "x" * 201, "start_time": "2031-01-01T00:00:00Z"},
        {"topic": "t"},  # scheduled without a start
        {"topic": "t", "start_time": "soon"},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "duration": -5},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "duration": "60"},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "duration": True},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "timezone": "Mars/Olympus"},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "type": 7},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "password": "has space"},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "settings": []},
        {"topic": "t", "start_time": "2031-01-01T00:00:00Z", "settings": {"approval_type": 9}},
    ],
)
async def test_bad_meeting_bodies_are_400_code_300(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState, body: Any
) -> None:
    before = set(state.zoom.meetings)
    created = await client.post(f"{Z}/users/me/meetings", headers=zoom, json=body)
    assert created.status_code == 400 and created.json()["code"] == 300, created.text
    assert set(state.zoom.meetings) == before
    some = next(m for m in state.zoom.meetings.values() if m.status != "started")
    if isinstance(body, dict) and body.get("topic") == "t" and "start_time" not in body:
        return  # a PATCH may leave the start as it is
    patched = await client.patch(f"{Z}/meetings/{some.id}", headers=zoom, json=body)
    assert patched.status_code == 400 and patched.json()["code"] == 300, patched.text


async def test_who_and_what_is_not_there(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    body = {"topic": "t", "start_time": "2031-01-01T00:00:00Z"}
    nobody = await client.post(f"{Z}/users/nobody/meetings", headers=zoom, json=body)
    assert nobody.status_code == 404 and nobody.json()["code"] == 1001
    missing = await client.patch(f"{Z}/meetings/12345", headers=zoom, json=body)
    assert missing.status_code == 404 and missing.json()["code"] == 3001
    live = next(m for m in state.zoom.meetings.values() if m.status == "started")
    refused = await client.delete(f"{Z}/meetings/{live.id}", headers=zoom)
    assert refused.status_code == 400 and refused.json()["code"] == 3002
    assert live.id in state.zoom.meetings


async def test_add_a_registrant(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    webinar = state.zoom.webinars[state.zoom.big_webinar_id]  # manual approval
    assert webinar.approval_type == 1 and webinar.registrants is not None
    url = f"{Z}/webinars/{webinar.id}/registrants"
    waiting = await client.post(
        url, headers=zoom, json={"email": "new@example.com", "first_name": "Zoë", "last_name": "Ng"}
    )
    assert waiting.status_code == 201, waiting.text
    answer = waiting.json()
    assert answer["id"] == webinar.id and answer["registrant_id"]
    assert "join_url" not in answer  # pending: no join URL yet
    person = (await client.get(f"{url}/{answer['registrant_id']}", headers=zoom)).json()
    assert (person["status"], person["first_name"]) == ("pending", "Zoë")
    approved = await client.post(
        url,
        headers=zoom,
        json={"email": "now@example.com", "first_name": "Al", "auto_approve": True},
    )
    assert approved.status_code == 201 and approved.json()["join_url"]
    rid = approved.json()["registrant_id"]
    assert (await client.get(f"{url}/{rid}", headers=zoom)).json()["status"] == "approved"
    # The same address again: the same registration, not a second one.
    again = await client.post(
        url, headers=zoom, json={"email": "NEW@example.com", "first_name": "Zoë"}
    )
    assert again.json()["registrant_id"] == answer["registrant_id"]
    for bad in (
        {"first_name": "No mail"},
        {"email": "not-an-address", "first_name": "x"},
        {"email": "a@b.example"},
        {"email": "a@b.example", "first_name": "x", "auto_approve": "yes"},
        ["a@b.example"],
    ):
        refused = await client.post(url, headers=zoom, json=bad)
        assert refused.status_code == 400 and refused.json()["code"] == 300, bad
    plain = next(m for m in state.zoom.meetings.values() if m.registrants is None)
    closed = await client.post(
        f"{Z}/meetings/{plain.id}/registrants",
        headers=zoom,
        json={"email": "a@b.example", "first_name": "x"},
    )
    assert closed.status_code == 400 and closed.json()["code"] == 3000
