"""Fixtures of the chaos suite, and the order its tests run in.

`synced`: one sandbox per test session (per xdist worker; no rate limits, small files)
served over loopback from a thread, plus a cache synced from it once; tests copy the
cache (`synced.install(tmp_path)`) and open their own Deck on the copy. Faults are
cleared after every test. Tests that change the sandbox's data (approvals) use a
sandbox of their own module instead.

Each test counts the fault scenarios it ran (`tests.support.chaos.tally`); `tests.chaos.summary`
prints the total at the end of the run: "chaos: N fault scenarios run (...)".
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.chaos import SyncedCache, sandbox_config, sync_template
from tests.support.control import Control


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Spread this folder's long subprocess tests (marked slow) over the xdist workers.

    With `--dist load`, xdist first hands each worker a run of about len(items) /
    workers / 4 consecutive tests; the slow tests go to the starts of those runs in
    turn, so that no worker gets them all and both finish close together. (Without
    xdist this only changes the order.)
    """
    slots = [i for i, item in enumerate(items) if "tests/chaos/" in item.nodeid]
    block = [items[i] for i in slots]
    slow = [item for item in block if item.get_closest_marker("slow")]
    rest = [item for item in block if not item.get_closest_marker("slow")]
    workers = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1), 1)
    run = max(len(items) // workers // 4, 2)
    placed: dict[int, pytest.Item] = {}
    for n, item in enumerate(slow):
        target = min((n % workers) * run + n // workers, len(block) - 1)
        while target in placed:
            target = (target + 1) % len(block)
        placed[target] = item
    others = iter(rest)
    ordered = [placed[i] if i in placed else next(others) for i in range(len(block))]
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


@pytest.fixture(autouse=True)
def _one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build httpx's TLS context once per worker instead of once per client.

    Every Deck makes two or three httpx clients, and each loads the CA bundle (about
    40 ms); these tests only speak plain HTTP to loopback, so one context serves all.
    """
    import httpx._transports.default as transports

    original = getattr(transports, "create_ssl_context", None)
    if original is not None:
        monkeypatch.setattr(transports, "create_ssl_context", _cached_context(original))


@functools.cache
def _cached_context(original: Any) -> Any:
    return functools.lru_cache(maxsize=8)(original)


@pytest.fixture(scope="session")
def chaos_sandbox_shared() -> Iterator[Any]:
    from tui.sandbox.server import start_background

    with start_background(sandbox_config()) as handle:
        yield handle


@pytest.fixture(scope="session")
def synced_shared(
    chaos_sandbox_shared: Any, tmp_path_factory: pytest.TempPathFactory
) -> SyncedCache:
    """The session's sandbox and a cache synced from it (stamps two hours old)."""
    return sync_template(chaos_sandbox_shared.base_url, tmp_path_factory.mktemp("chaos-cache"))


@pytest.fixture
def synced(synced_shared: SyncedCache) -> Iterator[SyncedCache]:
    """The synced cache to copy, on a sandbox whose faults are cleared after the test."""
    yield synced_shared
    Control(synced_shared.base_url).clear()
