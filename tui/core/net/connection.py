"""`Connection`: one pooled httpx.AsyncClient with bounded concurrency, per cloud and profile.

Every `ApiClient` of a cloud (its APIs and OAuth hosts) sends through the same
`Connection`, so the pool and the concurrency bound are shared.
"""

from __future__ import annotations

import asyncio

import httpx

from tui import __version__
from tui.core.settings.config import HttpSettings

USER_AGENT = f"meetdeck/{__version__}"


class Connection:
    """One pooled httpx.AsyncClient with bounded concurrency, per cloud and profile."""

    def __init__(
        self,
        settings: HttpSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        timeout = httpx.Timeout(
            connect=settings.connect_timeout,
            read=settings.read_timeout,
            write=settings.read_timeout,
            pool=settings.connect_timeout + settings.read_timeout,
        )
        limits = httpx.Limits(
            max_connections=settings.max_concurrency * 2,
            max_keepalive_connections=settings.max_concurrency,
            keepalive_expiry=30.0,
        )
        self.client = httpx.AsyncClient(
            timeout=timeout,
            limits=limits,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            transport=transport,
            trust_env=transport is None,
        )
        self.slots = asyncio.Semaphore(settings.max_concurrency)

    async def aclose(self) -> None:
        """Close the pool."""
        await self.client.aclose()
