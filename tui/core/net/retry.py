"""When a request is sent again: the retry policy of `ApiClient`, and its pacing.

Idempotent requests (GET, HEAD, OPTIONS, PUT) are retried on 429, 502, 503, 504 and
connection errors, with exponential backoff and jitter, honouring Retry-After
(seconds, HTTP-date or ISO 8601) up to a cap. POST and DELETE are never retried
blindly: only when the server provably did not act on them (no connection was made,
or a 429 refused them unprocessed: `Transient.unsent`), never after a 5xx or a lost
answer. A 429 that says a daily limit is used up is never retried (see
`tui.core.net.limits`, which also holds the client-side pacing that keeps a full sync
from provoking 429s in the first place).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})

Sleep = Callable[[float], Awaitable[None]]
R = TypeVar("R")


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


async def retried(once: Callable[[], Awaitable[R]], policy: Callable[[], AsyncRetrying]) -> R:
    """`once()`'s answer, retried as `policy()` says only after it was Transient.

    The policy's machinery (tenacity's, ~70 us a call) is not set up for the usual
    request, answered at its first try (issue 18); after a Transient outcome, the
    policy is given that outcome as its first attempt (raised again, not sent again),
    so it waits, counts and gives up exactly as when it made the first attempt itself.
    """
    try:
        return await once()
    except Transient as exc:
        failed: Transient | None = exc

    async def attempt() -> R:
        nonlocal failed
        if failed is not None:
            first, failed = failed, None
            raise first
        return await once()

    answer: R = await policy()(attempt)
    return answer
