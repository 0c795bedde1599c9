"""GoTo Meeting's writes: organizers created, changed and deleted (with the meetings
they own), meetings created, changed and deleted (with their held sessions), and parts
of a held session deleted. The routes (`g2m.py`) check who may ask and find what the
path names; the bodies are checked here (400 `InvalidRequest` naming the field).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tui.sandbox.model import INT64_HIGH, INT64_LOW, Meeting, Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    goto_error,
    json_body,
    parse_time,
    require_admin,
    require_self_or_admin,
    sandbox,
)

PRODUCTS = ("G2M", "G2W", "G2T", "OPENVOICE", "G2ASEEIT", "G2ARS", "G2ASD")
MEETING_TYPES = ("immediate", "recurring", "scheduled")


def drop_meeting(state: SandboxState, meeting_id: int) -> None:
    """Delete a meeting with its held sessions: a session never outlives its meeting
    (an orphan made every history call fail with a 500)."""
    goto = state.goto
    del goto.meetings[meeting_id]
    for sid in [sid for sid, s in goto.sessions.items() if s.meeting_id == meeting_id]:
        del goto.sessions[sid]


def drop_organizer(state: SandboxState, key: int) -> None:
    """Delete an organizer with the meetings they own (and so their sessions)."""
    del state.goto.organizers[key]
    for mid in [mid for mid, m in state.goto.meetings.items() if m.organizer_key == key]:
        drop_meeting(state, mid)


async def create_organizer(request: Request, group_key: int | None) -> Response:
    require_admin(request)
    state = sandbox(request)
    body = await json_body(request)
    if not isinstance(body, dict):
        raise goto_error(400, "InvalidRequest", "Expected a JSON object")
    missing = [
        f for f in ("organizerEmail", "firstName", "lastName", "productType") if not body.get(f)
    ]
    if missing:
        raise goto_error(400, "InvalidRequest", f"Missing field(s): {', '.join(missing)}")
    if body["productType"] not in PRODUCTS:
        raise goto_error(400, "InvalidRequest", f"Unknown productType {body['productType']!r}")
    email = str(body["organizerEmail"])
    if any(o.email.lower() == email.lower() for o in state.goto.organizers.values()):
        raise goto_error(409, "Conflict", f"An organizer with e-mail {email} exists")
    key = max(state.goto.organizers) + 1 if max(state.goto.organizers) < INT64_HIGH else INT64_LOW
    products = ["G2M"] if body["productType"] == "G2M" else ["G2M", body["productType"]]
    admin = state.goto.organizers[state.goto.admin_key]
    state.goto.organizers[key] = Organizer(
        key,
        email,
        str(body["firstName"]),
        str(body["lastName"]),
        group_key if group_key is not None else admin.group_key,
        "active",
        products,
        250,
        "en_US",
    )
    return JSONResponse([{"key": key, "email": email}], status_code=201)


async def delete_session_part(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    session = state.goto.sessions.get(request.path_params["session_id"])
    if session is None or state.goto.meetings[session.meeting_id].organizer_key != key:
        raise goto_error(404, "NotFound", "Session not found")
    part = request.url.path.rsplit("/", 1)[-1]
    if part == "attendees":
        session.attendees_deleted = True
    elif part == "recordings":
        session.recording = None
    else:
        del state.goto.sessions[session.id]
    return Response(status_code=204)


def meeting_fields(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise goto_error(400, "InvalidRequest", "Expected a JSON object")
    missing = [
        f
        for f in (
            "subject",
            "starttime",
            "endtime",
            "passwordrequired",
            "conferencecallinfo",
            "timezonekey",
            "meetingtype",
        )
        if f not in body
    ]
    if missing:
        raise goto_error(400, "InvalidRequest", f"Missing field(s): {', '.join(missing)}")
    subject, info = body["subject"], body["conferencecallinfo"]
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 100:
        raise goto_error(400, "InvalidRequest", "subject must be text of 1 to 100 characters")
    if not isinstance(body["passwordrequired"], bool):
        raise goto_error(400, "InvalidRequest", "passwordrequired must be true or false")
    if not isinstance(info, str) or len(info) > 255:
        raise goto_error(400, "InvalidRequest", "conferencecallinfo must be text (255 at most)")
    start, end = parse_time(str(body["starttime"])), parse_time(str(body["endtime"]))
    if start is None or end is None or end < start:
        raise goto_error(400, "InvalidRequest", "starttime/endtime must be ISO 8601, in order")
    if body["meetingtype"] not in MEETING_TYPES:
        raise goto_error(400, "InvalidRequest", "meetingtype must be immediate/recurring/scheduled")
    coorganizers = body.get("coorganizerKeys") or []
    if not isinstance(coorganizers, list) or not all(
        isinstance(k, str | int) and not isinstance(k, bool) for k in coorganizers
    ):
        raise goto_error(400, "InvalidRequest", "coorganizerKeys must be a list of keys")
    return {
        "subject": str(body["subject"]),
        "start": start,
        "end": end,
        "password_required": bool(body["passwordrequired"]),
        "conference_call_info": str(body["conferencecallinfo"]),
        "meeting_type": str(body["meetingtype"]),
        "coorganizer_keys": [str(k) for k in coorganizers],
    }


async def change_organizer(request: Request, found: Organizer) -> Response:
    """PUT /organizers/{key}: suspend them (`status`), or give them a product (and so
    make them active again); 204."""
    body = await json_body(request)
    if not isinstance(body, dict) or not ({"status", "productType"} & set(body)):
        raise goto_error(400, "InvalidRequest", "Send status ('suspended') or productType")
    if "status" in body:
        if body["status"] != "suspended":
            raise goto_error(400, "InvalidRequest", "status can only be 'suspended'")
        found.status, found.products = "suspended", []
    if "productType" in body:
        if body["productType"] not in PRODUCTS:
            raise goto_error(400, "InvalidRequest", "Unknown productType")
        if body["productType"] not in found.products:
            found.products.append(body["productType"])
        found.status = "active"
    return Response(status_code=204)


async def create_meeting(request: Request, who: Organizer) -> Response:
    """POST /meetings: 201 with an array of one {joinURL, meetingid, ...}."""
    state = sandbox(request)
    fields = meeting_fields(await json_body(request))
    meeting_id = max(state.goto.meetings, default=100_000_000) + 1
    meeting = Meeting(
        meeting_id,
        who.key,
        fields["subject"],
        fields["meeting_type"],
        fields["password_required"],
        fields["conference_call_info"],
        fields["start"],
        fields["end"],
        state.now(),
        upcoming=True,
        coorganizer_keys=fields["coorganizer_keys"],
        max_participants=who.max_attendees,
    )
    state.goto.meetings[meeting_id] = meeting
    return JSONResponse(
        [
            {
                "joinURL": f"{base_url(request)}/_sandbox/join/{meeting_id}",
                "meetingid": meeting_id,
                "maxParticipants": meeting.max_participants,
                "uniqueMeetingId": meeting_id,
                "conferenceCallInfo": meeting.conference_call_info,
            }
        ],
        status_code=201,
    )


async def update_meeting(request: Request, found: Meeting) -> Response:
    """PUT /meetings/{id}: every field again; 204."""
    state = sandbox(request)
    fields = meeting_fields(await json_body(request))
    found.subject, found.start, found.end = fields["subject"], fields["start"], fields["end"]
    found.password_required = fields["password_required"]
    found.conference_call_info = fields["conference_call_info"]
    found.meeting_type, found.coorganizer_keys = fields["meeting_type"], fields["coorganizer_keys"]
    found.upcoming = found.end > state.now() - timedelta(hours=1)
    return Response(status_code=204)
