"""The chaos suite's count of fault scenarios, printed at the end of the test run.

Each chaos test counts the scenarios it ran (`tests.support.chaos.tally`); the counts
travel in the reports' user properties, so they add up on the xdist controller too.
This is a plugin (registered by tests/conftest.py) rather than hooks in
tests/chaos/conftest.py, because the xdist controller never collects, and so never
loads the conftest files of subfolders.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

TALLY = "chaos-scenarios"
_TALLIES: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up the scenarios of each finished test."""
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == TALLY and isinstance(value, tuple | list):
            kind, count = value
            _TALLIES[str(kind)] += int(count)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _TALLIES:
        return
    total = sum(_TALLIES.values())
    parts = ", ".join(f"{kind} {count}" for kind, count in sorted(_TALLIES.items()))
    terminalreporter.write_line(f"chaos: {total} fault scenarios run ({parts})")
