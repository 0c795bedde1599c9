"""Paged, filtered, sorted reads: a `TableView` turns a ViewQuery into SQL.

Filters and the sort go into the WHERE and ORDER BY; a page is LIMIT/OFFSET over an
index, so a pane never loads more rows than it shows. The '/' text filter is a
substring test over the row's folded search column (every term must occur).
"""

# SQL here is assembled from this package's own table and column names only; every
# value travels as a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from tui.core.store.codec import fold, parse_iso
from tui.core.store.filter_state import FilterMemo, ReadStops
from tui.core.store.fts import fts_match
from tui.core.store.tables import TableSpec
from tui.core.store.views import ViewQuery

T = TypeVar("T")

#: A '/' filter with at most this many matches is resolved to an ordered id list.
MATERIALIZE_MAX = 20_000

#: A filter with more matches than that first reads its first page from this many
#: rows at most of the ordered index (a few milliseconds): a term found all over the
#: view has its first rows there. Else its matches are looked up and sorted.
HEAD_WALK = 32_768

#: A database row (the view's select columns) -> the model the pane shows.
RowDecoder = Callable[[tuple[Any, ...]], T]


def sort_terms(columns: str) -> tuple[str, ...]:
    """The ORDER BY terms of a `TableSpec.sorts` entry: "status,sort_name" (a sort whose
    ties are ordered by a second column) -> ("t.status", "t.sort_name")."""
    return tuple(f"t.{column.strip()}" for column in columns.split(","))


def where_clause(spec: TableSpec, q: ViewQuery) -> tuple[str, list[Any]]:
    """The WHERE clause (without the keyword) and its parameters for `q` on `spec`."""
    parts: list[str] = []
    params: list[Any] = []
    for field_name, column in spec.filters.items():
        value = getattr(q, field_name)
        if value is not None:
            parts.append(f"t.{column} = ?")
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


