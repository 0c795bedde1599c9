"""Fixtures of the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def cli_sandbox() -> Iterator[Any]:
    """A sandbox of the test module's own (faults set by a test are cleared after it)."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(SandboxConfig(port=0, seed=3, registrants=400)) as handle:
        yield handle
