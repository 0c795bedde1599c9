"""When a request is sent again: the retry policy of `ApiClient`, and its pacing.

Idempotent requests (GET, HEAD, OPTIONS, PUT) are retried on 429, 502, 503, 504 and
connection errors, with exponential backoff and jitter, honouring Retry-After
(seconds, HTTP-date or ISO 8601) up to a cap. POST and DELETE are never retried
blindly: only when the server provably did not act on them (no connection was made,
or a 429 refused them unprocessed: `Transient.unsent`), never after a 5xx or a lost
answer. Client-side pacing, so that a full sync does not provoke 429s in the first
place, is `make_limiter`.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable

import httpx
from aiolimiter import AsyncLimiter
from tenacity import RetryCallState

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})

Sleep = Callable[[float], Awaitable[None]]


class Transient(Exception):
    """An outcome worth retrying (for idempotent requests)."""

    def __init__(
        self,
        *,
        response: httpx.Response | None = None,
        error: httpx.TransportError | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__("transient")
        self.response = response
        self.error = error
        self.retry_after = retry_after

    @property
    def unsent(self) -> bool:
        """True when the server provably did not act on the request.

        Either it never got it (no connection), or it refused it unprocessed with 429
        Too Many Requests. Such requests may be resent whatever the method.
        """
        if self.response is not None:
            return self.response.status_code == 429
        return isinstance(self.error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def backoff(state: RetryCallState, cap: float) -> float:
    """Seconds to wait before the next attempt: Retry-After, or backoff with jitter."""
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, Transient) and exc.retry_after is not None:
        return min(exc.retry_after, cap)
    # Exponential backoff (0.5 s, 1 s, 2 s, ...) plus up to 0.5 s of jitter, capped.
    base: float = 0.5 * 2.0 ** max(state.attempt_number - 1, 0)
    return min(cap, base + random.uniform(0, 0.5))


def make_limiter(rate: float) -> AsyncLimiter:
    """A leaky bucket allowing `rate` requests per second (fractions allowed).

    Bursts are kept to a quarter second's worth, so the provider's own bucket never
    runs dry at a window edge (network jitter would otherwise cost a 429 now and then).
    """
    window = 0.25
    if rate * window >= 1:
        return AsyncLimiter(rate * window, window)
    return AsyncLimiter(1, 1.0 / rate)
