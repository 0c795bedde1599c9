"""A big swap builds the registrants' indexes afresh (issue 18: inserting 100,000 rows
into a dozen indexes was most of a big webinar's swap); a small one updates them."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from tests.support.builders import put, registrant, webinar
from tui.core.models import Provider, Registrant, RegistrantStatus
from tui.core.store.db import Store
from tui.core.store.staging import StageFile
from tui.core.store.views import ViewQuery

BIG = 12_000
STATUSES = (RegistrantStatus.PENDING, RegistrantStatus.APPROVED, RegistrantStatus.DENIED)


def _indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        found = dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' "
                "AND tbl_name = 'registrants' AND sql IS NOT NULL"
            ).fetchall()
        )
    conn.close()
    return found


def _index_bytes(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        (total,) = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_schema "
            "WHERE type = 'index' AND tbl_name = 'registrants')"
        ).fetchone()
    conn.close()
    return int(total)


def _people(event: str, count: int, start: int = 0) -> list[Registrant]:
    return [
        registrant(
            i,
            event,
            first=f"N{(i * 7919) % 1000:03d}",
            status=STATUSES[i % 3],
        )
        for i in range(start, start + count)
    ]


def test_a_swap_that_brings_most_of_the_table_builds_its_indexes_afresh(
    tmp_path: Path,
) -> None:
    """The same indexes, the same rows found through each, and pages full: a first sync
    of a big webinar leaves indexes about a tenth smaller than rows inserted one by one
    into them (368 bytes a registrant here, 332 built afresh)."""
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    before = _indexes(path)
    try:
        put(store, "events:zoom", [webinar("w1"), webinar("w2", "Other")])
        put(store, "registrants:zoom:w2", _people("w2", 50, start=100_000))
        put(store, "registrants:zoom:w1", _people("w1", BIG))
        assert _indexes(path) == before
        assert store.integrity_ok()
        assert _index_bytes(path) / BIG < 345
        by_status = store.registrants(
            ViewQuery(event_key="w1", status=RegistrantStatus.DENIED, sort="email")
        )
        assert by_status.count() == BIG // 3
        emails = [r.email for r in by_status.rows(0, 50)]
        assert emails == sorted(emails)
        assert store.registrant("r4321", event_key="w1") is not None
        assert [h.key for h in store.search("n000.lee0@example.com")] == ["r0"]
        # Synced again (a swap of most of the table again), then a small scope.
        put(store, "registrants:zoom:w1", _people("w1", BIG + 5))
        put(store, "registrants:zoom:w2", _people("w2", 40, start=100_000))
        assert _indexes(path) == before
        assert store.integrity_ok()
        everyone = store.registrants(ViewQuery(sort="name"))
        assert everyone.count() == BIG + 5 + 40
        names = [r.name.casefold() for r in everyone.rows(0, 200)]
        assert names == sorted(names)
        assert store.registrants(ViewQuery(event_key="w2")).count() == 40
    finally:
        store.close()


def test_a_big_swap_keeps_more_search_entries_pending_and_sets_the_option_back(
    tmp_path: Path,
) -> None:
    """Issue 18: FTS5 writes its pending entries out every 1 MiB and merges what it
    wrote; a swap that rebuilds the registrants' indexes keeps 16 MiB pending (in its
    own transaction, set back before it commits); a small swap leaves the option alone.
    Every registrant is found either way."""
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    try:
        put(store, "events:zoom", [webinar("w1"), webinar("w2", "Other")])
        writer = store.writer()
        sizes: list[str] = []
        writer.connection.set_trace_callback(
            lambda sql: (
                sizes.append(sql)
                if sql.startswith("INSERT INTO search_index (search_index, rank)")
                else None
            )
        )
        for scope, people in (
            ("registrants:zoom:w1", _people("w1", BIG)),
            ("registrants:zoom:w2", _people("w2", 30, start=100_000)),
        ):
            with writer.replace(scope, "zoom") as batch:
                batch.add(people)
                batch.commit()
            if scope.endswith("w1"):
                assert len(sizes) == 2  # set, then set back
        writer.close()
        assert len(sizes) == 2  # the small swap left it alone
        conn = sqlite3.connect(path)
        try:
            kept = conn.execute("SELECT v FROM search_index_config WHERE k = 'hashsize'").fetchall()
        finally:
            conn.close()
        assert kept in ([], [(1 << 20,)])  # FTS5's default
        assert [h.key for h in store.search("n000.lee0@example.com")] == ["r0"]
        assert [h.key for h in store.search("n919.lee100001")] == ["r100001"]
        assert store.integrity_ok()
    finally:
        store.close()


def test_staged_rows_are_inserted_a_hundred_a_statement_in_their_order(
    tmp_path: Path,
) -> None:
    """Issue 18: `executemany` steps once per row and lets go of the GIL around each step,
    so a thread parsing the next page held the staging back row by row. A page of 251
    goes in as three statements (100, 100, 51), in its order: the last of a person
    listed twice still wins."""
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    try:
        put(store, "events:zoom", [webinar("w1")])
        writer = store.writer()
        inserts: list[str] = []

        def traced(sql: str) -> None:
            if sql.startswith("INSERT INTO stage_"):
                inserts.append(sql)

        writer.connection.set_trace_callback(traced)
        people = _people("w1", 250)
        batch = writer.replace("registrants:zoom:w1", "zoom")
        batch.add([*people, replace(people[7], first_name="Later")])
        writer.connection.set_trace_callback(None)
        assert len(inserts) == 3
        batch.commit()
        writer.close()
        assert store.registrants(ViewQuery(event_key="w1")).count() == 250
        later = store.registrant("r7", event_key="w1")
        assert later is not None and later.first_name == "Later"
        first = store.registrant("r0", event_key="w1")
        assert first == people[0]
        # Ids follow name, then key, by the kept row's own name ("Later" for r7).
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute("SELECT sort_name, key FROM registrants ORDER BY id").fetchall()
        finally:
            conn.close()
        assert rows == sorted(rows) and len(rows) == 250
        assert [key for name, key in rows if name.startswith("later")] == ["r7"]
    finally:
        store.close()


def test_a_person_staged_twice_is_counted_once(tmp_path: Path) -> None:
    """A sync's listing remembers no keys (a restarted Zoom listing yields its first
    pages again): the swap keeps each person once, and the count it returns and writes
    on the scope's stamp is of the rows kept, not of the rows staged."""
    store = Store.open(tmp_path / "p.sqlite3", "p")
    try:
        put(store, "events:zoom", [webinar("w1")])
        writer = store.writer()
        people = _people("w1", 120)
        batch = writer.replace("registrants:zoom:w1", "zoom")
        batch.add(people)
        batch.add(people[:30])  # the listing restarted: its first page again
        assert batch.count == 150
        assert batch.commit() == 120
        writer.close()
        stamp = store.stamp("registrants:zoom:w1")
        assert stamp is not None and stamp.items == 120
        assert store.registrants(ViewQuery(event_key="w1")).count() == 120
    finally:
        store.close()


