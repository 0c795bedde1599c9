"""The control API under /_sandbox: state, request log, faults, token expiry, rate
limits (the Zoom plan, daily limits used up); landing pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tui.sandbox.config import TOKEN_SHAPES
from tui.sandbox.faults import FaultError
from tui.sandbox.gen_g2t import G2T_STATUSES
from tui.sandbox.model import ZOOM_STATUSES, RegistrantTable
from tui.sandbox.state import SandboxState
from tui.sandbox.web import base_url, iso, sandbox

FULL_LIMIT = 2000
ZOOM_LETTERS = "padc"


def _events(state: SandboxState) -> dict[str, tuple[str, str, Any]]:
    """key -> (kind, title, registrants) of every event that has registrants."""
    out: dict[str, tuple[str, str, Any]] = {}
    for w in state.zoom.webinars.values():
        if w.registrants is not None:
            out[str(w.id)] = ("zoom_webinar", w.topic, w.registrants)
    for m in state.zoom.meetings.values():
        if m.registrants is not None:
            out[str(m.id)] = ("zoom_meeting", m.topic, m.registrants)
    for t in state.goto.trainings.values():
        out[str(t.key)] = ("g2t_training", t.name, t)
    return out


def _summary(kind: str, title: str, holder: Any) -> dict[str, Any]:
    if isinstance(holder, RegistrantTable):
        counts = {name: holder.count(code) for code, name in enumerate(ZOOM_STATUSES)}
        total = len(holder)
    else:
        counts = dict.fromkeys(G2T_STATUSES, 0)
        for r in holder.registrants.values():
            counts[r.status] = counts.get(r.status, 0) + 1
        total = len(holder.registrants)
    return {"kind": kind, "title": title, "total": total, "counts": counts}


def _registrants(holder: Any) -> dict[str, Any]:
    if isinstance(holder, RegistrantTable):
        if len(holder) <= FULL_LIMIT:
            return {
                "registrants": {
                    rid: ZOOM_STATUSES[holder.status[i]] for i, rid in enumerate(holder.ids)
                }
            }
        return {
            "registrants_compact": {
                "ids": holder.ids,
                "statuses": holder.status.translate(
                    bytes.maketrans(b"\x00\x01\x02\x03", ZOOM_LETTERS.encode())
                ).decode(),
                "legend": dict(zip(ZOOM_LETTERS, ZOOM_STATUSES, strict=True)),
            }
        }
    return {"registrants": {str(r.key): r.status for r in holder.registrants.values()}}


async def state_view(request: Request) -> Response:
    state = sandbox(request)
    events = _events(state)
    wanted = request.query_params.get("event")
    if wanted is not None:
        if wanted not in events:
            return JSONResponse(
                {"error": f"no event with key {wanted}", "events": sorted(events)}, status_code=404
            )
        kind, title, holder = events[wanted]
        return JSONResponse(
            {"event": wanted, **_summary(kind, title, holder), **_registrants(holder)}
        )
    goto, zoom = state.goto, state.zoom
    sessions = list(goto.sessions.values())
    meetings_with_registrants = [m for m in zoom.meetings.values() if m.registrants is not None]
    return JSONResponse(
        {
            "seed": state.config.seed,
            "anchor": iso(state.anchor),
            "now": iso(state.now()),
            "base_url": base_url(request),
            "config": {
                "registrants": state.config.registrants,
                "token_ttl": state.config.token_ttl,
                "rate_limit_scale": state.config.rate_limit_scale,
                "zoom_plan": state.limiter.zoom_plan,
                "latency_ms": state.latency_ms,
                "error_rate": state.error_rate,
                "goto_token_shape": state.token_shape,
                "goto_refresh_rotates": state.refresh_rotates,
                "registrant_lag_s": state.registrant_lag.total_seconds(),
            },
            "goto": {
                "account_key": str(goto.account_key),
                "admin_organizer_key": str(goto.admin_key),
                "plain_organizer_key": str(goto.organizer_key),
                "html_recording_session_id": str(goto.html_recording_session),
                "large_recording_session_id": str(goto.large_recording_session),
                "counts": {
                    "organizers": len(goto.organizers),
                    "groups": len(goto.groups),
                    "meetings": len(goto.meetings),
                    "upcoming_meetings": sum(m.upcoming for m in goto.meetings.values()),
                    "historical_meetings": sum(not s.ongoing for s in sessions),
                    "ongoing_meetings": sum(s.ongoing for s in sessions),
                    "meeting_recordings": sum(s.recording is not None for s in sessions),
                    "trainings": len(goto.trainings),
                    "training_registrants": sum(
                        len(t.registrants) for t in goto.trainings.values()
                    ),
                    "training_sessions": sum(len(t.sessions) for t in goto.trainings.values()),
                    "training_recordings": sum(len(t.recordings) for t in goto.trainings.values()),
                    "seeit_sessions": len(goto.seeit),
                },
            },
            "zoom": {
                "owner_user_id": zoom.owner_id,
                "big_webinar_id": zoom.big_webinar_id,
                "html_file_id": zoom.html_file_id,
                "large_file_id": zoom.large_file_id,
                "processing_file_id": zoom.processing_file_id,
                "counts": {
                    "users": len(zoom.users),
                    "webinars": len(zoom.webinars),
                    "meetings": len(zoom.meetings),
                    "webinar_registrants": sum(
                        len(w.registrants or ()) for w in zoom.webinars.values()
                    ),
                    "meeting_registrants": sum(
                        len(m.registrants or ()) for m in meetings_with_registrants
                    ),
                    "recordings": sum(m.recording is not None for m in zoom.meetings.values()),
                    "recording_files": sum(
                        len(m.recording.files) for m in zoom.meetings.values() if m.recording
                    ),
                },
            },
            "events": {key: _summary(*value) for key, value in events.items()},
            "tokens": {
                "access": len(state.tokens.access),
                "refresh": len(state.tokens.refresh),
                "codes": len(state.tokens.codes),
            },
            "faults": len(state.faults.rules),
            "requests_seq": state.log.last_seq,
        }
    )


async def requests_view(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "DELETE":
        return JSONResponse({"cleared": state.log.clear()})
    try:
        since = int(request.query_params.get("since", "0"))
        limit_raw = request.query_params.get("limit")
        limit = int(limit_raw) if limit_raw else None
    except ValueError:
        return JSONResponse({"error": "since and limit must be integers"}, status_code=400)
    return JSONResponse({"requests": state.log.since(since, limit), "last_seq": state.log.last_seq})


async def faults_view(request: Request) -> Response:
    state = sandbox(request)
    if request.method == "DELETE":
        state.faults.clear()
        return JSONResponse({"faults": []})
    if request.method == "POST":
        try:
            rule = state.faults.add(await request.json())
        except ValueError as exc:  # FaultError, or a body that is not JSON
            message = str(exc) if isinstance(exc, FaultError) else "the body must be JSON"
            return JSONResponse({"error": message}, status_code=400)
        return JSONResponse(rule.to_json(), status_code=201)
    return JSONResponse(
        {
            "faults": state.faults.to_json(),
            "latency_ms": state.latency_ms,
            "error_rate": state.error_rate,
        }
    )


async def fault_delete(request: Request) -> Response:
    removed = sandbox(request).faults.remove(request.path_params["rule_id"])
    return Response(status_code=204 if removed else 404)


def _limits(state: SandboxState) -> dict[str, Any]:
    limiter = state.limiter
    return {
        "zoom_plan": limiter.zoom_plan,
        "zoom_per_second": {c: limiter.zoom_rate(c) for c in ("Light", "Medium", "Heavy")},
        "scale": limiter.scale,
        "daily": state.daily.to_json(),
    }


async def limits_view(request: Request) -> Response:
    """GET: the plan and the daily limits; POST {"zoom_plan"}: switch the plan; DELETE:
    back to the configured plan, with no daily limit."""
    state = sandbox(request)
    if request.method == "DELETE":
        state.limiter.set_zoom_plan(state.config.zoom_plan)
        state.daily.clear()
    elif request.method == "POST":
        try:
            body = await request.json()
            if not isinstance(body, dict) or set(body) != {"zoom_plan"}:
                raise ValueError('the body must be {"zoom_plan": NAME}')
            state.limiter.set_zoom_plan(str(body["zoom_plan"]))
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse(_limits(state))


async def daily_view(request: Request) -> Response:
    """POST {"category"} or {"path", "method"}, and "shape": switch a Zoom daily limit
    on (used up until it is deleted); DELETE: switch them all off."""
    state = sandbox(request)
    if request.method == "DELETE":
        state.daily.clear()
        return JSONResponse({"daily": []})
    try:
        rule = state.daily.add(await request.json())
    except ValueError as exc:  # a bad rule, or a body that is not JSON
        return JSONResponse({"error": str(exc) or "the body must be JSON"}, status_code=400)
    return JSONResponse(rule.to_json(), status_code=201)


async def config_view(request: Request) -> Response:
    """Change settings of the running sandbox: `registrant_lag_s` (seconds >= 0)."""
    state = sandbox(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    lag = body.get("registrant_lag_s") if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or set(body) != {"registrant_lag_s"}
        or isinstance(lag, bool)
        or not isinstance(lag, int | float)
        or not 0 <= lag <= 86_400
    ):
        return JSONResponse(
            {"error": 'send {"registrant_lag_s": N} with 0 <= N <= 86400'}, status_code=400
        )
    state.registrant_lag = timedelta(seconds=lag)
    return JSONResponse({"registrant_lag_s": state.registrant_lag.total_seconds()})


async def clock_view(request: Request) -> Response:
    """Move the sandbox's clock forward: `{"advance_s": N}` (0 <= N <= 30 days)."""
    state = sandbox(request)
    try:
        body = await request.json()
    except ValueError:
        body = None
    step = body.get("advance_s") if isinstance(body, dict) else None
    if isinstance(step, bool) or not isinstance(step, int | float) or not 0 <= step <= 2_592_000:
        return JSONResponse(
            {"error": 'send {"advance_s": N} with 0 <= N <= 2592000'}, status_code=400
        )
    return JSONResponse({"now": iso(state.advance(step))})


