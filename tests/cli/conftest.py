"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.demo import DemoCache, synced_demo


@pytest.fixture(scope="module")
def cli_sandbox() -> Iterator[Any]:
    """A sandbox of the test module's own (faults set by a test are cleared after it).

    It has no server-side rate limits: no CLI test is about them, and they paced every
    sync a command runs first.
    """
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(
        SandboxConfig(port=0, seed=3, registrants=400, rate_limit_scale=0)
    ) as handle:
        yield handle


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCache]:
    """The sandbox's demo account (GoTo and Zoom) synced once per session into a cache
    that `install` copies into a test's own directories (read with --demo)."""
    with synced_demo(tmp_path_factory.mktemp("demo-cache"), registrants=120) as cache:
        yield cache
