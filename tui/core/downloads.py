"""Resumable recording downloads.

A download writes to `NAME.part` beside a small `NAME.part.json` that remembers which
recording (and which ETag) the bytes belong to. An interrupted download resumes with a
Range request; the file is renamed to its final name only when complete and its size
(and checksum, where the API gives one) match. An existing file is never overwritten:
the final name gets a numbered suffix instead. Names from the API are sanitised.

The provider supplies a `resolve` callable that answers where to fetch the bytes from
and which headers to send (the GoTo bearer token never goes to the file host; Zoom's
does). It is called again on every attempt, because signed file URLs expire.

The file-system side (sanitised names, the `.part` and its meta file, syncing to disk,
the final rename) lives in `tui.core.download_files`; `sanitize_filename` and
`unique_path` are re-exported here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.download_files import (
    _disk_error,
    _DiskSync,
    _finish,
    _guard_disk,
    _part_paths,
    _read_meta,
    _truncate,
    _write_meta,
    sanitize_filename,
    unique_path,
)
from tui.core.errors import DownloadError, MeetdeckError, NetworkUnreachable
from tui.core.paths import ensure_dir

if TYPE_CHECKING:  # httpx is imported where a download runs, not at import
    import httpx

REPORT_EVERY = 0.1  # seconds between progress events of one download
SYNC_EVERY = 16 * 1024 * 1024  # bytes written between background syncs to disk


@dataclass(frozen=True, slots=True)
class DownloadTarget:
    """Where the bytes are: the URL and the headers to send there (maybe none)."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    expected_size: int | None = None
    checksum: tuple[str, str] | None = None  # (algorithm, hex digest), e.g. ("md5", "...")


Resolver = Callable[[], Awaitable[DownloadTarget]]


class DownloadState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """A snapshot of one download, for progress bars."""

    key: str
    filename: str
    state: DownloadState
    received: int = 0
    total: int | None = None
    speed: float = 0.0  # bytes per second, smoothed
    path: Path | None = None
    error: str = ""
    resumed_from: int = 0

    @property
    def eta(self) -> float | None:
        if not self.total or self.speed <= 0:
            return None
        return max(self.total - self.received, 0) / self.speed


ProgressCallback = Callable[[DownloadProgress], None]


async def download(
    client: httpx.AsyncClient,
    *,
    key: str,
    filename: str,
    resolve: Resolver,
    directory: Path,
    on_progress: ProgressCallback | None = None,
) -> Path:
    """Download one recording into `directory`, resuming a previous `.part` if any."""
    name = sanitize_filename(filename)
    ensure_dir(directory, private=False)
    part, meta_path = _part_paths(directory, name, key)
    progress = DownloadProgress(key=key, filename=name, state=DownloadState.RUNNING)

    def report(**changes: Any) -> None:
        nonlocal progress
        progress = replace(progress, **changes)
        if on_progress is not None:
            on_progress(progress)

    target = await resolve()
    meta = _read_meta(meta_path)
    offset = part.stat().st_size if part.exists() and meta.get("key") == key else 0
    if offset and target.checksum and meta.get("checksum") not in (None, list(target.checksum)):
        offset = 0
    report(resumed_from=offset, received=offset, total=target.expected_size)
    headers = dict(target.headers)
    if offset:
        headers["Range"] = f"bytes={offset}-"
        if meta.get("etag"):
            headers["If-Range"] = meta["etag"]
    try:
        async with client.stream("GET", target.url, headers=headers) as response:
            if response.status_code == 416 and offset:
                total = _total_from_416(response)
                if total is not None and total == offset:
                    return _complete(part, meta_path, directory, name, target, offset, report)
                offset = 0
                _truncate(part)
                raise DownloadError(
                    "The server refused to resume; the partial file was discarded. "
                    "Start the download again.")
            _check_response(response, target)
            if response.status_code == 200 and offset:
                offset = 0  # the server ignored the Range header: start over
            total = _total_size(response, offset) or target.expected_size
            _write_meta(meta_path, key, response.headers.get("etag"), target)
            report(received=offset, total=total, resumed_from=offset)
            await _stream_to_part(response, part, offset, total, report)
    except _transport_error() as exc:
        raise NetworkUnreachable(
            f"The connection dropped while downloading {name} ({type(exc).__name__}); "
            "the partial file is kept and the next attempt resumes it."
        ) from None
    return _complete(part, meta_path, directory, name, target, part.stat().st_size, report)


def _complete(
    part: Path,
    meta_path: Path,
    directory: Path,
    name: str,
    target: DownloadTarget,
    size: int,
    report: Callable[..., None],
) -> Path:
    """Finish the file on disk (size, checksum, final name), then report it done."""
    final = _finish(part, meta_path, directory, name, target, size)
    report(state=DownloadState.DONE, received=size, total=size, path=final)
    return final


def _check_response(response: httpx.Response, target: DownloadTarget) -> None:
    if response.status_code in (401, 403):
        raise DownloadError(
            f"The file host refused the download (HTTP {response.status_code}); the link may "
            "have expired. Try again to fetch a fresh link.")
    if response.status_code == 404:
        raise DownloadError("The recording file is gone (HTTP 404). Refresh the recordings.")
    if response.status_code not in (200, 206):
        raise DownloadError(f"The file host answered HTTP {response.status_code}. Try again later.")
    content_type = response.headers.get("content-type", "").lower()
    if content_type.startswith(("text/html", "application/xhtml")):
        raise DownloadError(
            "The server sent a web page instead of the recording (often an expired link or a "
            "sign-in page); nothing was saved. Try again, or download it from the web site.")


