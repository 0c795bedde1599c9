"""The file-system side of recording downloads: names, `.part` files, syncing, the final name.

`tui.core.downloads.queue` speaks HTTP (requests, Range resume, progress, the queue); this
module is everything it does to the disk: sanitising names from the API, finding the
`.part` and `.part.json` of a recording, syncing the `.part` to disk in a worker thread
while bytes arrive, checking size and checksum, and giving the finished file its name
without ever overwriting one. It is kept apart so that each half stays small and the
disk rules (never overwrite, keep the `.part` on error, typed storage errors) can be
read in one place. It never imports httpx.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tui.core.errors import DownloadError, StorageError

if TYPE_CHECKING:  # a type only: downloads imports this module at run time
    from tui.core.downloads.target import DownloadTarget

MAX_NAME_BYTES = 180
_fdatasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)  # macOS has none
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


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


def part_paths(directory: Path, name: str, key: str) -> tuple[Path, Path]:
    """`NAME.part`, unless that belongs to another recording: then `NAME.N.part`."""
    number = 0
    while True:
        stem = name if number == 0 else f"{name}.{number}"
        part = directory / f"{stem}.part"
        meta = directory / f"{stem}.part.json"
        owner = read_meta(meta).get("key")
        if owner in (None, key) and (owner == key or not part.exists()):
            return part, meta
        number += 1


def read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_meta(
    path: Path,
    key: str,
    target: DownloadTarget,
    *,
    etag: str | None,
    last_modified: str | None,
    private: bool = True,
) -> None:
    """Remember whose bytes the `.part` holds, and the validators a resume sends back."""
    record = {
        "key": key,
        "etag": etag,
        "last_modified": last_modified,
        "checksum": list(target.checksum) if target.checksum else None,
    }
    data = json.dumps(record).encode("utf-8")

    def write() -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)

    guard_disk(write, path)


def open_part(part: Path, *, append: bool, private: bool) -> BinaryIO:
    """The `.part`, to append to or to write from its start; mode 0600 when `private`."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(part, flags, 0o600 if private else 0o666)
    try:
        found = os.fstat(fd)
        if private and stat.S_ISREG(found.st_mode) and found.st_mode & 0o077:
            os.fchmod(fd, 0o600)  # a `.part` left by a run with `private_files = false`
        return os.fdopen(fd, "ab" if append else "wb")
    except BaseException:
        os.close(fd)
        raise


class DiskSync:
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

    def start(self) -> bool:
        """Start syncing what is written so far, unless a sync is still running;
        whether one started (if not, what is written waits for the next)."""
        if self._pending is not None:
            if not self._pending.done():
                return False
            guard_disk(self._pending.result, self._part)
        self._pending = self._submit(_fdatasync)
        return True

    async def finish(self) -> None:
        """Wait for the sync in flight, then fsync the rest (data and metadata)."""
        try:
            if self._pending is not None:
                await self._pending
            self._pending = self._submit(os.fsync)
            await self._pending
        except OSError as exc:
            raise disk_error(exc, self._part) from None

    def close(self) -> None:
        """Collect the outcome of an abandoned sync (so asyncio does not log it)."""
        if self._pending is not None:
            self._pending.add_done_callback(_consume)
            self._pending = None

    def _submit(self, sync: Callable[[int], None]) -> asyncio.Future[None]:
        guard_disk(self._handle.flush, self._part)
        fd: int = guard_disk(lambda: os.dup(self._handle.fileno()), self._part)
        return asyncio.get_running_loop().run_in_executor(None, _sync_and_close, sync, fd)


def _sync_and_close(sync: Callable[[int], None], fd: int) -> None:
    try:
        sync(fd)
    finally:
        os.close(fd)


def _consume(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()


def finish_part(
    part: Path,
    meta_path: Path,
    directory: Path,
    name: str,
    target: DownloadTarget,
    size: int,
    total: int | None,
) -> Path:
    """Check the size and checksum of a complete `.part`, then give it its final name.

    `total` is the size the file host announced (None: it did not say); the size the
    API listed is not checked, since the host's own word on its file wins. The caller
    reports the download done; this only touches the disk.
    """
    if total is not None and size != total:
        raise DownloadError(
            f"{name}: got {size} bytes but the file host announced {total}; the partial "
            "file is kept and the next attempt resumes it."
        )
    if target.checksum:
        algorithm, expected = target.checksum
        digest = _digest(part, algorithm)
        if digest is not None and digest != expected.lower():
            discard_part(part)
            meta_path.unlink(missing_ok=True)
            raise DownloadError(
                f"{name}: the checksum does not match ({algorithm}); the file was discarded. "
                "Download it again."
            )
    final = _linked_before(part, directory, name) or _link_unique(part, directory, name)
    part.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
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


def discard_part(part: Path) -> None:
    part.unlink(missing_ok=True)


def guard_disk(operation: Callable[[], Any], path: Path) -> Any:
    try:
        return operation()
    except OSError as exc:
        raise disk_error(exc, path) from None


def disk_error(exc: OSError, path: Path) -> StorageError:
    """A typed error, with what to do, for a failed write of `path`."""
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return StorageError(
            f"{path} (or a folder above it) is a file, not a folder; recordings and exports "
            "need a folder. Choose another one."
        )
    if exc.errno == errno.ENOSPC:
        return StorageError(
            f"The disk is full while writing {path.name}; the partial file is kept. Free "
            "some space and start the download again: it resumes where it stopped."
        )
    return StorageError(f"Cannot write {path}: {exc.strerror}.")
