"""The bounded request log behind `GET /_sandbox/requests`."""

from __future__ import annotations

import threading
import time
from collections import deque
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
        with self._lock:
            found = [dict(e) for e in self._entries if e["seq"] > seq]
        return found[:limit] if limit is not None else found

    @property
    def last_seq(self) -> int:
        return self._seq

    def clear(self) -> int:
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count