def _attached(writer_conn: sqlite3.Connection) -> list[str]:
    return [row[1] for row in writer_conn.execute("PRAGMA database_list")]


def test_batches_stage_in_a_private_file_that_goes_when_the_last_one_ends(
    tmp_path: Path,
) -> None:
    """Issue 18: dropping a big staged table after its swap walked every page of it; the
    rows are staged in a private attached file instead, detached (deleted at once) when
    no batch of the writer is open. Batches open side by side (the sync stages several
    scopes at a time) each keep theirs until their own end."""
    store = Store.open(tmp_path / "p.sqlite3", "p")
    try:
        put(store, "events:zoom", [webinar("w1"), webinar("w2")])
        writer = store.writer()
        conn = writer.connection
        first = writer.replace("registrants:zoom:w1", "zoom")
        second = writer.replace("registrants:zoom:w2", "zoom")
        assert "stage" not in _attached(conn)  # nothing staged yet
        first.add(_people("w1", 30))
        second.add(_people("w2", 20))
        assert "stage" in _attached(conn)
        assert first.commit() == 30
        assert "stage" in _attached(conn)  # the second batch still stages there
        second.add(_people("w2", 20, 20))
        assert second.commit() == 40
        assert "stage" not in _attached(conn)
        aborted = writer.replace("registrants:zoom:w1", "zoom")
        aborted.add(_people("w1", 5))
        aborted.abort()
        assert "stage" not in _attached(conn)
        assert conn.execute("SELECT count(*) FROM temp.sqlite_schema").fetchone() == (0,)
        writer.close()
        assert store.registrants(ViewQuery(event_key="w1")).count() == 30
        assert store.registrants(ViewQuery(event_key="w2")).count() == 40
    finally:
        store.close()


