"""Resumable recording downloads.

A download writes to `NAME.part` beside a small `NAME.part.json` that remembers which
recording (and which ETag) the bytes belong to. An interrupted download resumes with a
Range request; the file is renamed to its final name only when complete and its size
(and checksum, where the API gives one) match. An existing file is never overwritten:
the final name gets a numbered suffix instead. Names from the API are sanitised.

The provider supplies a `resolve` callable that answers where to fetch the bytes from
and which headers to send (the GoTo bearer token never goes to the file host; Zoom's
does). It is called again on every attempt, because signed file URLs expire.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tui.core.errors import DownloadError, MeetdeckError, NetworkUnreachable, StorageError
from tui.core.paths import ensure_dir

if TYPE_CHECKING:  # httpx is imported where a download runs, not at import
    import httpx

MAX_NAME_BYTES = 180
REPORT_EVERY = 0.1  # seconds between progress events of one download
SYNC_EVERY = 16 * 1024 * 1024  # bytes written between background syncs to disk
_fdatasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)  # macOS has none
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
             *(f"LPT{i}" for i in range(10))}


def sanitize_filename(name: str, *, fallback: str = "recording") -> str:
    """A safe file name: no separators, no `..`, no control characters, bounded length."""
    text = unicodedata.normalize("NFC", name)
    # Bidi overrides and other format characters can disguise an extension.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"\.{2,}", ".", text)
    if not text or text.split(".")[0].upper() in _RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = text, ""
    suffix = f".{ext}" if ext else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - len(".part.json")
    stem_bytes = stem.encode("utf-8")[:budget]
    stem = stem_bytes.decode("utf-8", errors="ignore").rstrip(" .") or fallback
    return stem + suffix


def unique_path(directory: Path, name: str) -> Path:
    """`directory/name`, or `name (1)`, `name (2)`... if taken."""
    candidate = directory / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 1
    while candidate.exists():
        candidate = directory / f"{stem} ({number}){suffix}"
        number += 1
    return candidate


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
                    return _finish(part, meta_path, directory, name, target, offset, report)
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
    return _finish(part, meta_path, directory, name, target, part.stat().st_size, report)


def _part_paths(directory: Path, name: str, key: str) -> tuple[Path, Path]:
    """`NAME.part`, unless that belongs to another recording: then `NAME.N.part`."""
    number = 0
    while True:
        stem = name if number == 0 else f"{name}.{number}"
        part = directory / f"{stem}.part"
        meta = directory / f"{stem}.part.json"
        owner = _read_meta(meta).get("key")
        if owner in (None, key) and (owner == key or not part.exists()):
            return part, meta
        number += 1


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_meta(path: Path, key: str, etag: str | None, target: DownloadTarget) -> None:
    record = {"key": key, "etag": etag,
              "checksum": list(target.checksum) if target.checksum else None}
    _guard_disk(lambda: path.write_text(json.dumps(record), encoding="utf-8"), path)


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


class _DiskSync:
    """Writes a `.part` to disk in a worker thread while the download goes on.

    The final fsync (so that a finished file survives a power cut) then has only the
    last few MiB left to write instead of the whole recording. Each sync works on a
    duplicate file descriptor that the worker closes, so closing the file (a cancel)
    never races a sync in flight; one runs at a time, and an error from one (a full
    disk, an I/O error) surfaces as a StorageError at the next call.
    """

    def __init__(self, handle: BinaryIO, part: Path) -> None:
        self._handle = handle
        self._part = part
        self._pending: asyncio.Future[None] | None = None

    def start(self) -> None:
        """Start syncing what is written so far, unless a sync is still running."""
        if self._pending is not None:
            if not self._pending.done():
                return
            _guard_disk(self._pending.result, self._part)
        self._pending = self._submit(_fdatasync)

    async def finish(self) -> None:
        """Wait for the sync in flight, then fsync the rest (data and metadata)."""
        try:
            if self._pending is not None:
                await self._pending
            self._pending = self._submit(os.fsync)
            await self._pending
        except OSError as exc:
            raise _disk_error(exc, self._part) from None

    def close(self) -> None:
        """Collect the outcome of an abandoned sync (so asyncio does not log it)."""
        if self._pending is not None:
            self._pending.add_done_callback(_consume)
            self._pending = None

    def _submit(self, sync: Callable[[int], None]) -> asyncio.Future[None]:
        _guard_disk(self._handle.flush, self._part)
        fd: int = _guard_disk(lambda: os.dup(self._handle.fileno()), self._part)
        return asyncio.get_running_loop().run_in_executor(None, _sync_and_close, sync, fd)


def _sync_and_close(sync: Callable[[int], None], fd: int) -> None:
    try:
        sync(fd)
    finally:
        os.close(fd)


def _consume(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def _looks_like_html(chunk: bytes) -> bool:
    head = chunk[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _finish(
    part: Path,
    meta_path: Path,
    directory: Path,
    name: str,
    target: DownloadTarget,
    size: int,
    report: Callable[..., None],
) -> Path:
    if target.expected_size is not None and size != target.expected_size:
        raise DownloadError(
            f"{name}: got {size} bytes but the service announced {target.expected_size}; the "
            "partial file is kept and the next attempt resumes it.")
    if target.checksum:
        algorithm, expected = target.checksum
        digest = _digest(part, algorithm)
        if digest is not None and digest != expected.lower():
            _truncate(part)
            meta_path.unlink(missing_ok=True)
            raise DownloadError(
                f"{name}: the checksum does not match ({algorithm}); the file was discarded. "
                "Download it again.")
    final = _linked_before(part, directory, name) or _link_unique(part, directory, name)
    part.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    report(state=DownloadState.DONE, received=size, total=size, path=final)
    return final


def _linked_before(part: Path, directory: Path, name: str) -> Path | None:
    """The final file, if a run stopped between naming it and removing the `.part`.

    Linking again would leave a second copy ("name (1)") of the same recording.
    """
    candidate = directory / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 1
    while candidate.exists():
        try:
            if os.path.samefile(part, candidate):
                return candidate
        except OSError:
            return None
        candidate = directory / f"{stem} ({number}){suffix}"
        number += 1
    return None


def _link_unique(part: Path, directory: Path, name: str) -> Path:
    """Give the finished file its name without ever replacing an existing file."""
    while True:
        final = unique_path(directory, name)
        try:
            os.link(part, final)  # fails if `final` appeared meanwhile: never overwrites
            return final
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP):
                raise StorageError(f"Cannot create {final}: {exc.strerror}.") from None
            # File systems without hard links: an exclusive create, then a rename over it.
            try:
                with final.open("xb"):
                    pass
            except FileExistsError:
                continue
            os.replace(part, final)
            return final


def _digest(path: Path, algorithm: str) -> str | None:
    try:
        hasher = hashlib.new(algorithm.lower().replace("-", ""))
    except ValueError:
        return None
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _truncate(part: Path) -> None:
    part.unlink(missing_ok=True)


def _guard_disk(operation: Callable[[], Any], path: Path) -> Any:
    try:
        return operation()
    except OSError as exc:
        raise _disk_error(exc, path) from None


def _disk_error(exc: OSError, path: Path) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(
            f"The disk is full while writing {path.name}; the partial file is kept. Free "
            "some space and start the download again: it resumes where it stopped.")
    return StorageError(f"Cannot write {path}: {exc.strerror}.")


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
