"""Rate limits as the client keeps them: per-second pacing, and daily limits used up.

`Pace` is one client-side bucket: a leaky bucket at a configured rate (for Zoom, what
the account's plan allows in that rate category), slowed to what the service's
`X-RateLimit-Limit` says and held for a second when `X-RateLimit-Remaining` reaches 0.
It never goes faster than its configured rate.

`DailyLimits` remembers the APIs whose daily limit is used up. Zoom answers such a call
429 with `X-RateLimit-Type: Daily-limit` and `Retry-After` as an ISO time, or (seen in
practice) with neither and a body saying the limit is daily and resets at 00:00 GMT.
Until the reset, calls to the same API (method and path with the ids taken out) are not
sent, nor, when the 429 named the Heavy or Resource-intensive category (whose APIs share
one daily cap), calls to the APIs the service named of that category.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from aiolimiter import AsyncLimiter

from tui.core.net.errors import error_message, parse_retry_after
from tui.core.net.retry import Sleep

#: How long a bucket waits after the service said no requests remain (one window).
HOLD_SECONDS = 1.0

#: How long after an answer calls to the same API go out without waiting for a first one.
WARM = timedelta(seconds=60)

#: Zoom's rate categories whose APIs share one daily cap (the others' daily limits are
#: per API).
SHARED_DAILY = frozenset({"heavy", "resource-intensive"})

_DAILY_BODY = re.compile(r"\bdaily\b|resume these requests at GMT 00:00", re.IGNORECASE)


def _leaky(rate: float) -> AsyncLimiter:
    """A leaky bucket allowing `rate` requests per second (fractions allowed).

    Bursts are kept to a quarter second's worth, so the provider's own bucket never
    runs dry at a window edge (network jitter would otherwise cost a 429 now and then).
    """
    window = 0.25
    if rate * window >= 1:
        return AsyncLimiter(rate * window, window)
    return AsyncLimiter(1, 1.0 / rate)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        found = float(value.strip())
    except ValueError:
        return None
    return found if math.isfinite(found) else None


class Pace:
    """Client-side pacing of one rate bucket.

    Args:
        rate: The most requests per second this bucket ever sends (the plan's).
        clock: Monotonic seconds (tests pin it).
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.ceiling = rate
        self.rate = rate
        self.held_until = 0.0
        self._clock = clock
        self._limiter = _leaky(rate)

    async def acquire(self, sleep: Sleep) -> None:
        """Wait for this bucket's turn (`sleep` waits out a hold)."""
        wait = self.held_until - self._clock()
        if wait > 0:
            await sleep(wait)
        await self._limiter.acquire()

    def observe(self, headers: Mapping[str, str], *, refused: bool = False) -> None:
        """Follow what a response's rate headers say about this bucket.

        A per-second `X-RateLimit-Limit` sets the rate (never above `ceiling`);
        `X-RateLimit-Remaining: 0` on an answer holds the next request for a window (a
        `refused` request, a 429, waits its Retry-After or backoff instead). A daily
        counter's headers (`X-RateLimit-Type: Daily-limit`) say nothing per second.
        """
        if "daily" in headers.get("x-ratelimit-type", "").lower():
            return
        limit = _number(headers.get("x-ratelimit-limit"))
        if limit is not None and limit >= 1:
            rate = min(self.ceiling, limit)
            if rate != self.rate:
                self.rate = rate
                self._limiter = _leaky(rate)
        remaining = _number(headers.get("x-ratelimit-remaining"))
        if remaining is not None and remaining < 1 and not refused:
            self.held_until = self._clock() + HOLD_SECONDS


def api_template(method: str, path: str) -> str:
    """The API a request calls: its method and path with the ids taken out.

    "GET /v2/webinars/8123/registrants" -> "GET /v2/webinars/{id}/registrants". A
    segment is an id when it holds a digit or an escape, is "me", or is a long
    mixed-case token (Zoom user ids); collection names are words.
    """
    parts = []
    for segment in path.split("/"):
        is_id = (
            any(ch.isdigit() for ch in segment)
            or any(ch in "%+=*" for ch in segment)
            or segment == "me"
            or (len(segment) >= 20 and not segment.islower() and not segment.isupper())
        )
        parts.append("{id}" if is_id and segment else segment)
    return f"{method.upper()} {'/'.join(parts)}"


def is_daily_limit(response: httpx.Response) -> bool:
    """True when a 429 says a daily limit is used up (header or, without it, body)."""
    if response.status_code != 429:
        return False
    kind = response.headers.get("x-ratelimit-type", "")
    if kind:
        return "daily" in kind.lower()
    return bool(_DAILY_BODY.search(error_message(response)))


def next_midnight(now: datetime) -> datetime:
    """The next 00:00 UTC after `now`."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DailyBlock:
    """A daily limit used up.

    Attributes:
        api: The API that answered it ("GET /webinars/{id}/registrants").
        category: The rate category the 429 named ("Heavy"), whose APIs share it.
        resets_at: When calls are taken again (UTC).
    """

    api: str
    category: str | None
    resets_at: datetime

    @property
    def name(self) -> str:
        """What the limit covers, for a sentence."""
        return f"{self.category} APIs ({self.api})" if self.category else self.api


class DailyLimits:
    """The daily limits one API client found used up, until each one's reset.

    Args:
        clock: The current time (aware UTC; tests pin it).
    """

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._blocks: dict[str, DailyBlock] = {}  # API template or "category:NAME"
        self._categories: dict[str, str] = {}  # API template -> its rate category
        self._answered: dict[str, datetime] = {}  # API -> when a call to it was answered
        self._first: dict[str, asyncio.Event] = {}  # APIs whose first call is out

    @asynccontextmanager
    async def first_call(self, api: str) -> AsyncIterator[None]:
        """Around a call to `api`: while the first call to it is out, wait for its
        answer, so that calls sent together learn from it (a daily limit used up) instead
        of each being refused. Calls to an API answered in the last `WARM` go as they
        come; after a quiet spell the next call is a first call again."""
        while not self._warm(api):
            out = self._first.get(api)
            if out is None:
                event = self._first[api] = asyncio.Event()
                try:
                    yield
                finally:
                    self._answered[api] = self._clock()
                    del self._first[api]
                    event.set()
                return
            await out.wait()
        try:
            yield
        finally:
            self._answered[api] = self._clock()

    def _warm(self, api: str) -> bool:
        answered = self._answered.get(api)
        return answered is not None and self._clock() - answered < WARM

    def now(self) -> datetime:
        return self._clock()

    def blocked(self, api: str) -> DailyBlock | None:
        """The used-up daily limit a call to `api` would hit now, if any."""
        now = self._clock()
        keys = [api]
        category = self._categories.get(api)
        if category is not None:
            keys.append(f"category:{category.lower()}")
        for key in keys:
            block = self._blocks.get(key)
            if block is not None:
                if now < block.resets_at:
                    return block
                del self._blocks[key]
        return None

    def learn(self, api: str, headers: Mapping[str, str]) -> None:
        """Remember the rate category the service names for `api`."""
        category = headers.get("x-ratelimit-category", "").strip()
        if category:
            self._categories[api] = category

    def used_up(self, api: str, response: httpx.Response) -> DailyBlock:
        """Record the daily-limit 429 `response` to a call to `api`; the block it sets.

        It lasts until `Retry-After` (an ISO or HTTP date, or seconds) or, when that is
        missing or unreadable, the next 00:00 UTC.
        """
        now = self._clock()
        after = parse_retry_after(response.headers.get("retry-after"), now_=now)
        resets_at = now + timedelta(seconds=after) if after is not None else next_midnight(now)
        category = response.headers.get("x-ratelimit-category", "").strip() or None
        if category is not None:
            self._categories[api] = category
        if category is None or category.lower() not in SHARED_DAILY:
            category = None  # a per-API daily limit: its category's others carry on
        block = DailyBlock(api, category, resets_at)
        self._blocks[api] = block
        if category is not None:
            self._blocks[f"category:{category.lower()}"] = block
        return block
