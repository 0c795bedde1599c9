"""Zoom API v2 under /zoom/v2: the 14 operations of the zoom.openapi.yml excerpt, and the
writes docs/real-clouds.md records beyond it (add a registrant; create, update and delete
a meeting), answered as Zoom documents them: 201 with the new object, 204 for an update
or a delete, 400 code 300 for a bad field, 404 codes 1001 and 3001 for who or what is
not there, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tui.sandbox import zoom_views as views
from tui.sandbox.model import ZOOM_STATUSES, RegistrantTable, ZoomEvent, ZoomUser
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    iso,
    json_body,
    parse_time,
    query_int,
    sandbox,
    zoom_error,
)

MAX_STATUS_BATCH = 30
ACTIONS = {"approve": 1, "deny": 2, "cancel": 3}
# Meeting types: 1 instant, 2 scheduled, 3 recurring without a time, 8 recurring with one.
MEETING_TYPES = frozenset({1, 2, 3, 8})
MAX_TOPIC = 200
MAX_DURATION = 24 * 60 * 7
PASSWORD = re.compile(r"[A-Za-z0-9@_*-]{1,10}")
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


#: "This token's expiration period is 15 minutes" (the spec, on every next_page_token).
PAGE_TOKEN_TTL = 15 * 60


def _token(state: SandboxState, *parts: object) -> str:
    """A next_page_token: the page's position and when it was issued (sandbox clock)."""
    issued = int(state.now().timestamp())
    raw = ":".join(map(str, (issued, *parts)))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _untoken(state: SandboxState, token: str, count: int) -> list[int]:
    """The `count` values of a token; 400 code 300 when it is malformed or expired.

    Zoom documents no error for an expired token; the sandbox answers as it does for
    a malformed one (docs/real-clouds.md, "Registrant list defaults").
    """
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        values = [int(v) for v in raw.split(":")]
    except (binascii.Error, UnicodeDecodeError, ValueError):
        values = []
    if len(values) != count + 1:
        raise zoom_error(400, 300, "Invalid next_page_token.")
    issued, *rest = values
    refused = state.page_tokens_to_refuse > 0
    if refused:
        state.page_tokens_to_refuse -= 1
    if refused or state.now().timestamp() - issued > PAGE_TOKEN_TTL:
        raise zoom_error(400, 300, "The next page token is invalid or has expired.")
    return rest


def _page(request: Request, items: list[Any], key: str) -> dict[str, Any]:
    """Offset paging with page_size, page_number and next_page_token."""
    state = sandbox(request)
    size = query_int(request, "page_size", 30, 1, 300, zoom=True)
    token = request.query_params.get("next_page_token")
    if token:
        start, number = _untoken(state, token, 2)
    else:
        number = query_int(request, "page_number", 1, 1, 10**9, zoom=True)
        start = (number - 1) * size
    chunk = items[start : start + size]
    following = start + size < len(items)
    return {
        "page_count": math.ceil(len(items) / size),
        "page_number": number,
        "page_size": size,
        "total_records": len(items),
        "next_page_token": _token(state, start + size, number + 1) if following else "",
        key: chunk,
    }


async def users(request: Request) -> Response:
    state = sandbox(request)
    status = request.query_params.get("status") or "active"
    if status not in ("active", "inactive", "pending"):
        raise _invalid("status")
    found = [views.user_json(u) for u in state.zoom.users.values() if u.status == status]
    return JSONResponse(_page(request, found, "users"))


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
    return JSONResponse(_page(request, [views.event_item_json(base, e) for e in found], "webinars"))


