"""What a scope's registrants share: the number their rows name the scope by, whether
their ids follow their name order, and the counts per status of its events
(`event_counts`).

Schema 12 keeps a scope's id once, in `registrant_scopes`, and each registrant row
holds its small number (`TableSpec.in_scope` selects a scope's rows by it).
"""

# SQL here is assembled from this package's own table and column names only.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3

from tui.core.models import RegistrantStatus
from tui.core.store.tables import REGISTRANTS

__all__ = ["COUNT_COLUMNS", "ids_follow_names", "recount_events", "scope_number", "set_name_order"]

#: The `event_counts` columns, one per status, in `RegistrantStatus` order.
COUNT_COLUMNS = ", ".join(status.value for status in RegistrantStatus)
_COUNT_SUMS = ", ".join(f"SUM(status = '{status.value}')" for status in RegistrantStatus)


def recount_events(conn: sqlite3.Connection, scope: str, above: int | None = None) -> None:
    """Count the registrants of a scope's events by status into `event_counts`.

    Every write of registrants ends with this, in its transaction: the events pane
    shows these counts and an event's registrants view takes its row count from them.
    `above`: the scope's rows all have ids above it (a swap's): read in id order.
    """
    conn.execute("DELETE FROM event_counts WHERE scope = ?", (scope,))
    where = (
        REGISTRANTS.in_scope() if above is None else f"id > ? AND {REGISTRANTS.in_scope(plus=True)}"
    )
    conn.execute(
        f"INSERT OR REPLACE INTO event_counts (scope, provider, event_key, {COUNT_COLUMNS}) "
        f"SELECT ?, provider, event_key, {_COUNT_SUMS} FROM registrants "
        f"WHERE {where} GROUP BY provider, event_key",
        (scope, scope) if above is None else (scope, above, scope),
    )


def scope_number(conn: sqlite3.Connection, scope: str) -> int:
    """The number registrant rows name `scope` by (`registrant_scopes`), made if new."""
    conn.execute("INSERT OR IGNORE INTO registrant_scopes (scope) VALUES (?)", (scope,))
    return int(
        conn.execute("SELECT id FROM registrant_scopes WHERE scope = ?", (scope,)).fetchone()[0]
    )


def set_name_order(conn: sqlite3.Connection, scope: str, *, kept: bool) -> None:
    """Say whether the scope's registrants' ids follow their name order (schema 14).

    A swap inserts a scope's rows in name order (`kept`); a row added or replaced
    alone (`upsert`) takes the next id wherever its name sorts, and the order is lost
    until the next swap. Deleting rows or changing their status keeps it."""
    conn.execute("UPDATE registrant_scopes SET ordered = ? WHERE scope = ?", (int(kept), scope))


def ids_follow_names(conn: sqlite3.Connection, pattern: str) -> bool:
    """Whether the one scope that the LIKE `pattern` names (one event's registrants) has
    its registrants' ids in their name order (`set_name_order`): then their search
    index hits, which come in id order, come in the pane's name order."""
    count, ordered = conn.execute(
        "SELECT count(*), min(ordered) FROM registrant_scopes WHERE scope LIKE ?", (pattern,)
    ).fetchone()
    return bool(count == 1 and ordered)
