"""Fixtures of the sandbox tests: an app per test, reached through httpx's ASGI transport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from tests.support.sandbox import ANCHOR, BASE
from tui.sandbox.server import SandboxConfig, create_app
from tui.sandbox.state import SandboxState


@pytest.fixture
def config() -> SandboxConfig:
    """A fixed anchor, no rate limits (tests of limits build their own config)."""
    return SandboxConfig(
        seed=7, registrants=700, anchor=ANCHOR, rate_limit_scale=0, recording_bytes=300_000
    )


@pytest.fixture
def app(config: SandboxConfig) -> Starlette:
    return create_app(config)


@pytest.fixture
def state(app: Starlette) -> SandboxState:
    found: SandboxState = app.state.sandbox
    return found


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http
