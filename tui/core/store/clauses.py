"""The SQL pieces a paged view is built from: its ORDER BY terms, its WHERE clause,
and the sync time of the scopes behind it (`tui.core.store.query` reads with them)."""

# SQL here is assembled from this package's own table and column names only; every
# value travels as a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime
from typing import Any

from tui.core.store.codec import fold, parse_iso
from tui.core.store.tables import TableSpec
from tui.core.store.views import ViewQuery


def sort_terms(columns: str) -> tuple[str, ...]:
    """The ORDER BY terms of a `TableSpec.sorts` entry: "status,sort_name" (a sort whose
    ties are ordered by a second column) -> ("t.status", "t.sort_name")."""
    return tuple(f"t.{column.strip()}" for column in columns.split(","))


def where_clause(spec: TableSpec, q: ViewQuery, *, in_sort: bool = True) -> tuple[str, list[Any]]:
    """The WHERE clause (without the keyword) and its parameters for `q` on `spec`.

    `in_sort`: the filters the sort's index carries (`TableSpec.tested_in_sort`) are
    tested there; False when they keep few rows, which their own index finds (and
    the view sorts) sooner than a walk of the sort's index to its end.
    """
    parts: list[str] = []
    params: list[Any] = []
    sort = q.sort if q.sort in spec.sorts else next(iter(spec.sorts), None)
    tested = spec.tested_in_sort.get(sort or "", ()) if in_sort else ()
    for field_name, column in spec.filters.items():
        value = getattr(q, field_name)
        if value is not None:
            # "+": tested in the sort's index, not looked up by its own.
            parts.append(f"{'+' if field_name in tested else ''}t.{column} = ?")
            params.append(int(value) if isinstance(value, bool) else str(value))
    for field_name, condition in spec.related.items():
        value = getattr(q, field_name)
        if value is not None:
            parts.append(condition)
            params.append(str(value))
    if spec.time_column:
        if q.since is not None:
            parts.append(f"t.{spec.time_column} >= ?")
            params.append(spec.time_value(q.since))
        if q.until is not None:
            parts.append(f"t.{spec.time_column} < ?")
            params.append(spec.time_value(q.until))
    for term in fold(q.text).split():
        parts.append(f"instr({spec.search()}, ?) > 0")
        params.append(term)
    return (" AND ".join(parts) or "1"), params


def oldest_stamp(
    conn: sqlite3.Connection, lock: threading.RLock, patterns: list[str]
) -> datetime | None:
    """The oldest successful sync time among scopes matching the LIKE `patterns`."""
    if not patterns:
        return None
    clause = " OR ".join("scope LIKE ?" for _ in patterns)
    with lock:
        row = conn.execute(
            f"SELECT min(fetched_at) FROM sync_stamps WHERE fetched_at IS NOT NULL AND ({clause})",
            patterns,
        ).fetchone()
    return parse_iso(row[0]) if row and row[0] else None
