"""GoTo Training REST API v1 under /G2T/rest (every operation of gototraining.openapi.yml).

The routes check the training against the organizer in the path and the caller, and
check and apply the writes' bodies; the JSON shapes are `g2t_views.py`.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tui.sandbox import g2t_views as views
from tui.sandbox.files import goto_file_url
from tui.sandbox.model import (
    INT64_HIGH,
    INT64_LOW,
    G2TRegistrant,
    Training,
)
from tui.sandbox.state import SandboxState
from tui.sandbox.web import (
    base_url,
    caller,
    goto_error,
    int_keys,
    json_body,
    parse_time,
    require_admin,
    require_self_or_admin,
    sandbox,
)


def _training(request: Request, with_organizer: bool = True) -> Training:
    """The training in the path, checked against the organizer in the path and the caller."""
    state = sandbox(request)
    training = state.goto.trainings.get(request.path_params["training_key"])
    if with_organizer:
        key = request.path_params["organizer_key"]
        require_self_or_admin(request, key)
        if training is None or key not in training.organizer_keys:
            raise goto_error(404, "NotFound", "Training not found")
        return training
    if training is None:
        raise goto_error(404, "NotFound", "Training not found")
    who = caller(request)
    if not who.admin and who.key not in training.organizer_keys:
        raise goto_error(403, "AccessDenied", "Not an organizer of this training")
    return training


def _times(body: dict[str, Any]) -> list[tuple[datetime, datetime]]:
    raw = body.get("times")
    if not isinstance(raw, list):
        raise goto_error(400, "InvalidRequest", "times must be a list of startDate/endDate")
    times = []
    for item in raw:
        start = parse_time(str(item.get("startDate", ""))) if isinstance(item, dict) else None
        end = parse_time(str(item.get("endDate", ""))) if isinstance(item, dict) else None
        if start is None or end is None or end < start:
            raise goto_error(400, "InvalidRequest", "times need startDate <= endDate (ISO 8601)")
        times.append((start, end))
    if not times:
        raise goto_error(400, "InvalidRequest", "At least one time range is required")
    return times


def _training_fields(body: Any) -> dict[str, Any]:
    """The checked body of POST trainings (TrainingReqCreate), or a 400."""
    if not isinstance(body, dict) or not all(
        isinstance(body.get(f), str) and body[f] for f in ("name", "timeZone")
    ):
        raise goto_error(400, "InvalidRequest", "name, timeZone and times are required")
    if not isinstance(body.get("description", ""), str):
        raise goto_error(400, "InvalidRequest", "description must be a string")
    settings = body.get("registrationSettings")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict) or not all(
        isinstance(settings.get(f, False), bool)
        for f in ("disableConfirmationEmail", "disableWebRegistration")
    ):
        raise goto_error(400, "InvalidRequest", "registrationSettings takes two booleans")
    organizers = int_keys(body.get("organizers", []))
    if organizers is None:
        raise goto_error(400, "InvalidRequest", "organizers must be a list of organizer keys")
    return {"times": _times(body), "settings": settings, "organizers": organizers}


async def account_organizers(request: Request) -> Response:
    require_admin(request)
    state = sandbox(request)
    if request.path_params["account_key"] != state.goto.account_key:
        raise goto_error(403, "AccessDenied", "Not your account")
    return JSONResponse(
        [views.organizer_json(o) for o in state.goto.organizers.values() if "G2T" in o.products]
    )


async def trainings(request: Request) -> Response:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    if key not in state.goto.organizers:
        raise goto_error(404, "NotFound", "Organizer not found")
    if request.method == "GET":
        found = [t for t in state.goto.trainings.values() if key in t.organizer_keys]
        found.sort(key=lambda t: (t.times[0][0], t.key))
        return JSONResponse([views.training_json(state, t) for t in found])
    body = await json_body(request)
    fields = _training_fields(body)
    settings = fields["settings"]
    new_key = max(state.goto.trainings, default=INT64_LOW) + 1
    organizers = [key, *[k for k in fields["organizers"] if k != key]]
    rng = random.Random(new_key)
    state.goto.trainings[new_key] = Training(
        new_key,
        f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(100, 999)}",
        str(body["name"]),
        str(body.get("description", "")),
        str(body["timeZone"]),
        fields["times"],
        organizers,
        bool(settings.get("disableConfirmationEmail", False)),
        bool(settings.get("disableWebRegistration", False)),
    )
    return JSONResponse(str(new_key), status_code=201)  # the key as a bare JSON string


async def training(request: Request) -> Response:
    state = sandbox(request)
    found = _training(request)
    if request.method == "DELETE":
        del state.goto.trainings[found.key]
        return Response(status_code=204)
    return JSONResponse(views.training_json(state, found))


async def manage_url(request: Request) -> Response:
    found = _training(request)
    return JSONResponse(f"{base_url(request)}/_sandbox/manage/g2t/{found.key}")


async def start_url(request: Request) -> Response:
    found = _training(request)
    return JSONResponse(f"{base_url(request)}/_sandbox/start/g2t/{found.key}")


async def start_training(request: Request) -> Response:
    found = _training(request, with_organizer=False)
    return JSONResponse({"hostURL": f"{base_url(request)}/_sandbox/start/g2t/{found.key}"})


async def name_description(request: Request) -> Response:
    found = _training(request)
    body = await json_body(request)
    if not isinstance(body, dict) or not body.get("name"):
        raise goto_error(400, "InvalidRequest", "name is required")
    found.name, found.description = str(body["name"]), str(body.get("description", ""))
    return Response(status_code=204)


async def training_organizers(request: Request) -> Response:
    state = sandbox(request)
    found = _training(request)
    if request.method == "GET":
        return JSONResponse(views.organizers_json(state, found.organizer_keys))
    body = await json_body(request)
    keys = int_keys(body.get("organizers")) if isinstance(body, dict) else None
    if not keys:
        raise goto_error(400, "InvalidRequest", "organizers must be a non-empty list of keys")
    if any(k not in state.goto.organizers for k in keys):
        raise goto_error(400, "InvalidRequest", "Unknown organizer key")
    found.organizer_keys = keys
    return Response(status_code=204)


async def registration_settings(request: Request) -> Response:
    found = _training(request)
    body = await json_body(request)
    if not isinstance(body, dict) or not {
        "disableConfirmationEmail",
        "disableWebRegistration",
    } <= set(body):
        raise goto_error(
            400,
            "InvalidRequest",
            "disableConfirmationEmail and disableWebRegistration are required",
        )
    found.disable_confirmation_email = bool(body["disableConfirmationEmail"])
    found.disable_web_registration = bool(body["disableWebRegistration"])
    return Response(status_code=204)


async def times(request: Request) -> Response:
    found = _training(request)
    body = await json_body(request)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("timeZone"), str)
        or not body["timeZone"]
    ):
        raise goto_error(400, "InvalidRequest", "timeZone and times are required")
    found.times, found.time_zone = _times(body), str(body["timeZone"])
    return JSONResponse(
        {
            "notifiedRegistrants": len(found.registrants) if body.get("notifyRegistrants") else 0,
            "notifiedTrainers": len(found.organizer_keys) if body.get("notifyTrainers") else 0,
        }
    )


def _listed(state: SandboxState, found: Training) -> list[G2TRegistrant]:
    """The training's registrants as its list shows them: those deleted less than
    `registrant_lag` ago are still there, as they were (GoTo's lists lag)."""
    now = state.now()
    for key, (_, when) in list(found.deleted.items()):
        if when + state.registrant_lag <= now:
            del found.deleted[key]
    lagging = [person for person, _ in found.deleted.values()]
    return [*found.registrants.values(), *lagging]


async def registrants(request: Request) -> Response:
    state = sandbox(request)
    found = _training(request)
    if request.method == "GET":
        return JSONResponse(
            [views.registrant_json(request, found, r) for r in _listed(state, found)]
        )
    body = await json_body(request)
    if not isinstance(body, dict) or not all(
        body.get(f) for f in ("email", "givenName", "surname")
    ):
        raise goto_error(400, "InvalidRequest", "email, givenName and surname are required")
    email = str(body["email"])
    if any(r.email.lower() == email.lower() for r in found.registrants.values()):
        raise goto_error(409, "Conflict", f"{email} is already registered")
    key = (
        max(
            (r.key for t in state.goto.trainings.values() for r in t.registrants.values()),
            default=INT64_LOW,
        )
        + 1
    )
    if key >= INT64_HIGH:
        key = INT64_LOW + len(found.registrants)
    registrant = G2TRegistrant(
        key, email, str(body["givenName"]), str(body["surname"]), "APPROVED", state.now()
    )
    found.registrants[key] = registrant
    wire = views.registrant_json(request, found, registrant)
    return JSONResponse(
        {k: wire[k] for k in ("joinUrl", "confirmationUrl", "registrantKey")}, status_code=201
    )


async def registrant(request: Request) -> Response:
    found = _training(request)
    key = request.path_params["registrant_key"]
    person = found.registrants.get(key)
    if person is None:
        raise goto_error(404, "NotFound", "Registrant not found")
    if request.method == "DELETE":
        del found.registrants[key]
        state = sandbox(request)
        if state.registrant_lag:
            found.deleted[key] = (person, state.now())
        return Response(status_code=204)
    return JSONResponse(views.registrant_json(request, found, person))


async def recordings(request: Request) -> Response:
    found = _training(request, with_organizer=False)
    return JSONResponse(views.recordings_json(request, found))


async def recording_download(request: Request) -> Response:
    found = _training(request, with_organizer=False)
    rec_id = request.path_params["recording_id"]
    for rec in found.recordings:
        if rec.id == rec_id:
            return RedirectResponse(goto_file_url(request, rec.file), status_code=302)
    raise goto_error(404, "NotFound", "Recording not found")


def _own_trainings(request: Request) -> tuple[SandboxState, list[Training]]:
    state = sandbox(request)
    key = request.path_params["organizer_key"]
    require_self_or_admin(request, key)
    return state, [t for t in state.goto.trainings.values() if key in t.organizer_keys]


async def report_sessions(request: Request) -> Response:
    state, own = _own_trainings(request)
    body = await json_body(request)
    start = parse_time(str(body.get("startDate", ""))) if isinstance(body, dict) else None
    end = parse_time(str(body.get("endDate", ""))) if isinstance(body, dict) else None
    if start is None or end is None:
        raise goto_error(400, "InvalidRequest", "startDate and endDate are required (ISO 8601)")
    rows = [
        (s.start, views.session_json(state, t, s))
        for t in own
        for s in t.sessions
        if start <= s.start <= end
    ]
    return JSONResponse([row for _, row in sorted(rows, key=lambda r: r[0])])


async def report_training(request: Request) -> Response:
    state = sandbox(request)
    found = _training(request)
    return JSONResponse([views.session_json(state, found, s) for s in found.sessions])


async def report_attendees(request: Request) -> Response:
    state, own = _own_trainings(request)
    key = request.path_params["session_key"]
    for t in own:
        for s in t.sessions:
            if s.key == key:
                return JSONResponse(views.attendance_json(state, t, s))
    raise goto_error(404, "NotFound", "Session not found")


P = "/G2T/rest"
OT = f"{P}/organizers/{{organizer_key:int}}/trainings/{{training_key:int}}"
ROUTES = [
    Route(f"{P}/accounts/{{account_key:int}}/organizers", account_organizers),
    Route(f"{P}/organizers/{{organizer_key:int}}/trainings", trainings, methods=["GET", "POST"]),
    Route(OT, training, methods=["GET", "DELETE"]),
    Route(f"{OT}/manageUrl", manage_url),
    Route(f"{OT}/nameDescription", name_description, methods=["PUT"]),
    Route(f"{OT}/organizers", training_organizers, methods=["GET", "PUT"]),
    Route(f"{OT}/registrants", registrants, methods=["GET", "POST"]),
    Route(f"{OT}/registrants/{{registrant_key:int}}", registrant, methods=["GET", "DELETE"]),
    Route(f"{OT}/registrationSettings", registration_settings, methods=["PUT"]),
    Route(f"{OT}/startUrl", start_url),
    Route(f"{OT}/times", times, methods=["PUT"]),
    Route(f"{P}/trainings/{{training_key:int}}/recordings", recordings),
    Route(
        f"{P}/trainings/{{training_key:int}}/recordings/{{recording_id:int}}", recording_download
    ),
    Route(f"{P}/trainings/{{training_key:int}}/start", start_training),
    Route(
        f"{P}/reports/organizers/{{organizer_key:int}}/sessions", report_sessions, methods=["POST"]
    ),
    Route(
        f"{P}/reports/organizers/{{organizer_key:int}}/sessions/{{session_key:int}}/attendees",
        report_attendees,
    ),
    Route(
        f"{P}/reports/organizers/{{organizer_key:int}}/trainings/{{training_key:int}}",
        report_training,
    ),
]
