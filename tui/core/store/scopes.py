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
from collections import Counter
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from tui.core.models import RegistrantStatus
from tui.core.store.tables import REGISTRANTS

__all__ = [
    "COUNT_COLUMNS",
    "FEW",
    "StatusTally",
    "few_in_status",
    "ids_follow_names",
    "recount_events",
    "scope_number",
    "set_name_order",
]

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


#: Staged registrants counted by (provider, event key, status) (`StatusTally`).
_STATUSES = tuple(status.value for status in RegistrantStatus)
_COUNT_MARKS = ", ".join("?" * (3 + len(_STATUSES)))


_PROVIDER_EVENT_STATUS = itemgetter(0, 4, 6)


class StatusTally:
    """A swap's staged registrants counted as they are staged (their rows' provider,
    event key and status: values 0, 4 and 6), so that a swap in which each person came
    once writes its events' counts without reading its rows again (0.1 s of a
    100,000-row swap, after the last page, issue 18)."""

    def __init__(self) -> None:
        self._counts: Counter[tuple[Any, Any, Any]] = Counter()

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self._counts.update(map(_PROVIDER_EVENT_STATUS, rows))

    def write(self, conn: sqlite3.Connection, scope: str) -> None:
        """Replace the scope's counts with the tallied ones (as `recount_events`)."""
        events: dict[tuple[Any, Any], list[int]] = {}
        for (provider, event_key, status), n in self._counts.items():
            counts = events.setdefault((provider, event_key), [0] * len(_STATUSES))
            if status in _STATUSES:
                counts[_STATUSES.index(status)] += n
        conn.execute("DELETE FROM event_counts WHERE scope = ?", (scope,))
        conn.executemany(
            f"INSERT OR REPLACE INTO event_counts (scope, provider, event_key, {COUNT_COLUMNS}) "
            f"VALUES ({_COUNT_MARKS})",
            [(scope, provider, key, *counts) for (provider, key), counts in events.items()],
        )


#: A status filter that keeps at most this many registrants finds them through the
#: status's index and sorts them (under a millisecond), rather than walk the sort's
#: index to its end (`few_in_status`).
FEW = 500


def few_in_status(conn: sqlite3.Connection, event_key: str | None, status: str | None) -> bool:
    """Whether at most FEW registrants (of the event, or of every event) have `status`,
    by the events' counts (of both providers: never fewer than the view's)."""
    if status not in _STATUSES:
        return False
    sql = f"SELECT sum({status}) FROM event_counts"
    found = conn.execute(*((sql + " WHERE event_key = ?", (event_key,)) if event_key else (sql,)))
    (count,) = found.fetchone()
    return count is None or count <= FEW


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
