"""Rate limits like the real services: per-second token buckets, Zoom's plans, and
Zoom's daily limits (switched on through the control API).

Zoom counts per account and per rate category: Pro allows Light 30, Medium 20 and
Heavy 10 requests per second, Business and up 80, 60 and 40. A daily limit answers 429
in one of the two shapes seen: the documented one (`X-RateLimit-Type: Daily-limit`,
`Retry-After` as an ISO time of the next 00:00 UTC) or the bare one (neither header;
the body says the limit is daily and resets at 00:00 GMT).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GOTO_PER_SECOND = 10.0
_PRO = {"Light": 30.0, "Medium": 20.0, "Heavy": 10.0}
_BUSINESS = {"Light": 80.0, "Medium": 60.0, "Heavy": 40.0}
#: Per-second limits per rate category, by Zoom plan.
ZOOM_PLANS: dict[str, dict[str, float]] = {
    "pro": _PRO,
    "business": _BUSINESS,
    "business_plus": _BUSINESS,
    "enterprise": _BUSINESS,
    "education": _BUSINESS,
}
#: The daily cap that Heavy and Resource-intensive calls share, by plan.
ZOOM_DAILY_CAP = {plan: 30000 if plan == "pro" else 60000 for plan in ZOOM_PLANS}
ZOOM_CATEGORIES = ("Light", "Medium", "Heavy", "Resource-intensive")


@dataclass(slots=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


class Bucket:
    """A token bucket holding at most one second's worth of requests."""

    __slots__ = ("capacity", "clock", "rate", "stamp", "tokens")

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self.capacity = max(rate, 1.0)
        self.tokens = self.capacity
        self.stamp = clock()

    def take(self) -> Verdict:
        now = self.clock()
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

    def __init__(self, scale: float, zoom_plan: str = "pro") -> None:
        self.scale = scale
        #: The buckets' clock (a test may stand it still before the first request).
        self.clock: Callable[[], float] = time.monotonic
        self.zoom_plan = check_plan(zoom_plan)
        self._buckets: dict[str, Bucket] = {}

    def set_zoom_plan(self, plan: str) -> None:
        """Switch the Zoom account's plan; its buckets start full at the new rates."""
        self.zoom_plan = check_plan(plan)
        self._buckets = {k: v for k, v in self._buckets.items() if not k.startswith("zoom:")}

    def zoom_rate(self, category: str) -> float:
        """The plan's requests per second in a Zoom rate category."""
        return ZOOM_PLANS[self.zoom_plan].get(category, ZOOM_PLANS[self.zoom_plan]["Heavy"])

    def take(self, name: str, per_second: float) -> Verdict | None:
        """Count one request; None when rate limiting is off (scale <= 0)."""
        if self.scale <= 0:
            return None
        bucket = self._buckets.get(name)
        if bucket is None:
            bucket = self._buckets[name] = Bucket(max(per_second * self.scale, 1e-3), self.clock)
        return bucket.take()


def check_plan(plan: str) -> str:
    """A known Zoom plan name, or ValueError naming the known ones."""
    if plan not in ZOOM_PLANS:
        raise ValueError(f"unknown Zoom plan {plan!r}; known: {', '.join(ZOOM_PLANS)}")
    return plan


@dataclass(slots=True)
class DailyLimit:
    """A Zoom daily limit used up, for one rate category or for the APIs it matches.

    Attributes:
        id: Its id in the control API.
        category: Every API of this rate category ("Heavy"), or None.
        method: Only this HTTP method (with `path`).
        path: Only paths this regex finds (under /zoom/v2).
        shape: "documented" (Daily-limit type and an ISO Retry-After) or "bare"
            (neither header; the body says when).
    """

    id: int
    category: str | None = None
    method: str | None = None
    path: re.Pattern[str] | None = None
    shape: str = "documented"
    applied: int = 0

    def matches(self, method: str, path: str, category: str) -> bool:
        if self.category is not None:
            return self.category == category
        if self.method is not None and self.method != method:
            return False
        return self.path is None or bool(self.path.search(path))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "method": self.method,
            "path": self.path.pattern if self.path is not None else None,
            "shape": self.shape,
            "applied": self.applied,
        }


@dataclass
class DailyLimits:
    """The daily limits switched on; thread-safe (the server runs in its own thread)."""

    rules: list[DailyLimit] = field(default_factory=list)
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, body: Any) -> DailyLimit:
        """A rule from `{"category"}` or `{"method", "path"}`, plus `"shape"`; ValueError
        naming what is wrong."""
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        unknown = sorted(set(body) - {"category", "method", "path", "shape"})
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(unknown)}")
        category = body.get("category")
        if category is not None and category not in ZOOM_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(ZOOM_CATEGORIES)}")
        if category is None and not body.get("path"):
            raise ValueError("name a category, or a path (a regex) and maybe a method")
        shape = body.get("shape", "documented")
        if shape not in ("documented", "bare"):
            raise ValueError("shape must be 'documented' or 'bare'")
        try:
            path = re.compile(str(body["path"])) if body.get("path") else None
        except re.error as exc:
            raise ValueError(f"path is not a regex: {exc}") from None
        method = str(body["method"]).upper() if body.get("method") else None
        with self._lock:
            rule = DailyLimit(self._next_id, category, method, path, shape)
            self._next_id += 1
            self.rules.append(rule)
            return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def take(self, method: str, path: str, category: str) -> DailyLimit | None:
        """The rule a Zoom call hits, counted, or None."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path, category):
                    rule.applied += 1
                    return rule
            return None

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.to_json() for rule in self.rules]
