"""The e-mail address path of the search (`meetdeck lookup EMAIL`) and its index.

A whole address is read through the e-mail indexes instead of the trigram index; what
it finds must be what the trigram search finds for that query, in the same order, save
other addresses that hold this one. Anything else takes the trigram search.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import T0, old_cache, organizer, put, registrant, training, webinar
from tui.cmd.lookup import open_cache
from tui.core.models import (
    Meeting,
    MeetingKind,
    Organizer,
    Provider,
    RegistrantStatus,
    Training,
    Webinar,
)
from tui.core.store import packing
from tui.core.store.codec import encode
from tui.core.store.db import Store
from tui.core.store.fts import email_address, email_rows, find_rows, search_rows
from tui.core.store.hits import (
    REGISTRANT_FETCHED_AT,
    SearchKind,
    SearchRow,
    picked,
    to_row,
    to_rows,
)
from tui.core.store.schema import SCHEMA_VERSION
from tui.core.store.views import ViewQuery

OLGA = "Olga.Ivanova@Example.com"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A cache with registrants, organizers, a meeting and webinars; a read connection."""
    store = Store.open(tmp_path / "p.sqlite3", "p")
    put(store, "organizers:zoom", [organizer("u1", "host@example.com")])
    put(
        store,
        "organizers:goto_meeting",
        [Organizer(Provider.GOTO_MEETING, "o1", OLGA, "Olga", "Ivanova")],
        provider="goto_meeting",
    )
    put(
        store,
        "meetings:goto_meeting",
        [
            Meeting(
                Provider.GOTO_MEETING,
                "m1",
                MeetingKind.UPCOMING,
                "Weekly sync",
                T0,
                organizer_key="o1",
                organizer_email=OLGA,
                organizer_name="Olga Ivanova",
            ),
            Meeting(
                Provider.GOTO_MEETING,
                "m2",
                MeetingKind.UPCOMING,
                "Board",
                T0,
                organizer_key="o1",
                organizer_name="Olga Ivanova",
            ),  # no address in it
        ],
        provider="goto_meeting",
    )
    put(
        store,
        "events:zoom",
        [
            webinar("w1"),
            webinar("w2", topic="Launch"),
            Webinar(
                Provider.ZOOM,
                "w3",
                "Ünïcode \x1b[31m draft",
                None,
                host_key="u1",
                host_email="host@example.com",
            ),
        ],
    )
    put(
        store,
        "registrants:zoom:w1",
        [
            registrant(1, email="Zoë.Müller@Example.com", first="Zoë", last="Müller"),
            registrant(2, email="ann.lee2@example.com"),
            registrant(3, email="joann.lee2@example.com", first="Jo"),
            registrant(
                5,
                email="host@example.com",
                first="Hana",
                last="Host",
                status=RegistrantStatus.APPROVED,
            ),
        ],
    )
    put(
        store,
        "registrants:zoom:w2",
        [
            registrant(4, "w2", email="ZOE.MULLER@example.com", first="Zoe", last="Muller"),
        ],
    )
    store.close()
    conn = sqlite3.connect(tmp_path / "p.sqlite3")
    yield conn
    conn.close()


def keys(rows: list[SearchRow]) -> list[tuple[str, str]]:
    return [(r.kind, r.key) for r in rows]


def test_an_address_is_found_whatever_its_case_and_accents(cache: sqlite3.Connection) -> None:
    for query in ("zoe.muller@example.com", "ZOË.Müller@EXAMPLE.COM", "  zoe.MULLER@example.com "):
        found = email_rows(cache, None, query)
        assert found is not None
        assert keys(found) == [("registrant", "r1"), ("registrant", "r4")]
        # Same rows, same values, same order as the trigram search of the same text.
        assert found == search_rows(cache, None, query) == find_rows(cache, None, query)
    row = find_rows(cache, None, "zoe.muller@example.com")[0]
    assert (row.title, row.subtitle, row.event_key, row.status) == (
        "Zoë Müller",
        "Zoë.Müller@Example.com",
        "w1",
        "pending",
    )


def test_an_organizers_address_brings_their_meetings_and_webinars(
    cache: sqlite3.Connection,
) -> None:
    host = email_rows(cache, None, "HOST@example.com")
    assert host is not None
    assert keys(host) == [
        ("registrant", "r5"),
        ("organizer", "u1"),
        ("webinar", "w1"),
        ("webinar", "w2"),
        ("webinar", "w3"),
    ]
    assert host == search_rows(cache, None, "HOST@example.com")
    assert host[-1].title == "Ünïcode \x1b[31m draft" and host[-1].subtitle == ""  # no start
    olga = email_rows(cache, None, OLGA)
    assert olga is not None
    # m2 is Olga's too, but its text holds no address: the trigram search misses it too.
    assert keys(olga) == [("organizer", "o1"), ("meeting", "m1")]
    assert olga == search_rows(cache, None, OLGA)
    assert olga[1].subtitle == "2025-03-01 09:00 · Olga Ivanova"


