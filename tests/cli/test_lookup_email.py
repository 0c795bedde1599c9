"""`meetdeck lookup EMAIL`: an address through the e-mail indexes, on a lean import path.

The benchmark (tests/benchmarks/bench_cli.py) holds its wall time to 3x a bare
`python -c pass`; these tests pin what makes that possible without changing what it
finds: the address path, the fallback to the trigram search, the migration that adds
the index, and the short list of modules the command loads.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.builders import old_cache, organizer, put, registrant, webinar
from tests.support.cli import REPO, run_here
from tui.core.settings.paths import cache_db_file, config_file_text, resolve_paths
from tui.core.store.db import Store
from tui.core.store.schema import SCHEMA_VERSION


def _fill(profile: str = "ops") -> Path:
    """The profile's cache with a host who is also a registrant, and a look-alike."""
    path = resolve_paths().cache_db(profile)
    store = Store.open(path, profile)
    put(store, "organizers:zoom", [organizer("u1", "Host@Example.com")])
    put(store, "events:zoom", [webinar("w1", host="u1")])
    put(
        store,
        "registrants:zoom:w1",
        [
            registrant(1, email="Host@Example.com", first="Hana", last="Host"),
            registrant(2, email="ghost@example.com", first="Gus", last="Ghost"),
            registrant(3, email="ann.lee@example.com"),
        ],
    )
    store.close()
    return path


def _records(*argv: str) -> list[dict[str, object]]:
    done = run_here("lookup", *argv, "--json")
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_an_address_is_found_in_any_case_and_partial_text_is_searched() -> None:
    _fill()
    table = run_here("lookup", "HOST@example.COM", "--profile", "ops")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split()[:2] == ["KIND", "PROVIDER"]
    assert [row.split()[0] for row in rows] == ["registrant", "organizer", "webinar"]
    assert "Hana Host" in rows[0] and "Host@Example.com" in rows[0]
    assert not any("ghost" in row.lower() for row in rows)  # another address

    exact = _records("host@example.com", "--profile", "ops")
    assert [(r["kind"], r["key"]) for r in exact] == [
        ("registrant", "r1"),
        ("organizer", "u1"),
        ("webinar", "w1"),
    ]
    assert all(isinstance(r["age_seconds"], int) for r in exact)

    # Not one whole address: the trigram search, which finds the look-alike too.
    partial = _records("host@example", "--profile", "ops")
    assert {r["key"] for r in partial} == {"r1", "r2", "u1", "w1"}
    assert [r["key"] for r in _records("ann.lee@", "--profile", "ops")] == ["r3"]
    assert _records("ann.lee@example.com", "--profile", "ops", "--kind", "organizer") == []
    only = _records("host@example.com", "--profile", "ops", "--kind", "webinar")
    assert [r["key"] for r in only] == ["w1"]

    missing = run_here("lookup", "nobody@example.com", "--profile", "ops")
    assert missing.returncode == 1 and "No match for 'nobody@example.com'" in missing.stderr


def test_an_old_cache_is_migrated_by_lookup_and_answers() -> None:
    path = resolve_paths().cache_db("ops")
    path.parent.mkdir(parents=True)
    old_cache(path, 2)
    done = run_here("lookup", "ANN@example.com", "--profile", "ops")
    assert done.returncode == 0, done.stderr
    assert "Ann Lee" in done.stdout
    # Converting a big cache takes minutes: a line says so first.
    assert done.stderr == (
        f"meetdeck lookup: Converting the cache {path.name} to the new format (once; a big "
        "cache takes a few minutes)...\n"
    )
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "registrants_email" in names


@pytest.mark.parametrize("where", ["MEETDECK_CACHE_DIR", "XDG", "config.toml"])
def test_lookup_of_an_address_loads_no_module_it_can_do_without(
    where: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """typing, re, json, pathlib, threading and platformdirs each cost more than the
    query: none is loaded, whether the folders are set or the XDG ones. Reading
    config.toml (no profile named) needs tomllib, which loads typing and re."""
    argv = ["lookup", "host@example.com", "--profile", "ops"]
    avoid = ["typing", "re", "json", "pathlib", "threading", "tomllib", "platformdirs", "argparse"]
    if where != "MEETDECK_CACHE_DIR":
        if sys.platform != "linux":
            pytest.skip("lookup asks platformdirs for the folders on this system")
        for name in ("MEETDECK_CACHE_DIR", "MEETDECK_CONFIG_DIR"):
            monkeypatch.delenv(name)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    if where == "config.toml":
        argv = argv[:2]
        avoid = [m for m in avoid if m not in ("typing", "re", "tomllib")]
        config = resolve_paths().config_file
        config.parent.mkdir(parents=True)
        config.write_text('default_profile = "ops"\n', encoding="utf-8")
    assert str(_fill()).startswith(str(tmp_path))
    code = (
        "import sys\n"
        f"avoid = {avoid!r}\n"
        "bare = set(sys.modules)\n"
        "from tui.cli import main\n"
        f"code = main({argv!r})\n"
        "print(code, sorted(m for m in avoid if m in sys.modules and m not in bare))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert "Hana Host" in done.stdout


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ann"),
        ("", "/home/ann/"),
        ("/srv/xdg", "/home/ann"),
        ("relative/xdg", "/home/ann"),
        ("/srv//xdg/", "/"),
        (None, "relative"),
        (None, None),
    ],
)
def test_the_files_lookup_reads_are_the_ones_the_app_uses(
    monkeypatch: pytest.MonkeyPatch,
    xdg: str | None,
    home: str | None,
) -> None:
    """Without MEETDECK_CACHE_DIR and MEETDECK_CONFIG_DIR, lookup finds the XDG folders
    itself (platformdirs costs more than the whole lookup); they must be the folders
    platformdirs gives `resolve_paths`."""
    for name in ("MEETDECK_CACHE_DIR", "MEETDECK_CONFIG_DIR"):
        monkeypatch.delenv(name)
    for name, value in (
        ("XDG_CACHE_HOME", xdg),
        ("XDG_CONFIG_HOME", xdg and xdg + "/c"),
        ("HOME", home),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    paths = resolve_paths()
    found = {
        "cache": cache_db_file("ops"),
        "demo": cache_db_file("d", demo=True),
        "config": config_file_text(),
    }
    wanted = {
        "cache": paths.cache_db("ops"),
        "demo": paths.cache_db("d", demo=True),
        "config": paths.config_file,
    }
    if sys.platform == "linux" and home and home.startswith("/"):
        assert None not in found.values()
    for name, text in found.items():
        assert text is None or Path(text) == wanted[name], name
    monkeypatch.setenv("MEETDECK_CACHE_DIR", "~/elsewhere ")
    monkeypatch.setenv("MEETDECK_CONFIG_DIR", "/etc/md")
    assert cache_db_file("ops") == os.path.join(
        os.path.expanduser("~/elsewhere"), "profiles", "ops.sqlite3"
    )
    assert config_file_text() == "/etc/md/config.toml"


def test_lookup_takes_the_profile_from_config_toml_when_none_is_named() -> None:
    _fill("team")
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('default_profile = "team"\n\n[profiles.team]\n', encoding="utf-8")
    assert [r["key"] for r in _records("ann.lee@example.com")] == ["r3"]
    config.write_text("default_profile = [broken\n", encoding="utf-8")
    done = run_here("lookup", "ann.lee@example.com")
    assert done.returncode == 2 and f"Cannot read {config}" in done.stderr
