"""How every answer is bounded in time and size, and what is said when it is not.

An answer must be complete within `request_deadline` (a server trickling bytes never
trips the per-read timeout; a missed deadline is not retried) and is read streaming up
to `max_body_bytes` by `read_bounded` (counted on the decoded body, so a compressed
bomb is stopped too; past it, ResponseTooLarge). The error builders say what happened
in a sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tui.core.display.sizes import size
from tui.core.errors import NetworkUnreachable, ResponseTooLarge


async def read_bounded(
    response: httpx.Response, limit: int, too_large: Callable[[], ResponseTooLarge]
) -> httpx.Response:
    """The streamed `response` read in full; `too_large()` is raised past `limit` bytes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > limit:
            raise too_large()
        chunks.append(chunk)
    headers = [
        (key, value)
        for key, value in response.headers.multi_items()
        if key.lower() not in ("content-encoding", "content-length")
    ]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=response.request,
        extensions=response.extensions,
    )


def too_large_error(*, label: str, api: str, endpoint: str, limit_bytes: int) -> ResponseTooLarge:
    """The answer to `endpoint` was longer than `limit_bytes`."""
    limit = size(limit_bytes) if limit_bytes >= 1_000_000 else f"{limit_bytes} bytes"
    return ResponseTooLarge(
        f"{label} sent more than {limit} for {endpoint}; meetdeck stopped reading "
        "it. Try again later; if this account really has that much, raise "
        "[http] max_body_bytes in the config.",
        provider=api,
        endpoint=endpoint,
    )


def too_slow_error(
    *, label: str, api: str, host: str, endpoint: str, deadline: float
) -> NetworkUnreachable:
    """The answer to `endpoint` was not complete after `deadline` seconds."""
    return NetworkUnreachable(
        f"{label} at {host} had not finished answering "
        f"{endpoint} after {deadline:g} seconds; meetdeck gave up. "
        "Check the network, VPN or proxy and try again; cached data is still shown.",
        provider=api,
        endpoint=endpoint,
    )
