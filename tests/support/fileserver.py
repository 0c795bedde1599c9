"""A file host in memory for the download tests: Range, dropped connections, HTML."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx

from tui.core.downloads.queue import DownloadTarget

PAYLOAD = bytes(range(256)) * 4096  # 1 MiB, every byte value


class FileServer:
    """A file host with Range support that can drop the connection after N bytes."""

    def __init__(self, payload: bytes = PAYLOAD) -> None:
        self.payload = payload
        self.drop_after: int | None = None
        self.html = False
        self.ignore_range = False
        self.etag: str | None = '"abc"'
        self.last_modified: str | None = None
        self.short_by = 0  # bytes announced but not sent (a body that ends early)
        self.hold_after: int | None = None  # bytes sent before the body stalls for good
        self.holding = asyncio.Event()  # set when a body stalls at `hold_after`
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.html:
            return httpx.Response(
                200, headers={"content-type": "text/html"}, content=b"<html>Session expired</html>"
            )
        start = 0
        status = 200
        headers = {"content-type": "video/mp4"}
        if self.etag is not None:
            headers["etag"] = self.etag
        if self.last_modified is not None:
            headers["last-modified"] = self.last_modified
        range_header = request.headers.get("range")
        if_range = request.headers.get("if-range")
        honoured = if_range is None or if_range in (self.etag, self.last_modified)
        if range_header and not self.ignore_range and honoured:
            start = int(range_header.removeprefix("bytes=").rstrip("-"))
            if start >= len(self.payload):
                total = len(self.payload)
                return httpx.Response(416, headers={"content-range": f"bytes */{total}"})
            status = 206
            headers["content-range"] = f"bytes {start}-{len(self.payload) - 1}/{len(self.payload)}"
        body = self.payload[start:]
        headers["content-length"] = str(len(body))
        body = body[: len(body) - self.short_by]
        drop = self.drop_after
        hold = self.hold_after

        async def stream() -> AsyncIterator[bytes]:
            sent = 0
            for i in range(0, len(body), 65536):
                if hold is not None and sent >= hold:
                    self.holding.set()
                    await asyncio.Event().wait()  # held open until the reader gives up
                chunk = body[i : i + 65536]
                if drop is not None and sent + len(chunk) > drop:
                    yield chunk[: drop - sent]
                    raise httpx.ReadError("connection dropped")
                sent += len(chunk)
                yield chunk

        return httpx.Response(status, headers=headers, content=stream())


def make_client(server: FileServer) -> httpx.AsyncClient:
    """An httpx client whose every request the file server answers."""
    return httpx.AsyncClient(transport=httpx.MockTransport(server.handler))


def resolver(
    size: int | None = len(PAYLOAD), checksum: tuple[str, str] | None = None
) -> Callable[[], Awaitable[DownloadTarget]]:
    """A resolver of the download's target (the one file of `FileServer`)."""

    async def resolve() -> DownloadTarget:
        return DownloadTarget(
            url="https://files.example/rec.mp4", expected_size=size, checksum=checksum
        )

    return resolve
