"""HTTP outcomes as typed errors, and the small parsers they need.

Used by `tui.core.net.failures` (one API's failures, for `tui.core.net.client`);
separate so the mapping can be read (and tested) on its own.
Sentences name the product and the endpoint (method and path, never a query string)
and say what to do; text from an API is cleaned of control and bidi characters.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

from tui.core.display.cleaning import clean
from tui.core.errors import (
    DailyLimitReached,
    MeetdeckError,
    NeedsAdmin,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestRejected,
    ServiceUnavailable,
)

#: Line breaks and tabs, which read as a space inside one sentence.
_BREAKS = re.compile(r"[\t\n\r\v\f\u2028\u2029]+")


RETRY_AFTER_CAP = 86400.0
"""The longest wait a Retry-After is taken at (seconds): a day. Past it the service
is not saying anything useful, and the sentence says "later"."""


def parse_retry_after(value: str | None, *, now_: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value: seconds, an HTTP-date or ISO 8601.

    Returns None when absent or unreadable; never negative, never more than
    RETRY_AFTER_CAP (a date in the year 9999 or "1e400" is held there).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    seconds: float | None
    try:
        seconds = float(text)
    except ValueError:
        seconds = _seconds_until(text, now_ or datetime.now(UTC))
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(0.0, seconds), RETRY_AFTER_CAP)


def _seconds_until(text: str, now_: datetime) -> float | None:
    when: datetime | None = None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        parts = email.utils.parsedate_tz(text)
        if parts is not None and parts[0] > 9999:
            return math.inf  # an HTTP-date past the year 9999
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - now_).total_seconds()


def retry_when(after: float | None, *, now_: datetime | None = None) -> str:
    """When to try again, for a sentence: "in 30 seconds", "in 3600 seconds (at 14:05
    UTC)", or "later" for a wait of RETRY_AFTER_CAP or more."""
    if after is None:
        return "in a minute"
    if after <= 120:
        return f"in {after:.0f} seconds"
    if after >= RETRY_AFTER_CAP:
        return "later"
    at = (now_ or datetime.now(UTC)) + timedelta(seconds=after)
    clock = f"{at:%H:%M}" if after < 43200 else f"{at:%Y-%m-%d %H:%M}"
    return f"in {after:.0f} seconds (at {clock} UTC)"


def daily_limit_error(
    *, label: str, api: str, endpoint: str, limit: str, resets_at: datetime, now_: datetime
) -> DailyLimitReached:
    """A daily limit used up: no call is made to it again before `resets_at`."""
    at = resets_at.astimezone(UTC)
    clock = f"{at:%H:%M}" if at - now_ < timedelta(hours=24) else f"{at:%Y-%m-%d %H:%M}"
    return DailyLimitReached(
        f"{label}'s daily limit for {limit} is used up until {clock} UTC; showing cached "
        "data. meetdeck asks again after then.",
        limit=limit,
        resets_at=at,
        retry_after=max(0.0, (at - now_).total_seconds()),
        provider=api,
        endpoint=endpoint,
    )


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


#: A run of 19 digits: orjson reads an integer past 64 bits as a float, `json` exactly
#: (a negative one below -2**63 has 19).
_DIGIT_RUN = b"0" * 19
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"0" * 9)
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


def read_json(content: bytes) -> Any:
    """An API body decoded as JSON; ValueError when it cannot be read.

    Nesting deeper than Python's recursion limit (a hostile `[[[[...]]]]`) is such a
    body too, not a RecursionError escaping to the screen.

    orjson reads the usual body (a 300-registrant page: twice as fast as `json`, with
    no decode to `str` first); a body it refuses (a stray byte, NaN, deep nesting, a
    lone surrogate), or that holds what it would read otherwise than `json` (an escaped
    surrogate, an integer of 19 digits or more), takes the `json` way below, so the
    value is always the one `json` gives (tests/core/test_net_json.py).
    """
    if (
        _SURROGATE_ESCAPE_BYTES.search(content) is None
        and content.translate(_DIGITS_AS_ZERO).find(_DIGIT_RUN) < 0
    ):
        try:
            return orjson.loads(content)
        except orjson.JSONDecodeError:
            pass  # said below as `json` says it, or read as `json` reads it
    try:
        text = _utf8(content)
        data = json.loads(text)
        return _valid_text(data) if _SURROGATE_ESCAPE.search(text) else data
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def clean_text(text: str, limit: int = 200) -> str:
    """API text made safe for a sentence: one line, bounded, and cleaned as every other
    API text is (`tui.core.display.cleaning.clean`: no control, bidi or invisible
    character reaches a screen)."""
    text = clean(_BREAKS.sub(" ", text)).strip()
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


def error_code(response: httpx.Response) -> int | None:
    """The service's own error code of an error body (Zoom `{"code": 3161, ...}`)."""
    try:
        body = read_json(response.content)
    except ValueError:
        return None
    value = body.get("code") if isinstance(body, dict) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def network_error(
    error: Exception | None, *, label: str, api: str, host: str, endpoint: str
) -> NetworkUnreachable:
    """No response at all: a connect failure, a reset or a timeout."""
    kind = "timed out" if isinstance(error, httpx.TimeoutException) else "connection failed"
    return NetworkUnreachable(
        f"Cannot reach {label} at {host} ({kind}). Check the network, VPN or proxy "
        "and try again; cached data is still shown.",
        provider=api,
        endpoint=endpoint,
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
            f"{label} says {endpoint} needs the admin role.{detail} {admin_hint}".strip(), **kw
        )
    if status == 404:
        return NotFound(
            f"{label} has no such item ({endpoint}, 404). It may have been deleted, "
            f"or this account cannot see it; refresh the list.{detail}",
            code=error_code(response),
            **kw,
        )
    if status == 429:
        after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimited(
            f"{label} is limiting the request rate ({endpoint}). Try again {retry_when(after)}.",
            retry_after=after,
            **kw,
        )
    if status >= 500:
        return ServiceUnavailable(
            f"{label} answered {status} for {endpoint}: the service is failing or "
            "down. Cached data is still shown; try again later.",
            **kw,
        )
    return RequestRejected(
        f"{label} refused {endpoint} ({status}).{detail or ' Check the input.'}",
        code=error_code(response),
        **kw,
    )