class TableView(Generic[T]):
    """A ListView over one table: count, a page of rows, the position of a key."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        lock: threading.RLock,
        spec: TableSpec,
        q: ViewQuery,
        *,
        decode: RowDecoder[T],
        select: str = "t.data",
        join: str = "",
        sort_exprs: dict[str, tuple[str, ...]] | None = None,
        fetched_at: datetime | None = None,
        count: int | None = None,
        memo: FilterMemo | None = None,
        stops: ReadStops | None = None,
        counter: Callable[[], tuple[sqlite3.Connection, threading.RLock]] | None = None,
    ) -> None:
        self._conn = conn
        self._memo = memo
        self._stops = stops
        self._counter = counter
        """The connection (and its lock) a count that reads every row runs on, so that
        the other reads of the pane (the detail of the first match) go on meanwhile."""
        self._lock = lock
        self._spec = spec
        self._query = q
        self._decode = decode
        self._select = select
        self._join = join
        self._where, self._params = where_clause(spec, q)
        exprs = sort_exprs or {name: sort_terms(col) for name, col in spec.sorts.items()}
        self._sort_names = tuple(exprs)
        self._sort_name = q.sort if q.sort in exprs else self._sort_names[0]
        self._terms = exprs[self._sort_name]
        """The ORDER BY terms, before the id that breaks the last ties."""
        self._sort = ", ".join(self._terms)
        self._desc = q.descending
        self._fetched_at = fetched_at
        self._count: int | None = count
        self._ids: list[int] | None = None
        self._dense = False
        self._positions: dict[int, int] | None = None

    @property
    def query(self) -> ViewQuery:
        """The question this view answers."""
        return self._query

    @property
    def fetched_at(self) -> datetime | None:
        """When the data behind this view was synced (the oldest scope; None: never)."""
        return self._fetched_at

    @property
    def sort_columns(self) -> tuple[str, ...]:
        """The sort names this view accepts in `ViewQuery.sort`."""
        return self._sort_names

    @property
    def sort(self) -> str:
        """The sort this view is in: `ViewQuery.sort`, or the default when that is None
        or not one of `sort_columns`."""
        return self._sort_name

    def _fetch(
        self, sql: str, params: list[Any], conn: sqlite3.Connection | None = None
    ) -> list[Any]:
        """All rows of one long read, which this thread's read scope may end
        (`ReadScope`); the caller holds the connection's lock."""
        conn = conn or self._conn
        scope = self._stops.current if self._stops is not None else None
        if scope is None:
            return conn.execute(sql, params).fetchall()
        with scope.running(conn):
            return conn.execute(sql, params).fetchall()

    def _from(self, *, text_index: bool = False) -> str:
        hint = (
            f" INDEXED BY {self._spec.text_index}"
            if text_index and self._spec.text_index and not self._join
            else ""
        )
        return f"FROM {self._spec.name} t{hint} {self._join} WHERE {self._where}"

    def _filtered(self) -> bool:
        return bool(self._query.text.strip())

    def _text_ordered(self) -> bool:
        """A '/' filter whose pages the text index yields in order (see `text_order`)."""
        order = self._spec.text_order
        if order is None or not self._filtered():
            return False
        field, sort = order
        return getattr(self._query, field) is not None and self._terms == sort_terms(
            self._spec.sorts[sort]
        )

    def _from_text_index(self) -> tuple[str, list[Any]]:
        """FROM ... WHERE for a '/' filter, and its parameters.

        Terms of three or more characters are looked up in the trigram index first
        (`search_index` holds each row's `search` text, so a match there is the same
        test as `instr`); the WHERE still checks every term, short ones included.
        Without such a term, or for a table that is not indexed, the covering index
        is scanned with `instr`.
        """
        code = self._spec.search_code
        long_terms = [term for term in fold(self._query.text).split() if len(term) >= 3]
        if code is None or not long_terms:
            return self._from(text_index=True), list(self._params)
        return (
            f"FROM search_index f JOIN {self._spec.name} t ON t.id = (f.rowid >> 3) "
            f"{self._join} WHERE search_index MATCH ? AND (f.rowid & 7) = {code} "
            f"AND {self._where}",
            [fts_match(long_terms), *self._params],
        )

    def _materialize(self, *, whole: bool = False) -> list[int] | None:
        """For a '/' filter: the ids of every match in order, if there are few enough
        (or every one, when `whole`).

        One lookup in the trigram index (or one scan of the covering index, for short
        terms) finds the matches with their sort keys; up to
        MATERIALIZE_MAX of them are sorted here and kept, so paging and `index_of` are
        list lookups. More matches than that means the filter is not selective (the
        index's own hits tell, before any row is read), and the ordinary ordered index
        scan finds a page quickly. A filter typed forward from the previous one
        narrows its matches instead (`FilterMemo`).
        """
        if self._ids is not None or (self._dense and not whole):
            return self._ids
        terms = fold(self._query.text).split()
        text = " ".join(terms)
        key = self._memo_key()
        with self._lock:
            version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            narrowed = self._narrowed(terms, key, text, version)
            if narrowed is None:
                if not whole and self._many_hits(terms):
                    self._dense = True
                    return None
                source, params = self._from_text_index()
                sql = f"SELECT {self._sort}, t.id, {self._spec.search()} {source}"
                if not whole:
                    sql += " LIMIT ?"
                    params = [*params, MATERIALIZE_MAX + 1]
                found = self._fetch(sql, params)
                if not whole and len(found) > MATERIALIZE_MAX:
                    self._dense = True
                    return None
                found.sort(key=lambda row: row[:-1], reverse=self._desc)
                ids = [row[-2] for row in found]
                texts = {row[-2]: row[-1] for row in found}
            else:
                ids, texts = narrowed
            if self._memo is not None:
                self._memo.remember(key, text, version, ids, texts)
        self._ids = ids
        self._count = len(ids)
        return ids

    def _many_hits(self, terms: list[str]) -> bool:
        """Whether the trigram index holds more than MATERIALIZE_MAX rows of this table
        for the long `terms`: its hits alone, read without a row, stop at the cap. (A
        few may be rows of another view, or hold the trigrams apart: more than the
        matches, never fewer.)"""
        code = self._spec.search_code
        long_terms = [term for term in terms if len(term) >= 3]
        if code is None or not long_terms:
            return False
        (hits,) = self._conn.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index "
            f"MATCH ? AND (rowid & 7) = {code} LIMIT ?)",
            [fts_match(long_terms), MATERIALIZE_MAX + 1],
        ).fetchone()
        return int(hits) > MATERIALIZE_MAX

    def _walk_head(self, limit: int) -> list[int] | None:
        """The ids of the first `limit` matches among the first HEAD_WALK rows of the
        view's ordered index, or None when fewer match there (the matches are
        elsewhere: a name further down the list)."""
        base = dataclasses.replace(self._query, text="")
        where, params = where_clause(self._spec, base)
        terms = fold(self._query.text).split()
        direction = "DESC" if self._desc else "ASC"
        keys = (*self._terms, "t.id")
        order = ", ".join(f"{term} {direction}" for term in keys)
        inner = ", ".join(f"{term} AS k{n}" for n, term in enumerate(keys))
        tests = " AND ".join("instr(w.s, ?) > 0" for _ in terms)
        sql = (
            f"SELECT w.* FROM (SELECT {inner}, {self._spec.search()} AS s "
            f"FROM {self._spec.name} t INDEXED BY {self._spec.text_index} WHERE {where} "
            f"ORDER BY {order} LIMIT ?) w WHERE {tests} LIMIT ?"
        )
        with self._lock:
            found = self._fetch(sql, [*params, HEAD_WALK, *terms, limit])
        if len(found) < limit:
            return None
        found.sort(key=lambda row: row[:-1], reverse=self._desc)
        return [row[-2] for row in found]

    def _memo_key(self) -> object:
        """What must match for one filter's matches to narrow another's: all but text."""
        return (self._spec.name, dataclasses.replace(self._query, text=""), self._sort, self._desc)

    def _narrowed(
        self, terms: list[str], key: object, text: str, version: int
    ) -> tuple[list[int], dict[int, str]] | None:
        """The previous filter's matches that hold every term, with their texts, if
        this filter extends it and its terms are all long enough for the trigram
        index; else None.

        The remembered texts are the rows' search column, which the WHERE tests with
        `instr`: testing them here is the same test, with no SQL at all. (Asking the
        trigram index first read every doclist of the new terms' trigrams, 1.5-2.5 ms
        a keystroke at 100,000 registrants, for a few hundred remembered matches.)
        """
        code = self._spec.search_code
        if self._memo is None or code is None or not terms or any(len(term) < 3 for term in terms):
            return None
        base = self._memo.base(key, text, version)
        if base is None:
            return None
        ids, texts = base
        if len(terms) == 1:
            (term,) = terms
            kept = [row_id for row_id in ids if term in texts[row_id]]
        else:
            kept = [row_id for row_id in ids if all(term in texts[row_id] for term in terms)]
        return kept, {row_id: texts[row_id] for row_id in kept}

    def count(self) -> int:
        """How many rows match (cached for the life of the view)."""
        if self._count is None and self._filtered():
            self._materialize()
        if self._count is None:
            conn, lock = self._counter() if self._counter is not None else (self._conn, self._lock)
            with lock:
                row = self._fetch(
                    f"SELECT count(*) {self._from(text_index=self._filtered())}", self._params, conn
                )[0]
            self._count = int(row[0])
        return self._count

    @property
    def quick_to_count(self) -> bool:
        """Whether `count()` is an index lookup: no filter, or one with a term of
        three or more characters (the trigram index); else it scans every row."""
        return self._count is not None or not self._filtered() or self._indexed_terms()

    def _indexed_terms(self) -> bool:
        """A '/' filter with a term the trigram index finds, not known to match more
        rows than MATERIALIZE_MAX."""
        return (
            self._spec.search_code is not None
            and not self._dense
            and any(len(term) >= 3 for term in fold(self._query.text).split())
        )

    def head(self, limit: int) -> list[T]:
        """The first `limit` rows, in order, without counting the matches first.

        An ordered index scan that stops at the `limit`-th match: at once for a short
        filter that matches many rows (one letter), where counting scans them all. A
        term the trigram index finds is resolved to its ordered matches (and counted)
        when they are few; when they are many (a name or domain thousands share), the
        first rows come from the first HEAD_WALK rows of the ordered index if they are
        there, else from every match looked up and sorted, the count with them.
        """
        if not self._indexed_terms():
            return self._page(0, limit)
        if self._materialize() is None and self._text_ordered():
            first = self._walk_head(limit)
            if first is not None:
                return self._by_ids(first)
        if self._materialize() is None:
            self._materialize(whole=True)
        return self.rows(0, limit)

    def rows(self, offset: int, limit: int) -> list[T]:
        """The rows at [offset, offset + limit) in the view's order."""
        if limit <= 0:
            return []
        offset = max(offset, 0)
        ids = self._materialize() if self._filtered() else None
        if ids is not None:
            return self._by_ids(ids[offset : offset + limit])
        return self._page(offset, limit)

    def _by_ids(self, page: list[int]) -> list[T]:
        """The rows with these ids, in this order."""
        if not page:
            return []
        marks = ", ".join("?" * len(page))
        with self._lock:
            found = self._conn.execute(
                f"SELECT t.id, {self._select} FROM {self._spec.name} t {self._join} "
                f"WHERE t.id IN ({marks})",
                page,
            ).fetchall()
        by_id = {row[0]: tuple(row[1:]) for row in found}
        return [self._decode(by_id[i]) for i in page if i in by_id]

    def _page(self, offset: int, limit: int) -> list[T]:
        """Rows [offset, offset + limit) by an ordered scan of the view's index."""
        direction = "DESC" if self._desc else "ASC"
        order = ", ".join(f"{term} {direction}" for term in (*self._terms, "t.id"))
        sql = (
            f"SELECT {self._select} {self._from(text_index=self._text_ordered())} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        with self._lock:
            found = self._fetch(sql, [*self._params, limit, offset])
        return [self._decode(tuple(row)) for row in found]

    def index_of(self, key: str) -> int | None:
        """The position of the row with `key` in this view, or None."""
        with self._lock:
            hit = self._conn.execute(
                f"SELECT {self._sort}, t.id {self._from()} AND t.id IN "
                f"(SELECT id FROM {self._spec.name} WHERE key = ?) LIMIT 1",
                [*self._params, key],
            ).fetchone()
        if hit is None:
            return None
        ids = self._materialize() if self._filtered() else None
        if ids is not None:
            if self._positions is None:
                self._positions = {row_id: n for n, row_id in enumerate(ids)}
            return self._positions.get(hit[-1])
        before = ">" if self._desc else "<"
        marks = ", ".join("?" * len(hit))
        with self._lock:
            row = self._conn.execute(
                f"SELECT count(*) {self._from()} AND ({self._sort}, t.id) {before} ({marks})",
                [*self._params, *hit],
            ).fetchone()
        return int(row[0])


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
