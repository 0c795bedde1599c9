"""The cache file: schema, migrations, and what happens to a file we cannot use.

`PRAGMA user_version` holds the schema version. A new file and an old one take the same
road: every migration step above the file's version runs, in one transaction. A file
from a newer meetdeck, or one that is not a database at all, is moved aside (renamed,
never deleted) and a fresh cache is built; the caller gets a notice to show.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime

from tui.core.errors import StorageError
from tui.core.settings.paths import ensure_dir
from tui.core.store.migrations import MIGRATIONS, SCHEMA_VERSION, statements

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "NoCache",
    "connect",
    "converting_notice",
    "migrate",
    "open_database",
]

# `meetdeck lookup` imports this module; pathlib would cost more than its query.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


PAGE_SIZE = 8192
"""Bytes per page of a new cache file: registrant rows of ~500 bytes waste less of a
page than at SQLite's 4,096."""

#: Codes that tell the search index's rows apart: rowid = entity id * 8 + code.
SEARCH_CODES = {
    "organizers": 1,
    "meetings": 2,
    "events": 3,
    "registrants": 4,
    "recordings": 5,
    "support_sessions": 6,
    "organizer_groups": 7,
}


class NoCache(StorageError):
    """There is no cache file yet for this profile."""

    title = "No cache yet"


def connect(path: str | Path, *, cache_kib: int = 8192) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with our pragmas.

    Readers keep a modest page cache (it counts against the app's memory); the sync's
    writer asks for a larger one.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    return conn


def open_database(
    path: Path, *, create: bool = True, now: Callable[[], datetime] | None = None
) -> tuple[sqlite3.Connection, str | None]:
    """Open (creating or migrating) the cache at `path`.

    Returns:
        The connection and a notice for the person when a file had to be moved aside.

    Raises:
        NoCache: `create` is False and there is no file.
        StorageError: The directory or file cannot be written.
    """
    if not path.exists():
        if not create:
            raise NoCache(f"There is no cache at {path} yet. Run `meetdeck sync` first.")
        _ensure_parent(path)
    notice: str | None = None
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path)
        version = _read_version(conn)
    except sqlite3.OperationalError as exc:
        if conn is not None:
            conn.close()
        raise _storage_error(path, exc) from None
    except sqlite3.DatabaseError:
        # Not a database (or not ours): keep it for inspection, start afresh.
        if conn is not None:
            conn.close()
        notice = _set_aside(path, "corrupt", "is not a readable database", now)
        conn, version = connect(path), 0
    if version > SCHEMA_VERSION:
        conn.close()
        notice = _set_aside(
            path, "newer", f"was written by a newer meetdeck (schema {version})", now
        )
        conn, version = connect(path), 0
    if version < SCHEMA_VERSION:
        try:
            migrate(conn, version)
        except sqlite3.OperationalError as exc:
            conn.close()
            if _is_disk_error(exc):
                raise _storage_error(path, exc) from None
            notice = _set_aside(path, "corrupt", "could not be migrated", now)
            conn = connect(path)
            migrate(conn, 0)
        except sqlite3.DatabaseError:
            conn.close()
            notice = _set_aside(path, "corrupt", "could not be migrated", now)
            conn = connect(path)
            migrate(conn, 0)
    conn.execute("PRAGMA journal_mode = WAL")
    return conn, notice


def converting_notice(path: Path) -> str | None:
    """What to say before opening the cache at `path`, when that converts it from an
    older schema (a cache of a million registrants takes minutes, and nothing else
    shows meanwhile); None when there is nothing to convert (no file, current, newer,
    or not a database: those open at once)."""
    from urllib.parse import quote

    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if not 0 < version < SCHEMA_VERSION:
        return None
    return (
        f"Converting the cache {path.name} to the new format (once; a big cache takes a "
        "few minutes)..."
    )


def _read_version(conn: sqlite3.Connection) -> int:
    """The schema version; reading sqlite_master makes SQLite check the file header."""
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0 and tables:
        # Tables but no version: not a file we wrote.
        raise sqlite3.DatabaseError("unversioned database")
    return version


def migrate(conn: sqlite3.Connection, version: int, *, to: int = SCHEMA_VERSION) -> None:
    """Run every migration step above `version`, up to `to` (default: the current
    schema), in one transaction. `to` below the current one builds a cache as an older
    meetdeck wrote it (the tests of upgrades)."""
    if version == 0:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only a new file takes it
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, to):
            script = MIGRATIONS[step]
            if callable(script):
                script(conn)
                continue
            for statement in statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {to}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if version > 0:
        # A step that rebuilt a table dropped its statistics: sampled, so milliseconds
        # (a converted cache read registrants through the wrong index until the next
        # big sync gathered them again).
        with suppress(sqlite3.Error):
            conn.execute("PRAGMA analysis_limit = 400")
            conn.execute("ANALYZE")


def _set_aside(path: Path, reason: str, why: str, now: Callable[[], datetime] | None) -> str:
    """Rename the file (and its WAL/SHM companions) out of the way; return the notice."""
    stamp = (now or (lambda: datetime.now(UTC)))().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{n}")
        n += 1
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        raise StorageError(
            f"The cache {path} {why} and cannot be moved aside ({exc.strerror}). "
            "Delete it by hand; meetdeck will rebuild it."
        ) from None
    return (
        f"The cache {path.name} {why}; it was moved aside to {target.name} and a new "
        "cache is being built. Run `meetdeck sync` to fill it."
    )


def _ensure_parent(path: Path) -> None:
    try:
        ensure_dir(path.parent)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the cache folder {path.parent} ({exc.strerror}). "
            "Check its permissions or set MEETDECK_CACHE_DIR."
        ) from None


def _is_disk_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(
        part in text
        for part in ("disk is full", "disk i/o", "readonly", "read-only", "unable to open")
    )


def _storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
    text = str(exc).lower()
    if "full" in text:
        sentence = (
            f"The disk holding {path.parent} is full; the cache keeps its previous "
            "data. Free some space and sync again."
        )
    else:
        sentence = (
            f"Cannot write the cache {path} ({exc}); it keeps its previous data. "
            "Check the folder's permissions or set MEETDECK_CACHE_DIR."
        )
    return StorageError(sentence)


storage_error = _storage_error
is_disk_error = _is_disk_error
