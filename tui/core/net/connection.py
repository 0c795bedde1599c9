"""`Connection`: one pooled httpx.AsyncClient with bounded concurrency, per cloud and profile.

Every `ApiClient` of a cloud (its APIs and OAuth hosts) sends through the same
`Connection`, so the pool and the concurrency bound are shared.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from typing import Any

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


class _NoCookies(httpx.Cookies):
    """The pool's cookies: none. The APIs authenticate with tokens; reading every
    answer's cookies with the standard library's machinery (a request object and a
    message of its headers built for it) took ~0.2 ms a request (issue 18)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep none of an answer's cookies (nor look for them)."""


class _Client(httpx.AsyncClient):
    """An httpx.AsyncClient that keeps no cookie (`_NoCookies`)."""

    def __init__(self, **options: Any) -> None:
        self._kept = _NoCookies()
        super().__init__(**options)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._kept

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        if cookies:
            raise ValueError("this client keeps no cookies")
        self._kept = _NoCookies()


class Connection:
    """One pooled httpx.AsyncClient with bounded concurrency, per cloud and profile.

    It keeps no cookie: an answer's `Set-Cookie` is not sent back (`_NoCookies`)."""

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
        self.client: httpx.AsyncClient = _Client(
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