def _total_size(response: httpx.Response, offset: int) -> int | None:
    content_range = response.headers.get("content-range", "")
    if response.status_code == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else None
    length = response.headers.get("content-length")
    if length and length.isdigit():
        return int(length) + (offset if response.status_code == 206 else 0)
    return None


def _total_from_416(response: httpx.Response) -> int | None:
    content_range = response.headers.get("content-range", "")
    total = content_range.rsplit("/", 1)[-1]
    return int(total) if total.isdigit() else None


async def _stream_to_part(
    response: httpx.Response,
    part: Path,
    offset: int,
    total: int | None,
    report: Callable[..., None],
) -> None:
    mode = "ab" if offset else "wb"
    received = offset
    started = last_report = time.monotonic()
    first = True
    with _guard_disk(lambda: part.open(mode), part) as handle:
        syncer = _DiskSync(handle, part)
        unsynced = 0
        try:
            # The loop does as little per chunk as it can: at loopback speeds Python
            # work per 64 KiB chunk is what separates us from a bare httpx loop.
            async for chunk in body_chunks(response):
                if first and not offset and _looks_like_html(chunk):
                    handle.close()
                    _truncate(part)
                    raise DownloadError(
                        "The server sent a web page instead of the recording; nothing was saved.")
                first = False
                try:
                    handle.write(chunk)
                except OSError as exc:
                    raise _disk_error(exc, part) from None
                size = len(chunk)
                received += size
                unsynced += size
                if unsynced >= SYNC_EVERY:
                    syncer.start()
                    unsynced = 0
                now = time.monotonic()
                if now - last_report >= REPORT_EVERY:
                    report(received=received, total=total,
                           speed=(received - offset) / max(now - started, 1e-6))
                    last_report = now
                    # Real sockets already yield on every read; this keeps an in-memory
                    # transport from starving the event loop (and cancel() from landing).
                    await asyncio.sleep(0)
            await syncer.finish()
        finally:
            syncer.close()
    elapsed = max(time.monotonic() - started, 1e-6)
    report(received=received, total=total, speed=(received - offset) / elapsed)


def body_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The response body as it arrives: the raw bytes when there is no content coding
    (skipping httpx's decoder layer), else the decoded ones. A body httpx already holds
    in memory (it reads in-memory bodies at once) comes from there."""
    coding = response.headers.get("content-encoding", "").strip().lower()
    if coding in ("", "identity") and not response.is_stream_consumed:
        return response.aiter_raw()
    return response.aiter_bytes()


def _looks_like_html(chunk: bytes) -> bool:
    head = chunk[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


class DownloadQueue:
    """Runs downloads a few at a time; each can be cancelled; retries resume the `.part`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        directory: Path,
        *,
        concurrency: int = 3,
        attempts: int = 3,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self._client = client
        self._directory = directory
        self._slots = asyncio.Semaphore(concurrency)
        self._attempts = attempts
        self._on_progress = on_progress
        self._tasks: dict[str, asyncio.Task[Path | None]] = {}
        self._latest: dict[str, DownloadProgress] = {}

    def add(self, key: str, filename: str, resolve: Resolver, *,
            directory: Path | None = None) -> asyncio.Task[Path | None]:
        """Queue a download (into `directory`, default the queue's); queuing the same
        recording twice returns the running one."""
        running = self._tasks.get(key)
        if running is not None and not running.done():
            return running
        self._publish(DownloadProgress(key=key, filename=sanitize_filename(filename),
                                       state=DownloadState.QUEUED))
        task = asyncio.create_task(self._run(key, filename, resolve,
                                             directory or self._directory),
                                   name=f"download:{key}")
        self._tasks[key] = task
        return task

    def cancel(self, key: str) -> bool:
        """Cancel a queued or running download; its `.part` stays for a later resume."""
        task = self._tasks.get(key)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def snapshot(self) -> list[DownloadProgress]:
        return list(self._latest.values())

    async def wait(self) -> None:
        """Wait for every queued download to end (however it ends)."""
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def _publish(self, progress: DownloadProgress) -> None:
        self._latest[progress.key] = progress
        if self._on_progress is not None:
            self._on_progress(progress)

    async def _run(self, key: str, filename: str, resolve: Resolver,
                   directory: Path) -> Path | None:
        name = sanitize_filename(filename)
        try:
            async with self._slots:
                for attempt in range(1, self._attempts + 1):
                    try:
                        return await download(
                            self._client, key=key, filename=filename, resolve=resolve,
                            directory=directory, on_progress=self._publish)
                    except NetworkUnreachable as exc:
                        if attempt == self._attempts:
                            raise
                        self._publish(replace(self._latest[key], error=exc.sentence))
                        await asyncio.sleep(min(2 ** attempt, 10))
        except asyncio.CancelledError:
            self._publish(DownloadProgress(key=key, filename=name,
                                           state=DownloadState.CANCELLED))
            return None
        except MeetdeckError as exc:
            previous = self._latest.get(key)
            self._publish(DownloadProgress(
                key=key, filename=name, state=DownloadState.FAILED, error=exc.sentence,
                received=previous.received if previous else 0,
                total=previous.total if previous else None))
            return None
        return None


def _transport_error() -> type[Exception]:
    import httpx

    return httpx.TransportError


__all__ = [
    "REPORT_EVERY",
    "SYNC_EVERY",
    "DownloadProgress",
    "DownloadQueue",
    "DownloadState",
    "DownloadTarget",
    "ProgressCallback",
    "Resolver",
    "body_chunks",
    "download",
    "sanitize_filename",
    "unique_path",
]
