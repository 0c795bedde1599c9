"""GoTo Meeting REST API v1 under /G2M/rest (every operation of gotomeeting.openapi.yml).

The routes check who may ask (admin, or the organizer themself), find what the path
names (404 `NotFound`) and select the meetings upcoming or held by an organizer, a group
(at most 50 organizers) or the caller; the writes' bodies are `g2m_writes.py`, the JSON
shapes `g2m_views.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.sandbox import g2m_views as views
from tui.sandbox import g2m_writes as writes
from tui.sandbox.gen_goto import GROUP_CALL_MAX
from tui.sandbox.model import Meeting, MeetingSession, Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    caller,
    goto_error,
    require_admin,
    require_self_or_admin,
    required_range,
    sandbox,
)


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


async def organizers(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "POST":
        return await writes.create_organizer(request, None)
    require_admin(request)
    email = request.query_params.get("email")
    if request.method == "DELETE":
        if not email:
            raise goto_error(400, "InvalidRequest", "email is required")
        found = [o for o in state.goto.organizers.values() if o.email.lower() == email.lower()]
        if not found:
            raise goto_error(404, "NotFound", f"No organizer with e-mail {email}")
        writes.drop_organizer(state, found[0].key)
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
        writes.drop_organizer(state, key)
        return Response(status_code=204)
    return await writes.change_organizer(request, found)


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
        return await writes.create_organizer(request, key)
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


async def meetings(request: Request) -> Response:
    who = caller(request)
    if request.method == "GET":
        return JSONResponse(_legacy_meetings(request, {who.key}, group=False))
    return await writes.create_meeting(request, who)


async def meeting(request: Request) -> Response:
    state = sandbox(request)
    found = _meeting(request)
    if request.method == "GET":
        return JSONResponse([views.meeting_by_id_json(found)])  # an array, as the spec says
    if request.method == "DELETE":
        writes.drop_meeting(state, found.id)
        return Response(status_code=204)
    return await writes.update_meeting(request, found)


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
        writes.delete_session_part,
        methods=["DELETE"],
    ),
    Route(
        f"{P}/organizers/{{organizer_key:int}}/sessions/{{session_id:int}}/attendees",
        writes.delete_session_part,
        methods=["DELETE"],
    ),
    Route(
        f"{P}/organizers/{{organizer_key:int}}/sessions/{{session_id:int}}/recordings",
        writes.delete_session_part,
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
