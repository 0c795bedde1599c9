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

from tui.core.store.clauses import sort_terms, where_clause
from tui.core.store.codec import fold
from tui.core.store.filter_state import FilterMemo, ReadStops, RowMemo, narrow
from tui.core.store.fts import fts_match, index_hits
from tui.core.store.tables import TableSpec
from tui.core.store.views import ViewQuery

T = TypeVar("T")

#: A '/' filter with at most this many matches is resolved to an ordered id list (and
#: remembered, for the next keystroke to narrow); the trigram index tells how many
#: before a row is read.
MATERIALIZE_MAX = 50_000

#: The same for a filter of one or two letters, which reads that many rows to know.
SHORT_MATERIALIZE_MAX = 20_000

#: ... and with at most this many (or this many remembered matches to narrow), it is
#: resolved before its first rows are shown: beyond, the first rows come first and
#: the rest (the count) after them, so a keystroke's read does not grow with the list.
COUNT_NOW_MAX = 1_000

#: A filter with more matches than MATERIALIZE_MAX first reads its first page from this
#: many rows at most of the ordered index (a few milliseconds): a term found all over
#: the view has its first rows there. Else its first matches are sorted out in SQL.
HEAD_WALK = 32_768

#: A database row (the view's select columns) -> the model the pane shows.
RowDecoder = Callable[[tuple[Any, ...]], T]


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
        row_memo: RowMemo | None = None,
        stops: ReadStops | None = None,
        counter: Callable[[], tuple[sqlite3.Connection, threading.RLock]] | None = None,
        id_order: Callable[[], bool] | None = None,
        in_sort: bool = True,
    ) -> None:
        self._conn = conn
        self._memo = memo
        self._row_memo = row_memo
        self._stops = stops or ReadStops()
        self._counter = counter
        """The connection (and its lock) a count that reads every row runs on, so that
        the other reads of the pane (the detail of the first match) go on meanwhile."""
        self._lock = lock
        self._id_order = id_order
        self._ids_ordered: bool | None = None  # `id_order`, once asked (`_hit_order`)
        self._spec = spec
        self._query = q
        self._decode = decode
        self._select = select
        self._join = join
        self._memo_where = (spec.name, select, join, decode)  # a `RowMemo` key's other half
        self._in_sort = in_sort
        """Filters tested in the sort's index (`where_clause`)."""
        self._where, self._params = where_clause(spec, q, in_sort=in_sort)
        exprs = sort_exprs or {name: sort_terms(col) for name, col in spec.sorts.items()}
        self._sort_names = tuple(exprs)
        self._sort_name = q.sort if q.sort in exprs else self._sort_names[0]
        self._terms = exprs[self._sort_name]
        """The ORDER BY terms, before the id that breaks the last ties."""
        if not in_sort and spec.tested_in_sort.get(self._sort_name):
            # Few rows pass the filters: their own index finds them, then they are
            # sorted ("+": the order's index is not walked).
            self._terms = tuple(f"+{term}" for term in self._terms)
        self._sort = ", ".join(self._terms)
        self._desc = q.descending
        self._fetched_at = fetched_at
        self._count: int | None = count
        self._ids: list[int] | None = None
        self._dense = False
        """More matches than MATERIALIZE_MAX: paged from SQL, counted in SQL."""
        self._hit_count: tuple[int, int] | None = None  # (hits, counted up to)
        self._data_version: int | None = None
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
        """All rows of one long read, which this thread's read scope may end."""
        return self._stops.read(conn or self._conn, sql, params)

    def _from(self, *, text_index: bool = False, by_id: bool = False) -> str:
        """FROM ... WHERE of the view; `text_index`: through the '/' filter's covering
        index; `by_id`: through no index (the rows are found by id)."""
        hint = (
            f" INDEXED BY {self._spec.text_index}"
            if text_index and self._spec.text_index and not self._join
            else " NOT INDEXED"
            if by_id
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

    def _from_text_index(self, join: str = "JOIN") -> tuple[str, list[Any]]:
        """FROM ... WHERE for a '/' filter, and its parameters.

        Terms of three or more characters are looked up in the trigram index first
        (`search_index` holds each row's `search` text, so a match there is the same
        test as `instr`); the WHERE still checks every term, short ones included.
        Without such a term, or for a table that is not indexed, the covering index
        is scanned with `instr`. `join`: "CROSS JOIN" keeps the index's hits outermost.
        """
        code = self._spec.search_code
        long_terms = [term for term in fold(self._query.text).split() if len(term) >= 3]
        if code is None or not long_terms:
            return self._from(text_index=True), list(self._params)
        return (
            f"FROM search_index f {join} {self._spec.name} t ON t.id = (f.rowid >> 3) "
            f"{self._join} WHERE search_index MATCH ? AND (f.rowid & 7) = {code} "
            f"AND {self._where}",
            [fts_match(long_terms), *self._params],
        )

    def _order(self) -> str:
        """The view's ORDER BY terms with their direction, the id breaking ties."""
        direction = "DESC" if self._desc else "ASC"
        return ", ".join(f"{term} {direction}" for term in (*self._terms, "t.id"))

    def _materialize(self, *, counting: bool = False) -> list[int] | None:
        """For a '/' filter: the ids of every match in order, if there are few enough.

        One lookup in the trigram index (or one scan of the covering index, for short
        terms) finds the matches, in order, with their search texts; up to
        MATERIALIZE_MAX of them are kept, so paging and `index_of` are list lookups.
        More matches than that means the filter is not selective (the index's own hits
        tell, before any row is read), and the ordinary ordered index scan finds a
        page quickly. A filter typed forward from the previous one narrows its
        matches instead (`FilterMemo`). `counting`: the scan runs on the counting
        connection (`count`), so that the pane's other reads (the detail of the first
        match, on the UI thread) do not wait behind it.
        """
        if self._ids is not None or self._dense:
            return self._ids
        terms = fold(self._query.text).split()
        with self._lock:
            version = self._version()
            base = self._narrow_base()
            if base is None:
                indexed = self._indexed_terms()
                most = MATERIALIZE_MAX if indexed else SHORT_MATERIALIZE_MAX
                if indexed and self._hits() > most:
                    self._dense = True
                    return None
                join, order = self._hit_order() if indexed else ("JOIN", self._order())
                source, params = self._from_text_index(join)
        if base is not None:
            ids, texts = narrow(terms, *base)
        else:
            use = self._counter() if counting and self._counter else (self._conn, self._lock)
            with use[1]:
                ids, texts = self._stops.read_pairs(
                    use[0],
                    f"SELECT t.id, {self._spec.search()} {source} ORDER BY {order} LIMIT ?",
                    [*params, most + 1],
                )
            if len(ids) > most:
                self._dense = True
                return None
        if self._memo is not None:
            self._memo.remember(self._memo_key(), " ".join(terms), version, ids, texts)
        self._ids = ids
        self._count = len(ids)
        return ids

    def _version(self) -> int:
        """The connection's `PRAGMA data_version` (another connection's commit changes it)."""
        if self._data_version is None:
            with self._lock:
                row = self._conn.execute("PRAGMA data_version").fetchone()
            self._data_version = int(row[0])
        return self._data_version

    def _hits(self, most: int = MATERIALIZE_MAX) -> int:
        """The trigram index's hits of this table for the long terms, counted up to one
        over `most` (a keystroke asks about COUNT_NOW_MAX: the hits past it, 20,000 of
        a name at a million, are not its business). A few may be rows of another view,
        or hold the trigrams apart: more than the matches, never fewer."""
        known = self._hit_count
        if known is None or (known[0] > known[1] and most > known[1]):
            terms = [term for term in fold(self._query.text).split() if len(term) >= 3]
            with self._lock:
                hits = index_hits(self._conn, self._spec.search_code or 0, terms, most)
            known = self._hit_count = (hits, most)
        return known[0]

    def _walk_head(self, limit: int) -> list[int] | None:
        """The ids of the first `limit` matches among the first HEAD_WALK rows of the
        view's ordered index, or None when fewer match there (the matches are
        elsewhere: a name further down the list)."""
        base = dataclasses.replace(self._query, text="")
        where, params = where_clause(self._spec, base, in_sort=self._in_sort)
        terms = fold(self._query.text).split()
        keys = (*self._terms, "t.id")
        inner = ", ".join(f"{term} AS k{n}" for n, term in enumerate(keys))
        tests = " AND ".join("instr(w.s, ?) > 0" for _ in terms)
        sql = (
            f"SELECT w.k{len(keys) - 1} FROM (SELECT {inner}, {self._spec.search()} AS s "
            f"FROM {self._spec.name} t INDEXED BY {self._spec.text_index} WHERE {where} "
            f"ORDER BY {self._order()} LIMIT ?) w WHERE {tests} LIMIT ?"
        )
        with self._lock:
            found = self._fetch(sql, [*params, HEAD_WALK, *terms, limit])
        return [row[0] for row in found] if len(found) == limit else None

    def _first_ids(self, limit: int) -> list[int]:
        """The ids of the first `limit` matches of a filter with many, without finding
        the others: the first of the ordered index if they are there (a term found all
        over the view); else the index's hits sorted in SQL, which keeps only the first
        `limit` of them (no row of the rest leaves SQLite); or `narrow` with a limit."""
        with self._lock:
            if (base := self._narrow_base()) is not None:
                return narrow(fold(self._query.text).split(), *base, limit)[0]
            join, order = self._hit_order()
            if join == "JOIN" and self._hits() > MATERIALIZE_MAX and self._text_ordered():
                walked = self._walk_head(limit)
                if walked is not None:
                    return walked
            source, params = self._from_text_index("CROSS JOIN")
            found = self._fetch(f"SELECT t.id {source} ORDER BY {order} LIMIT ?", [*params, limit])
        return [row[0] for row in found]

    def _hit_order(self) -> tuple[str, str]:
        """The hits' join and ORDER BY: their own (id) order when the rows' ids follow
        the view's (`id_order`: one event's registrants as a swap put them, by name),
        so that the first matches are the first hits; else sorted."""
        if self._ids_ordered is None:
            self._ids_ordered = bool(self._id_order and self._text_ordered() and self._id_order())
        if self._ids_ordered:
            return "CROSS JOIN", f"f.rowid {'DESC' if self._desc else 'ASC'}"
        return "JOIN", self._order()

    def _memo_key(self) -> object:
        """What must match for one filter's matches to narrow another's: all but text."""
        return (self._spec.name, dataclasses.replace(self._query, text=""), self._sort, self._desc)

    def _narrow_base(self) -> tuple[list[int], list[str]] | None:
        """The remembered matches (and their texts) this filter narrows, if it extends
        the remembered one and its terms are all long enough for the trigram index."""
        terms = fold(self._query.text).split()
        if self._memo is None or not self._indexed_terms() or any(len(t) < 3 for t in terms):
            return None
        return self._memo.base(self._memo_key(), " ".join(terms), self._version())

    def count(self) -> int:
        """How many rows match (cached for the life of the view)."""
        if self._count is None and self._filtered():
            self._materialize(counting=True)
        if self._count is None:
            conn, lock = self._counter() if self._counter is not None else (self._conn, self._lock)
            source, params = (
                self._from_text_index()
                if self._indexed_terms()
                else (self._from(text_index=self._filtered()), self._params)
            )
            with lock:
                row = self._fetch(f"SELECT count(*) {source}", params, conn)[0]
            self._count = int(row[0])
        return self._count

    @property
    def quick_to_count(self) -> bool:
        """Whether `count()` is quick now: no filter, or one with a term of three or
        more characters (the trigram index) and few matches, or that narrows few
        remembered matches (`FilterMemo.NARROW_NOW_MAX`); else `head` comes first."""
        if self._count is not None or not self._filtered():
            return True
        if not self._indexed_terms():
            return False
        with self._lock:
            if (base := self._narrow_base()) is not None:
                return len(base[0]) <= FilterMemo.NARROW_NOW_MAX
            most = min(COUNT_NOW_MAX, MATERIALIZE_MAX)
            return self._hits(most) <= most

    def _indexed_terms(self) -> bool:
        """A '/' filter with a term the trigram index finds."""
        return self._spec.search_code is not None and any(
            len(term) >= 3 for term in fold(self._query.text).split()
        )

    def head(self, limit: int) -> list[T]:
        """The first `limit` rows, in order, without counting the matches first when
        that would take longer (`quick_to_count`).

        A short filter (one or two letters) reads them by an ordered index scan that
        stops at the `limit`-th match, where counting scans every row. A term the
        trigram index finds is resolved to its ordered matches (and counted) when
        they are few, or narrowed from the previous keystroke's few; when many (a
        name or domain thousands share), only the first `limit` are found
        (`_first_ids`), and `count` finds the rest."""
        if not self._indexed_terms():
            return self._page(0, limit)
        if self._ids is not None or self.quick_to_count:
            ids = self._materialize()
            if ids is not None:
                return self._by_ids(ids[:limit])
        return self._by_ids(self._first_ids(limit))

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
        """The rows with these ids, in this order (those read lately from `RowMemo`)."""
        if not page:
            return []
        memo, where = self._row_memo, self._memo_where
        known = {i: memo.get(self._version(), where, i) for i in page} if memo else {}
        wanted = [i for i in page if known.get(i) is None]
        if wanted:
            marks = ", ".join("?" * len(wanted))
            with self._lock:
                found = self._conn.execute(
                    f"SELECT t.id, {self._select} FROM {self._spec.name} t {self._join} "
                    f"WHERE t.id IN ({marks})",
                    wanted,
                ).fetchall()
            known.update(zip([row[0] for row in found], self._models(found), strict=True))
        return [known[i] for i in page if known.get(i) is not None]

    def _models(self, found: list[Any]) -> list[T]:
        """Rows read as (id, columns...) as models, a row read lately (`RowMemo`) as it was."""
        memo = self._row_memo
        if memo is None:
            return [self._decode(tuple(row[1:])) for row in found]
        where, version, models = self._memo_where, self._version(), []
        for row in found:
            model = memo.get(version, where, row[0])
            if model is None:
                model = self._decode(tuple(row[1:]))
                memo.put(version, where, row[0], model)
            models.append(model)
        return models

    def _page(self, offset: int, limit: int) -> list[T]:
        """Rows [offset, offset + limit) by an ordered scan of the view's index."""
        direction = "DESC" if self._desc else "ASC"
        order = ", ".join(f"{term} {direction}" for term in (*self._terms, "t.id"))
        sql = (
            f"SELECT t.id, {self._select} {self._from(text_index=self._text_ordered())} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        with self._lock:
            found = self._fetch(sql, [*self._params, limit, offset])
        return self._models(found)

    def index_of(self, key: str) -> int | None:
        """The position of the row with `key` in this view, or None."""
        with self._lock:
            hit = self._conn.execute(
                # By id: the planner walked every row of the event in an index of
                # it, its statistics being averages over events (issue 18).
                f"SELECT {self._sort}, t.id {self._from(by_id=True)} AND t.id IN "
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
