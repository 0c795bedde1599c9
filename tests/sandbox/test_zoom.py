"""Zoom: the excerpt's 14 operations, validated; registrant paging, status updates."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.support.specs import validate, zoom_headers
from tui.sandbox.middleware import zoom_category
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
    for user in (u for u in state.zoom.users.values() if u.status == "active"):
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


async def test_pending_users_come_without_id_and_inactive_ones_list_nothing(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """`GET /users?status=pending` leaves out `id` (the spec says so); the lists of a
    pending or deactivated user answer 404 code 1001, even by a known id."""
    pending = (await client.get(f"{Z}/users", headers=zoom, params={"status": "pending"})).json()
    assert pending["users"] and all("id" not in u for u in pending["users"])
    assert all(u["email"] for u in pending["users"])
    for status in ("pending", "inactive"):
        user = next(u for u in state.zoom.users.values() if u.status == status)
        for what in ("meetings", "webinars", "recordings"):
            for ref in (user.id, user.email):
                answer = await client.get(f"{Z}/users/{ref}/{what}", headers=zoom)
                assert answer.status_code == 404, (status, what, answer.text)
                assert answer.json()["code"] == 1001


async def test_a_user_without_the_webinar_feature_answers_3161(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """One active user has no webinar feature: its webinar list is refused with 400 code
    3161, while its meetings list answers."""
    lacking = [u for u in state.zoom.users.values() if u.status == "active" and not u.webinar]
    assert len(lacking) == 1
    user = lacking[0]
    refused = await client.get(f"{Z}/users/{user.id}/webinars", headers=zoom)
    assert refused.status_code == 400 and refused.json()["code"] == 3161
    meetings = await client.get(f"{Z}/users/{user.id}/meetings", headers=zoom)
    assert meetings.status_code == 200


async def test_a_recording_still_processing_has_no_size_type_or_end(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """Files in progress are listed as Zoom lists them (ZoomNet issue 99): status
    processing, size 0, empty end, type and extension, and a download URL already."""
    file_id = state.zoom.processing_file_id
    event = next(
        m
        for m in state.zoom.meetings.values()
        if m.recording and m.recording.files[0].id == file_id
    )
    day = (state.now().date() - timedelta(days=1)).isoformat()
    # Not validated against the spec: its enums know neither "" nor "processing".
    answer = await client.get(
        f"{Z}/users/{event.host_id}/recordings", headers=zoom, params={"from": day}
    )
    assert answer.status_code == 200
    page = answer.json()
    files = next(m for m in page["meetings"] if m["id"] == event.id)["recording_files"]
    busy = [f for f in files if f["status"] == "processing"]
    assert busy and len(files) > len(busy)
    for f in busy:
        assert (f["file_size"], f["recording_end"], f["file_type"], f["file_extension"]) == (
            0,
            "",
            "",
            "",
        )
        assert f["download_url"]


async def test_next_page_tokens_expire_after_15_minutes(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """A token is good for 15 minutes of the sandbox's clock, then answers 400 code 300;
    the control API can also refuse the next token presented."""
    big = state.zoom.big_webinar_id
    url = f"{Z}/webinars/{big}/registrants"
    first = (await client.get(url, headers=zoom, params={"status": "approved"})).json()
    token = first["next_page_token"]
    assert token
    ok = await client.get(
        url, headers=zoom, params={"status": "approved", "next_page_token": token}
    )
    assert ok.status_code == 200
    state.advance(15 * 60 + 1)
    late = await client.get(
        url, headers=zoom, params={"status": "approved", "next_page_token": token}
    )
    assert late.status_code == 400 and late.json()["code"] == 300
    users = (await client.get(f"{Z}/users", headers=zoom, params={"page_size": 5})).json()
    control = await client.post("/_sandbox/page_tokens/expire", json={"count": 1})
    assert control.status_code == 200
    params = {"page_size": 5, "next_page_token": users["next_page_token"]}
    refused = await client.get(f"{Z}/users", headers=zoom, params=params)
    assert refused.status_code == 400 and refused.json()["code"] == 300
    again = await client.get(f"{Z}/users", headers=zoom, params=params)
    assert again.status_code == 200


async def test_clock_control_moves_now(client: httpx.AsyncClient, state: SandboxState) -> None:
    before = state.now()
    moved = await client.post("/_sandbox/clock", json={"advance_s": 3600})
    assert moved.status_code == 200
    assert (state.now() - before).total_seconds() >= 3600
    bad = await client.post("/_sandbox/clock", json={"advance_s": -5})
    assert bad.status_code == 400


def test_user_recordings_are_rate_labelled_medium() -> None:
    """The spec labels GET /users/{id}/recordings MEDIUM and the meeting's recordings
    LIGHT (the label was read from the wrong path segment, #14.9)."""
    assert zoom_category("GET", "/users/abc/recordings") == "Medium"
    assert zoom_category("GET", "/meetings/123/recordings") == "Light"
    assert zoom_category("GET", "/users/abc") == "Light"


async def test_start_urls_expire_after_two_hours(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """Zoom documents a regular user's start URL as good for about two hours: the
    landing page opens a current one and refuses it once the sandbox's clock has
    passed two hours; GET the meeting again for a new one that opens."""
    meeting = next(iter(state.zoom.meetings.values()))
    webinar = state.zoom.webinars[state.zoom.big_webinar_id]
    old = {
        e.id: (await client.get(f"{Z}/{kind}/{e.id}", headers=zoom)).json()["start_url"]
        for kind, e in (("meetings", meeting), ("webinars", webinar))
    }
    for url in old.values():
        page = await client.get(url)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    await client.post("/_sandbox/clock", json={"advance_s": 2 * 3600 - 60})
    for url in old.values():
        assert (await client.get(url)).status_code == 200
    await client.post("/_sandbox/clock", json={"advance_s": 120})
    for url in old.values():
        refused = await client.get(url)
        assert refused.status_code == 403 and "expired" in refused.text
    fresh = (await client.get(f"{Z}/meetings/{meeting.id}", headers=zoom)).json()["start_url"]
    assert fresh != old[meeting.id] and (await client.get(fresh)).status_code == 200
    # A ZAK is the host's: another meeting's host, or none at all, is refused too.
    other = next(e for e in state.zoom.meetings.values() if e.host_id != meeting.host_id)
    borrowed = fresh.replace(f"/zoom/s/{meeting.id}?", f"/zoom/s/{other.id}?")
    assert (await client.get(borrowed)).status_code == 403
    assert (await client.get(f"/zoom/s/{meeting.id}")).status_code == 403


async def test_live_meetings_are_listed_and_instant_ones_never(
    client: httpx.AsyncClient, zoom: dict[str, str], state: SandboxState
) -> None:
    """`type=scheduled` covers live meetings; the list never returns instant meetings
    (type 1), even live ones, as the spec's note on List meetings says."""
    owner = state.zoom.owner_id
    url = f"{Z}/users/{owner}/meetings"
    live = (await client.get(url, headers=zoom, params={"type": "live"})).json()["meetings"]
    assert len(live) == 1 and live[0]["type"] == 2
    scheduled = (await client.get(url, headers=zoom, params={"page_size": 300})).json()
    assert live[0]["id"] in {m["id"] for m in scheduled["meetings"]}
    state.zoom.meetings[live[0]["id"]].type = 1  # the same meeting, started as instant
    for kind in ("scheduled", "live", "upcoming"):
        listed = (await client.get(url, headers=zoom, params={"type": kind})).json()
        assert live[0]["id"] not in {m["id"] for m in listed["meetings"]}, kind
