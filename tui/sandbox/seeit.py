"""GoToAssist Seeit API 0.9.0 under /seeit/v1 (gotoassist-seeit.swagger.yaml)."""

from __future__ import annotations

import math
import random
import uuid
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.sandbox.files import goto_file_url
from tui.sandbox.model import Organizer, SeeitSession
from tui.sandbox.web import base_url, caller, goto_error, query_int, sandbox

DATA_HOURS = 72
SORTABLE = (
    "uuid",
    "supportKey",
    "sessionStatus",
    "sessionCreateTime",
    "sessionStartTime",
    "sessionJoinTime",
    "sessionEndTime",
    "technicianEmail",
    "sessionDataStatus",
    "sessionDataSize",
)


def details_json(request: Request, s: SeeitSession) -> dict[str, Any]:
    out: dict[str, Any] = {
        "uuid": s.uuid,
        "supportKey": s.support_key,
        "sessionStatus": s.status,
        "sessionCreateTime": s.create_ms,
        "technicianEmail": s.technician_email,
        "sessionRecorded": s.recorded,
        "sessionDataStatus": s.data_status,
        "sessionDataSize": s.data_file.size if s.data_file else 0,
        "sessionDataPhotoCount": s.photo_count,
        "sessionDataPhotoNotesCount": s.photo_notes_count,
    }
    for name, value in (
        ("sessionStartTime", s.start_ms),
        ("sessionJoinTime", s.join_ms),
        ("sessionEndTime", s.end_ms),
    ):
        if value is not None:
            out[name] = value
    if s.notes is not None:
        out["sessionNotes"] = s.notes[:1000]
    if s.status != "FINISHED":
        out["startUrl"] = f"{base_url(request)}/_sandbox/start/seeit/{s.uuid}"
    if s.data_file is not None and s.end_ms is not None:
        out["sessionDataDownloadUrl"] = goto_file_url(request, s.data_file)
        out["sessionDataDownloadUrlExpiration"] = s.end_ms + DATA_HOURS * 3_600_000
    return out


def _technician(request: Request) -> Organizer:
    who = caller(request)
    if "G2ASEEIT" not in who.products and not who.admin:
        raise goto_error(403, "AccessDenied", "This organizer has no GoToAssist Seeit license")
    return who


def _sort_key(name: str) -> Any:
    def key(s: SeeitSession) -> tuple[int, Any]:
        value = {
            "uuid": s.uuid,
            "supportKey": s.support_key,
            "sessionStatus": s.status,
            "sessionCreateTime": s.create_ms,
            "sessionStartTime": s.start_ms,
            "sessionJoinTime": s.join_ms,
            "sessionEndTime": s.end_ms,
            "technicianEmail": s.technician_email,
            "sessionDataStatus": s.data_status,
            "sessionDataSize": s.data_file.size if s.data_file else 0,
        }[name]
        return (0, value) if value is not None else (1, 0)

    return key


async def sessions(request: Request) -> Response:
    state = sandbox(request)
    who = _technician(request)
    if request.method == "POST":
        rng = random.Random()
        session = SeeitSession(
            uuid=str(uuid.uuid4()),
            support_key=f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
            status="CREATED",
            create_ms=state.now_ms(),
            technician_email=who.email,
            owner_key=who.key,
        )
        state.goto.seeit[session.uuid] = session
        state.created_at[session.uuid] = state.monotonic()
        return JSONResponse(details_json(request, session), status_code=201)
    params = request.query_params
    page = query_int(request, "page", 0, 0, 1_000_000)
    size = query_int(request, "size", 5, 1, 1000)
    sort_field, _, order = (params.get("sort") or "sessionCreateTime").partition(",")
    if sort_field not in SORTABLE or order.lower() not in ("", "asc", "desc"):
        raise goto_error(400, "InvalidRequest", f"Cannot sort by {params.get('sort')!r}")
    start = query_int(request, "startTime", -(2**62), -(2**62), 2**62)
    end = query_int(request, "endTime", 2**62, -(2**62), 2**62)
    found = [
        s
        for s in state.goto.seeit.values()
        if (who.admin or s.owner_key == who.key) and start <= s.create_ms <= end
    ]
    found.sort(key=_sort_key(sort_field), reverse=order.lower() == "desc")
    total = len(found)
    pages = math.ceil(total / size) if total else 0
    content = [details_json(request, s) for s in found[page * size : (page + 1) * size]]
    links = [{"rel": "self", "href": _page_url(request, page, size)}]
    if page + 1 < pages:
        links.append({"rel": "next", "href": _page_url(request, page + 1, size)})
    if page > 0:
        links.append(
            {"rel": "prev", "href": _page_url(request, min(page - 1, max(pages - 1, 0)), size)}
        )
    return JSONResponse(
        {
            "content": content,
            "links": links,
            "page": {"size": size, "number": page, "totalElements": total, "totalPages": pages},
        }
    )


def _page_url(request: Request, page: int, size: int) -> str:
    params = {k: v for k, v in request.query_params.items() if k not in ("page", "size")}
    params.update({"page": str(page), "size": str(size)})
    return f"{base_url(request)}/seeit/v1/sessions?{urlencode(params)}"


async def session(request: Request) -> Response:
    state = sandbox(request)
    who = _technician(request)
    found = state.goto.seeit.get(request.path_params["uuid"])
    if found is None or not (who.admin or found.owner_key == who.key):
        raise goto_error(404, "NotFound", "There is no data for a session with the given uuid")
    created = state.created_at.get(found.uuid)
    window = state.config.seeit_409_ms / 1000
    if created is not None and state.monotonic() - created < window:
        raise goto_error(409, "Conflict", "Session details are not available yet; retry later")
    return JSONResponse(details_json(request, found))


ROUTES = [
    Route("/seeit/v1/sessions", sessions, methods=["GET", "POST"]),
    Route("/seeit/v1/sessions/{uuid}", session),
]