async def user_meetings(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "POST":
        # Meetings can be scheduled for an active user only (as listing them needs).
        return await _create_meeting(request, _host(state, request.path_params["user_id"]))
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
        raise _invalid("type")
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
    return JSONResponse(_page(request, [views.event_item_json(base, e) for e in found], "meetings"))


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise zoom_error(400, 300, f"Invalid date: {value}. Use yyyy-mm-dd.") from None


def _invalid(field: str) -> Exception:
    return zoom_error(
        400, 300, "Validation Failed.", [{"field": field, "message": "Invalid field."}]
    )


async def event(request: Request) -> Response:
    state = sandbox(request)
    webinar = request.url.path.startswith("/zoom/v2/webinars/")
    found = _event(state, request.path_params["event_id"], webinar)
    if request.method == "PATCH":
        return await _update_meeting(request, found)
    if request.method == "DELETE":
        return _delete_meeting(state, found)
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
    if request.method == "POST":
        return await _add_registrant(request)
    found, table, meeting = _table(request)
    status = request.query_params.get("status") or "approved"  # the spec's default
    if status not in ("pending", "approved", "denied"):
        raise _invalid("status")
    code = ZOOM_STATUSES.index(status)
    size = query_int(request, "page_size", 30, 1, 300, zoom=True)
    token = request.query_params.get("next_page_token")
    if token:
        event_id, token_code, start, number = _untoken(sandbox(request), token, 4)
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
            "next_page_token": _token(sandbox(request), found.id, code, following, number + 1)
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
    body = await json_body(request)
    if not isinstance(body, dict):
        raise zoom_error(400, 300, "Request Body should be a valid JSON object.")
    action = body.get("action")
    if not isinstance(action, str) or action not in ACTIONS:  # {"action": {}} was a 500
        raise _invalid("action")
    people = body.get("registrants")
    if not isinstance(people, list) or not people:
        raise zoom_error(
            400,
            300,
            "Validation Failed.",
            [{"field": "registrants", "message": "At least one registrant."}],
        )
    if len(people) > MAX_STATUS_BATCH:
        raise zoom_error(
            400,
            300,
            "Validation Failed.",
            [
                {
                    "field": "registrants",
                    "message": f"You can only update {MAX_STATUS_BATCH} registrants at a time.",
                }
            ],
        )
    for person in people:
        if not isinstance(person, dict):
            raise _invalid("registrants")
        index = None
        if person.get("id"):
            index = table.index_of(str(person["id"]))
        if index is None and person.get("email"):
            index = table.index_of_email(str(person["email"]))
        if index is not None and table.status[index] != 3:
            table.status[index] = ACTIONS[action]
    return Response(status_code=204)


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
    page = _page(request, items, "meetings")
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


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise zoom_error(400, 300, "Request Body should be a valid JSON object.")
    return body


def _text(body: dict[str, Any], field: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise _invalid(field)
    return value


def _meeting_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The checked fields of a create (POST) or update (PATCH) body; 400 code 300 else."""
    fields: dict[str, Any] = {}
    topic = _text(body, "topic", MAX_TOPIC)
    if topic is not None:
        fields["topic"] = topic
    agenda = _text(body, "agenda", 2000)
    if agenda is not None:
        fields["agenda"] = agenda
    kind = body.get("type", 2 if creating else None)
    if kind is not None:
        if isinstance(kind, bool) or not isinstance(kind, int) or kind not in MEETING_TYPES:
            raise _invalid("type")
        fields["type"] = kind
    zone = _text(body, "timezone", 64)
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise _invalid("timezone") from None
        fields["timezone"] = zone
    start = body.get("start_time")
    if start is not None:
        if not isinstance(start, str):
            raise _invalid("start_time")
        parsed = parse_time(start)
        if parsed is None or parsed.year < 1970:
            raise _invalid("start_time")
        if not start.endswith(("Z", "z")) and "+" not in start[10:] and "-" not in start[10:]:
            # A local time: in `timezone` (the meeting's, or UTC), as Zoom reads it.
            parsed = parsed.replace(tzinfo=ZoneInfo(zone or "UTC"))
        fields["start"] = parsed.astimezone(UTC)
    elif creating and fields.get("type", 2) in (2, 8):
        raise zoom_error(
            400,
            300,
            "Validation Failed.",
            [{"field": "start_time", "message": "A scheduled meeting needs a start time."}],
        )
    duration = body.get("duration")
    if duration is not None:
        if isinstance(duration, bool) or not isinstance(duration, int):
            raise _invalid("duration")
        if not 0 < duration <= MAX_DURATION:
            raise _invalid("duration")
        fields["duration"] = duration
    password = body.get("password")
    if password is not None:
        if not isinstance(password, str) or not PASSWORD.fullmatch(password):
            raise _invalid("password")
        fields["password"] = password
    settings = body.get("settings")
    if settings is not None:
        if not isinstance(settings, dict):
            raise _invalid("settings")
        approval = settings.get("approval_type")
        if approval is not None:
            if isinstance(approval, bool) or approval not in (0, 1, 2):
                raise _invalid("settings.approval_type")
            fields["approval_type"] = approval
    return fields


def _apply(found: ZoomEvent, fields: dict[str, Any]) -> None:
    for name in ("topic", "agenda", "type", "timezone", "start", "duration", "password"):
        if name in fields:
            setattr(found, name, fields[name])
    if "approval_type" in fields:
        found.approval_type = fields["approval_type"]
    registration = found.approval_type != 2 and found.type in (2, 8)
    if registration and found.registrants is None:
        found.registrants = RegistrantTable(found.id)


async def _create_meeting(request: Request, host: ZoomUser) -> Response:
    """POST /users/{userId}/meetings: 201 with the meeting, as GET /meetings/{id} shows it."""
    state = sandbox(request)
    fields = _meeting_fields(_object(await json_body(request)), creating=True)
    now = state.now()
    taken = set(state.zoom.meetings) | set(state.zoom.webinars)
    seed = f"{host.id}:{len(taken)}:{now.isoformat()}".encode()
    meeting_id = 80_000_000_000 + int.from_bytes(hashlib.sha256(seed).digest()[:5]) % 999_999_999
    while meeting_id in taken:
        meeting_id += 1
    uuid = base64.b64encode(hashlib.sha256(seed + b"uuid").digest()[:16]).decode()
    found = ZoomEvent(
        id=meeting_id,
        uuid=uuid,
        host_id=host.id,
        topic=fields.get("topic") or "Zoom meeting",
        agenda=fields.get("agenda") or "",
        type=fields.get("type", 2),
        start=fields.get("start") or now,
        duration=fields.get("duration", 60),
        timezone=fields.get("timezone") or host.timezone,
        created_at=now,
        password=fields.get("password") or f"{meeting_id % 1_000_000:06d}",
        webinar=False,
    )
    _apply(found, {"approval_type": fields.get("approval_type", 2)})
    state.zoom.meetings[found.id] = found
    return JSONResponse(
        views.event_json(base_url(request), found, host, state.now()), status_code=201
    )


async def _update_meeting(request: Request, found: ZoomEvent) -> Response:
    """PATCH /meetings/{meetingId}: 204; only the fields sent change."""
    if found.webinar:
        raise zoom_error(404, 3001, f"Meeting {found.id} is not found or has expired.")
    fields = _meeting_fields(_object(await json_body(request)), creating=False)
    _apply(found, fields)
    return Response(status_code=204)


def _delete_meeting(state: SandboxState, found: ZoomEvent) -> Response:
    """DELETE /meetings/{meetingId}: 204; a meeting in progress cannot be (code 3002)."""
    if found.webinar:
        raise zoom_error(404, 3001, f"Meeting {found.id} is not found or has expired.")
    if found.status == "started":
        raise zoom_error(400, 3002, "Sorry, you cannot delete this meeting since it's in progress.")
    del state.zoom.meetings[found.id]
    return Response(status_code=204)


async def _add_registrant(request: Request) -> Response:
    """POST /meetings|webinars/{id}/registrants: 201 {id, registrant_id, join_url, topic,
    start_time}; with manual approval and no `auto_approve` the person waits (pending)."""
    state = sandbox(request)
    found, table, meeting = _table(request)
    body = _object(await json_body(request))
    email = _text(body, "email", 128, required=True) or ""
    first = _text(body, "first_name", 64, required=True) or ""
    last = _text(body, "last_name", 64) or ""
    if "@" not in email.strip(" @") or any(c.isspace() for c in email.strip()):
        raise _invalid("email")
    auto = body.get("auto_approve", False)
    if not isinstance(auto, bool):
        raise _invalid("auto_approve")
    email = email.strip()
    existing = table.index_of_email(email)
    if existing is not None and table.status[existing] != 3:
        # Zoom answers an existing registrant with their registration again.
        index = existing
    else:
        status = 1 if found.approval_type == 0 or auto else 0
        digest = hashlib.sha256(f"{found.id}:{email.lower()}:{len(table)}".encode()).digest()
        rid = base64.urlsafe_b64encode(digest[:16]).decode()[:22]
        index = table.add(
            rid, first.strip(), last.strip(), email, int(state.now().timestamp()), status
        )
    rid = table.ids[index]
    answer: dict[str, Any] = {
        "id": found.id,
        "registrant_id": rid,
        "topic": found.topic,
        "start_time": iso(found.start),
    }
    if table.status[index] == 1:  # a pending registrant gets no join URL yet
        answer["join_url"] = (
            f"{base_url(request)}/zoom/{'j' if meeting else 'w'}/{found.id}?tk={rid}"
        )
    return JSONResponse(answer, status_code=201)


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
