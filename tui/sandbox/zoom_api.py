"""Zoom API v2 under /zoom/v2: the 14 operations of the zoom.openapi.yml excerpt, and the
writes docs/real-clouds.md records beyond it (add a registrant; create, update and delete
a meeting). The routes find who or what the path names (404 codes 1001 and 3001 when it
is not there, never a 500) and answer reads here; paging is `zoom_paging.py`, the
writes' bodies `zoom_writes.py`, the JSON shapes `zoom_views.py`.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tui.sandbox import zoom_views as views
from tui.sandbox import zoom_writes as writes
from tui.sandbox.model import ZOOM_STATUSES, RegistrantTable, ZoomEvent, ZoomUser
from tui.sandbox.state import SandboxState
from tui.sandbox.web import base_url, query_int, sandbox, zoom_error, zoom_invalid
from tui.sandbox.zoom_paging import issue_token, page_of, read_token

INSTANT = 1  # Zoom's meeting type of an instant meeting


def _user(state: SandboxState, user_id: str) -> ZoomUser:
    if user_id == "me":
        return state.zoom.users[state.zoom.owner_id]
    found = state.zoom.users.get(user_id)
    if found is None:
        found = next(
            (u for u in state.zoom.users.values() if u.email.lower() == user_id.lower()), None
        )
    if found is None:
        raise zoom_error(404, 1001, f"User does not exist: {user_id}.")
    return found


def _host(state: SandboxState, user_id: str, *, webinars: bool = False) -> ZoomUser:
    """The user whose meetings, webinars or recordings are listed.

    A pending user (listed without an id) or a deactivated one answers 1001, as an
    unknown id does; a user without the webinar feature answers 3161 for webinars.
    """
    found = _user(state, user_id)
    if found.status != "active":
        raise zoom_error(
            404, 1001, f"User {user_id} does not exist or does not belong to this account."
        )
    if webinars and not found.webinar:
        raise zoom_error(
            400,
            3161,
            "Meeting hosting and scheduling capabilities are not allowed for your user account.",
        )
    return found


def _event(state: SandboxState, event_id: int, webinar: bool) -> ZoomEvent:
    found = (state.zoom.webinars if webinar else state.zoom.meetings).get(event_id)
    if found is None:
        what = "Webinar" if webinar else "Meeting"
        raise zoom_error(404, 3001, f"{what} {event_id} is not found or has expired.")
    return found


async def users(request: Request) -> Response:
    state = sandbox(request)
    status = request.query_params.get("status") or "active"
    if status not in ("active", "inactive", "pending"):
        raise zoom_invalid("status")
    found = [views.user_json(u) for u in state.zoom.users.values() if u.status == status]
    return JSONResponse(page_of(request, found, "users"))


async def user(request: Request) -> Response:
    state = sandbox(request)
    return JSONResponse(views.user_json(_user(state, request.path_params["user_id"]), full=True))


async def user_webinars(request: Request) -> Response:
    state = sandbox(request)
    host = _host(state, request.path_params["user_id"], webinars=True)
    kind = request.query_params.get("type") or "scheduled"
    now = state.now()
    found = [
        e
        for e in state.zoom.webinars.values()
        if e.host_id == host.id and (kind != "upcoming" or e.end >= now)
    ]
    found.sort(key=lambda e: (e.start, e.id))
    base = base_url(request)
    return JSONResponse(
        page_of(request, [views.event_item_json(base, e) for e in found], "webinars")
    )


async def user_meetings(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "POST":
        # Meetings can be scheduled for an active user only (as listing them needs).
        return await writes.create_meeting(request, _host(state, request.path_params["user_id"]))
    host = _host(state, request.path_params["user_id"])
    params = request.query_params
    kind = params.get("type") or "scheduled"
    now = state.now()
    tests = {
        "scheduled": lambda e: e.end >= now or e.status == "started",
        "live": lambda e: e.status == "started",
        "upcoming": lambda e: e.start >= now or e.status == "started",
        "upcoming_meetings": lambda e: e.start >= now or e.status == "started",
        "previous_meetings": lambda e: e.end < now and e.status != "started",
    }
    if kind not in tests:
        raise zoom_invalid("type")
    low, high = _day(params.get("from")), _day(params.get("to"))
    found = [
        e
        for e in state.zoom.meetings.values()
        if e.host_id == host.id
        and e.type != INSTANT  # "This API does not return information about instant meetings"
        and tests[kind](e)
        and (low is None or e.start.date() >= low)
        and (high is None or e.start.date() <= high)
    ]
    found.sort(key=lambda e: (e.start, e.id))
    base = base_url(request)
    return JSONResponse(
        page_of(request, [views.event_item_json(base, e) for e in found], "meetings")
    )


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise zoom_error(400, 300, f"Invalid date: {value}. Use yyyy-mm-dd.") from None


async def event(request: Request) -> Response:
    state = sandbox(request)
    webinar = request.url.path.startswith("/zoom/v2/webinars/")
    found = _event(state, request.path_params["event_id"], webinar)
    if request.method == "PATCH":
        return await writes.update_meeting(request, found)
    if request.method == "DELETE":
        return writes.delete_meeting(state, found)
    host = state.zoom.users[found.host_id]
    return JSONResponse(views.event_json(base_url(request), found, host, state.now()))


EXPIRED_START_PAGE = (
    "<!DOCTYPE html><html><body><h1>This start link has expired</h1>"
    "<p>Start links are valid for about two hours. Get a new one from the meeting.</p>"
    "</body></html>"
)


async def start_landing(request: Request) -> Response:
    """What a host's start URL opens (`/zoom/s/{id}?zak=`): the meeting's start page
    while its ZAK is current and belongs to the meeting's host; 403 once it has
    expired on the sandbox's clock (or for a ZAK that is not the host's)."""
    state = sandbox(request)
    event_id = request.path_params["event_id"]
    found = state.zoom.meetings.get(event_id) or state.zoom.webinars.get(event_id)
    held = views.zak_expiry(request.query_params.get("zak", ""))
    if found is None:
        return HTMLResponse("<!DOCTYPE html><html><body>No such meeting.</body></html>", 404)
    if held is None or held[0] != found.host_id or held[1] <= state.now():
        return HTMLResponse(EXPIRED_START_PAGE, status_code=403)
    return HTMLResponse(
        f"<!DOCTYPE html><html><body><h1>meetdeck sandbox</h1>"
        f"<p>This page starts Zoom meeting {found.id} as its host.</p></body></html>"
    )


def _table(request: Request) -> tuple[ZoomEvent, RegistrantTable, bool]:
    state = sandbox(request)
    meeting = request.url.path.startswith("/zoom/v2/meetings/")
    found = _event(state, request.path_params["event_id"], not meeting)
    if found.registrants is None:
        raise zoom_error(
            400, 3000, f"Registration has not been enabled for this meeting: {found.id}."
        )
    return found, found.registrants, meeting


async def registrants(request: Request) -> Response:
    found, table, meeting = _table(request)
    if request.method == "POST":
        return await writes.add_registrant(request, found, table, meeting)
    status = request.query_params.get("status") or "approved"  # the spec's default
    if status not in ("pending", "approved", "denied"):
        raise zoom_invalid("status")
    code = ZOOM_STATUSES.index(status)
    size = query_int(request, "page_size", 30, 1, 300, zoom=True)
    token = request.query_params.get("next_page_token")
    if token:
        event_id, token_code, start, number = read_token(sandbox(request), token, 4)
        if event_id != found.id or token_code != code:
            raise zoom_error(400, 300, "Invalid next_page_token.")
    else:
        number = query_int(request, "page_number", 1, 1, 10**9, zoom=True)
        start = table.nth(code, (number - 1) * size) if number > 1 else 0
    indexes, following = table.page(code, start, size)
    total = table.count(code)
    base = base_url(request)
    return JSONResponse(
        {
            "page_count": math.ceil(total / size),
            "page_number": number,
            "page_size": size,
            "total_records": total,
            "next_page_token": issue_token(sandbox(request), found.id, code, following, number + 1)
            if following is not None
            else "",
            "registrants": [views.registrant_json(base, table, i, meeting) for i in indexes],
        }
    )


async def registrant(request: Request) -> Response:
    _, table, meeting = _table(request)
    index = table.index_of(request.path_params["registrant_id"])
    if index is None or table.status[index] == 3:
        raise zoom_error(404, 3043 if meeting else 3001, "Registrant not found.")
    return JSONResponse(views.registrant_json(base_url(request), table, index, meeting, full=True))


async def registrant_status(request: Request) -> Response:
    _, table, _ = _table(request)
    return await writes.set_statuses(request, table)


async def user_recordings(request: Request) -> Response:
    state = sandbox(request)
    host = _host(state, request.path_params["user_id"])
    params = request.query_params
    today = state.now().date()
    low = _day(params.get("from")) or today
    high = _day(params.get("to")) or (low + timedelta(days=1))
    high = min(high, low + timedelta(days=31))  # "The maximum range can be a month."
    start = datetime.combine(low, time.min, UTC)
    end = datetime.combine(high, time.max, UTC)
    meeting_id = params.get("meeting_id")
    found = [
        e
        for e in state.zoom.meetings.values()
        if e.host_id == host.id
        and e.recording is not None
        and start <= e.start <= end
        and (not meeting_id or str(e.id) == meeting_id)
    ]
    found.sort(key=lambda e: (e.start, e.id), reverse=True)
    base = base_url(request)
    items = [views.recording_json(base, e.recording, e) for e in found if e.recording]
    page = page_of(request, items, "meetings")
    page.pop("page_number")
    page.update({"from": low.isoformat(), "to": high.isoformat()})
    return JSONResponse(page)


async def meeting_recordings(request: Request) -> Response:
    state = sandbox(request)
    wanted = unquote(request.path_params["meeting_id"])  # UUIDs with '/' come double-encoded
    found = None
    for e in state.zoom.meetings.values():
        if e.recording is not None and (str(e.id) == wanted or e.uuid == wanted):
            found = e
            break
    if found is None or found.recording is None:
        raise zoom_error(404, 3301, "There is no recording for this meeting.")
    return JSONResponse(views.recording_json(base_url(request), found.recording, found, full=True))


# -- writes beyond the spec excerpt (docs/real-clouds.md, "Add a registrant" and "Meeting
# create, update, delete") ---------------------------------------------------------------


P = "/zoom/v2"
ROUTES = [
    Route(f"{P}/users", users),
    Route(f"{P}/users/{{user_id}}", user),
    Route(f"{P}/users/{{user_id}}/webinars", user_webinars),
    Route(f"{P}/users/{{user_id}}/meetings", user_meetings, methods=["GET", "POST"]),
    Route(f"{P}/users/{{user_id}}/recordings", user_recordings),
    Route(f"{P}/webinars/{{event_id:int}}", event),
    Route(f"{P}/webinars/{{event_id:int}}/registrants", registrants, methods=["GET", "POST"]),
    Route(f"{P}/webinars/{{event_id:int}}/registrants/status", registrant_status, methods=["PUT"]),
    Route(f"{P}/webinars/{{event_id:int}}/registrants/{{registrant_id}}", registrant),
    Route(f"{P}/meetings/{{event_id:int}}", event, methods=["GET", "PATCH", "DELETE"]),
    Route(f"{P}/meetings/{{event_id:int}}/registrants", registrants, methods=["GET", "POST"]),
    Route(f"{P}/meetings/{{event_id:int}}/registrants/status", registrant_status, methods=["PUT"]),
    Route(f"{P}/meetings/{{event_id:int}}/registrants/{{registrant_id}}", registrant),
    Route(f"{P}/meetings/{{meeting_id}}/recordings", meeting_recordings),
    Route("/zoom/s/{event_id:int}", start_landing),
]
