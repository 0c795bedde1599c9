"""Fixtures shared by the tests in tests/core.

`empty_store`: an empty cache file (profile "default") in the test's own folder.
`sandbox`: one fake GoTo + Zoom cloud per test session (per xdist worker), served over
real loopback HTTP on an ephemeral port. Tests that change its state (faults, token
revocation) undo what they did; faults are cleared after every test using it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.sandbox import CORE_REGISTRANTS
from tui.core.store.db import Store


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """An empty cache file, closed after the test."""
    s = Store.open(tmp_path / "cache.sqlite3", "default")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def sandbox_session() -> Iterator[Any]:
    """The sandbox server, started once (skips when tui.sandbox is not there yet).

    Its rate limits are off: no core test is about them (429s come from faults), and
    with them on a test could find the bucket drained by the test before it (a
    RateLimited failure, seen once the suite got faster).
    """
    try:
        from tui.sandbox.server import SandboxConfig, start_background
    except ImportError as exc:  # pragma: no cover - only while the sandbox is missing
        pytest.skip(f"the sandbox (tui.sandbox.server) is not available: {exc}")
    with start_background(
        SandboxConfig(
            port=0,
            seed=7,
            registrants=CORE_REGISTRANTS,
            recording_bytes=200_000,
            rate_limit_scale=0,
        )
    ) as handle:
        yield handle


@pytest.fixture
def sandbox(sandbox_session: Any) -> Iterator[Any]:
    """The session's sandbox, with its faults cleared after the test."""
    yield sandbox_session
    Control(sandbox_session.base_url).clear()
