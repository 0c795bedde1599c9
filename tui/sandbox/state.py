"""Everything the running sandbox holds: data, tokens, faults, limits and the log."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from tui.sandbox.config import SandboxConfig
from tui.sandbox.faults import FaultBook
from tui.sandbox.gen_goto import generate_goto
from tui.sandbox.gen_zoom import generate_zoom
from tui.sandbox.model import FileSpec
from tui.sandbox.ratelimit import DailyLimits, RateLimiter
from tui.sandbox.reqlog import RequestLog
from tui.sandbox.tokens import TokenStore


class SandboxState:
    """The world of one sandbox app (held on `app.state.sandbox`)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.anchor = config.resolved_anchor()
        # "now" runs from the anchor as the real clock runs from today's midnight.
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self._shift = self.anchor - today
        self.goto = generate_goto(
            config.seed,
            self.anchor,
            config.recording_bytes,
            config.large_recording_bytes,
            organizers=config.organizers,
        )
        self.zoom = generate_zoom(
            config.seed,
            self.anchor,
            config.registrants,
            config.recording_bytes,
            config.large_recording_bytes,
        )
        self.files: dict[str, FileSpec] = {**self.goto.files, **self.zoom.files}
        self.tokens = TokenStore(config.token_ttl)
        self.faults = FaultBook()
        self.limiter = RateLimiter(config.rate_limit_scale, config.zoom_plan)
        self.daily = DailyLimits()
        self.log = RequestLog(config.request_log_size)
        self.random = random.Random(f"{config.seed}:faults")
        self.latency_ms = config.latency_ms
        #: How the middleware waits out latency (a test may record the waits instead).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        self.error_rate = config.error_rate
        # GoTo's token replies (the control API switches them while running).
        self.token_shape = config.goto_token_shape
        self.refresh_rotates = config.goto_refresh_rotates
        self.created_at: dict[str, float] = {}  # Seeit uuid -> monotonic creation time
        self.registrant_lag = timedelta(seconds=config.registrant_lag_s)
        # Zoom next_page_tokens presented from now on that are refused as expired,
        # whatever their age (`POST /_sandbox/page_tokens/expire`).
        self.page_tokens_to_refuse = 0

    def now(self) -> datetime:
        """The sandbox's current time (real time shifted to the anchor's day)."""
        return datetime.now(UTC) + self._shift

    def advance(self, seconds: float) -> datetime:
        """Move the sandbox's clock forward (never back; page tokens age with it); the
        new "now"."""
        self._shift += timedelta(seconds=max(0.0, seconds))
        return self.now()

    def now_ms(self) -> int:
        return int(self.now().timestamp() * 1000)

    def monotonic(self) -> float:
        return time.monotonic()

    def shift(self) -> timedelta:
        return self._shift