async def tokens_expire(request: Request) -> Response:
    return JSONResponse({"expired": sandbox(request).tokens.expire_all()})


async def tokens_revoke(request: Request) -> Response:
    return JSONResponse({"revoked": sandbox(request).tokens.revoke_all()})


async def goto_oauth_view(request: Request) -> Response:
    """GoTo's token replies: `token_shape` ("current"/"legacy") and `refresh_rotates`.

    POST a JSON object with either to change them (a test puts them back after)."""
    state = sandbox(request)
    if request.method == "POST":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or set(body) - {"token_shape", "refresh_rotates"}:
            return JSONResponse(
                {"error": "send a JSON object with token_shape and/or refresh_rotates"},
                status_code=400,
            )
        shape = body.get("token_shape", state.token_shape)
        rotates = body.get("refresh_rotates", state.refresh_rotates)
        if shape not in TOKEN_SHAPES or not isinstance(rotates, bool):
            return JSONResponse(
                {
                    "error": f"token_shape is one of {', '.join(TOKEN_SHAPES)}; "
                    "refresh_rotates is true or false"
                },
                status_code=400,
            )
        state.token_shape, state.refresh_rotates = shape, rotates
    return JSONResponse(
        {"token_shape": state.token_shape, "refresh_rotates": state.refresh_rotates}
    )