def test_kinds_status_and_limit_narrow_the_address_path(cache: sqlite3.Connection) -> None:
    address = "host@example.com"
    cases: list[tuple[list[SearchKind] | None, str | None, int]] = [
        (["webinar"], None, 50),
        (["organizer", "meeting"], None, 50),
        (None, "approved", 50),
        (None, "pending", 50),
        (None, None, 2),
        (["training"], None, 50),
    ]
    for kinds, status, limit in cases:
        exact = email_rows(cache, None, address, kinds=kinds, status=status, limit=limit)
        assert exact == search_rows(
            cache, None, address, kinds=kinds, status=status, limit=limit
        ), (kinds, status, limit)
    assert keys(email_rows(cache, None, address, limit=2) or []) == [
        ("registrant", "r5"),
        ("organizer", "u1"),
    ]
    assert email_rows(cache, None, address, status="pending") == []
    assert find_rows(cache, None, address, limit=0) == []


def test_partial_and_unknown_addresses_and_names_take_the_trigram_search(
    cache: sqlite3.Connection,
) -> None:
    for query in ("zoe.muller@", "@example.com", "muller", "Zoe Muller", "zoe@muller@x"):
        assert email_address(query) is None
        assert email_rows(cache, None, query) is None
    for query in ("zoe.muller@exam", "oe.muller@example.com", "nobody@example.com"):
        assert email_address(query) == query
        assert email_rows(cache, None, query) == []  # no row has exactly this address
    for query in (
        "zoe.muller@",
        "@example.com",
        "muller",
        "Zoe Muller",
        "zoe.muller@exam",
        "oe.muller@example.com",
        "nobody@example.com",
    ):
        assert find_rows(cache, None, query, limit=200) == search_rows(
            cache, None, query, limit=200
        ), query
    assert keys(find_rows(cache, None, "oe.muller@example.com")) == [
        ("registrant", "r1"),
        ("registrant", "r4"),
    ]
    assert find_rows(cache, None, "nobody@example.com") == []


def test_other_addresses_holding_the_address_are_left_out_once_it_is_found(
    cache: sqlite3.Connection,
) -> None:
    """The one difference from the trigram search, on purpose: `ann.lee2@example.com`
    is that person, not also `joann.lee2@example.com`."""
    assert keys(search_rows(cache, None, "ann.lee2@example.com")) == [
        ("registrant", "r2"),
        ("registrant", "r3"),
    ]
    assert keys(find_rows(cache, None, "ann.lee2@example.com")) == [("registrant", "r2")]
    assert keys(find_rows(cache, None, "joann.lee2@example.com")) == [("registrant", "r3")]


def test_the_address_path_reads_registrants_through_their_email_index(
    cache: sqlite3.Connection,
) -> None:
    for analyzed in (False, True):  # sync runs ANALYZE on large caches
        if analyzed:
            cache.execute("ANALYZE")
        plan = " ".join(
            str(row)
            for row in cache.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM registrants t WHERE t.email = 'x@y' "
                "ORDER BY t.id"
            )
        )
        assert "registrants_email" in plan and "TEMP B-TREE" not in plan, plan


def _indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'registrants'"
            )
        }


@pytest.mark.parametrize("version", [1, 2, 3])
def test_an_old_cache_gets_the_filter_index_in_name_order(tmp_path: Path, version: int) -> None:
    """Version 4: the '/' filter's covering index is in name order within an event, so
    a short filter's first page is an ordered scan of the index alone."""
    path = tmp_path / "old.sqlite3"
    old_cache(path, version)
    store = Store.open(path, "p", create=False)
    try:
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        view = store.registrants(ViewQuery(event_key="w1", text="an"))
        assert [r.key for r in view.head(5)] == ["r1"] and store.integrity_ok()
        assert any(
            "INDEXED BY registrants_filter" in sql and "ORDER BY" in sql for sql in statements
        )
        statements.clear()
        # Another order cannot come from it: the ordinary index for that order.
        by_email = store.registrants(ViewQuery(event_key="w1", text="an", sort="email"))
        assert [r.key for r in by_email.head(5)] == ["r1"]
        assert not any("INDEXED BY" in sql and "ORDER BY" in sql for sql in statements)
        store._conn.set_trace_callback(None)
        plan = " ".join(
            str(row)
            for row in store._conn.execute(
                "EXPLAIN QUERY PLAN SELECT t.data FROM registrants t "
                "INDEXED BY registrants_filter WHERE t.event_key = 'w1' "
                "AND instr(t.search, 'an') > 0 ORDER BY t.sort_name, t.id LIMIT 64"
            )
        )
    finally:
        store.close()
    assert "TEMP B-TREE" not in plan, plan
    with sqlite3.connect(path) as conn:
        columns = [row[2] for row in conn.execute("PRAGMA index_info(registrants_filter)")]
    conn.close()
    assert columns[:4] == ["event_key", "sort_name", "id", "search"]
    assert {"status", "email", "registered_at"} <= set(columns)


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_cache_gains_the_email_index_and_keeps_its_rows(
    tmp_path: Path,
    version: int,
) -> None:
    path = tmp_path / "old.sqlite3"
    old_cache(path, version)
    assert "registrants_email" not in _indexes(path)

    conn, notice = open_cache(str(path))  # what `meetdeck lookup` does
    try:
        assert notice is None
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = find_rows(conn, None, "ANN@example.com")
        assert keys(rows) == [("registrant", "r1")] and rows[0].subtitle == "Ann@Example.com"
    finally:
        conn.close()
    assert "registrants_email" in _indexes(path)
    assert "registrants_event_email" in _indexes(path)  # the older indexes stay

    other = tmp_path / "other.sqlite3"
    old_cache(other, version)
    store = Store.open(other, "p", create=False)  # the app's road migrates the same way
    try:
        assert store.notice is None and store.integrity_ok()
        assert [h.key for h in store.search("ann@example.com")] == ["r1"]
    finally:
        store.close()
    assert "registrants_email" in _indexes(other)


