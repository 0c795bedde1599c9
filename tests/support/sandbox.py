"""The constants the sandbox fixtures share.

A test sandbox is either an app reached in-process through httpx's ASGI transport (the
sandbox's own tests, `tests/sandbox/conftest.py`) or a server on an ephemeral loopback
port started in a thread by a module- or session-scoped fixture (`start_background`).
"""

from __future__ import annotations

from datetime import UTC, datetime

#: The in-process sandbox's clock anchor and the base URL its clients use.
ANCHOR = datetime(2025, 3, 10, tzinfo=UTC)
BASE = "http://127.0.0.1:8765"
#: Registrants of the core tests' big Zoom webinar: more than two pages of 300.
CORE_REGISTRANTS = 700
