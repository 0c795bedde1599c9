"""Test data built once per run and shared by the xdist workers.

Some fixtures are costly to build and only read (a cache of 100,000 registrants takes
about 10 s of CPU): with `-n 2` each worker would build its own. `built_once` builds
it in the run's shared temporary folder (the parent of every worker's), once; each
caller gets its own copy, so no test sees another's writes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.waits import wait_until

#: Longer than any build on a loaded machine; shorter than the suite's test timeout.
BUILD_TIMEOUT = 100.0


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A fresh copy of the folder `build(folder)` fills, built once per run.

    The worker that creates the shared folder builds it and marks it ready (or failed);
    the others wait for the mark. Each caller then copies it into a folder of its own.
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by every worker of this run
    shared = root / f"built-once-{name}"
    ready, failed = shared / ".ready", shared / ".failed"
    try:
        shared.mkdir()
    except FileExistsError:
        wait_until(
            lambda: ready.exists() or failed.exists(),
            what=f"another worker to build {name}",
            timeout=BUILD_TIMEOUT,
        )
        if failed.exists():
            raise AssertionError(f"building {name} failed in another worker") from None
    else:
        try:
            build(shared)
        except BaseException:
            failed.touch()
            raise
        ready.touch()
    copy = factory.mktemp(name)
    shutil.copytree(shared, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ready"))
    return copy