def test_lookup_opens_a_current_cache_directly_and_sets_a_broken_one_aside(
    tmp_path: Path,
) -> None:
    current = tmp_path / "current.sqlite3"
    Store.open(current, "p").close()
    before = current.stat().st_mtime_ns
    conn, notice = open_cache(str(current))
    conn.close()
    assert notice is None and current.stat().st_mtime_ns == before

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all \x00\xff" * 300)
    conn, notice = open_cache(str(broken))
    conn.close()
    assert notice is not None and "moved aside" in notice
    assert any(p.name.startswith("broken.sqlite3.corrupt-") for p in tmp_path.iterdir())


def _reference(kind: SearchKind, data: dict[str, Any], fetched_at: str) -> SearchRow:
    """What a hit was built from before: the whole stored JSON, decoded by json."""
    if kind == "training":
        times = data.get("times") or []
        data = {**data, "times[0][0]": times[0][0] if times else None}
    return to_row(kind, data, fetched_at)


def test_hits_read_in_sql_equal_hits_from_the_decoded_json(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.sqlite3", "p")
    put(
        store,
        "organizers:zoom",
        [organizer("u1", "host@example.com"), Organizer(Provider.ZOOM, "u2", "x@example.com")],
    )
    put(
        store,
        "events:zoom",
        [
            webinar("w1", topic='Q&A "live" 🎤 \x1b[2J'),
            Webinar(Provider.ZOOM, "w3", "No start", None),
        ],
    )
    put(
        store,
        "events:goto_training",
        [training("t1"), Training(Provider.GOTO_TRAINING, "t2", "No sessions yet")],
        provider="goto_training",
    )
    put(
        store,
        "meetings:goto_meeting",
        [
            Meeting(
                Provider.GOTO_MEETING,
                "m1",
                MeetingKind.HISTORICAL,
                "Retro",
                T0,
                organizer_email="olga@example.com",
            )
        ],
        provider="goto_meeting",
    )
    put(
        store,
        "registrants:zoom:w1",
        [
            registrant(1, first="山田", last="", email="yamada@example.com"),
            registrant(2, first='Ann "A"', last="Lee\u202e", event_title="Q&A 🎤"),
        ],
    )
    store.close()
    conn = sqlite3.connect(tmp_path / "p.sqlite3")
    try:
        tables: list[tuple[SearchKind, str]] = [
            ("registrant", "registrants"),
            ("organizer", "organizers"),
            ("meeting", "meetings"),
            ("training", "events"),
            ("webinar", "events"),
        ]
        for kind, table in tables:
            narrow = f" WHERE t.kind = '{kind}'" if table == "events" else ""
            sql = f"FROM {table} t{narrow} ORDER BY t.id"
            read = to_rows(kind, conn.execute(f"SELECT {picked(kind)} {sql}").fetchall())
            # A registrant's row splits its model over columns, `data` and `more`
            # (schema 11): the reference is the whole model as JSON, as it was stored.
            decoded = (
                [
                    _reference(kind, json.loads(encode(packing.unpack(row))), row[-1])
                    for row in conn.execute(
                        f"SELECT {packing.SELECT}, {REGISTRANT_FETCHED_AT} {sql}"
                    )
                ]
                if kind == "registrant"
                else [
                    _reference(kind, json.loads(data), fetched)
                    for data, fetched in conn.execute(f"SELECT t.data, t.fetched_at {sql}")
                ]
            )
            assert read == decoded and read, kind
        found = search_rows(conn, None, "o", kinds=["training"])
        assert [(r.key, r.subtitle) for r in found] == [("t1", "2025-03-01 09:00"), ("t2", "")]
    finally:
        conn.close()
