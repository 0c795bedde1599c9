"""The write side: one sync scope's rows are staged, then swapped in one transaction.

A sync worker opens its own connection (`StoreWriter`) so the UI's reads never wait on
it (WAL: readers see the last committed state). Rows arrive page by page and are staged
in a private file (`StageFile`: on disk, not in memory, and gone if the process dies); `commit` then
deletes the scope's old rows and inserts the staged ones in one transaction, so a
reader sees the old set or the new set, never half. A failure (a full disk included)
rolls back and leaves the previous data as it was.
"""

# SQL here is assembled from this package's own table and column names only; every
# value travels as a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from tui.core.errors import StorageError
from tui.core.models import RegistrantStatus
from tui.core.pages import PlainRegistrants
from tui.core.store.codec import iso
from tui.core.store.plain_rows import staged_rows
from tui.core.store.schema import connect, storage_error
from tui.core.store.scopes import StatusTally, recount_events, scope_number, set_name_order
from tui.core.store.staging import (
    STAGE,
    StageFile,
    drop_registrant_indexes,
    encoded,
    index_rows,
    insert_registrants,
    insert_rows,
    insert_staged,
    key_of,
    repeats_a_key,
    staged_columns,
    stamp_success,
)
from tui.core.store.tables import ALL_TABLES, REGISTRANTS, TABLE_OF, TableSpec

_batch_ids = itertools.count(1)
# After a swap of this many rows the planner's statistics are refreshed.
_ANALYZE_ABOVE = 1000