class _DetachFails:
    """A connection whose DETACH fails while `failing` (as with a statement open on
    the file)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.failing = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql.startswith("DETACH") and self.failing:
            raise sqlite3.OperationalError("database stage is locked")
        return self.conn.execute(sql, *args)


def test_a_batch_that_cannot_detach_the_file_drops_its_table_and_the_next_detaches(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "p.sqlite3", isolation_level=None)
    try:
        failing = _DetachFails(conn)
        stage = StageFile(cast(sqlite3.Connection, failing))
        stage.enter()
        conn.execute("CREATE TABLE stage.staged_1 (x)")
        stage.leave(["staged_1"])
        assert "stage" in _attached(conn)
        assert conn.execute("SELECT count(*) FROM stage.sqlite_schema").fetchone() == (0,)
        stage.enter()  # still attached: not attached twice
        conn.execute("CREATE TABLE stage.staged_2 (x)")
        failing.failing = False
        stage.leave(["staged_2"])
        assert "stage" not in _attached(conn)
    finally:
        conn.close()


def test_a_big_swap_keeps_the_last_of_a_person_listed_twice(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A big swap inserts its rows as if each person came once (their names sorted, not
    their keys too, issue 18) and counts the keys along the key's index it has just
    built: a person staged twice sends it round again, keeping the last row of each,
    as a small swap does. The usual big swap goes round once."""
    monkeypatch.setattr("tui.core.store.staging.REBUILD_ABOVE", 50)
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    try:
        put(store, "events:zoom", [webinar("w1"), webinar("w2")])
        writer = store.writer()
        traced: list[str] = []
        writer.connection.set_trace_callback(traced.append)
        people = _people("w1", 120)
        batch = writer.replace("registrants:zoom:w1", "zoom")
        batch.add(people)
        batch.add([*people[:30], replace(people[7], first_name="Later")])
        assert batch.commit() == 120
        assert traced.count("ROLLBACK TO fresh") == 1
        traced.clear()
        once = writer.replace("registrants:zoom:w2", "zoom")
        once.add(_people("w2", 200, start=500))
        assert once.commit() == 200
        assert "ROLLBACK TO fresh" not in traced and "SAVEPOINT fresh" in traced
        writer.close()
        assert set(_indexes(path)) >= {"registrants_key", "registrants_filter"}
        stamp = store.stamp("registrants:zoom:w1")
        assert stamp is not None and stamp.items == 120
        assert store.registrants(ViewQuery(event_key="w1")).count() == 120
        later = store.registrant("r7", event_key="w1")
        assert later is not None and later.first_name == "Later"
        assert store.counts(Provider.ZOOM, "w1") == {
            status: sum(p.status is status for p in people) for status in STATUSES
        }
        assert store.counts(Provider.ZOOM, "w2")[RegistrantStatus.PENDING] == 67
        with sqlite3.connect(path) as conn:
            rows = conn.execute(
                "SELECT sort_name, key FROM registrants WHERE event_key = 'w1' ORDER BY id"
            ).fetchall()
        conn.close()
        assert rows == sorted(rows) and len(rows) == 120
        assert [key for name, key in rows if name.startswith("later")] == ["r7"]
        assert store.integrity_ok()
    finally:
        store.close()
