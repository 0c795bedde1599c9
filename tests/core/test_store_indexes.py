"""Schema 15: ten registrant indexes (issue 18: a big sync builds each afresh); a status
filter in e-mail or registration time order is tested in that order's index; a swap
writes its events' counts from what it staged."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.builders import T0, put, registrant, registrants_of_old, webinar
from tui.core.models import Registrant, RegistrantStatus
from tui.core.store.db import Store
from tui.core.store.schema import SCHEMA_VERSION, migrate
from tui.core.store.scopes import recount_events
from tui.core.store.views import ViewQuery

STATUSES = (RegistrantStatus.PENDING, RegistrantStatus.APPROVED, RegistrantStatus.DENIED)

#: Each registrant index and its columns, as schema 15 has them.
INDEXES = {
    "registrants_scope": ["sid"],
    "registrants_key": ["key"],
    "registrants_email": ["email", "id", "status"],
    "registrants_filter": [
        "event_key",
        "sort_name",
        "id",
        "search",
        "status",
        "email",
        "registered_at",
    ],
    "registrants_event_status_name": ["event_key", "status", "sort_name"],
    "registrants_event_email": ["event_key", "email", "id", "status"],
    "registrants_event_registered": ["event_key", "registered_at", "id", "status"],
    "registrants_name": ["sort_name"],
    "registrants_registered": ["registered_at", "id", "status"],
    "registrants_status_name": ["status", "sort_name"],
}


def _indexes(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'registrants'"
        )
    ]
    return {
        name: [row[2] for row in conn.execute(f"PRAGMA index_info('{name}')")] for name in names
    }


def _people(event: str, count: int) -> list[Registrant]:
    """Names and registration times shared by several (ties broken by id)."""
    return [
        replace(
            registrant(i, event, first=f"N{(i * 7919) % 1000:03d}", status=STATUSES[i % 3]),
            registered_at=T0 + timedelta(seconds=(i * 37) % 500),
        )
        for i in range(count)
    ]


def test_a_version_14_cache_gets_the_ten_indexes_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, to=14)
    assert len(_indexes(conn)) == 12
    people = [registrant(i, "w1", first=f"P{i % 7}", status=STATUSES[i % 3]) for i in range(30)]
    registrants_of_old(conn, people)
    conn.close()
    store = Store.open(path, "p", create=False)
    try:
        assert store.notice is None and store.integrity_ok()
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _indexes(store._conn) == INDEXES
        denied = store.registrants(
            ViewQuery(event_key="w1", status=RegistrantStatus.DENIED, sort="email")
        )
        assert [r.key for r in denied.rows(0, 50)] == [
            r.key
            for r in sorted(people, key=lambda r: r.email)
            if r.status is RegistrantStatus.DENIED
        ]
    finally:
        store.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(tmp_path_factory.mktemp("indexes") / "p.sqlite3", "p")
    put(opened, "events:zoom", [webinar("w1"), webinar("w2", "Other")])
    put(opened, "registrants:zoom:w1", _people("w1", 3000))
    left = [
        replace(person, status=RegistrantStatus.UNREGISTERED) for person in _people("w2", 306)[300:]
    ]
    put(opened, "registrants:zoom:w2", [*_people("w2", 300), *left])
    yield opened
    opened.close()


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("event", ["w1", None])
@pytest.mark.parametrize("sort", ["email", "registered"])
def test_a_status_filter_is_tested_in_the_index_of_the_order(
    store: Store, sort: str, event: str | None, descending: bool
) -> None:
    """The page is read from the order's index, which holds the status: the rows of
    other statuses are passed over there, without reading them (a deep page of an
    event's denied registrants by registration time read all 100,000 of its rows)."""
    query = ViewQuery(
        event_key=event, status=RegistrantStatus.DENIED, sort=sort, descending=descending
    )
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        page = store.registrants(query).rows(200, 100)
    finally:
        store._conn.set_trace_callback(None)
    (ordered,) = [sql for sql in statements if "ORDER BY" in sql]
    plan = " | ".join(str(row[3]) for row in store._conn.execute(f"EXPLAIN QUERY PLAN {ordered}"))
    assert "TEMP B-TREE" not in plan, plan
    (index,) = [name for name in INDEXES if re.search(rf"INDEX {name}\b", plan)]
    assert "status" in _indexes(store._conn)[index][1:], plan
    everyone = store.registrants(ViewQuery(event_key=event, sort=sort, descending=descending))
    expected = [r.key for r in everyone.rows(0, 4000) if r.status is RegistrantStatus.DENIED]
    assert [r.key for r in page] == expected[200:300]


def test_a_swap_writes_the_counts_a_recount_finds(tmp_path: Path) -> None:
    """The counts tallied while staging (several events in one scope, every status,
    two providers) are the ones counting the stored rows gives."""
    store = Store.open(tmp_path / "p.sqlite3", "p")
    try:
        people = [
            registrant(i, f"w{i % 4}", status=list(RegistrantStatus)[i % len(RegistrantStatus)])
            for i in range(400)
        ]
        put(store, "registrants:zoom:w0", people)
        conn = store._conn
        tallied = conn.execute("SELECT * FROM event_counts ORDER BY event_key").fetchall()
        assert len(tallied) == 4 and sum(sum(row[3:]) for row in tallied) == 400
        conn.execute("BEGIN IMMEDIATE")
        recount_events(conn, "registrants:zoom:w0")
        recounted = conn.execute("SELECT * FROM event_counts ORDER BY event_key").fetchall()
        conn.execute("ROLLBACK")
        assert tallied == recounted
    finally:
        store.close()


@pytest.mark.parametrize("event", ["w2", None])
@pytest.mark.parametrize("sort", ["email", "registered"])
def test_a_status_few_have_is_found_by_its_own_index(
    store: Store, sort: str, event: str | None
) -> None:
    """Six people who left, in e-mail or registration time order: the status's index
    finds them and they are sorted (few), instead of a walk of the order's index past
    every other row (a quarter of a second for a million registrants)."""
    query = ViewQuery(event_key=event, status=RegistrantStatus.UNREGISTERED, sort=sort)
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        page = store.registrants(query).rows(0, 50)
    finally:
        store._conn.set_trace_callback(None)
    (ordered,) = [sql for sql in statements if "ORDER BY" in sql]
    plan = " | ".join(str(row[3]) for row in store._conn.execute(f"EXPLAIN QUERY PLAN {ordered}"))
    assert "status=?" in plan, plan
    everyone = store.registrants(ViewQuery(event_key=event, sort=sort)).rows(0, 4000)
    expected = [r.key for r in everyone if r.status is RegistrantStatus.UNREGISTERED]
    assert [r.key for r in page] == expected and len(page) == 6
