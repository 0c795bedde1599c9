"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


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
