"""Per-second rate limits like the real services (token buckets)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

GOTO_PER_SECOND = 10.0
ZOOM_PER_SECOND = {"Light": 30.0, "Medium": 20.0, "Heavy": 10.0}


@dataclass(slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


class Bucket:
    """A token bucket holding at most one second's worth of requests."""

    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> Verdict:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        limit = max(1, int(self.rate))
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return Verdict(True, limit, int(self.tokens), 0)
        wait = (1.0 - self.tokens) / self.rate
        return Verdict(False, limit, 0, max(1, math.ceil(wait)))


class RateLimiter:
    """Buckets per API (GoTo: G2M, G2T, seeit, admin) and per Zoom category."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._buckets: dict[str, Bucket] = {}

    def take(self, name: str, per_second: float) -> Verdict | None:
        """Count one request; None when rate limiting is off (scale <= 0)."""
        if self.scale <= 0:
            return None
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = Bucket(max(per_second * self.scale, 1e-3))
        return bucket.take()