async def page_tokens_expire(request: Request) -> Response:
    """The next `{"count": N}` (default 1) Zoom next_page_tokens presented are refused
    as expired, whatever their age."""
    try:
        body = await request.json() if await request.body() else {}
        count = int(body.get("count", 1))
    except (ValueError, AttributeError, TypeError):
        return JSONResponse({"error": 'send {"count": N}, N >= 0'}, status_code=400)
    if count < 0:
        return JSONResponse({"error": 'send {"count": N}, N >= 0'}, status_code=400)
    state = sandbox(request)
    state.page_tokens_to_refuse = count
    return JSONResponse({"refuse": count})


async def callback(request: Request) -> Response:
    """Where the demo profile's redirect_uri lands: shows the code (and state)."""
    return JSONResponse(dict(request.query_params))


async def landing(request: Request) -> Response:
    """What a start/join/share URL opens: a page that says what it stands for."""
    return HTMLResponse(
        f"<!DOCTYPE html><html><body><h1>meetdeck sandbox</h1>"
        f"<p>This page stands for <code>{request.url.path}</code>.</p>"
        f"</body></html>"
    )


async def index(request: Request) -> Response:
    base = base_url(request)
    return JSONResponse(
        {
            "service": "meetdeck sandbox",
            "goto_api_base": base,
            "goto_auth_base": base,
            "seeit_api_base": f"{base}/seeit/v1",
            "zoom_api_base": f"{base}/zoom/v2",
            "zoom_auth_base": f"{base}/zoom",
            "control": f"{base}/_sandbox/state",
        }
    )


ROUTES = [
    Route("/", index),
    Route("/_sandbox/state", state_view),
    Route("/_sandbox/requests", requests_view, methods=["GET", "DELETE"]),
    Route("/_sandbox/faults", faults_view, methods=["GET", "POST", "DELETE"]),
    Route("/_sandbox/faults/{rule_id:int}", fault_delete, methods=["DELETE"]),
    Route("/_sandbox/limits", limits_view, methods=["GET", "POST", "DELETE"]),
    Route("/_sandbox/limits/daily", daily_view, methods=["POST", "DELETE"]),
    Route("/_sandbox/config", config_view, methods=["POST"]),
    Route("/_sandbox/clock", clock_view, methods=["POST"]),
    Route("/_sandbox/tokens/expire", tokens_expire, methods=["POST"]),
    Route("/_sandbox/tokens/revoke", tokens_revoke, methods=["POST"]),
    Route("/_sandbox/goto/oauth", goto_oauth_view, methods=["GET", "POST"]),
    Route("/_sandbox/page_tokens/expire", page_tokens_expire, methods=["POST"]),
    Route("/_sandbox/callback", callback),
    *[
        Route(f"/_sandbox/{kind}/{{rest:path}}", landing)
        for kind in ("start", "join", "manage", "confirm", "register", "share")
    ],
    *[Route(f"/zoom/{kind}/{{rest:path}}", landing) for kind in ("j", "w", "rec/play")],
]
