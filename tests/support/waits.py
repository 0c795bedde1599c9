"""Waiting for a condition instead of sleeping a fixed time.

A test that sleeps "long enough" is slow on a quiet machine and flaky on a loaded one.
These helpers check a condition, let the app (or the other thread) run a little, and
check again, up to a generous bound; when the bound is reached they fail and say what
was awaited.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

#: How long a condition may take before the test fails: far beyond any real wait, so
#: only a condition that never comes true reaches it (a full sync of the demo took over
#: 20 s on a 2-core machine running two suites at once).
TIMEOUT = 90.0
#: How long to let the app run between two checks.
STEP = 0.01


async def wait_for(
    pilot: Any,
    condition: Callable[[], object],
    *,
    what: str,
    timeout: float = TIMEOUT,
    detail: Callable[[], object] | None = None,
) -> None:
    """Let the app run until `condition()` is true; fail after `timeout` seconds.

    Args:
        pilot: The running app's Pilot.
        condition: Checked before each pause; true ends the wait.
        what: The awaited state, for the failure message ("the dialog to open").
        timeout: Seconds before the test fails.
        detail: Called on failure and added to the message (the screen, the toasts).
    """
    deadline = asyncio.get_running_loop().time() + timeout
    step = STEP
    while not condition():
        ended(pilot.app, what)
        if asyncio.get_running_loop().time() > deadline:
            extra = f": {detail()}" if detail is not None else ""
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}{extra}")
        await pilot.pause(step)
    await pilot.pause()


def ended(app: Any, what: str) -> None:
    """Fail at once if the app has exited (an exception in a handler, a pane that could
    not mount): nothing it was doing can come true any more. Leaving `run_test` then
    raises the app's own exception, with this failure as its context."""
    if app.return_code is not None:
        raise AssertionError(
            f"the app exited (code {app.return_code}) while the test waited for {what}"
        )


def wait_until(condition: Callable[[], object], *, what: str, timeout: float = TIMEOUT) -> None:
    """Block until `condition()` is true (another thread or process gets there);
    fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(STEP)


async def wait_on_loop(
    condition: Callable[[], object], *, what: str, timeout: float = TIMEOUT
) -> None:
    """Let the running event loop run its callbacks and timers until `condition()` is
    true (no app: a core test); fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        await asyncio.sleep(STEP)
