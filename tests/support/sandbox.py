"""Starting the sandbox for tests, and the constants its fixtures share.

A test sandbox is either an app reached in-process through httpx's ASGI transport (the
sandbox's own tests, `tests/sandbox/conftest.py`) or a server on an ephemeral loopback
port started in a thread (`running`), for code that speaks real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

#: The in-process sandbox's clock anchor and the base URL its clients use.
ANCHOR = datetime(2025, 3, 10, tzinfo=UTC)
BASE = "http://127.0.0.1:8765"
#: Registrants of the core tests' big Zoom webinar: more than two pages of 300.
CORE_REGISTRANTS = 700


@contextmanager
def running(**config: Any) -> Iterator[Any]:
    """A sandbox server on an ephemeral loopback port, for the block's duration.

    Args:
        **config: `SandboxConfig` fields (seed, registrants, rate_limit_scale, ...).
    """
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(SandboxConfig(port=0, **config)) as handle:
        yield handle
