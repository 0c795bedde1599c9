"""HTTP outcomes as typed errors, and the small parsers they need.

Used by `tui.core.http`; separate so the mapping can be read (and tested) on its own.
Sentences name the product and the endpoint (method and path, never a query string)
and say what to do; text from an API is cleaned of control and bidi characters.
"""

from __future__ import annotations

import email.utils
import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx

from tui.core.errors import (
    MeetdeckError,
    NeedsAdmin,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestRejected,
    ServiceUnavailable,
)

_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def parse_retry_after(value: str | None, *, now_: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: seconds, an HTTP-date or ISO 8601.

    Returns None when absent or unreadable; never negative.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    when: datetime | None = None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now_ or datetime.now(UTC))).total_seconds())


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _utf8(content: bytes) -> str:
    """The body as text; a stray invalid byte becomes U+FFFD instead of failing it all.

    One registrant whose name a legacy system stored in Latin-1 must not make the whole
    list unreadable.
    """
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("utf-8", errors="replace")


def _valid_text(value: Any) -> Any:
    """Replace lone UTF-16 surrogates (valid JSON escapes such as "\\ud83d", e.g. an emoji
    cut in half) with U+FFFD: they cannot be stored in SQLite nor written to a terminal."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [_valid_text(item) for item in value]
    if isinstance(value, dict):
        return {_valid_text(key): _valid_text(item) for key, item in value.items()}
    return value


def read_json(content: bytes) -> Any:
    """An API body decoded as JSON; ValueError when it cannot be read.

    Nesting deeper than Python's recursion limit (a hostile `[[[[...]]]]`) is such a
    body too, not a RecursionError escaping to the screen.
    """
    try:
        text = _utf8(content)
        data = json.loads(text)
        return _valid_text(data) if _SURROGATE_ESCAPE.search(text) else data
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def clean_text(text: str, limit: int = 200) -> str:
    """API text made safe for a sentence: no control or bidi characters, bounded."""
    text = _CONTROL.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_message(response: httpx.Response) -> str:
    """The human message of an error body (Zoom `message`, OAuth `error_description`)."""
    try:
        body = read_json(response.content)
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("message", "error_description", "description", "msg", "error"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return clean_text(value)
    return ""


def network_error(error: Exception | None, *, label: str, api: str, host: str,
                  endpoint: str) -> NetworkUnreachable:
    """No response at all: a connect failure, a reset or a timeout."""
    kind = "timed out" if isinstance(error, httpx.TimeoutException) else "connection failed"
    return NetworkUnreachable(
        f"Cannot reach {label} at {host} ({kind}). Check the network, VPN or proxy "
        "and try again; cached data is still shown.",
        provider=api, endpoint=endpoint,
    )


def status_error(
    response: httpx.Response,
    *,
    label: str,
    api: str,
    endpoint: str,
    expired: MeetdeckError | None = None,
    forbidden_means_admin: bool = False,
    admin_hint: str = "",
) -> MeetdeckError:
    """The typed error of a non-2xx response (after retries and token refresh)."""
    status = response.status_code
    message = error_message(response)
    detail = f' It said: "{message}".' if message else ""
    kw: dict[str, Any] = {"provider": api, "endpoint": endpoint}
    if status == 401 and expired is not None:
        return expired
    if status == 403 and forbidden_means_admin:
        return NeedsAdmin(
            f"{label} says {endpoint} needs the admin role.{detail} {admin_hint}".strip(), **kw)
    if status == 404:
        return NotFound(
            f"{label} has no such item ({endpoint}, 404). It may have been deleted, "
            f"or this account cannot see it; refresh the list.{detail}", **kw)
    if status == 429:
        after = parse_retry_after(response.headers.get("Retry-After"))
        when = f"in {after:.0f} seconds" if after is not None else "in a minute"
        return RateLimited(
            f"{label} is limiting the request rate ({endpoint}). Try again {when}.",
            retry_after=after, **kw)
    if status >= 500:
        return ServiceUnavailable(
            f"{label} answered {status} for {endpoint}: the service is failing or "
            "down. Cached data is still shown; try again later.", **kw)
    return RequestRejected(
        f"{label} refused {endpoint} ({status}).{detail or ' Check the input.'}", **kw)
