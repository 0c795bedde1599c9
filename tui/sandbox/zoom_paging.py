"""Zoom's paging: page_size, page_number and a next_page_token that expires.

"This token's expiration period is 15 minutes" (the spec, on every next_page_token):
each token carries the page's position and when it was issued on the sandbox's clock;
an expired or malformed one is a 400 code 300 (docs/real-clouds.md, "Registrant list
defaults"). `POST /_sandbox/page_tokens/expire` makes the next ones refused.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from starlette.requests import Request

from tui.sandbox.state import SandboxState
from tui.sandbox.web import query_int, sandbox, zoom_error

#: "This token's expiration period is 15 minutes" (the spec, on every next_page_token).
PAGE_TOKEN_TTL = 15 * 60


def issue_token(state: SandboxState, *parts: object) -> str:
    """A next_page_token: the page's position and when it was issued (sandbox clock)."""
    issued = int(state.now().timestamp())
    raw = ":".join(map(str, (issued, *parts)))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def read_token(state: SandboxState, token: str, count: int) -> list[int]:
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


def page_of(request: Request, items: list[Any], key: str) -> dict[str, Any]:
    """Offset paging with page_size, page_number and next_page_token."""
    state = sandbox(request)
    size = query_int(request, "page_size", 30, 1, 300, zoom=True)
    token = request.query_params.get("next_page_token")
    if token:
        start, number = read_token(state, token, 2)
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
        "next_page_token": issue_token(state, start + size, number + 1) if following else "",
        key: chunk,
    }
