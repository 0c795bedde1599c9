"""The bounded request log behind `GET /_sandbox/requests`."""

from __future__ import annotations

import threading
import time
from collections import deque
from itertools import islice
from typing import Any


class RequestLog:
    """Keeps the newest `size` requests; each entry is a plain JSON-ready dict."""

    def __init__(self, size: int) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max(1, size))
        self._seq = 0
        self._lock = threading.Lock()

    def start(
        self, method: str, path: str, query: str, host: str, authorization: bool, api: str
    ) -> dict[str, Any]:
        """Record a request as it arrives; the caller fills in its status later."""
        with self._lock:
            self._seq += 1
            entry: dict[str, Any] = {
                "seq": self._seq,
                "time": time.time(),
                "method": method,
                "path": path,
                "query": query,
                "status": None,
                "host": host,
                "authorization": authorization,
                "api": api,
                "fault": None,
                "duration_ms": None,
            }
            self._entries.append(entry)
            return entry

    def since(self, seq: int, limit: int | None = None) -> list[dict[str, Any]]:
        """Copies of the entries after `seq`, oldest first; the first `limit` of them.

        The entries' numbers are consecutive (the oldest are dropped from the left), so
        the first one wanted is found by its offset and only the entries returned are
        copied: the tests' `mark()` asks for one entry after 0, which copied all 5,000.
        """
        with self._lock:
            entries = self._entries
            skip = max(seq + 1 - entries[0]["seq"], 0) if entries else 0
            wanted = islice(entries, skip, None)
            if limit is not None and limit >= 0:
                wanted = islice(wanted, limit)
            found = [dict(e) for e in wanted]
        return found[:limit] if limit is not None and limit < 0 else found

    @property
    def last_seq(self) -> int:
        return self._seq

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count
