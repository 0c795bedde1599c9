"""GoTo Meeting: every operation of gotomeeting.openapi.yml, validated against the spec."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from tests.support.specs import goto_headers, validate
from tui.sandbox.state import SandboxState

G = "/G2M/rest"


def iso_day(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT00:00:00Z")


RANGE = {"startDate": "2024-09-01T00:00:00Z", "endDate": "2025-03-10T00:00:00Z"}


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await goto_headers(client)


@pytest.fixture
async def plain(client: httpx.AsyncClient) -> dict[str, str]:
    return await goto_headers(client, admin=False)


async def test_organizers(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    everyone = validate(
        "g2m", "get", "/organizers", await client.get(f"{G}/organizers", headers=admin), 200
    )
    assert len(everyone) == len(state.goto.organizers)
    assert all(isinstance(o["organizerKey"], int) for o in everyone)  # int64 here
    email = everyone[3]["email"]
    one = validate(
        "g2m",
        "get",
        "/organizers",
        await client.get(f"{G}/organizers", params={"email": email}, headers=admin),
    )
    assert [o["email"] for o in one] == [email]
    missing = await client.get(f"{G}/organizers", params={"email": "x@y.z"}, headers=admin)
    assert missing.status_code == 404
    key = everyone[3]["organizerKey"]
    by_key = validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}",
        await client.get(f"{G}/organizers/{key}", headers=admin),
        200,
    )
    assert by_key[0]["organizerKey"] == key  # an array of one


async def test_create_update_delete_organizer(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    body = {
        "organizerEmail": "new@acme.example",
        "firstName": "Zoë",
        "lastName": "Neu",
        "productType": "G2T",
    }
    created = validate(
        "g2m",
        "post",
        "/organizers",
        await client.post(f"{G}/organizers", json=body, headers=admin),
        201,
    )
    key = created[0]["key"]
    conflict = await client.post(f"{G}/organizers", json=body, headers=admin)
    assert conflict.status_code == 409
    bad = await client.post(f"{G}/organizers", json={"firstName": "x"}, headers=admin)
    assert bad.status_code == 400
    added = await client.put(
        f"{G}/organizers/{key}", json={"productType": "G2ASEEIT"}, headers=admin
    )
    assert added.status_code == 204
    shown = (await client.get(f"{G}/organizers/{key}", headers=admin)).json()[0]
    assert "G2ASEEIT" in shown["products"]
    suspended = await client.put(
        f"{G}/organizers/{key}", json={"status": "suspended"}, headers=admin
    )
    assert suspended.status_code == 204
    shown = (await client.get(f"{G}/organizers/{key}", headers=admin)).json()[0]
    assert shown["status"] == "suspended" and shown["products"] == []
    assert (await client.delete(f"{G}/organizers/{key}", headers=admin)).status_code == 204
    assert (await client.get(f"{G}/organizers/{key}", headers=admin)).status_code == 404
    validate(
        "g2m",
        "post",
        "/organizers",
        await client.post(f"{G}/organizers", json=body, headers=admin),
        201,
    )
    by_email = await client.delete(
        f"{G}/organizers", params={"email": body["organizerEmail"]}, headers=admin
    )
    assert by_email.status_code == 204
    no_email = await client.delete(f"{G}/organizers", headers=admin)
    assert no_email.status_code == 400


async def test_plain_organizer_gets_403_on_admin_calls(
    client: httpx.AsyncClient, plain: dict[str, str], state: SandboxState
) -> None:
    other = state.goto.admin_key
    group = next(iter(state.goto.groups))
    meeting = next(m.id for m in state.goto.meetings.values() if m.organizer_key == other)
    for path in (
        "/organizers",
        "/groups",
        f"/organizers/{other}",
        f"/organizers/{other}/upcomingMeetings",
        f"/groups/{group}/upcomingMeetings",
        f"/organizers/{other}/historicalMeetings?startDate=2024-01-01T00:00:00Z"
        "&endDate=2025-01-01T00:00:00Z",
        f"/meetings/{meeting}",
        f"/meetings/{meeting}/attendees",  # admins any meeting, others their own
    ):
        answer = await client.get(f"{G}{path}", headers=plain)
        assert answer.status_code == 403, path
        assert answer.json()["int_err_code"] == "AccessDenied"
    own = await client.get(f"{G}/organizers/{state.goto.organizer_key}", headers=plain)
    assert own.status_code == 200


async def test_upcoming_meetings(
    client: httpx.AsyncClient, admin: dict[str, str], plain: dict[str, str], state: SandboxState
) -> None:
    mine = validate(
        "g2m",
        "get",
        "/upcomingMeetings",
        await client.get(f"{G}/upcomingMeetings", headers=admin),
        200,
    )
    assert mine and all(m["organizerKey"] == str(state.goto.admin_key) for m in mine)
    assert isinstance(mine[0]["meetingId"], str)  # a string in this schema
    assert any(m["status"] == "ACTIVE" for m in mine)  # the ongoing one
    theirs = validate(
        "g2m",
        "get",
        "/upcomingMeetings",
        await client.get(f"{G}/upcomingMeetings", headers=plain),
        200,
    )
    assert all(m["organizerKey"] == str(state.goto.organizer_key) for m in theirs)
    key = state.goto.organizer_key
    validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}/upcomingMeetings",
        await client.get(f"{G}/organizers/{key}/upcomingMeetings", headers=admin),
        200,
    )


async def test_historical_meetings_need_a_range_and_exclude_ongoing(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    missing = await client.get(f"{G}/historicalMeetings", headers=admin)
    assert missing.status_code == 400
    bad = await client.get(
        f"{G}/historicalMeetings",
        headers=admin,
        params={"startDate": "yesterday", "endDate": "today"},
    )
    assert bad.status_code == 400
    wide = {"startDate": "2020-01-01T00:00:00Z", "endDate": "2030-01-01T00:00:00Z"}
    rows = validate(
        "g2m",
        "get",
        "/historicalMeetings",
        await client.get(f"{G}/historicalMeetings", params=wide, headers=admin),
        200,
    )
    ongoing = {str(s.id) for s in state.goto.sessions.values() if s.ongoing}
    assert rows and not ongoing & {r["sessionId"] for r in rows}
    assert all(isinstance(r["duration"], str) and isinstance(r["numAttendees"], str) for r in rows)
    narrow = {"startDate": "2025-02-01T00:00:00Z", "endDate": "2025-02-15T00:00:00Z"}
    window = (await client.get(f"{G}/historicalMeetings", params=narrow, headers=admin)).json()
    assert all("2025-02-01" <= r["startTime"][:10] <= "2025-02-15" for r in window)
    assert len(window) < len(rows)
    assert any("recording" in r for r in rows)
    key = state.goto.organizer_key
    validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}/historicalMeetings",
        await client.get(f"{G}/organizers/{key}/historicalMeetings", params=wide, headers=admin),
        200,
    )


async def test_attendees_by_meeting_organizer_and_group(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    session = next(s for s in state.goto.sessions.values() if s.num_attendees > 2 and not s.ongoing)
    meeting = state.goto.meetings[session.meeting_id]
    rows = validate(
        "g2m",
        "get",
        "/meetings/{meetingId}/attendees",
        await client.get(f"{G}/meetings/{meeting.id}/attendees", headers=admin),
        200,
    )
    assert "organizerkey" in rows[0] and isinstance(rows[0]["organizerkey"], int)
    wide = {"startDate": "2020-01-01T00:00:00Z", "endDate": "2030-01-01T00:00:00Z"}
    owner = meeting.organizer_key
    by_owner = validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}/attendees",
        await client.get(f"{G}/organizers/{owner}/attendees", params=wide, headers=admin),
        200,
    )
    assert len(by_owner) >= len(rows)
    assert (await client.get(f"{G}/organizers/{owner}/attendees", headers=admin)).status_code == 400
    group = state.goto.organizers[owner].group_key
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/attendees",
        await client.get(f"{G}/groups/{group}/attendees", params=wide, headers=admin),
        200,
    )
    assert (await client.get(f"{G}/meetings/1/attendees", headers=admin)).status_code == 404


async def test_meeting_instance_key_is_not_the_session_id(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """As in the spec: the reports name a session by `sessionId`, attendee rows by
    `meetingInstanceKey`; the legacy `/meetings?history=true` carries both."""
    session = next(
        s
        for s in state.goto.sessions.values()
        if s.num_attendees
        and not s.ongoing
        and state.goto.meetings[s.meeting_id].organizer_key == state.goto.admin_key
    )
    meeting = state.goto.meetings[session.meeting_id]
    assert session.instance_key != session.id
    rows = (await client.get(f"{G}/meetings/{meeting.id}/attendees", headers=admin)).json()
    mine = [r for r in rows if r["meetingInstanceKey"] == session.instance_key]
    assert len(mine) == session.num_attendees
    assert not any(r["meetingInstanceKey"] == session.id for r in rows)
    keys = {s.instance_key for s in state.goto.sessions.values()}
    assert len(keys) == len(state.goto.sessions) and not keys & set(state.goto.sessions)
    day = {
        "startDate": iso_day(session.start),
        "endDate": iso_day(session.start + timedelta(days=1)),
        "history": "true",
    }
    legacy = validate(
        "g2m", "get", "/meetings", await client.get(f"{G}/meetings", params=day, headers=admin)
    )
    row = next(r for r in legacy if r["sessionId"] == session.id)
    assert row["meetingInstanceKey"] == session.instance_key


async def test_deleting_a_held_meeting_or_its_organizer_leaves_history_working(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """Found by a fuzzer: DELETE /meetings/{id} left its sessions behind, and every
    history call then answered 500. A meeting goes with its sessions, an organizer with
    their meetings."""
    wide = {"startDate": "2020-01-01T00:00:00Z", "endDate": "2030-01-01T00:00:00Z"}
    admin_key = state.goto.admin_key
    held = next(
        s
        for s in state.goto.sessions.values()
        if not s.ongoing and state.goto.meetings[s.meeting_id].organizer_key == admin_key
    )
    assert (
        await client.delete(f"{G}/meetings/{held.meeting_id}", headers=admin)
    ).status_code == 204
    assert held.id not in state.goto.sessions
    group = state.goto.organizers[admin_key].group_key
    for path in (
        "/historicalMeetings",
        f"/organizers/{admin_key}/historicalMeetings",
        f"/organizers/{admin_key}/attendees",
        f"/groups/{group}/historicalMeetings",
        f"/groups/{group}/attendees",
    ):
        answer = await client.get(f"{G}{path}", params=wide, headers=admin)
        assert answer.status_code == 200, (path, answer.text[:200])
    rows = (await client.get(f"{G}/historicalMeetings", params=wide, headers=admin)).json()
    assert str(held.id) not in {r["sessionId"] for r in rows}
    other = next(
        s
        for s in state.goto.sessions.values()
        if not s.ongoing and state.goto.meetings[s.meeting_id].organizer_key != admin_key
    )
    owner = state.goto.meetings[other.meeting_id].organizer_key
    assert (await client.delete(f"{G}/organizers/{owner}", headers=admin)).status_code == 204
    gone = await client.get(f"{G}/meetings/{other.meeting_id}/attendees", headers=admin)
    assert gone.status_code == 404
    answer = await client.get(f"{G}/groups/{group}/attendees", params=wide, headers=admin)
    assert answer.status_code == 200


async def test_groups(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    groups = validate("g2m", "get", "/groups", await client.get(f"{G}/groups", headers=admin), 200)
    assert len(groups) == len(state.goto.groups)
    key = state.goto.organizers[state.goto.organizer_key].group_key
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/organizers",
        await client.get(f"{G}/groups/{key}/organizers", headers=admin),
        200,
    )
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/upcomingMeetings",
        await client.get(f"{G}/groups/{key}/upcomingMeetings", headers=admin),
        200,
    )
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/historicalMeetings",
        await client.get(f"{G}/groups/{key}/historicalMeetings", params=RANGE, headers=admin),
        200,
    )
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/meetings",
        await client.get(
            f"{G}/groups/{key}/meetings", params={**RANGE, "history": "true"}, headers=admin
        ),
        200,
    )
    validate(
        "g2m",
        "get",
        "/groups/{groupKey}/meetings",
        await client.get(f"{G}/groups/{key}/meetings", params={"scheduled": "true"}, headers=admin),
        200,
    )
    body = {
        "organizerEmail": "grp@acme.example",
        "firstName": "山田",
        "lastName": "花子",
        "productType": "G2M",
    }
    validate(
        "g2m",
        "post",
        "/groups/{groupKey}/organizers",
        await client.post(f"{G}/groups/{key}/organizers", json=body, headers=admin),
        201,
    )
    assert (await client.get(f"{G}/groups/1/organizers", headers=admin)).status_code == 404


async def test_a_top_level_groups_parent_is_itself_and_counts_are_members(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """The spec's parentKey is "identical with the groupkey if this group is not a
    subgroup"; numOrganizers is how many organizers the group has."""
    groups = validate("g2m", "get", "/groups", await client.get(f"{G}/groups", headers=admin), 200)
    keys = {g["groupkey"] for g in groups}
    tops = [g for g in groups if g["parentKey"] == g["groupkey"]]
    assert len(tops) == 1 and tops[0]["groupName"] == "Acme Corp"
    assert all(g["parentKey"] in keys for g in groups)  # no dangling parent (no 0)
    for g in groups:
        members = await client.get(f"{G}/groups/{g['groupkey']}/organizers", headers=admin)
        assert len(members.json()) == g["numOrganizers"]


