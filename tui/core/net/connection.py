"""`Connection`: one pooled httpx.AsyncClient with bounded concurrency, per cloud and profile.

Every `ApiClient` of a cloud (its APIs and OAuth hosts) sends through the same
`Connection`, so the pool and the concurrency bound are shared.
"""

from __future__ import annotations

import asyncio
import functools
import ssl

import httpx

from tui import __version__
from tui.core.settings.config import HttpSettings

USER_AGENT = f"meetdeck/{__version__}"


@functools.cache
def verified_tls() -> ssl.SSLContext:
    """The one TLS context of every pool: certifi's roots, or SSL_CERT_FILE/SSL_CERT_DIR
    (what httpx would build per client). Loading the roots costs ~30 ms of CPU, paid
    once per process instead of once per cloud and profile."""
    return httpx.create_ssl_context(trust_env=True)


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
            verify=verified_tls() if transport is None else True,
        )
        self.slots = asyncio.Semaphore(settings.max_concurrency)

    async def aclose(self) -> None:
        """Close the pool."""
        await self.client.aclose()
