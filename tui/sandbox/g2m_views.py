"""GoTo Meeting wire objects, shaped as gotomeeting.openapi.yml says (quirks included)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from starlette.requests import Request

from tui.sandbox import pools
from tui.sandbox.files import goto_file_url
from tui.sandbox.model import Meeting, MeetingSession, Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.web import base_url, iso, sandbox


def organizer_json(state: SandboxState, o: Organizer) -> dict[str, Any]:
    group = state.goto.groups.get(o.group_key)
    return {
        "organizerKey": o.key,  # int64 here, a string in meetings
        "email": o.email,
        "firstName": o.first_name,
        "lastName": o.last_name,
        "groupId": o.group_key,
        "groupName": group.name if group else "",
        "status": o.status,
        "products": list(o.products),
        "maxNumAttendeesAllowed": o.max_attendees,
    }


def group_json(state: SandboxState, key: int) -> dict[str, Any]:
    group = state.goto.groups[key]
    members = sum(1 for o in state.goto.organizers.values() if o.group_key == key)
    return {
        "groupkey": group.key,
        "groupName": group.name,
        "parentKey": group.parent_key,
        "status": group.status,
        "numOrganizers": members,
    }


def _owner(state: SandboxState, m: Meeting) -> Organizer:
    return state.goto.organizers[m.organizer_key]


def _organizer_fields(state: SandboxState, o: Organizer) -> dict[str, Any]:
    return {
        "organizerKey": str(o.key),
        "accountKey": str(state.goto.account_key),
        "email": o.email,
        "firstName": o.first_name,
        "lastName": o.last_name,
        "locale": o.locale,
    }


def upcoming_json(state: SandboxState, m: Meeting, group: bool = False) -> dict[str, Any]:
    o = _owner(state, m)
    out = {
        "meetingId": str(m.id),
        "subject": m.subject,
        "startTime": iso(m.start),
        "endTime": iso(m.end),
        "status": m.status,
        "meetingType": m.meeting_type,
        "passwordRequired": m.password_required,
        "conferenceCallInfo": m.conference_call_info,
        **_organizer_fields(state, o),
    }
    if group:
        out["groupName"] = _group_name(state, o)
    return out


def _group_name(state: SandboxState, o: Organizer) -> str:
    group = state.goto.groups.get(o.group_key)
    return group.name if group else ""


def recording_json(request: Request, s: MeetingSession, m: Meeting) -> dict[str, Any] | None:
    if s.recording is None:
        return None
    return {
        "recordingId": f"{s.id}-rec",
        "recordingName": s.recording.name,
        "downloadUrl": goto_file_url(request, s.recording),
        "fileSize": s.recording.size,
        "shareUrl": f"{base_url(request)}/_sandbox/share/{s.id}",
    }


def historical_json(request: Request, s: MeetingSession, group: bool = False) -> dict[str, Any]:
    state = sandbox(request)
    m = state.goto.meetings[s.meeting_id]
    o = _owner(state, m)
    minutes = int((s.end - s.start).total_seconds() // 60)
    out: dict[str, Any] = {
        "meetingId": str(m.id),
        "subject": m.subject,
        "startTime": iso(s.start),
        "endTime": iso(s.end),
        "duration": str(minutes),  # strings, as the spec types them
        "numAttendees": str(0 if s.attendees_deleted else s.num_attendees),
        "meetingType": m.meeting_type,
        "conferenceCallInfo": m.conference_call_info,
        **_organizer_fields(state, o),
    }
    if group:
        out["groupName"] = _group_name(state, o)
    else:
        out["sessionId"] = str(s.id)
        recording = recording_json(request, s, m)
        if recording is not None:
            out["recording"] = recording
    return out


def attendees(state: SandboxState, s: MeetingSession) -> list[tuple[str, str, int, int]]:
    """(name, email, join offset s, leave offset s) of a session, made on demand."""
    if s.attendees_deleted:
        return []
    rng = random.Random(f"{state.config.seed}:g2m-attendees:{s.id}")
    length = int((s.end - s.start).total_seconds())
    found = []
    for n in range(s.num_attendees):
        first, last = pools.pick_name(rng, 0.08)
        join = rng.randint(0, max(1, length // 3))
        leave = rng.randint(join + 60, max(join + 61, length))
        found.append(
            (f"{first} {last}", pools.email_for(first, last, n, "guests.example"), join, leave)
        )
    return found


def attendee_rows(state: SandboxState, s: MeetingSession, kind: str) -> list[dict[str, Any]]:
    """Attendee rows: kind "meeting", "organizer" or "group" (their schemas differ)."""
    m = state.goto.meetings[s.meeting_id]
    o = _owner(state, m)
    rows = []
    people = attendees(state, s)
    minutes = int((s.end - s.start).total_seconds() // 60)
    for name, email, join, leave in people:
        row: dict[str, Any] = {
            "lastName": o.last_name,
            "firstName": o.first_name,
            "email": o.email,
            "groupName": "NA",
            "numAttendees": len(people),
            "attendeeName": name,
            "name": name,
            "subject": m.subject,
            "startTime": iso(s.start),
            "endTime": iso(s.end),
            "conferenceCallInfo": m.conference_call_info,
            "organizerkey": o.key,  # lower-case k and int64, as in AttendeeByMeeting
            "meetingInstanceKey": s.instance_key,  # not the sessionId
            "duration": minutes,
            "joinTime": iso(s.start + timedelta(seconds=join)),
            "leaveTime": iso(s.start + timedelta(seconds=leave)),
            "attendeeEmail": email,
            "meetingId": m.id,
            "meetingType": m.meeting_type,
        }
        if kind == "organizer":
            row["newMeetingId"] = str(m.id)
        if kind == "group":
            row["groupName"] = _group_name(state, o)
            row["organizerKey"] = str(o.key)
            row["meetingId"] = str(m.id)
        rows.append(row)
    return rows


def meeting_by_id_json(m: Meeting) -> dict[str, Any]:
    minutes = int((m.end - m.start).total_seconds() // 60)
    return {
        "createTime": iso(m.create_time),
        "passwordRequired": m.password_required,
        "status": m.status,
        "subject": m.subject,
        "endTime": iso(m.end),
        "conferenceCallInfo": m.conference_call_info,
        "startTime": iso(m.start),
        "duration": minutes,
        "maxParticipants": m.max_participants,
        "meetingId": m.id,
        "meetingKey": m.id,
        "meetingType": m.meeting_type,
        "uniqueMeetingId": m.id,
        "coorganizerKeys": list(m.coorganizer_keys),
    }


def meeting_by_organizer_json(m: Meeting) -> dict[str, Any]:
    return {
        "startTime": iso(m.start),
        "createTime": iso(m.create_time),
        "meetingid": m.id,
        "maxParticipants": m.max_participants,
        "passwordRequired": m.password_required,
        "status": m.status,
        "subject": m.subject,
        "meetingType": m.meeting_type,
        "endTime": iso(m.end),
        "uniqueMeetingId": m.id,
        "conferenceCallInfo": m.conference_call_info,
    }


def meeting_history_json(
    state: SandboxState, m: Meeting, s: MeetingSession | None, group: bool = False
) -> dict[str, Any]:
    """MeetingHistory (GET /meetings) or HistoryMeetingByGroup (GET /groups/{k}/meetings)."""
    o = _owner(state, m)
    start, end = (s.start, s.end) if s else (m.start, m.end)
    minutes = int((end - start).total_seconds() // 60)
    out: dict[str, Any] = {
        "lastName": o.last_name,
        "firstName": o.first_name,
        "email": o.email,
        "groupName": _group_name(state, o),
        "numAttendees": s.num_attendees if s else 0,
        "subject": m.subject,
        "startTime": iso(start),
        "endTime": iso(end),
        "conferenceCallInfo": m.conference_call_info,
        "meetingInstanceKey": s.instance_key if s else 0,
        "meetingType": m.meeting_type,
        "organizerKey": str(o.key),
    }
    if group:
        out.update({"organizerkey": o.key, "duration": str(minutes), "meetingId": str(m.id)})
        return out
    out.update(
        {
            "organizerkey": str(o.key),
            "passwordRequired": m.password_required,
            "status": m.status,
            "date": iso(start),
            "newOrganizerKey": str(o.key),
            "duration": minutes,
            "newMeetingId": str(m.id),
            "sessionId": s.id if s else 0,
            "meetingId": m.id,
            "meetingKey": m.id,
            "uniqueMeetingId": m.id,
        }
    )
    return out
