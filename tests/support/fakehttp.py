"""An ApiClient on a mock transport, with fake tokens and recorded backoff sleeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tui.core.errors import MeetdeckError, SessionExpired
from tui.core.net.apilog import ApiLog
from tui.core.net.client import ApiClient
from tui.core.net.connection import Connection
from tui.core.settings.config import HttpSettings

Handler = Callable[[httpx.Request], Any]


class FakeTokens:
    """A TokenSource that hands out tok-1, then tok-2 after a 401, and so on."""

    def __init__(self) -> None:
        self.current = "tok-1"
        self.refreshes = 0

    async def token(self) -> str:
        return self.current

    async def after_unauthorized(self, rejected: str) -> str:
        self.refreshes += 1
        self.current = f"tok-{self.refreshes + 1}"
        return self.current

    def expired_error(self) -> MeetdeckError:
        return SessionExpired("Sign in again with `meetdeck auth login goto --profile p`.")


class Sleeps:
    """Records backoff sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_api(
    tmp_path: Path,
    handler: Handler,
    *,
    auth: FakeTokens | None = None,
    rate: float | None = None,
    admin: bool = False,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    **http: float,
) -> tuple[ApiClient, Sleeps, ApiLog]:
    settings = HttpSettings(**http)
    conn = Connection(settings, transport=httpx.MockTransport(handler))
    log = ApiLog(tmp_path / "api.log")
    sleeps = Sleeps()
    api = ApiClient(
        conn,
        api="test",
        label="Test API",
        base_url="https://api.example.com/v1",
        log=log,
        auth=auth,
        rate=rate,
        forbidden_means_admin=admin,
        sleep=sleeps,
        clock=clock,
    )
    return api, sleeps, log
