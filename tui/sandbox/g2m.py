"""GoTo Meeting REST API v1 under /G2M/rest (every operation of gotomeeting.openapi.yml)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.sandbox import g2m_views as views
from tui.sandbox.gen_goto import GROUP_CALL_MAX, INT64_HIGH, INT64_LOW
from tui.sandbox.model import Meeting, MeetingSession, Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    caller,
    goto_error,
    json_body,
    parse_time,
    require_admin,
    require_self_or_admin,
    required_range,
    sandbox,
)

PRODUCTS = ("G2M", "G2W", "G2T", "OPENVOICE", "G2ASEEIT", "G2ARS", "G2ASD")
MEETING_TYPES = ("immediate", "recurring", "scheduled")


def _organizer(state: SandboxState, key: int) -> Organizer:
    found = state.goto.organizers.get(key)
    if found is None:
        raise goto_error(404, "NotFound", f"Organizer {key} not found")
    return found


def _group(state: SandboxState, key: int) -> None:
    if key not in state.goto.groups:
        raise goto_error(404, "NotFound", f"Group {key} not found")


def _meeting(request: Request) -> Meeting:
    """The meeting in the path; 403 if it is another organizer's and the caller no admin."""
    state = sandbox(request)
    meeting = state.goto.meetings.get(request.path_params["meeting_id"])
    if meeting is None:
        raise goto_error(404, "NotFound", "Meeting not found")
    require_self_or_admin(request, meeting.organizer_key)
    return meeting


def _drop_meeting(state: SandboxState, meeting_id: int) -> None:
    """Delete a meeting with its held sessions: a session never outlives its meeting
    (an orphan made every history call fail with a 500)."""
    goto = state.goto
    del goto.meetings[meeting_id]
    for sid in [sid for sid, s in goto.sessions.items() if s.meeting_id == meeting_id]:
        del goto.sessions[sid]


def _drop_organizer(state: SandboxState, key: int) -> None:
    """Delete an organizer with the meetings they own (and so their sessions)."""
    del state.goto.organizers[key]
    for mid in [mid for mid, m in state.goto.meetings.items() if m.organizer_key == key]:
        _drop_meeting(state, mid)


def _upcoming(state: SandboxState, keys: set[int]) -> list[Meeting]:
    found = [m for m in state.goto.meetings.values() if m.upcoming and m.organizer_key in keys]
    return sorted(found, key=lambda m: (m.start, m.id))


def _historical(
    state: SandboxState, keys: set[int], start: datetime, end: datetime
) -> list[MeetingSession]:
    meetings = state.goto.meetings
    found = [
        s
        for s in state.goto.sessions.values()
        if not s.ongoing
        and start <= s.start <= end
        and meetings[s.meeting_id].organizer_key in keys
    ]
    return sorted(found, key=lambda s: (s.start, s.id))


def _group_members(state: SandboxState, group_key: int) -> set[int]:
    return {o.key for o in state.goto.organizers.values() if o.group_key == group_key}


def _small_group_members(state: SandboxState, group_key: int) -> set[int]:
    """The members of a group whose meetings a group call may list: "This API call is
    restricted to groups with a maximum of 50 organizers" (the spec names no error for
    a larger group; the sandbox answers 400)."""
    members = _group_members(state, group_key)
    if len(members) > GROUP_CALL_MAX:
        raise goto_error(
            400,
            "InvalidRequest",
            f"Group {group_key} has {len(members)} organizers; this call serves groups "
            f"of at most {GROUP_CALL_MAX}",
        )
    return members


async def _create_organizer(request: Request, group_key: int | None) -> Response:
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