class StoreWriter:
    """A write connection to the cache, for one thread (the sync worker's)."""

    def __init__(self, path: Path, profile: str) -> None:
        self.path = path
        self.profile = profile
        try:
            # 16 MiB of page cache (also what a swap's sort holds in memory): 32 cost
            # 34 MB more peak RSS in a 100k-row sync and saved no time.
            self._conn = connect(path, cache_kib=16384)
        except sqlite3.Error as exc:
            raise storage_error(path, exc) from None
        self.stage = StageFile(self._conn)

    def close(self) -> None:
        """Close the connection (staged, uncommitted rows are dropped)."""
        self._conn.close()

    def replace(self, scope: str, provider: str) -> ScopeBatch:
        """Start replacing every row of `scope`; nothing changes until `commit`."""
        return ScopeBatch(self, scope, provider)

    def record_error(
        self, scope: str, title: str, sentence: str, at: datetime | None = None
    ) -> None:
        """Remember that `scope` failed (its data and last success time stay)."""
        when = iso(at or datetime.now(UTC))
        self._run(
            "INSERT INTO sync_stamps (scope, fetched_at, error_title, error, error_at) "
            "VALUES (?, NULL, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET "
            "error_title = excluded.error_title, error = excluded.error, "
            "error_at = excluded.error_at",
            (scope, title, sentence, when),
        )

    def set_registrant_status(
        self,
        scope: str,
        keys: Iterable[str],
        status: RegistrantStatus | None,
        provider_status: str | None = None,
    ) -> int:
        """Apply a confirmed action to cached registrants of one scope, in one transaction.

        `status` None removes them (a cancelled registration); otherwise their status
        (and the provider's own spelling of it) changes. The event's counts follow.
        Returns how many rows changed.
        """
        wanted = list(dict.fromkeys(keys))
        changed = 0

        def body() -> None:
            nonlocal changed
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                where = f"{REGISTRANTS.in_scope()} AND key IN ({marks})"
                if status is None:
                    self._conn.execute(REGISTRANTS.unindex(where), (scope, *chunk))
                    cursor = self._conn.execute(
                        f"DELETE FROM registrants WHERE {where}", (scope, *chunk)
                    )
                else:
                    cursor = self._conn.execute(
                        "UPDATE registrants SET status = ?, data = json_set(data, "
                        f"'$.status', ?, '$.provider_status', ?) WHERE {where}",
                        (
                            status.value,
                            status.value,
                            provider_status or status.value,
                            scope,
                            *chunk,
                        ),
                    )
                changed += cursor.rowcount
            recount_events(self._conn, scope)
            self._conn.execute(
                "UPDATE sync_stamps SET items = (SELECT count(*) FROM "
                f"registrants WHERE {REGISTRANTS.in_scope()}) WHERE scope = ?",
                (scope, scope),
            )

        self._transaction(body)
        return changed

    def mark_cancelled_here(self, scope: str, cancelled: Mapping[str, datetime]) -> int:
        """Mark cached registrants of one scope CANCELLED, each at its time, in one
        transaction, keeping what the provider last said of them (its lists may lag).
        The event's counts follow. Returns how many rows changed."""
        changed = 0

        def body() -> None:
            nonlocal changed
            for key, when in cancelled.items():
                cursor = self._conn.execute(
                    "UPDATE registrants SET status = ?, data = json_set(data, '$.status', ?, "
                    f"'$.cancelled_here', ?) WHERE {REGISTRANTS.in_scope()} AND key = ?",
                    (
                        RegistrantStatus.CANCELLED.value,
                        RegistrantStatus.CANCELLED.value,
                        when.isoformat(),
                        scope,
                        key,
                    ),
                )
                changed += cursor.rowcount
            recount_events(self._conn, scope)

        self._transaction(body)
        return changed

    def upsert(
        self, scope: str, provider: str, models: Iterable[Any], fetched_at: datetime | None = None
    ) -> int:
        """Add or replace single rows of a scope (a just-created item), keeping the rest."""
        rows = list(models)
        when = iso(fetched_at or datetime.now(UTC))

        def body() -> None:
            for row in rows:
                model, data, _cut = encoded(row)
                spec = TABLE_OF[type(model)]
                key = key_of(model, 0)
                mine = f"{spec.in_scope()} AND key = ?"
                if spec.search_code is not None:
                    self._conn.execute(spec.unindex(mine), (scope, key))
                self._conn.execute(f"DELETE FROM {spec.name} WHERE {mine}", (scope, key))
                search, *columns = spec.extract(model)
                names = ", ".join((*spec.base, *spec.columns))
                marks = ", ".join("?" * (len(spec.base) + len(spec.columns)))
                base: tuple[Any, ...] = (scope, provider, self.profile, when, key, search, data)
                if spec is REGISTRANTS:
                    base = (scope_number(self._conn, scope), provider, key, search, data)
                cursor = self._conn.execute(
                    f"INSERT INTO {spec.name} ({names}) VALUES ({marks})", (*base, *columns)
                )
                if spec.search_code is not None:
                    self._conn.execute(spec.index("id = ?"), (cursor.lastrowid,))
            if any(TABLE_OF[type(model)] is REGISTRANTS for model in rows):
                set_name_order(self._conn, scope, kept=False)
                recount_events(self._conn, scope)

        self._transaction(body)
        return len(rows)

    def remove(self, model: type[Any], provider: str, keys: Iterable[str]) -> int:
        """Delete the rows of `model`'s table with these keys, in every scope (a meeting
        just deleted); returns how many went."""
        spec = TABLE_OF[model]
        doomed = list(keys)
        removed = 0

        def body() -> None:
            nonlocal removed
            for key in doomed:
                if spec.search_code is not None:
                    self._conn.execute(spec.unindex("provider = ? AND key = ?"), (provider, key))
                cursor = self._conn.execute(
                    f"DELETE FROM {spec.name} WHERE provider = ? AND key = ?", (provider, key)
                )
                removed += cursor.rowcount

        self._transaction(body)
        return removed

    def drop_scopes(self, scopes: Iterable[str]) -> None:
        """Delete the rows and stamps of scopes that no longer exist (a deleted event)."""
        doomed = list(scopes)
        if not doomed:
            return

        def body() -> None:
            for scope in doomed:
                self._delete_scope(scope)

        self._transaction(body)

    def _delete_scope(self, scope: str) -> None:
        for spec in ALL_TABLES:
            self._delete_rows(spec, scope)
        self._conn.execute("DELETE FROM event_counts WHERE scope = ?", (scope,))
        self._conn.execute("DELETE FROM sync_stamps WHERE scope = ?", (scope,))
        self._conn.execute("DELETE FROM registrant_scopes WHERE scope = ?", (scope,))

    def _delete_rows(self, spec: TableSpec, scope: str) -> None:
        if spec.search_code is not None:
            self._conn.execute(spec.unindex(spec.in_scope()), (scope,))
        self._conn.execute(f"DELETE FROM {spec.name} WHERE {spec.in_scope()}", (scope,))

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        try:
            self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc) from None

    def _transaction(self, body: Callable[[], None]) -> None:
        """Run `body` inside BEGIN IMMEDIATE ... COMMIT; roll back on any failure."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc) from None
        try:
            body()
            self._conn.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise storage_error(self.path, exc) from None
            raise

    def analyze(self) -> None:
        """Refresh the query planner's statistics (sampled, so it takes milliseconds)."""
        try:
            self._conn.execute("PRAGMA analysis_limit = 400")
            self._conn.execute("ANALYZE")
        except sqlite3.Error:
            pass  # statistics are an optimisation; a failure here changes no data

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (tests use it to simulate a full disk)."""
        return self._conn


class ScopeBatch:
    """The staged rows of one scope; `commit` swaps them in, `abort` drops them.

    Use as a context manager: leaving the block with an exception aborts.
    """

    def __init__(self, writer: StoreWriter, scope: str, provider: str) -> None:
        self._writer = writer
        self._conn = writer.connection
        self.scope = scope
        self.provider = provider
        self._id = next(_batch_ids)
        self._staged: dict[str, str] = {}
        self._counts: defaultdict[str, int] = defaultdict(int)
        self._tally = StatusTally()
        self._done = False
        self.cut = 0
        """Text values cut to the store's limit (codec.TEXT_LIMIT) so far."""

    def __enter__(self) -> ScopeBatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._done:
            self.abort()

    @property
    def count(self) -> int:
        """Rows staged so far."""
        return sum(self._counts.values())

    def _stage_table(self, spec: TableSpec) -> str:
        name = self._staged.get(spec.name)
        if name is None:
            name = f"stage_{self._id}_{spec.name}"
            columns = ", ".join((*staged_columns(spec), *spec.columns))
            if not self._staged:
                self._writer.stage.enter()
            self._staged[spec.name] = name  # (before: `_drop_stage` leaves the file)
            self._conn.execute(
                f"CREATE TABLE {STAGE}.{name} AS SELECT {columns} FROM main.{spec.name} WHERE 0"
            )
        return name

    def add(self, models: Iterable[Any]) -> None:
        """Stage models (any mix of domain types; each goes to its own table), or a
        page of registrants' plain values (`PlainRegistrants`)."""
        by_table: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
        specs: dict[str, TableSpec] = {}
        if isinstance(models, PlainRegistrants):
            specs[REGISTRANTS.name] = REGISTRANTS
            by_table[REGISTRANTS.name] = staged_rows(models, lambda r: self._row(r, 0)[1])
            models = ()
        for row in models:
            spec, staged = self._row(row, len(by_table[TABLE_OF[type(row)].name]))
            specs[spec.name] = spec
            by_table[spec.name].append(staged)
        try:
            for name, values in by_table.items():
                spec = specs[name]
                table = self._stage_table(spec)
                width = len(staged_columns(spec)) + len(spec.columns)
                insert_rows(self._conn, table, width, values)
                self._counts[name] += len(values)
                if spec is REGISTRANTS:
                    self._tally.add(values)
        except sqlite3.Error as exc:
            self.abort()
            raise storage_error(self._writer.path, exc) from None

    def _row(self, row: Any, pending: int) -> tuple[TableSpec, tuple[Any, ...]]:
        """The table of `row` and its staged values (`pending`: rows of its table
        before it in this call)."""
        model, data, cut = encoded(row)
        self.cut += cut
        spec = TABLE_OF[type(model)]
        search, *columns = spec.extract(model)
        key = key_of(model, self._counts[spec.name] + pending)
        if spec is REGISTRANTS:
            return spec, (model.provider.value, key, search, data, *columns)
        return spec, (
            self.scope,
            model.provider.value,
            self._writer.profile,
            "",
            key,
            search,
            data,
            *columns,
        )

    def commit(self, fetched_at: datetime | None = None, note: str | None = None) -> int:
        """Replace the scope's rows with the staged ones, atomically; return how many
        rows the scope now holds (a registrant staged twice, a listing restarted after an
        expired page token, counts once).

        `note` (what the rows leave out) is kept on the scope's stamp until its next
        successful sync.
        """
        if self._done:
            raise StorageError("This batch was already committed or aborted.")
        when = iso(fetched_at or datetime.now(UTC))
        items = self.count

        def swap() -> None:
            staged = self._counts[REGISTRANTS.name]
            rebuilt = drop_registrant_indexes(self._conn, self.scope, staged)
            # A big swap takes each person as coming once (keys unsorted), else goes again.
            self._conn.execute("SAVEPOINT fresh")
            if fill(rebuilt, distinct=not rebuilt):
                self._conn.execute("ROLLBACK TO fresh")
                fill(rebuilt, distinct=True)
            self._conn.execute("RELEASE fresh")

        def fill(rebuilt: list[str], *, distinct: bool) -> bool:
            """The swap after the indexes' drop; whether a registrant went in twice."""
            nonlocal items
            items = self.count
            fresh_registrants = None
            inserted, once = 0, False  # once: each staged registrant went in (nobody twice)
            for spec in ALL_TABLES:
                self._writer._delete_rows(spec, self.scope)
                staged = self._staged.get(spec.name)
                if staged is None:
                    continue
                columns = ", ".join((*spec.base, *spec.columns))
                # New rows' ids will be above every id left after the delete.
                below = self._conn.execute(f"SELECT max(id) FROM {spec.name}").fetchone()[0] or 0
                if spec is REGISTRANTS:
                    fresh_registrants = below
                    picked = ", ".join(("?", *staged_columns(spec), *spec.columns))
                    number = scope_number(self._conn, self.scope)
                    inserted = insert_registrants(
                        self._conn, staged, columns, picked, number, distinct=distinct
                    )
                    set_name_order(self._conn, self.scope, kept=True)
                    items -= self._counts[spec.name] - inserted
                    once = inserted == self._counts[spec.name]
                else:
                    insert_staged(self._conn, spec, staged, when)
                if spec.search_code is not None:
                    index_rows(self._conn, spec, below, self.scope, bulk=bool(rebuilt))
            for statement in rebuilt:
                self._conn.execute(statement)
            if not distinct and repeats_a_key(self._conn, fresh_registrants or 0, inserted):
                return True
            if once:
                self._tally.write(self._conn, self.scope)
            else:
                recount_events(self._conn, self.scope, fresh_registrants)
            stamp_success(self._conn, self.scope, when, items, note)
            return False

        try:
            self._writer._transaction(swap)
        finally:
            self._drop_stage()
        if items >= _ANALYZE_ABOVE:
            self._writer.analyze()
        return items

    def abort(self) -> None:
        """Drop the staged rows; the scope keeps its previous data."""
        self._drop_stage()

    def _drop_stage(self) -> None:
        self._done = True
        if self._staged:
            self._writer.stage.leave(list(self._staged.values()))
        self._staged.clear()
