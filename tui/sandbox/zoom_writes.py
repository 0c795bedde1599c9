"""Zoom's writes: registrants' statuses set and people registered; meetings created,
changed and deleted. Answered as Zoom documents them (docs/real-clouds.md, "Status
update", "Add a registrant" and "Meeting create, update, delete"): 201 with the new
object, 204 for a status update, an update or a delete, 400 code 300 naming a bad field,
never a 500. The routes (`zoom_api.py`) find what the path names and hand it here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tui.sandbox import zoom_views as views
from tui.sandbox.model import RegistrantTable, ZoomEvent, ZoomUser
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    iso,
    json_body,
    parse_time,
    sandbox,
    zoom_error,
    zoom_invalid,
)

MAX_STATUS_BATCH = 30
ACTIONS = {"approve": 1, "deny": 2, "cancel": 3}
# Meeting types: 1 instant, 2 scheduled, 3 recurring without a time, 8 recurring with one.
MEETING_TYPES = frozenset({1, 2, 3, 8})
MAX_TOPIC = 200
MAX_DURATION = 24 * 60 * 7
PASSWORD = re.compile(r"[A-Za-z0-9@_*-]{1,10}")


async def set_statuses(request: Request, table: RegistrantTable) -> Response:
    """PUT …/registrants/status {action, registrants: [{id, email}]}: 204; at most 30
    people per call, and `cancel` removes them."""
    body = await json_body(request)
    if not isinstance(body, dict):
        raise zoom_error(400, 300, "Request Body should be a valid JSON object.")
    action = body.get("action")
    if not isinstance(action, str) or action not in ACTIONS:  # {"action": {}} was a 500
        raise zoom_invalid("action")
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
            raise zoom_invalid("registrants")
        index = None
        if person.get("id"):
            index = table.index_of(str(person["id"]))
        if index is None and person.get("email"):
            index = table.index_of_email(str(person["email"]))
        if index is not None and table.status[index] != 3:
            table.status[index] = ACTIONS[action]
    return Response(status_code=204)


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise zoom_error(400, 300, "Request Body should be a valid JSON object.")
    return body


def _text(body: dict[str, Any], field: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise zoom_invalid(field)
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
            raise zoom_invalid("type")
        fields["type"] = kind
    zone = _text(body, "timezone", 64)
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise zoom_invalid("timezone") from None
        fields["timezone"] = zone
    start = body.get("start_time")
    if start is not None:
        if not isinstance(start, str):
            raise zoom_invalid("start_time")
        parsed = parse_time(start)
        if parsed is None or parsed.year < 1970:
            raise zoom_invalid("start_time")
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
            raise zoom_invalid("duration")
        if not 0 < duration <= MAX_DURATION:
            raise zoom_invalid("duration")
        fields["duration"] = duration
    password = body.get("password")
    if password is not None:
        if not isinstance(password, str) or not PASSWORD.fullmatch(password):
            raise zoom_invalid("password")
        fields["password"] = password
    settings = body.get("settings")
    if settings is not None:
        if not isinstance(settings, dict):
            raise zoom_invalid("settings")
        approval = settings.get("approval_type")
        if approval is not None:
            if isinstance(approval, bool) or approval not in (0, 1, 2):
                raise zoom_invalid("settings.approval_type")
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


async def create_meeting(request: Request, host: ZoomUser) -> Response:
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


async def update_meeting(request: Request, found: ZoomEvent) -> Response:
    """PATCH /meetings/{meetingId}: 204; only the fields sent change."""
    if found.webinar:
        raise zoom_error(404, 3001, f"Meeting {found.id} is not found or has expired.")
    fields = _meeting_fields(_object(await json_body(request)), creating=False)
    _apply(found, fields)
    return Response(status_code=204)


def delete_meeting(state: SandboxState, found: ZoomEvent) -> Response:
    """DELETE /meetings/{meetingId}: 204; a meeting in progress cannot be (code 3002)."""
    if found.webinar:
        raise zoom_error(404, 3001, f"Meeting {found.id} is not found or has expired.")
    if found.status == "started":
        raise zoom_error(400, 3002, "Sorry, you cannot delete this meeting since it's in progress.")
    del state.zoom.meetings[found.id]
    return Response(status_code=204)


async def add_registrant(
    request: Request, found: ZoomEvent, table: RegistrantTable, meeting: bool
) -> Response:
    """POST /meetings|webinars/{id}/registrants: 201 {id, registrant_id, join_url, topic,
    start_time}; with manual approval and no `auto_approve` the person waits (pending)."""
    state = sandbox(request)
    body = _object(await json_body(request))
    email = _text(body, "email", 128, required=True) or ""
    first = _text(body, "first_name", 64, required=True) or ""
    last = _text(body, "last_name", 64) or ""
    if "@" not in email.strip(" @") or any(c.isspace() for c in email.strip()):
        raise zoom_invalid("email")
    auto = body.get("auto_approve", False)
    if not isinstance(auto, bool):
        raise zoom_invalid("auto_approve")
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
