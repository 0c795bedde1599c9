"""Search covers everything cached: recordings and support sessions besides people,
meetings and events (issue 15.5), in the store that the palette and `lookup` read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.builders import T0, old_cache, put, registrant
from tui.core.models import Group, Provider, Recording, SupportSession
from tui.core.store.db import Store
from tui.core.store.fts import find_rows
from tui.core.store.schema import SCHEMA_VERSION

ZOOM_FILE = Recording(
    Provider.ZOOM,
    "file-1",
    "m9",
    "Quarterly board call (Audio only)",
    T0,
    None,
    12_345,
    "M4A",
    "m4a",
    event_title="Quarterly board call",
)
G2T_RECORDING = Recording(
    Provider.GOTO_TRAINING,
    "rec-7",
    "t1",
    "Onboarding, day one",
    T0,
    file_type="MP4",
    file_extension="mp4",
)
SESSION = SupportSession(
    Provider.GOTO_ASSIST,
    "uuid-1",
    "987654321",
    "FINISHED",
    T0,
    technician_email="tech.wong@example.com",
    notes="Printer driver crash\nafter the update",
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "p.sqlite3", "p")
    put(opened, "recordings:zoom", [ZOOM_FILE])
    put(opened, "recordings:goto_training", [G2T_RECORDING], "goto_training")
    put(opened, "support:goto_assist", [SESSION], "goto_assist")
    put(opened, "registrants:zoom:w1", [registrant(1, first="Wong", last="Tech")])
    yield opened
    opened.close()


def test_recordings_are_found_by_topic_and_file_name(store: Store) -> None:
    by_topic = store.search("board call")
    assert [(h.kind, h.key) for h in by_topic] == [("recording", "file-1")]
    hit = by_topic[0]
    assert (hit.title, hit.event_key, hit.event_title) == (
        "Quarterly board call (Audio only)",
        "m9",
        "Quarterly board call",
    )
    assert [h.key for h in store.search("audio only).m4a")] == ["file-1"]
    assert [h.key for h in store.search("day one.mp4")] == ["rec-7"]
    assert [h.key for h in store.search("onboarding", kinds=["recording"])] == ["rec-7"]


def test_support_sessions_are_found_by_key_notes_and_technician(store: Store) -> None:
    for query in ("987654321", "printer driver", "tech.wong"):
        hits = [(h.kind, h.key) for h in store.search(query, kinds=["support_session"])]
        assert hits == [("support_session", "uuid-1")], query
    hit = store.search("printer")[0]
    assert hit.title == "987654321 \u00b7 Printer driver crash"
    assert "tech.wong@example.com" in hit.subtitle and hit.status == "FINISHED"
    assert {h.kind for h in store.search("wong")} == {"registrant", "support_session"}


def test_a_whole_address_finds_the_technicians_sessions_too(store: Store) -> None:
    """The e-mail path (indexes, not trigrams) covers the sessions of a technician."""
    conn = sqlite3.connect(store.path)
    try:
        rows = find_rows(conn, None, "tech.wong@example.com")
    finally:
        conn.close()
    assert [(r.kind, r.key) for r in rows] == [("support_session", "uuid-1")]


def test_a_version_6_cache_finds_the_recordings_it_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old_cache(path, version=6)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO recordings (scope, provider, profile, fetched_at, key, search, data, "
        "event_key, start, sort_name) VALUES ('recordings:zoom', 'zoom', 'p', "
        "'2025-01-01T00:00:00.000000Z', 'f1', 'kickoff call', ?, 'm1', '', 'kickoff call')",
        ('{"provider":"zoom","key":"f1","event_key":"m1","name":"Kickoff call"}',),
    )
    conn.execute(
        "INSERT INTO support_sessions (scope, provider, profile, fetched_at, key, search, "
        "data, status, created) VALUES ('support:goto_assist', 'goto_assist', 'p', "
        "'2025-01-01T00:00:00.000000Z', 's1', '55501 vpn drops', ?, 'FINISHED', '')",
        (
            '{"provider":"goto_assist","key":"s1","support_key":"55501","status":"FINISHED",'
            '"created":"2025-01-01T00:00:00Z","notes":"VPN drops"}',
        ),
    )
    conn.close()

    store = Store.open(path, "p")
    try:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [(h.kind, h.key) for h in store.search("kickoff")] == [("recording", "f1")]
        assert [(h.kind, h.key) for h in store.search("vpn")] == [("support_session", "s1")]
    finally:
        store.close()


GROUPS = [
    Group(Provider.GOTO_MEETING, "g1", "Field Sales", "g1", "ACTIVE", 12),
    Group(Provider.GOTO_MEETING, "g2", "Nordics", "g1", "ACTIVE", 1, parent_name="Field Sales"),
]


def test_groups_are_found_by_name_and_parent(store: Store) -> None:
    put(store, "groups:goto_meeting", GROUPS, "goto_meeting")
    hits = store.search("nordics")
    assert [(h.kind, h.key, h.title, h.subtitle) for h in hits] == [
        ("group", "g2", "Nordics", "Field Sales \u00b7 1 organizer")
    ]
    by_parent = store.search("field sales", kinds=["group"])
    assert {(h.key, h.subtitle) for h in by_parent} == {
        ("g1", "12 organizers"),
        ("g2", "Field Sales \u00b7 1 organizer"),
    }
    # A new sync of the scope replaces its index rows: the old name is gone.
    put(store, "groups:goto_meeting", [GROUPS[0]], "goto_meeting")
    assert store.search("nordics") == []


def test_a_version_9_cache_finds_the_groups_it_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old_cache(path, version=9)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO organizer_groups (scope, provider, profile, fetched_at, key, search, "
        "data, sort_name, parent_key) VALUES ('groups:goto_meeting', 'goto_meeting', 'p', "
        "'2025-01-01T00:00:00.000000Z', 'g7', 'support desk g7', ?, 'support desk', 'g7')",
        (
            '{"provider":"goto_meeting","key":"g7","name":"Support desk","parent_key":"g7",'
            '"status":"ACTIVE","num_organizers":3}',
        ),
    )
    conn.close()

    store = Store.open(path, "p")
    try:
        assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        hits = store.search("support desk")
        assert [(h.kind, h.key, h.subtitle) for h in hits] == [("group", "g7", "3 organizers")]
    finally:
        store.close()
