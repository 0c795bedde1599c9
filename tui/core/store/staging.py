"""How a model becomes a row the writer stages (its text cut to the cache's limit, its
`data` column, its key), how staged rows are inserted (a hundred a statement), and when
a swap builds the registrants' indexes afresh (used by `tui.core.store.writer`)."""

# SQL here is assembled from this package's own table and index names only.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
from contextlib import suppress
from itertools import chain
from typing import Any

from tui.core.models import Attendee, Registrant
from tui.core.store.codec import TEXT_LIMIT, cap_text, encode, encode_capped
from tui.core.store.packing import data_of
from tui.core.store.tables import REGISTRANTS, TABLE_OF, TableSpec

__all__ = [
    "STAGE",
    "StageFile",
    "drop_registrant_indexes",
    "encoded",
    "index_rows",
    "insert_registrants",
    "insert_rows",
    "insert_staged",
    "key_of",
    "repeats_a_key",
    "short",
    "staged_columns",
    "stamp_success",
]

#: The schema a writer's batches stage their rows in (`StageFile`).
STAGE = "stage"

#: A swap of at least this many registrants, more than the table keeps of other scopes,
#: builds the table's indexes afresh (`drop_registrant_indexes`).
REBUILD_ABOVE = 10_000


#: Bytes of pending search index entries a swap that rebuilds the registrants' indexes
#: keeps in memory before it writes them out (`index_rows`), and what every other write
#: keeps (FTS5's default, which its `hashsize` option changes).
BULK_HASH_SIZE = 16 << 20
HASH_SIZE = 1 << 20

#: Rows a staging INSERT writes in one statement (`insert_rows`).
_ROWS_PER_INSERT = 100


class StageFile:
    """The private on-disk database (`ATTACH ''`: deleted with DETACH, or with the
    process) that a writer's open batches stage their rows in, attached while one is
    open. Dropping a 100,000-row staged table walks its 90 MB of pages to free them
    (0.1-0.2 s after every big swap, issue 18); detaching drops the file at once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._users = 0
        self._attached = False

    def enter(self) -> None:
        """A batch starts staging: attach the file if it is not (outside a
        transaction: a batch stages between the writer's transactions)."""
        if not self._attached:
            # With SQLite's default page cache, as TEMP had: the writer's 16 MiB for it
            # too cost 13 MB of peak RSS in a 100,000-row sync.
            self._conn.execute(f"ATTACH '' AS {STAGE}")
            self._attached = True
        self._users += 1

    def leave(self, tables: list[str]) -> None:
        """A batch is done with its `tables`: the last one out detaches the file; a
        batch before it, or one that cannot detach now, drops its own tables (the
        next last one out tries again)."""
        self._users -= 1
        if self._users == 0:
            try:
                self._conn.execute(f"DETACH {STAGE}")
            except sqlite3.Error:
                pass  # still attached
            else:
                self._attached = False
                return
        for table in tables:
            # A table that cannot be dropped dies with the connection anyway.
            with suppress(sqlite3.Error):
                self._conn.execute(f"DROP TABLE IF EXISTS {STAGE}.{table}")


def insert_rows(
    conn: sqlite3.Connection, table: str, width: int, rows: list[tuple[Any, ...]]
) -> None:
    """Insert `rows` (of `width` values each) into `table` in their order, a hundred a
    statement: sqlite3's `executemany` runs one step per row and lets go of the GIL
    around each, and a thread parsing the next page meanwhile holds it for up to the
    switch interval before each row can go on (issue 18: the staging of a 300-row
    page took three times as long beside a busy thread, and twice the CPU alone)."""
    row = "(" + ", ".join("?" * width) + ")"
    statements: dict[int, str] = {}  # by rows a statement: all chunks but the last share one
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        sql = statements.get(len(chunk))
        if sql is None:
            sql = statements[len(chunk)] = (
                f"INSERT INTO {table} VALUES {', '.join([row] * len(chunk))}"
            )
        conn.execute(sql, list(chain.from_iterable(chunk)))


def insert_registrants(
    conn: sqlite3.Connection,
    staged: str,
    columns: str,
    picked: str,
    number: int,
    *,
    distinct: bool = True,
) -> int:
    """Insert a swap's staged registrants (`stage.staged`) into the table, the last of a
    person listed twice kept (there is no unique index), in name, key order: the
    indexes led by the name (or event, name) grow at their ends, half the time of a
    100,000-row swap that keeps its indexes; and the ids that break ties in sorts follow
    name, then key. The order is found first over the rows' ids alone (the rows, some
    900 bytes each, would be sorted on disk), then the rows are read by id in it.
    `picked`: the staged columns, after `?` for the scope's `number`. Returns how many
    rows went in: each person once. Not `distinct`: every staged row goes in, their
    keys not sorted to find who came twice (`repeats_a_key` tells afterwards)."""
    order = f"{staged}_order"
    # With max() the only aggregate, sort_name and key are the kept row's own.
    conn.execute(
        f"CREATE TABLE {STAGE}.{order} AS SELECT max(rowid) AS r FROM {STAGE}.{staged} "
        "GROUP BY key ORDER BY sort_name, key, r"
        if distinct
        else f"CREATE TABLE {STAGE}.{order} AS SELECT rowid AS r FROM {STAGE}.{staged} "
        "ORDER BY sort_name, key, rowid"
    )
    try:
        return conn.execute(
            f"INSERT INTO main.registrants ({columns}) SELECT {picked} FROM {STAGE}.{order} "
            f"CROSS JOIN {STAGE}.{staged} ON {STAGE}.{staged}.rowid = {order}.r "
            f"ORDER BY {order}.rowid",
            (number,),
        ).rowcount
    finally:
        conn.execute(f"DROP TABLE IF EXISTS {STAGE}.{order}")


def insert_staged(conn: sqlite3.Connection, spec: TableSpec, staged: str, when: str | None) -> None:
    """Insert a swap's staged rows of a table other than the registrants', in their
    order (a row of the same key replaced), fetched `when`."""
    fixed = ("scope", "provider", "profile", "?", "key", "search", "data")
    conn.execute(
        f"INSERT OR REPLACE INTO main.{spec.name} ({', '.join((*spec.base, *spec.columns))}) "
        f"SELECT {', '.join((*fixed, *spec.columns))} FROM {STAGE}.{staged} ORDER BY rowid",
        (when,),
    )


def stamp_success(
    conn: sqlite3.Connection, scope: str, when: str | None, items: int, note: str | None
) -> None:
    """Stamp a swapped scope: fetched `when`, `items` rows, its error cleared, `note`."""
    conn.execute(
        "INSERT INTO sync_stamps (scope, fetched_at, items, error_title, error, "
        "error_at, note) VALUES (?, ?, ?, NULL, NULL, NULL, ?) ON CONFLICT (scope) "
        "DO UPDATE SET fetched_at = excluded.fetched_at, items = excluded.items, "
        "error_title = NULL, error = NULL, error_at = NULL, note = excluded.note",
        (scope, when, items, note),
    )


def repeats_a_key(conn: sqlite3.Connection, below: int, rows: int) -> bool:
    """Whether fewer than `rows` keys are among the registrants above id `below` (a
    swap's new rows): counted along the key's index, which a big swap has just built
    (0.02 s at 100,000, where the swap's sort of their keys took 0.12 s, issue 18)."""
    try:
        distinct = conn.execute(
            "SELECT count(DISTINCT key) FROM registrants INDEXED BY registrants_key WHERE id > ?",
            (below,),
        ).fetchone()[0]
    except sqlite3.OperationalError:  # no such index: the swap goes round again
        return True
    return bool(distinct < rows)


def index_rows(
    conn: sqlite3.Connection, spec: TableSpec, below: int, scope: str, *, bulk: bool
) -> None:
    """Add a swap's new rows of `spec`'s table (ids above `below`) to the search index,
    in id order (the index writes out its pending entries at every step back: 10x the
    time). `bulk` (a swap that rebuilds the registrants' indexes): with 16 MiB of entries
    pending, not FTS5's 1 MiB, the index writes a few segments, not one every 1 MiB
    that its merges then rewrite (issue 18: ~5 s -> ~3 s of a 1,000,000-row swap, 0.4
    -> 0.3 s at 100,000, for up to 16 MB more memory while it runs). The option is set
    back in the same transaction: no reader sees it, and nothing else writes with it
    (an SQLite without the option indexes them as before)."""
    sized = bulk and _hash_size(conn, BULK_HASH_SIZE)
    conn.execute(spec.index(f"id > ? AND {spec.in_scope(plus=True)} ORDER BY id"), (below, scope))
    if sized:
        _hash_size(conn, HASH_SIZE)


def _hash_size(conn: sqlite3.Connection, size: int) -> bool:
    """Set the search index's `hashsize`; whether this SQLite has the option."""
    try:
        conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?)", (size,)
        )
    except sqlite3.OperationalError:
        return False
    return True


