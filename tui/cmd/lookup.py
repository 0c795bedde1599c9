"""`meetdeck lookup QUERY`: answer from the local cache only, fast, for on-call use.

Imports nothing heavy (no textual, pydantic, httpx or rich): the profile name is
resolved from the flags, MEETDECK_PROFILE or config.toml read with tomllib, not with
Settings; the table is laid out here with the display width of wide (CJK) characters.
Exit codes: 0 with matches, 1 with none, 2 when there is no cache or no profile.

It must answer within two times a bare `python -c pass`, so its common path (a
profile named by --profile or MEETDECK_PROFILE, a cache at the current schema) loads
SQLite's C module and little else: not typing, re, json, pathlib or platformdirs, nor
the `sqlite3` package and the `datetime` its dbapi2 imports, each of which costs more
than the query (`python -X importtime` shows them); ages are SQLite's date arithmetic.
A whole e-mail address is read through the e-mail indexes
(`tui.core.store.fts.find_rows`).
"""

from __future__ import annotations

import os
import sys
import unicodedata

from tui.core.display.cleaning import clean, json_line
from tui.core.settings.paths import DEMO_PROFILE, cache_db_file, config_file_text, resolve_paths
from tui.core.settings.quick import ProfileChoiceError, choose_profile, read_raw_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import sqlite3
    from collections.abc import Iterable, Sequence
    from datetime import datetime

_COLUMNS = ("KIND", "PROVIDER", "NAME / TITLE", "EMAIL / WHEN", "EVENT", "STATUS", "AGE")
_MAX_WIDTH = 40


