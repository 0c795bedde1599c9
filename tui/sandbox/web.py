"""Small helpers the route modules share: errors, callers, times, URLs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tui.sandbox.model import Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.tokens import Grant

GRANT_KEY = "sandbox.grant"


class ApiError(Exception):
    """Raised by a handler to answer with an error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def goto_body(code: str, msg: str) -> dict[str, str]:
    return {"int_err_code": code, "msg": msg}


def goto_error(status: int, code: str, msg: str) -> ApiError:
    return ApiError(JSONResponse(goto_body(code, msg), status_code=status))


def zoom_error(
    status: int, code: int, message: str, errors: list[dict[str, str]] | None = None
) -> ApiError:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return ApiError(JSONResponse(body, status_code=status))


def zoom_invalid(field: str) -> ApiError:
    """Zoom's 400 code 300 "Validation Failed." naming one field."""
    return zoom_error(
        400, 300, "Validation Failed.", [{"field": field, "message": "Invalid field."}]
    )


def sandbox(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def grant(request: Request) -> Grant:
    """The token grant the middleware checked for this request."""
    found = request.scope.get(GRANT_KEY)
    if not isinstance(found, Grant):  # pragma: no cover - the middleware guarantees it
        raise goto_error(401, "InvalidToken", "No access token was checked for this request")
    return found


def caller(request: Request) -> Organizer:
    """The GoTo organizer whose token made this request."""
    organizer = sandbox(request).goto.organizers.get(grant(request).organizer_key or 0)
    if organizer is None:
        raise goto_error(401, "InvalidToken", "The organizer of this token no longer exists")
    return organizer


def require_admin(request: Request) -> Organizer:
    who = caller(request)
    if not who.admin:
        raise goto_error(403, "AccessDenied", "This call needs the admin role")
    return who


def require_self_or_admin(request: Request, organizer_key: int) -> Organizer:
    """403 unless the caller is an admin or the organizer named in the path."""
    who = caller(request)
    if not who.admin and who.key != organizer_key:
        raise goto_error(
            403, "AccessDenied", "This call needs the admin role for another organizer's data"
        )
    return who


def iso(value: datetime) -> str:
    """ISO 8601 UTC with a Z, as the GoTo and Zoom APIs write times.

    The year always has four digits: `strftime("%Y")` writes 999 for the year 999,
    which is no RFC 3339 date-time.
    """
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime; None if it is none, or has no UTC form
    (`0001-01-01T00:00:00+05:00` is valid ISO 8601 but lies before `datetime.min`)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z").replace(" ", "+"))
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def int_keys(value: Any) -> list[int] | None:
    """A JSON list of int64 keys (numbers or digit strings, as clients send them), or
    None if it is anything else: `[{}]` is a 400, never a 500."""
    if not isinstance(value, list):
        return None
    keys = []
    for item in value:
        if isinstance(item, str) and item.strip().isdigit():
            item = int(item)
        if not isinstance(item, int) or isinstance(item, bool) or not 0 <= item < 2**63:
            return None
        keys.append(item)
    return keys


def required_range(request: Request) -> tuple[datetime, datetime]:
    """startDate/endDate query (both required, ISO 8601) or a GoTo 400."""
    start = parse_time(request.query_params.get("startDate"))
    end = parse_time(request.query_params.get("endDate"))
    if start is None or end is None:
        raise goto_error(
            400,
            "InvalidRequest",
            "startDate and endDate are required, in ISO8601 UTC format (e.g. 2015-07-01T22:00:00Z)",
        )
    if end < start:
        raise goto_error(400, "InvalidRequest", "endDate must not be before startDate")
    return start, end


async def json_body(request: Request, error: type[Any] = dict) -> Any:
    """The parsed JSON body, or a 400 in the style of the API being called."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null")
    except ValueError:
        if request.url.path.startswith("/zoom/"):
            raise zoom_error(400, 300, "Request Body should be a valid JSON object.") from None
        raise goto_error(400, "InvalidRequest", "The request body is not valid JSON") from None


async def form_body(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (last value wins), without python-multipart."""
    raw = (await request.body()).decode("utf-8", "replace")
    return dict(parse_qsl(raw, keep_blank_values=True))


def base_url(request: Request) -> str:
    """The scheme://host[:port] the client used."""
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"{request.url.scheme}://{host}"


def other_host_url(request: Request) -> str:
    """Like `base_url` but on another host name (127.0.0.1 <-> localhost), same port."""
    host = request.headers.get("host") or "127.0.0.1"
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name:
        name, port = host, ""
    other = "127.0.0.1" if name == "localhost" else "localhost"
    return f"{request.url.scheme}://{other}{':' + port if port else ''}"


def query_int(
    request: Request, name: str, default: int, low: int, high: int, zoom: bool = False
) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        if zoom:
            raise zoom_error(400, 300, f"Invalid field: {name}.") from None
        raise goto_error(400, "InvalidRequest", f"{name} must be an integer") from None
    return max(low, min(high, value))
