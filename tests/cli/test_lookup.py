"""`meetdeck lookup`: from a synced sandbox cache, as a table and as JSON lines, quickly."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.cli import REPO, run_here, write_zoom_profile
from tui.cmd.lookup import render_table, width
from tui.core.display.cleaning import clean


def test_lookup_reads_the_synced_cache(cli_sandbox: Any) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    synced = run_here(
        "sync", "--scope", "organizers", "--scope", "events", "--scope", "registrants"
    )
    assert synced.returncode == 0, synced.stderr

    table = run_here("lookup", "zoe", "--limit", "200")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split() == [
        "KIND",
        "PROVIDER",
        "NAME",
        "/",
        "TITLE",
        "EMAIL",
        "/",
        "WHEN",
        "EVENT",
        "STATUS",
        "AGE",
    ]
    assert rows and all("Zoom" in row for row in rows)
    assert any(
        row.startswith("registrant") and ("pending" in row or "approved" in row or "denied" in row)
        for row in rows
    )
    assert all(row.rstrip().endswith("s") or row.rstrip()[-1] in "mhd" for row in rows)
    assert "\x1b" not in table.stdout

    lines = run_here("lookup", "zoe", "--json", "--status", "pending", "--limit", "500")
    assert lines.returncode == 0, lines.stderr
    records = [json.loads(line) for line in lines.stdout.splitlines()]
    assert records and {r["kind"] for r in records} == {"registrant"}
    assert {r["status"] for r in records} == {"pending"}
    assert all(
        r["provider"] == "zoom" and r["event_key"] and r["event_title"] and r["age_seconds"] >= 0
        for r in records
    )
    assert all("zoe" in (r["title"] + r["subtitle"]).lower().replace("ë", "e") for r in records)

    webinars = run_here("lookup", "e", "--json", "--kind", "webinar", "--limit", "500")
    kinds = {json.loads(line)["kind"] for line in webinars.stdout.splitlines()}
    assert kinds == {"webinar"}

    nothing = run_here("lookup", "no-such-person-anywhere")
    assert nothing.returncode == 1 and "No match" in nothing.stderr


def test_lookup_without_a_cache_says_to_sync_first() -> None:
    done = run_here("lookup", "ann", "--profile", "work")
    assert done.returncode == 2
    assert "no cache for profile 'work' yet" in done.stderr
    assert "meetdeck sync --profile work" in done.stderr
    demo = run_here("lookup", "ann", "--demo")
    assert demo.returncode == 2 and "meetdeck sync --demo" in demo.stderr


def test_lookup_imports_nothing_heavy() -> None:
    """The on-call path loads neither textual, pydantic, httpx, rich nor the models."""
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "main(['lookup', 'ann', '--profile', 'work'])\n"
        "heavy = [m for m in ('textual', 'pydantic', 'pydantic_settings', 'httpx', 'rich',"
        " 'tui.core.models', 'tui.core.store.db')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_lookup_of_a_cache_loads_only_what_its_query_needs() -> None:
    """Over a cache at the current schema, the whole run loads SQLite's C module and
    little else: each module below costs more than the query (`python -X importtime`);
    the sqlite3 package's dbapi2 brings datetime."""
    from tui.core.settings.paths import resolve_paths
    from tui.core.store.db import Store

    Store.open(resolve_paths().cache_db("work"), "work").close()
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        "code = main(['lookup', 'ann', '--profile', 'work'])\n"
        "loaded = [m for m in ('importlib', 'warnings', 're', 'typing', 'pathlib', 'json',"
        " 'tomllib', 'platformdirs', 'argparse', 'contextlib', 'sqlite3', 'datetime',"
        " 'tui.core.errors', 'tui.core.store.schema') if m in sys.modules]\n"
        "print(code, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert "No match for 'ann'" in done.stderr  # the query ran, over the cache
    assert done.stdout.strip().splitlines()[-1] == "1 []"


@pytest.mark.parametrize(
    ("stamp", "said"),
    [
        ("{three_hours_ago}", "synced 3h ago"),
        ("{three_hours_ago_z}", "synced 3h ago"),
        ("{naive_two_days_ago}", "synced 2d ago"),
        ("not a time", "never synced"),
    ],
)
def test_lookup_says_how_old_the_cache_is(stamp: str, said: str) -> None:
    """Ages are SQLite's date arithmetic over the stored ISO text; one it cannot read
    has none, and the lookup still answers."""
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from tui.core.settings.paths import resolve_paths
    from tui.core.store.db import Store

    now = datetime.now(UTC)
    stamp = stamp.format(
        three_hours_ago=(now - timedelta(hours=3, minutes=5)).isoformat(),
        three_hours_ago_z=(now - timedelta(hours=3, minutes=5)).isoformat().replace("+00:00", "Z"),
        naive_two_days_ago=(now - timedelta(days=2, hours=1)).replace(tzinfo=None).isoformat(),
    )
    path = resolve_paths().cache_db("work")
    Store.open(path, "work").close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO sync_stamps (scope, fetched_at) VALUES ('x', ?)", (stamp,))
    conn.close()
    done = run_here("lookup", "nobody-here", "--profile", "work")
    assert done.returncode == 1
    assert f"({said}). Run `meetdeck sync`" in done.stderr


def test_table_cells_are_safe_and_aligned() -> None:
    # Lookup cleans as the TUI does (`tui.core.display.cleaning`): ESC shows as a control
    # picture, the bidi override, the 8-bit CSI and the zero-width space as U+FFFD.
    assert clean("a\x1b[2Jb\u202ec\x9bd\u200be") == "a\u241b[2Jb\ufffdc\ufffdd\ufffde"
    assert width("山田") == 4 and width("Zoë") == 3
    table = render_table(
        [
            ("registrant", "Zoom", "山田太郎", "x@example.com", "E", "pending", "5m"),
            ("registrant", "Zoom", "Ann", "a@example.com", "E", "approved", "1h"),
        ]
    )
    first, second = table.splitlines()[1:]
    assert width(first.split("x@")[0]) == width(second.split("a@")[0])