async def test_legacy_meeting_listings(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    key = state.goto.admin_key
    validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}/meetings",
        await client.get(
            f"{G}/organizers/{key}/meetings", params={"scheduled": "true"}, headers=admin
        ),
        200,
    )
    validate(
        "g2m",
        "get",
        "/organizers/{organizerKey}/meetings",
        await client.get(
            f"{G}/organizers/{key}/meetings", params={**RANGE, "history": "true"}, headers=admin
        ),
        200,
    )
    validate(
        "g2m",
        "get",
        "/meetings",
        await client.get(f"{G}/meetings", params={"scheduled": "true"}, headers=admin),
        200,
    )
    validate(
        "g2m",
        "get",
        "/meetings",
        await client.get(f"{G}/meetings", params={**RANGE, "history": "true"}, headers=admin),
        200,
    )
    assert (await client.get(f"{G}/meetings", headers=admin)).status_code == 400


async def test_meeting_lifecycle(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    body = {
        "subject": "[bold]Plan[/bold] 🚀",
        "starttime": "2025-04-01T10:00:00Z",
        "endtime": "2025-04-01T11:00:00Z",
        "passwordrequired": False,
        "conferencecallinfo": "VoIP",
        "timezonekey": "",
        "meetingtype": "scheduled",
    }
    created = validate(
        "g2m",
        "post",
        "/meetings",
        await client.post(f"{G}/meetings", json=body, headers=admin),
        201,
    )
    meeting_id = created[0]["meetingid"]
    got = validate(
        "g2m",
        "get",
        "/meetings/{meetingId}",
        await client.get(f"{G}/meetings/{meeting_id}", headers=admin),
        200,
    )
    assert isinstance(got, list) and got[0]["subject"] == body["subject"]  # an ARRAY
    changed = await client.put(
        f"{G}/meetings/{meeting_id}", headers=admin, json={**body, "subject": "Renamed"}
    )
    assert changed.status_code == 204
    assert (await client.get(f"{G}/meetings/{meeting_id}", headers=admin)).json()[0][
        "subject"
    ] == "Renamed"
    start = validate(
        "g2m",
        "get",
        "/meetings/{meetingId}/start",
        await client.get(f"{G}/meetings/{meeting_id}/start", headers=admin),
        200,
    )
    assert start["hostURL"].startswith("http")
    upcoming = (await client.get(f"{G}/upcomingMeetings", headers=admin)).json()
    assert str(meeting_id) in {m["meetingId"] for m in upcoming}
    assert (await client.delete(f"{G}/meetings/{meeting_id}", headers=admin)).status_code == 204
    assert (await client.get(f"{G}/meetings/{meeting_id}", headers=admin)).status_code == 404
    bad = await client.post(f"{G}/meetings", json={"subject": "x"}, headers=admin)
    assert bad.status_code == 400


async def test_delete_session_parts(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    session = next(
        s
        for s in state.goto.sessions.values()
        if s.recording is not None and s.num_attendees and not s.recording.html and not s.ongoing
    )
    owner = state.goto.meetings[session.meeting_id].organizer_key
    base = f"{G}/organizers/{owner}/sessions/{session.id}"
    assert (await client.delete(f"{base}/attendees", headers=admin)).status_code == 204
    assert session.attendees_deleted
    assert (await client.delete(f"{base}/recordings", headers=admin)).status_code == 204
    assert session.recording is None
    assert (await client.delete(base, headers=admin)).status_code == 204
    assert (await client.delete(base, headers=admin)).status_code == 404


async def test_unknown_paths_and_keys_answer_goto_404s(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for path in ("/meetings/999", "/organizers/12345", "/nothing-here"):
        answer = await client.get(f"{G}{path}", headers=admin)
        assert answer.status_code == 404, path
        assert answer.json()["int_err_code"] == "NotFound"