class LookupProblem(Exception):
    """A message for the person, and the exit code that goes with it."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def resolve_profile(args: argparse.Namespace) -> tuple[str, bool]:
    """(profile name, demo?) from --demo, --profile, MEETDECK_PROFILE, config.toml."""
    if getattr(args, "demo", False):
        return DEMO_PROFILE, True
    named = getattr(args, "profile", None) or os.environ.get("MEETDECK_PROFILE", "").strip()
    config_file = None
    try:
        # The file is read only when no profile was named: tomllib costs a few ms.
        if not named:
            config_file = config_file_text() or str(resolve_paths().config_file)
        data = read_raw_config(config_file) if config_file else {}
    except (OSError, ValueError) as exc:  # TOMLDecodeError and UnicodeDecodeError too
        raise LookupProblem(
            f"Cannot read {config_file}: {exc}. Run `meetdeck config` to check it."
        ) from None
    try:
        return choose_profile(named or None, data), False
    except ProfileChoiceError as exc:
        raise LookupProblem(str(exc)) from None


def width(text: str) -> int:
    """Terminal cells `text` takes (wide East Asian characters take two)."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _fit(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def age(seconds: int | None) -> str:
    """'42s', '5m', '3h', '2d' old; 'never' when there is no time."""
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def render_table(rows: Sequence[tuple[str, ...]], columns: tuple[str, ...] = _COLUMNS) -> str:
    """Rows as aligned columns under a header (`meetdeck list` passes its own)."""
    cells = [columns, *[tuple(_fit(c, _MAX_WIDTH) for c in row) for row in rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for row in cells:
        parts = [c + " " * (w - width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Search the cache and print the hits."""
    from tui.core.store.fts import find_rows, last_sync

    try:
        name, demo = resolve_profile(args)
    except LookupProblem as problem:
        print(f"meetdeck lookup: {problem.message}", file=sys.stderr)
        return problem.code
    path = cache_db_file(name, demo=demo) or str(resolve_paths().cache_db(name, demo=demo))
    if not os.path.exists(path):
        how = "meetdeck sync --demo" if demo else f"meetdeck sync --profile {name}"
        print(
            f"meetdeck lookup: there is no cache for profile {name!r} yet. Run `{how}` first.",
            file=sys.stderr,
        )
        return 2
    try:
        conn, notice = open_cache(path)
    except Exception as exc:
        # Imported only now: a cache at the current schema never raises one.
        from tui.core.errors import MeetdeckError

        if not isinstance(exc, MeetdeckError):
            raise
        print(f"meetdeck lookup: {exc.title}: {exc.sentence}", file=sys.stderr)
        return 2
    try:
        if notice:
            print(f"meetdeck lookup: {notice}", file=sys.stderr)
        kind = getattr(args, "kind", None)
        limit = max(1, int(getattr(args, "limit", 50) or 50))
        rows = find_rows(
            conn,
            None,
            args.query,
            limit=limit,
            kinds=[kind] if kind else None,
            status=getattr(args, "status", None),
        )
        synced = None if rows else last_sync(conn)
        ages = _ages(conn, [row.fetched_at for row in rows] if rows else [synced])
    finally:
        conn.close()
    first = args.query.split()[0].casefold() if args.query.split() else ""
    # Rows whose title or email starts with the first term come first.
    rows.sort(
        key=lambda r: (
            not (r.title.casefold().startswith(first) or r.subtitle.casefold().startswith(first))
        )
    )
    if getattr(args, "json", False):
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        for row in rows:
            fetched = _parse(row.fetched_at)
            print(
                json_line(
                    {
                        "kind": row.kind,
                        "key": row.key,
                        "provider": row.provider,
                        "title": row.title,
                        "subtitle": row.subtitle,
                        "event_key": row.event_key,
                        "event_title": row.event_title,
                        "status": row.status,
                        "fetched_at": fetched.isoformat() if fetched else None,
                        "age_seconds": int((now - fetched).total_seconds()) if fetched else None,
                    }
                )
            )
        return 0 if rows else 1
    if not rows:
        since = ages.get(synced) if synced else None
        when = f"synced {age(since)} ago" if since is not None else "never synced"
        print(
            f"No match for {clean(args.query)!r} in the cache of profile {name!r} "
            f"({when}). Run `meetdeck sync` to refresh it.",
            file=sys.stderr,
        )
        return 1
    table = [
        (
            row.kind,
            _LABELS.get(row.provider, row.provider),
            clean(row.title),
            clean(row.subtitle),
            clean(row.event_title or row.event_key or ""),
            clean(row.status or ""),
            age(ages.get(row.fetched_at) if row.fetched_at else None),
        )
        for row in rows
    ]
    print(render_table(table))
    group = next((row for row in rows if row.kind == "group"), None)
    if group is not None:
        # A group's organizers are one more command away (the palette drills to them).
        print(
            f"meetdeck lookup: `meetdeck list organizers --group {clean(group.key)}"
            f"{' --demo' if demo else ''}` lists "
            "a group's organizers.",
            file=sys.stderr,
        )
    return 0


def open_cache(path: str) -> tuple[sqlite3.Connection, str | None]:
    """The cache at `path`, for reading, and a notice when it had to be moved aside.

    A file at the current schema is opened directly; any other (older, newer, not a
    database) goes through `open_database`, which migrates or sets it aside.

    Raises:
        MeetdeckError: The file can be neither read nor rebuilt.
    """
    # SQLite's C module, which the sqlite3 package wraps: its dbapi2 imports datetime
    # for adapters lookup never uses (3 ms of a 30 ms lookup). The connection is the
    # same class (`sqlite3.connect is _sqlite3.connect`); only reads are made on it.
    import _sqlite3

    from tui.core.store.migrations import SCHEMA_VERSION

    conn = None
    try:
        conn = _sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10.0)
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return conn, None
    except _sqlite3.Error:
        pass  # open_database says what is wrong, or rebuilds the file
    if conn is not None:
        conn.close()
    from pathlib import Path

    from tui.core.store.schema import converting_notice, open_database

    converting = converting_notice(Path(path))
    if converting:
        print(f"meetdeck lookup: {converting}", file=sys.stderr, flush=True)
    return open_database(Path(path), create=False)


def _ages(conn: sqlite3.Connection, stamps: Iterable[str | None]) -> dict[str, int]:
    """Whole seconds from each stored time (ISO text) to now, by SQLite's date functions.

    A time SQLite cannot read has no age (it shows as "never"), rather than failing
    the lookup.
    """
    ages: dict[str, int] = {}
    for stamp in {s for s in stamps if s}:
        (days,) = conn.execute("SELECT julianday('now') - julianday(?)", (stamp,)).fetchone()
        if days is not None:
            ages[stamp] = max(0, int(days * 86400))
    return ages


# Provider labels as `tui.core.models.Provider.label` has them (without importing it).
_LABELS = {
    "goto_meeting": "GoTo Meeting",
    "goto_training": "GoTo Training",
    "goto_assist": "GoTo Assist",
    "zoom": "Zoom",
}


def _parse(value: str | None) -> datetime | None:
    from datetime import UTC, datetime

    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
