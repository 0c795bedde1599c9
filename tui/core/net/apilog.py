"""The redacted API request log: a file, an in-memory ring, and subscribers.

Each entry holds the method, the path (never the query string, which may carry a
secret or a signature), the status, the duration and the rate-limit headers. Never
headers like Authorization, never bodies: tokens, client secrets and start URLs live
in those. The TUI subscribes to show a live, toggleable API-call log.

The file is rotated as `logging.handlers.RotatingFileHandler` would: past `max_bytes`
it becomes `api.log.1` (the older `.1` becomes `.2`, and so on up to `backups`), and a
new `api.log` starts; every file is created 0600.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from tui.core.settings.paths import ensure_dir

RING_SIZE = 500
#: The API log file's size before it is rotated, and how many old files are kept.
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 2
# Response headers worth keeping: how close we are to the provider's limits.
_RATE_HEADER = re.compile(r"^(x-ratelimit-[a-z-]+|retry-after)$", re.IGNORECASE)
# Path segments that look like a credential (long opaque tokens) are masked.
_SECRETISH = re.compile(r"^[A-Za-z0-9_\-.~+=]{40,}$")


@dataclass(frozen=True, slots=True)
class ApiLogEntry:
    """One HTTP exchange, redacted.

    Attributes:
        at: When the request finished (UTC).
        api: Which API answered ("goto_meeting", "zoom", "goto_auth", ...).
        method: HTTP method.
        path: URL path only (no query), long opaque segments masked.
        status: HTTP status, or None when no response came (see `error`).
        duration_ms: Round-trip time.
        attempt: 1 for the first try, 2+ for retries.
        rate: Rate-limit headers of the response.
        error: A short description when no response came.
        host: The host, when it was not the API's own (a redirect target).
    """

    at: datetime
    api: str
    method: str
    path: str
    status: int | None
    duration_ms: float
    attempt: int = 1
    rate: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None
    host: str | None = None

    def to_json(self) -> dict[str, object]:
        # Each field as it is, in their order, then the two that need a JSON form:
        # `dataclasses.asdict` deep-copies each value (a sixth of a sync's own time per
        # request, issue 18).
        data: dict[str, object] = {name: getattr(self, name) for name in _ENTRY_FIELDS}
        data["at"] = self.at.isoformat()
        data["rate"] = dict(self.rate)
        return data


_ENTRY_FIELDS = tuple(entry_field.name for entry_field in fields(ApiLogEntry))


def redact_path(url_or_path: str) -> str:
    """Path only: drop scheme, host, query and fragment; mask token-like segments."""
    path = urlsplit(url_or_path).path or "/"
    return "/".join("***" if _SECRETISH.match(part) else part for part in path.split("/"))


def rate_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The rate-limit headers of a response."""
    return {k.lower(): v for k, v in headers.items() if _RATE_HEADER.match(k)}


Subscriber = Callable[[ApiLogEntry], None]


class ApiLog:
    """Collects entries; writes them as JSON lines to `path` (mode 0600) if given.

    Args:
        path: The log file (None: memory only).
        ring_size: How many entries `recent` keeps.
        max_bytes: The file's size before it is rotated.
        backups: How many rotated files are kept (`api.log.1` is the newest).
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        ring_size: int = RING_SIZE,
        max_bytes: int = MAX_BYTES,
        backups: int = BACKUPS,
    ) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._size = 0
        self._ring: deque[ApiLogEntry] = deque(maxlen=ring_size)
        self._subscribers: list[Subscriber] = []
        self._fh: IO[str] | None = None
        self._file_failed = False
        self._lock = threading.Lock()

    def recent(self, limit: int | None = None) -> list[ApiLogEntry]:
        """The newest entries, oldest first."""
        items = list(self._ring)
        return items if limit is None else items[-limit:]

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(entry)` for every new entry; returns an unsubscribe function.

        Callbacks run in the caller's thread and must be quick (e.g. post a message).
        """
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def record(self, entry: ApiLogEntry) -> None:
        """Store, write and announce one entry. Never raises on a log problem."""
        self._ring.append(entry)
        self._write(entry)
        for callback in list(self._subscribers):
            with contextlib.suppress(Exception):  # a broken viewer must not break a sync
                callback(entry)

    def _write(self, entry: ApiLogEntry) -> None:
        if self.path is None or self._file_failed:
            return
        line = json.dumps(entry.to_json(), ensure_ascii=False) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            try:
                if self._fh is None:
                    self._open()
                if self._size and self._size + len(data) > self.max_bytes:
                    self._rotate()
                assert self._fh is not None
                self._fh.write(line)
                self._fh.flush()
                self._size += len(data)
            except OSError:
                # A full disk must not stop API calls; the ring still has the entries.
                self._file_failed = True

    def _open(self) -> None:
        assert self.path is not None
        ensure_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._fh = os.fdopen(fd, "a", encoding="utf-8")
        self._size = os.fstat(fd).st_size

    def _rotate(self) -> None:
        """`api.log` -> `api.log.1` -> ... -> `api.log.N` (the oldest is dropped)."""
        assert self.path is not None and self._fh is not None
        self._fh.close()
        self._fh = None
        if self.backups > 0:
            for number in range(self.backups - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.{number}")
                if older.exists():
                    os.replace(older, self.path.with_name(f"{self.path.name}.{number + 1}"))
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink(missing_ok=True)
        self._open()

    def close(self) -> None:
        """Close the file (entries stay in the ring)."""
        with self._lock:
            if self._fh is not None:
                with contextlib.suppress(OSError):
                    self._fh.close()
                self._fh = None


def now() -> datetime:
    """UTC now (one place, so entries and tests agree)."""
    return datetime.now(UTC)
