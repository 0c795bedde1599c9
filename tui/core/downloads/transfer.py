"""One resumable recording download, and the progress it reports.

A download writes to `NAME.part` beside a small `NAME.part.json` that remembers which
recording (and which ETag or Last-Modified) the bytes belong to. An interrupted download
resumes with a Range request under If-Range, and only when it has such a validator; the
file is renamed to its final name only when complete and its size (the file host's, and
the checksum where the API gives one) match. An existing file is never overwritten:
the final name gets a numbered suffix instead. Names from the API are sanitised.

The provider supplies a `resolve` callable that answers where to fetch the bytes from
and which headers to send (the GoTo bearer token never goes to the file host; Zoom's
does). It is called again on every attempt, because signed file URLs expire.

The file-system side (sanitised names, the `.part` and its meta file, syncing to disk,
the final rename) lives in `tui.core.downloads.files`; `sanitize_filename` and
`unique_path` are re-exported here.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.downloads.files import (
    DiskSync,
    discard_part,
    disk_error,
    finish_part,
    guard_disk,
    open_part,
    part_paths,
    read_meta,
    sanitize_filename,
    write_meta,
)
from tui.core.downloads.target import DownloadTarget, Resolver
from tui.core.errors import DownloadError, NetworkUnreachable
from tui.core.settings.paths import ensure_dir

if TYPE_CHECKING:  # httpx is imported where a download runs, not at import
    import httpx

REPORT_EVERY = 0.1  # seconds between progress events of one download
SYNC_EVERY = 16 * 1024 * 1024  # bytes written between background syncs to disk
SYNC_TAIL = 4 * 1024 * 1024  # bytes before the announced end where one more sync starts


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
    private: bool = True,
) -> Path:
    """Download one recording into `directory`, resuming a previous `.part` if any.

    A `.part` is resumed only under a validator the server gave with its bytes (a
    strong ETag, else Last-Modified), sent as If-Range: a server whose file changed
    answers 200 with all of it, and the `.part` starts over. Sizes are the server's
    (Content-Range, Content-Length); the size the API listed is only a hint for
    progress. `private` writes the file 0600 (and a new folder 0700).
    """
    import httpx

    name = sanitize_filename(filename)
    guard_disk(lambda: ensure_dir(directory, private=private), directory)
    part, meta_path = part_paths(directory, name, key)
    progress = DownloadProgress(key=key, filename=name, state=DownloadState.RUNNING)

    def report(**changes: Any) -> None:
        nonlocal progress
        progress = replace(progress, **changes)
        if on_progress is not None:
            on_progress(progress)

    target = await resolve()
    hint = target.expected_size if target.expected_size and target.expected_size > 0 else None
    meta = read_meta(meta_path)
    validator = _validator(meta) if meta.get("key") == key else None
    offset = part.stat().st_size if validator and part.exists() else 0
    if offset and target.checksum and meta.get("checksum") not in (None, list(target.checksum)):
        offset = 0
    report(resumed_from=offset, received=offset, total=hint)
    headers = dict(target.headers)
    if offset and validator:
        headers["Range"] = f"bytes={offset}-"
        headers["If-Range"] = validator
    try:
        async with client.stream("GET", target.url, headers=headers) as response:
            if response.status_code == 416 and offset:
                total = _total_from_416(response)
                if total is not None and total == offset:
                    return _complete(
                        part, meta_path, directory, name, target, offset, total, report
                    )
                discard_part(part)
                raise DownloadError(
                    "The server refused to resume; the partial file was discarded. "
                    "Start the download again."
                )
            _check_response(response, name)
            if response.status_code == 200:
                offset = 0  # a full body: the Range was ignored or the file changed
            elif _range_start(response) != offset:
                discard_part(part)
                raise DownloadError(
                    f"The file host sent another part of {name} than the one asked for; the "
                    "partial file was discarded. Start the download again."
                )
            total = _total_size(response, offset)
            write_meta(
                meta_path,
                key,
                target,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                private=private,
            )
            report(received=offset, total=total or hint, resumed_from=offset)
            await _stream_to_part(response, part, offset, total or hint, report, private)
    except asyncio.CancelledError:
        # What the `.part` keeps for a resume, not the last (rate-limited) report.
        kept = part.stat().st_size if part.exists() else 0
        report(state=DownloadState.CANCELLED, received=kept, speed=0.0)
        raise
    except httpx.TooManyRedirects:
        raise DownloadError(
            f"The file host of {name} kept redirecting the download (a redirect loop); "
            "nothing more was saved. Try again later, or download it from the provider's "
            "web site."
        ) from None
    except httpx.TransportError as exc:
        raise NetworkUnreachable(
            f"The connection dropped while downloading {name} ({type(exc).__name__}); "
            "the partial file is kept and the next attempt resumes it."
        ) from None
    except httpx.RequestError as exc:  # a body that cannot be decoded, and the like
        raise DownloadError(
            f"The file host's answer for {name} could not be read ({type(exc).__name__}); "
            "nothing more was saved. Try again later."
        ) from None
    size = part.stat().st_size
    if total is not None and size < total:
        raise NetworkUnreachable(
            f"The file host ended {name} after {size} of {total} bytes; the partial file "
            "is kept and the next attempt resumes it."
        )
    if total is not None and size > total:
        discard_part(part)
        raise DownloadError(
            f"The file host sent more bytes of {name} than it announced ({size} of "
            f"{total}); the file was discarded. Download it again."
        )
    return _complete(part, meta_path, directory, name, target, size, total, report)


def _validator(meta: Mapping[str, Any]) -> str | None:
    """What a resume may send as If-Range: a strong ETag, else the Last-Modified date."""
    etag = meta.get("etag")
    if isinstance(etag, str) and etag.strip() and not etag.startswith("W/"):
        return etag.strip()
    modified = meta.get("last_modified")
    if isinstance(modified, str) and modified.strip():
        return modified.strip()
    return None


def _complete(
    part: Path,
    meta_path: Path,
    directory: Path,
    name: str,
    target: DownloadTarget,
    size: int,
    total: int | None,
    report: Callable[..., None],
) -> Path:
    """Finish the file on disk (size, checksum, final name), then report it done."""
    final = finish_part(part, meta_path, directory, name, target, size, total)
    report(state=DownloadState.DONE, received=size, total=size, path=final)
    return final


def _check_response(response: httpx.Response, name: str) -> None:
    if response.status_code in (401, 403):
        raise DownloadError(
            f"The file host refused the download (HTTP {response.status_code}); the link may "
            "have expired. Try again to fetch a fresh link."
        )
    if response.status_code == 404:
        raise DownloadError("The recording file is gone (HTTP 404). Refresh the recordings.")
    if response.status_code not in (200, 206):
        raise DownloadError(f"The file host answered HTTP {response.status_code}. Try again later.")
    content_type = response.headers.get("content-type", "").lower()
    if content_type.startswith(("text/html", "application/xhtml")):
        raise DownloadError(
            "The server sent a web page instead of the recording (often an expired link or a "
            "sign-in page); nothing was saved. Try again, or download it from the web site."
        )
    if _is_json(content_type) and not name.lower().endswith(".json"):
        raise DownloadError(
            "The server sent a message (JSON) instead of the recording; nothing was saved. "
            "Try again later."
        )


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip()
    return media == "application/json" or media.endswith("+json")


def _range_start(response: httpx.Response) -> int | None:
    """Where the bytes of a 206 start, from its Content-Range (None: unreadable)."""
    unit, _, spec = response.headers.get("content-range", "").strip().partition(" ")
    first = spec.split("-", 1)[0]
    return int(first) if unit.lower() == "bytes" and first.isdigit() else None


def _total_size(response: httpx.Response, offset: int) -> int | None:
    """The whole file's size as the server gives it (None when it does not say).

    A content coding (gzip) makes the headers count the coded bytes, not the file's.
    """
    if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
        return None
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
    private: bool,
) -> None:
    received = offset
    started = last_report = time.monotonic()
    first = True
    handle = guard_disk(lambda: open_part(part, append=bool(offset), private=private), part)
    syncer = DiskSync(handle, part)
    sync_at = _next_sync(received, total)
    try:
        # The loop does as little per chunk as it can: at loopback speeds Python
        # work per 64 KiB chunk is what separates us from a bare httpx loop.
        async for chunk in body_chunks(response):
            if first and not offset and _looks_like_html(chunk):
                handle.close()
                discard_part(part)
                raise DownloadError(
                    "The server sent a web page instead of the recording; nothing was saved."
                )
            first = False
            try:
                handle.write(chunk)
            except OSError as exc:
                raise disk_error(exc, part) from None
            received += len(chunk)
            if received >= sync_at and syncer.start():
                sync_at = _next_sync(received, total)
            now = time.monotonic()
            if now - last_report >= REPORT_EVERY:
                report(
                    received=received,
                    total=total,
                    speed=(received - offset) / max(now - started, 1e-6),
                )
                last_report = now
                # Real sockets already yield on every read; this keeps an in-memory
                # transport from starving the event loop (and cancel() from landing).
                await asyncio.sleep(0)
        await syncer.finish()
    except BaseException:
        syncer.close()
        with contextlib.suppress(OSError):  # the error in flight says more
            handle.close()
        raise
    syncer.close()
    # Closing writes what is still buffered: on a full disk that fails here.
    guard_disk(handle.close, part)
    elapsed = max(time.monotonic() - started, 1e-6)
    report(received=received, total=total, speed=(received - offset) / elapsed)


def _next_sync(position: int, total: int | None) -> int:
    """Where the next background sync starts: SYNC_EVERY bytes on, or SYNC_TAIL bytes
    before the announced end when that comes first. The sync near the end runs while
    the last bytes arrive, so the final fsync is left with those few MiB, not with up
    to SYNC_EVERY of them. A sync that cannot start (one still runs) is asked for
    again at the next chunk, as the position stays passed."""
    due = position + SYNC_EVERY
    if total is not None and position < total - SYNC_TAIL < due:
        return total - SYNC_TAIL
    return due


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


__all__ = [
    "REPORT_EVERY",
    "SYNC_EVERY",
    "SYNC_TAIL",
    "DownloadProgress",
    "DownloadState",
    "ProgressCallback",
    "body_chunks",
    "download",
]