async def organizers(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "POST":
        return await _create_organizer(request, None)
    require_admin(request)
    email = request.query_params.get("email")
    if request.method == "DELETE":
        if not email:
            raise goto_error(400, "InvalidRequest", "email is required")
        found = [o for o in state.goto.organizers.values() if o.email.lower() == email.lower()]
        if not found:
            raise goto_error(404, "NotFound", f"No organizer with e-mail {email}")
        _drop_organizer(state, found[0].key)
        return Response(status_code=204)
    chosen = list(state.goto.organizers.values())
    if email is not None:
        chosen = [o for o in chosen if o.email.lower() == email.lower()]
        if not chosen:
            raise goto_error(404, "NotFound", f"No organizer with e-mail {email}")
    return JSONResponse([views.organizer_json(state, o) for o in chosen])


async def organizer(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    if request.method == "GET":
        require_self_or_admin(request, key)
        return JSONResponse([views.organizer_json(state, _organizer(state, key))])
    require_admin(request)
    found = _organizer(state, key)
    if request.method == "DELETE":
        _drop_organizer(state, key)
        return Response(status_code=204)
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


async def organizer_attendees(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    _organizer(state, key)
    start, end = required_range(request)
    rows: list[dict[str, Any]] = []
    for s in _historical(state, {key}, start, end):
        rows.extend(views.attendee_rows(state, s, "organizer"))
    return JSONResponse(rows)


async def organizer_historical(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    _organizer(state, key)
    start, end = required_range(request)
    return JSONResponse(
        [views.historical_json(request, s) for s in _historical(state, {key}, start, end)]
    )


async def organizer_upcoming(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    _organizer(state, key)
    return JSONResponse([views.upcoming_json(state, m) for m in _upcoming(state, {key})])


def _legacy_meetings(request: Request, keys: set[int], group: bool) -> list[dict[str, Any]]:
    """The deprecated scheduled=true / history=true listings."""
    state = sandbox(request)
    params = request.query_params
    if params.get("history") == "true":
        start, end = required_range(request)
        return [
            views.meeting_history_json(state, state.goto.meetings[s.meeting_id], s, group)
            for s in _historical(state, keys, start, end)
        ]
    if params.get("scheduled") == "true" or group:
        return [views.meeting_history_json(state, m, None, group) for m in _upcoming(state, keys)]
    raise goto_error(400, "InvalidRequest", "Set scheduled=true or history=true")


async def organizer_meetings(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    _organizer(state, key)
    params = request.query_params
    if params.get("history") == "true":
        start, end = required_range(request)
        meetings = {
            s.meeting_id: state.goto.meetings[s.meeting_id]
            for s in _historical(state, {key}, start, end)
        }
        return JSONResponse([views.meeting_by_organizer_json(m) for m in meetings.values()])
    if params.get("scheduled") == "true":
        return JSONResponse([views.meeting_by_organizer_json(m) for m in _upcoming(state, {key})])
    raise goto_error(400, "InvalidRequest", "Set scheduled=true or history=true")


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


async def groups(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    return JSONResponse([views.group_json(state, key) for key in state.goto.groups])


async def group_attendees(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    key = request.path_params["group_key"]
    _group(state, key)
    if "startDate" in request.query_params or "endDate" in request.query_params:
        start, end = required_range(request)
    else:  # optional for this call
        start, end = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    for s in _historical(state, _small_group_members(state, key), start, end):
        rows.extend(views.attendee_rows(state, s, "group"))
    return JSONResponse(rows)


async def group_historical(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    key = request.path_params["group_key"]
    _group(state, key)
    start, end = required_range(request)
    return JSONResponse(
        [
            views.historical_json(request, s, group=True)
            for s in _historical(state, _small_group_members(state, key), start, end)
        ]
    )


async def group_upcoming(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    key = request.path_params["group_key"]
    _group(state, key)
    return JSONResponse(
        [
            views.upcoming_json(state, m, group=True)
            for m in _upcoming(state, _small_group_members(state, key))
        ]
    )


async def group_meetings(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    key = request.path_params["group_key"]
    _group(state, key)
    return JSONResponse(_legacy_meetings(request, _small_group_members(state, key), group=True))


async def group_organizers(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["group_key"]
    if request.method == "POST":
        require_admin(request)
        _group(state, key)
        return await _create_organizer(request, key)
    require_admin(request)
    _group(state, key)
    return JSONResponse(
        [
            views.organizer_json(state, o)
            for o in state.goto.organizers.values()
            if o.group_key == key
        ]
    )


async def historical_meetings(request: Request) -> Response:
    state = sandbox(request)
    who = caller(request)
    start, end = required_range(request)
    return JSONResponse(
        [views.historical_json(request, s) for s in _historical(state, {who.key}, start, end)]
    )


async def upcoming_meetings(request: Request) -> Response:
    state = sandbox(request)
    who = caller(request)
    return JSONResponse([views.upcoming_json(state, m) for m in _upcoming(state, {who.key})])


def _meeting_fields(body: Any) -> dict[str, Any]:
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


async def meetings(request: Request) -> Response:
    state = sandbox(request)
    who = caller(request)
    if request.method == "GET":
        return JSONResponse(_legacy_meetings(request, {who.key}, group=False))
    fields = _meeting_fields(await json_body(request))
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


async def meeting(request: Request) -> Response:
    state = sandbox(request)
    found = _meeting(request)
    if request.method == "GET":
        return JSONResponse([views.meeting_by_id_json(found)])  # an array, as the spec says
    if request.method == "DELETE":
        _drop_meeting(state, found.id)
        return Response(status_code=204)
    fields = _meeting_fields(await json_body(request))
    found.subject, found.start, found.end = fields["subject"], fields["start"], fields["end"]
    found.password_required = fields["password_required"]
    found.conference_call_info = fields["conference_call_info"]
    found.meeting_type, found.coorganizer_keys = fields["meeting_type"], fields["coorganizer_keys"]
    found.upcoming = found.end > state.now() - timedelta(hours=1)
    return Response(status_code=204)


async def start_meeting(request: Request) -> Response:
    found = _meeting(request)
    return JSONResponse({"hostURL": f"{base_url(request)}/_sandbox/start/g2m/{found.id}"})


async def meeting_attendees(request: Request) -> Response:
    state = sandbox(request)
    found = _meeting(request)
    rows: list[dict[str, Any]] = []
    for s in sorted(state.goto.sessions.values(), key=lambda s: s.start):
        if s.meeting_id == found.id and not s.ongoing:
            rows.extend(views.attendee_rows(state, s, "meeting"))
    return JSONResponse(rows)


P = "/G2M/rest"
ROUTES = [
    Route(f"{P}/organizers", organizers, methods=["GET", "POST", "DELETE"]),
    Route(f"{P}/organizers/{{organizer_key:int}}", organizer, methods=["GET", "PUT", "DELETE"]),
    Route(f"{P}/organizers/{{organizer_key:int}}/attendees", organizer_attendees),
    Route(f"{P}/organizers/{{organizer_key:int}}/historicalMeetings", organizer_historical),
    Route(f"{P}/organizers/{{organizer_key:int}}/upcomingMeetings", organizer_upcoming),
    Route(f"{P}/organizers/{{organizer_key:int}}/meetings", organizer_meetings),
    Route(
        f"{P}/organizers/{{organizer_key:int}}/sessions/{{session_id:int}}",
        delete_session_part,
        methods=["DELETE"],
    ),
    Route(
        f"{P}/organizers/{{organizer_key:int}}/sessions/{{session_id:int}}/attendees",
        delete_session_part,
        methods=["DELETE"],
    ),
    Route(
        f"{P}/organizers/{{organizer_key:int}}/sessions/{{session_id:int}}/recordings",
        delete_session_part,
        methods=["DELETE"],
    ),
    Route(f"{P}/groups", groups),
    Route(f"{P}/groups/{{group_key:int}}/attendees", group_attendees),
    Route(f"{P}/groups/{{group_key:int}}/historicalMeetings", group_historical),
    Route(f"{P}/groups/{{group_key:int}}/upcomingMeetings", group_upcoming),
    Route(f"{P}/groups/{{group_key:int}}/meetings", group_meetings),
    Route(f"{P}/groups/{{group_key:int}}/organizers", group_organizers, methods=["GET", "POST"]),
    Route(f"{P}/historicalMeetings", historical_meetings),
    Route(f"{P}/upcomingMeetings", upcoming_meetings),
    Route(f"{P}/meetings", meetings, methods=["GET", "POST"]),
    Route(f"{P}/meetings/{{meeting_id:int}}", meeting, methods=["GET", "PUT", "DELETE"]),
    Route(f"{P}/meetings/{{meeting_id:int}}/start", start_meeting),
    Route(f"{P}/meetings/{{meeting_id:int}}/attendees", meeting_attendees),
]
