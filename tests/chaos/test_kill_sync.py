"""SIGKILL `meetdeck sync` at random points: the cache stays sound and keeps its data.

A real profile (config.toml from the sandbox's own block, secrets in the environment),
signed in with `meetdeck auth login goto --code`, synced once to completion. Then, at
least 20 times: start `python -m tui sync --profile sandbox`, kill it with SIGKILL at a
random moment (seeded), and open the cache read-only: `PRAGMA integrity_check` says ok
and every table holds exactly the rows of the complete sync (a scope is swapped whole
or not at all, and the sandbox's data does not change between runs). Kill points are
drawn two ways: from the start (start-up, sign-in, first requests) and from the first
finished scope (inside the sync, where scopes are being swapped). A last run finishes.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.chaos import sandbox_config, tally
from tests.support.cli import (
    NAME,
    integrity,
    run_cli,
    sign_in,
    spawn,
    table_counts,
    write_profile,
)
from tui.core.store.db import Store

KILLS = 20
RNG_SEED = 20250607

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL"),
]


@pytest.fixture(scope="module")
def kill_sandbox() -> Iterator[Any]:
    """A sandbox whose big webinar has 600 registrants (a swap worth interrupting)."""
    from tui.sandbox.server import start_background

    with start_background(sandbox_config(registrants=600)) as handle:
        yield handle


def kill_at_random(rng: random.Random, run: int) -> tuple[int | None, int]:
    """Start a sync and SIGKILL it; returns (exit status, scopes it had finished)."""
    child = spawn("sync", "--profile", NAME)
    assert child.stdout is not None
    started = time.monotonic()
    finished = 0
    if run % 2:
        # From the first finished scope: inside the sync proper.
        line = child.stdout.readline()
        finished += bool(line.startswith("["))
        deadline = time.monotonic() + rng.uniform(0.0, 0.5)
    else:
        deadline = started + rng.uniform(0.1, 1.0)
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=30)
    finished += sum(1 for line in out.splitlines() if line.startswith("["))
    return child.returncode, finished


def test_sigkill_of_sync_never_breaks_the_cache(
    kill_sandbox: Any, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    paths = write_profile(kill_sandbox.base_url, monkeypatch)
    sign_in(kill_sandbox.base_url)
    first = run_cli("sync", "--profile", NAME)
    assert first.returncode == 0, first.stderr
    db = paths.cache_db(NAME)
    baseline = table_counts(db)
    assert all(baseline.values()), baseline

    rng = random.Random(RNG_SEED)
    killed = 0
    phases: Counter[str] = Counter()
    for run in range(KILLS * 2):
        status, finished = kill_at_random(rng, run)
        assert integrity(db) == "ok", f"run {run}: integrity_check failed"
        assert table_counts(db) == baseline, f"run {run} (after {finished} scopes)"
        if status == -signal.SIGKILL:
            killed += 1
            phases["before the first scope" if finished == 0 else "inside the sync"] += 1
        if killed >= KILLS:
            break
    assert killed >= KILLS, f"only {killed} runs were killed before they finished"
    assert phases["before the first scope"] >= 1 and phases["inside the sync"] >= 5, phases

    # The cache still serves the data through the app's own reader, and a sync completes.
    store = Store.open(db, NAME)
    try:
        assert store.notice is None  # not moved aside and rebuilt
        assert store.integrity_ok()
        assert store.registrants().count() == baseline["registrants"]
        assert store.search("a", limit=5)
    finally:
        store.close()
    last = run_cli("sync", "--profile", NAME)
    assert last.returncode == 0, last.stderr
    assert "Traceback" not in last.stderr
    assert table_counts(db) == baseline and integrity(db) == "ok"
    tally(request, "sigkill-sync", killed)
    print(f"\nsync SIGKILL runs: {killed} ({dict(phases)})")
