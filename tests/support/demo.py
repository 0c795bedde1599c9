"""The real Deck on a cache synced from the sandbox, at a fixed time, for TUI tests.

One sandbox per test session (per xdist worker) with a fixed seed and anchor; one
sync into a template cache with the engine's clock pinned; every test gets its own
copy of that SQLite file. So snapshots and pilot tests see the same rows every run,
with ages ("data 5m ago") computed from the injected clock.
"""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.decks import DeckSpec, open_cached_deck, open_deck, sync_cache
from tui.core.deck.facade import Deck
from tui.core.settings.config import HttpSettings
from tui.core.settings.paths import Paths
from tui.core.store import packing

ANCHOR = datetime(2026, 3, 2, tzinfo=UTC)
SYNCED_AT = ANCHOR + timedelta(hours=9)
CLOCK_NOW = SYNCED_AT + timedelta(minutes=5)
SEED = 5
REGISTRANTS = 600
PROFILE = "demo"
HTTP = HttpSettings(max_retries=0, max_backoff=0.1, connect_timeout=2, read_timeout=5)


def fixed_clock() -> datetime:
    """The app's clock in these tests: five minutes after the sync."""
    return CLOCK_NOW


def paths_in(base: Path) -> Paths:
    return Paths(base / "config", base / "data", base / "cache", base / "download")


#: The TUI tests' Deck: no client-side rate limits (the test sandbox has none), so a
#: sync takes a fraction of a second; the sync engine's clock pinned to SYNCED_AT.
DEMO = DeckSpec(
    name=PROFILE,
    http=HTTP,
    rate_limit=10_000.0,
    profiles=(PROFILE, "work"),
    sync_clock=lambda: SYNCED_AT,
    # One scope at a time: rows with equal sort keys (two "Ada Fernández") are shown in
    # the order the sync stored them, and with scopes in parallel that order followed
    # which answered first, so snapshots of the same data differed between runs.
    sync_concurrency=1,
)


class _PinnedDatetime(datetime):
    """datetime whose now() is the sync time (the Zoom adapter classifies meetings
    as upcoming or historical with the real clock)."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return SYNCED_AT if tz is None else SYNCED_AT.astimezone(tz)


@dataclass
class DemoCache:
    """The sandbox and a synced cache to copy."""

    base_url: str
    template: Path

    def install(self, base: Path) -> Paths:
        """Copy the synced cache (and tokens) under `base`; return the Paths there."""
        paths = paths_in(base)
        shutil.copytree(self.template, base, dirs_exist_ok=True)
        return paths


@contextmanager
def synced_demo(folder: Path, *, registrants: int = REGISTRANTS) -> Iterator[DemoCache]:
    """Start the sandbox (seed 5, anchored 2026-03-02) and sync a cache into `folder`
    with the clocks pinned; the sandbox runs until the block ends.

    Args:
        folder: Where the synced cache (and tokens) go.
        registrants: Registrants of the sandbox's big webinar (fewer: a faster sync).
    """
    from tui.sandbox.server import SandboxConfig, start_background

    config = SandboxConfig(
        port=0,
        seed=SEED,
        registrants=registrants,
        anchor=ANCHOR,
        recording_bytes=100_000,
        rate_limit_scale=0,
    )
    with start_background(config) as sandbox:
        # Pinned for the sync only: left in place for the session, it leaked into
        # every later test in the same worker (a Zoom recordings list against a
        # sandbox anchored today asked for March and found nothing).
        with pytest.MonkeyPatch.context() as patch:
            # The adapter (recordings' window) and its wire conversions (whether a
            # meeting is over) both read the clock.
            for module in ("tui.core.providers.zoom", "tui.core.providers.zoom_wire"):
                patch.setattr(f"{module}.datetime", _PinnedDatetime)
            sync_cache(sandbox.base_url, paths_in(folder), DEMO)
        _pin_port(paths_in(folder).cache_db(PROFILE, demo=True), sandbox.base_url)
        yield DemoCache(sandbox.base_url, folder)


#: A signed link's expiry (the sandbox's wall clock at the sync, not the pinned one).
_EXPIRES = re.compile(r"expires=\d+")


def _pin_port(db: Path, base_url: str) -> None:
    """Rewrite the sandbox's ephemeral port in cached URLs to a fixed one, so join and
    recording URLs in the snapshots do not change between runs."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if "data" in columns:
                conn.execute(
                    f"UPDATE {table} SET data = replace(data, ?, ?)",  # noqa: S608
                    (base_url, "http://127.0.0.1:8765"),
                )
                # GoTo's signed file links name the sandbox by another host name, and
                # expire an hour after the sync's wall clock.
                conn.execute(
                    f"UPDATE {table} SET data = replace(data, ?, ?)",  # noqa: S608
                    (base_url.replace("127.0.0.1", "localhost"), "http://localhost:8765"),
                )
                signed = f"SELECT id, data FROM {table} WHERE data LIKE '%expires=%'"  # noqa: S608
                for row_id, data in conn.execute(signed).fetchall():
                    conn.execute(
                        f"UPDATE {table} SET data = ? WHERE id = ?",  # noqa: S608
                        (_EXPIRES.sub("expires=1772445600", data), row_id),
                    )
        # A registrant's join URL is in its compressed `more` (schema 11).
        read = f"SELECT t.id, {packing.SELECT} FROM registrants t"  # noqa: S608
        rows = conn.execute(read).fetchall()
        for row_id, *values in rows:
            person = packing.unpack(tuple(values))
            if person.join_url and base_url in person.join_url:
                pinned = replace(
                    person, join_url=person.join_url.replace(base_url, "http://127.0.0.1:8765")
                )
                conn.execute(
                    "UPDATE registrants SET more = ? WHERE id = ?",
                    (packing.more_of(pinned), row_id),
                )
    conn.close()


def unreachable_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


DeckFactory = Callable[[str | None], Deck]


def deck_factory(
    paths: Paths,
    base_url: str,
    *,
    engine: bool = True,
    read_only: bool = False,
    connect_later: bool = False,
) -> DeckFactory:
    """A factory like the CLI's, on the installed cache.

    `connect_later` opens only the cache, as `meetdeck` does: the providers are built
    by `Deck.connect` on first need, after the app is up.
    """

    def factory(name: str | None) -> Deck:
        if connect_later:
            return open_cached_deck(base_url, paths, DEMO)
        return open_deck(base_url, paths, DEMO, engine=engine, read_only=read_only)

    return factory
