"""Recording downloads, provider side: resolve redirects safely, stream with Range.

The GoTo recording endpoint answers 302 to a file host elsewhere. The redirect is
followed by hand so that the GoTo bearer token is never sent to another host; what
comes back is a `tui.core.downloads.queue.DownloadTarget` for the resumable manager, or a
`ByteStream` from any offset for simpler callers.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx

from tui.core.downloads.queue import body_chunks
from tui.core.downloads.target import DownloadTarget
from tui.core.errors import DownloadError
from tui.core.net.client import ApiClient
from tui.core.providers.base import ByteStream

_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


def is_html(response: httpx.Response) -> bool:
    """True when a file was expected and a web page came instead."""
    ctype: str = response.headers.get("Content-Type", "").lower()
    return ctype.startswith(("text/html", "application/xhtml"))


def _html_error(label: str) -> DownloadError:
    return DownloadError(
        f"{label} served a web page instead of the recording file (the link may have "
        "expired, or the file host wants a browser sign-in). Try again later; if it "
        "persists, download it from the provider's web site."
    )


async def resolve_first_hop(
    api: ApiClient, url: str, *, expected_size: int | None = None
) -> DownloadTarget:
    """Ask the API endpoint (with the token) where the file is; do not touch the file.

    A 3xx gives the target (no token unless it is on the API's own origin); a 2xx
    means the API serves the file itself.
    """
    current = api.url(url)
    async with api.stream(current, authenticate=True, allow_redirect=True) as resp:
        if is_html(resp):
            raise _html_error(api.label)
        if resp.is_redirect:
            location = resp.headers.get("Location")
            if not location:
                raise DownloadError(
                    f"{api.label} redirected the download nowhere (no Location). Try again later.",
                    provider=api.api,
                )
            current = str(resp.url.join(location))
        else:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit():
                expected_size = int(length)
    headers: dict[str, str] = {}
    if api.same_origin(current) and api.auth is not None:
        headers["Authorization"] = f"Bearer {await api.auth.token()}"
    return DownloadTarget(url=current, headers=headers, expected_size=expected_size)


@asynccontextmanager
async def open_target(
    api: ApiClient, target: DownloadTarget, *, offset: int = 0
) -> AsyncIterator[ByteStream]:
    """Stream `target` from `offset` (a Range request when > 0).

    The ByteStream's `offset` is where the bytes really start: 0 if the server
    ignored the Range. HTML where a file was expected raises DownloadError.
    """
    headers = dict(target.headers)
    if offset > 0:
        headers["Range"] = f"bytes={offset}-"
    async with api.stream(target.url, headers=headers, authenticate=False) as resp:
        if resp.status_code == 416:
            raise DownloadError(
                f"{api.label} has no bytes past {offset} of this file; it "
                "may have changed. Start the download again."
            )
        if is_html(resp):
            raise _html_error(api.label)
        start, total = 0, None
        if resp.status_code == 206:
            match = _CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
            if match:
                start = int(match.group(1))
                total = int(match.group(3)) if match.group(3) != "*" else None
            else:
                start = offset
        else:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else target.expected_size
        yield ByteStream(
            offset=start,
            total=total,
            etag=resp.headers.get("ETag"),
            content_type=resp.headers.get("Content-Type"),
            chunks=body_chunks(resp),
        )


@asynccontextmanager
async def open_resolved(
    api: ApiClient,
    resolver: Callable[[], Awaitable[DownloadTarget]],
    *,
    offset: int = 0,
) -> AsyncIterator[ByteStream]:
    """Resolve a target (fresh: signed URLs expire), then stream it from `offset`."""
    target = await resolver()
    async with open_target(api, target, offset=offset) as stream:
        yield stream