def encoded(row: Any) -> tuple[Any, str, int]:
    """`row` with its text cut to the cache's limit, its `data` column, and how many
    values were cut. A table stored as JSON is looked through only when its JSON is
    longer than the limit (`encode_capped`); a packed one (registrants) always is."""
    spec = TABLE_OF[type(row)]
    if spec.encode is encode:
        return encode_capped(row)
    if spec is REGISTRANTS and short(row):
        return row, data_of(row), 0
    model, cut = cap_text(row)
    return model, spec.encode(model), cut


def short(r: Registrant) -> bool:
    """Whether all of a registrant's text together is within the cache's limit, so that
    no value of it is cut (`cap_text` would look at each, at 20 times the cost). Its
    other fields are its enums' short values, times, and `extra`, which is not cut."""
    total = (
        len(r.key)
        + len(r.event_key)
        + len(r.email)
        + len(r.first_name)
        + len(r.last_name)
        + len(r.provider_status)
        + len(r.join_url or "")
        + len(r.event_title or "")
    )
    for title, answer in r.custom_questions:
        total += len(title) + len(answer)
    return total <= TEXT_LIMIT


def staged_columns(spec: TableSpec) -> tuple[str, ...]:
    """The base columns of a staged row (the swap adds a registrant's scope number)."""
    return spec.base[1:] if spec is REGISTRANTS else spec.base


def key_of(model: Any, index: int) -> str:
    if isinstance(model, Attendee):
        return f"{model.event_key}:{index}"
    return str(model.key)


def drop_registrant_indexes(conn: sqlite3.Connection, scope: str, staged: int) -> list[str]:
    """When a swap of `staged` rows into `scope` brings most of the registrants table (a
    first sync of a big webinar, or its sync again when it is most of the cache), drop
    the table's indexes, in the swap's transaction, and return the SQL that builds them
    again after the insert: building an index sorts its keys once, where inserting rows
    into a dozen indexes walks each of them for every row (and the pages come out full,
    not half full). Otherwise nothing (a small swap updates them in place).
    """
    if staged < REBUILD_ABOVE:
        return []
    total = conn.execute("SELECT count(*) FROM registrants").fetchone()[0]
    mine = conn.execute(
        f"SELECT count(*) FROM registrants WHERE {REGISTRANTS.in_scope()}", (scope,)
    ).fetchone()[0]
    if total - mine >= staged:
        return []
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
        "AND tbl_name = 'registrants' AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]
