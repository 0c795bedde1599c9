"""`meetdeck sync`: plain progress lines off a TTY, exit codes, the demo's own cache.

What a sync prints and stores is checked with `main()` in the test's process (`run_here`:
a new interpreter costs ~0.4 s of CPU); the demo's, which starts a sandbox of its own,
in a process of its own.
"""

from __future__ import annotations

import gc
import os
import subprocess
from typing import Any

import pytest

from tests.support.builders import old_cache
from tests.support.cli import REPO, cli, run_cli, run_here, write_zoom_profile
from tests.support.control import Control
from tui.core.settings.paths import resolve_paths
from tui.startup import BULK_YOUNG


def test_sync_succeeds_with_plain_progress_lines(cli_sandbox: Any) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    done = run_here("sync", "--scope", "organizers", "--scope", "events", "--scope", "registrants")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("[1/") and "Zoom organizers:" in line for line in lines)
    assert any("Zoom registrants of webinar" in line and "rows" in line for line in lines)
    assert lines[-1].startswith("Synced ") and "'ops'" in lines[-1]
    assert "\x1b" not in done.stdout  # no bar, no colour when not on a terminal
    assert resolve_paths().cache_db("ops").exists()


def test_a_cache_of_an_older_schema_is_said_to_be_converting_before_the_sync(
    cli_sandbox: Any,
) -> None:
    """Converting a big cache takes minutes (165 s at 1,000,000 registrants): a line
    says so first, and only when there is something to convert."""
    write_zoom_profile(cli_sandbox.base_url)
    path = resolve_paths().cache_db("ops")
    path.parent.mkdir(parents=True)
    old_cache(path, 11)
    done = run_cli("sync", "--scope", "organizers")
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "onverting" in line]
    assert line == (
        "meetdeck: Converting the cache ops.sqlite3 to the new format (once; a big cache "
        "takes a few minutes)..."
    )
    again = run_cli("sync", "--scope", "organizers")
    assert again.returncode == 0 and "onverting" not in again.stderr


def test_a_failing_scope_gives_a_summary_and_exit_1(
    cli_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    # Every retry fails too: short backoffs (the user's knob), the summary is the point.
    monkeypatch.setenv("MEETDECK_HTTP__MAX_BACKOFF", "0.05")
    rule = {"error_rate": 1.0, "error_status": 503, "match": {"path": "^/zoom/v2/users$"}}
    Control(cli_sandbox.base_url).fault(rule)
    try:
        done = run_here("sync", "--scope", "organizers", "--scope", "support")
    finally:
        Control(cli_sandbox.base_url).clear()
    assert done.returncode == 1
    assert "1 failed (their previous data is kept)" in done.stderr
    assert "Zoom organizers: Service unavailable:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_sync_process_collects_young_objects_less_often(cli_sandbox: Any) -> None:
    """Issue 18: a sync's pages of parsed JSON hold thousands of containers each, which
    the collector walked several times per page. The process holds the collector while
    it loads, freezes what it loaded and runs young collections at BULK_YOUNG (still on:
    cycles are collected); `main` called in-process leaves the collector alone."""
    write_zoom_profile(cli_sandbox.base_url)
    seen = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('gc', gc.isenabled(), gc.get_threshold()[0], "
        "file=sys.stderr))"
    )
    done = subprocess.run(
        cli("sync", "--scope", "organizers", prelude=seen),
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"gc True {BULK_YOUNG}" in done.stderr.splitlines()
    before = gc.get_threshold()
    assert run_here("sync", "--scope", "organizers").returncode == 0
    assert gc.get_threshold() == before and gc.isenabled()


def test_demo_sync_starts_its_own_sandbox_and_keeps_its_own_cache() -> None:
    done = run_cli(
        "sync",
        "--demo",
        "--registrants",
        "120",
        "--scope",
        "organizers",
        "--scope",
        "events",
        "--scope",
        "registrants",
    )
    paths = resolve_paths()
    assert paths.cache_db("demo", demo=True).exists()
    assert not paths.cache_db("demo").exists()
    assert "Zoom registrants of webinar" in done.stdout
    # Every scope either synced or is named in the summary with its typed error.
    assert done.returncode in (0, 1), done.stderr
    if done.returncode == 1:
        assert "failed (their previous data is kept)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_second_demo_sync_signs_in_to_its_own_sandbox() -> None:
    """Each `sync --demo` starts a new sandbox: the GoTo tokens the first run stored
    belong to the first sandbox and must not be sent to the second ("Session expired")."""
    for _run in range(2):
        done = run_cli("sync", "--demo", "--registrants", "50", "--scope", "organizers")
        assert done.returncode == 0, done.stderr
        assert "GoTo Meeting organizers" in done.stdout and "failed" not in done.stdout


def test_sync_without_a_profile_says_how_to_add_one() -> None:
    done = run_here("sync")
    assert done.returncode == 2
    assert "No profile is configured" in done.stderr


def test_text_cut_to_the_cache_limit_is_named_in_the_summary(cli_sandbox: Any) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    rule = {"huge_strings": 100_000, "match": {"path": "^/zoom/v2/users$"}}
    Control(cli_sandbox.base_url).fault(rule)
    try:
        done = run_here("sync", "--scope", "organizers")
    finally:
        Control(cli_sandbox.base_url).clear()
    assert done.returncode == 0, done.stderr
    assert "Zoom organizers:" in done.stderr and "were cut (they end in \u2026)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_daily_limit_is_reported_once(cli_sandbox: Any) -> None:
    """Every webinar's registrants scope stops on Zoom's daily limit: the summary says it
    once, naming the scopes, and the sandbox was asked once."""
    write_zoom_profile(cli_sandbox.base_url)
    control = Control(cli_sandbox.base_url)
    control.daily_limit(method="GET", path=r"^/zoom/v2/webinars/\d+/registrants$")
    seq = control.mark()
    try:
        done = run_here(
            "sync", "--scope", "organizers", "--scope", "events", "--scope", "registrants"
        )
        asked = control.requests_since(seq)
    finally:
        control.clear()
    assert done.returncode == 1
    sentence = (
        "Zoom's daily limit for GET /webinars/{id}/registrants is used up until 00:00 UTC; "
        "showing cached data."
    )
    assert done.stderr.count(sentence) == 1, done.stderr
    assert "Daily limit reached:" in done.stderr and "scopes: Zoom registrants of webinar" in (
        done.stderr
    )
    assert sum("/registrants" in r["path"] for r in asked) == 1


def test_a_user_zoom_refuses_is_named_and_the_sync_succeeds(cli_sandbox: Any) -> None:
    """One user without the webinar feature (3161) is skipped: the sync exits 0, its
    progress line and summary name the user and the code."""
    write_zoom_profile(cli_sandbox.base_url)
    done = run_here("sync", "--scope", "organizers", "--scope", "events")
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if "Zoom events:" in x)
    assert "rows (1 user skipped: " in line and "cannot host webinars (3161))" in line
    summary = next(x for x in done.stdout.splitlines() if x.startswith("  Zoom events: "))
    assert summary.startswith("  Zoom events: 1 user skipped: ")
    assert summary.endswith(" cannot host webinars (3161)")
    assert "Traceback" not in done.stderr
