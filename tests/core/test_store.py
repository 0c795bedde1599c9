"""The cache: round trips, paged views, search, migrations, set-aside files, atomic swaps."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import T0, meeting, organizer, put, registrant, training, webinar
from tui.core.errors import StorageError
from tui.core.models import (
    MeetingKind,
    Provider,
    Recording,
    RegistrantStatus,
    SupportSession,
)
from tui.core.store import filter_state, query
from tui.core.store.db import Store
from tui.core.store.schema import SCHEMA_VERSION, NoCache, migrate
from tui.core.store.views import ViewQuery


def quick(view: Any) -> bool:
    """Whether the view's count is cheap now (read afresh: counting changes it)."""
    return bool(view.quick_to_count)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "cache" / "p.sqlite3", "p")
    yield opened
    opened.close()


def test_a_new_file_is_wal_and_current(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.notice is None and store.integrity_ok()


def test_every_entity_round_trips(store: Store) -> None:
    r = registrant(
        1,
        custom_questions=(("Company", "ACME"),),
        extra={"city": "Köln"},
        join_url="https://example.invalid/j/1",
        event_title="Quarterly all-hands",
    )
    rec = Recording(Provider.ZOOM, "rec1", "m9", "Kickoff.mp4", T0, None, 12_345, "MP4")
    sess = SupportSession(
        Provider.GOTO_ASSIST,
        "uuid-1",
        "123456789",
        "FINISHED",
        T0,
        technician_email="tech@example.com",
        recorded=True,
    )
    put(store, "organizers:zoom", [organizer()])
    put(store, "events:zoom", [webinar()])
    put(store, "events:goto_training", [training()], "goto_training")
    put(store, "meetings:goto_meeting", [meeting()], "goto_meeting")
    put(store, "registrants:zoom:w1", [r])
    put(store, "recordings:zoom", [rec])
    put(store, "support:goto_assist", [sess], "goto_assist")

    assert store.registrants().rows(0, 10) == [r]
    assert store.organizers().rows(0, 10) == [organizer()]
    assert store.meetings().rows(0, 10) == [meeting()]
    assert store.recordings().rows(0, 10) == [rec]
    assert store.support_sessions().rows(0, 10) == [sess]
    events = store.events(ViewQuery(sort="title")).rows(0, 10)
    assert [e.source for e in events] == [training(), webinar()]
    zoom_event = events[1]
    assert (zoom_event.registrants, zoom_event.pending, zoom_event.title) == (
        1,
        1,
        "Quarterly all-hands",
    )
    assert events[0].registrants is None  # never synced
    assert store.registrant("r1", event_key="w1") == r
    assert store.counts(Provider.ZOOM, "w1")[RegistrantStatus.PENDING] == 1


def test_views_filter_sort_page_and_find(store: Store) -> None:
    statuses = list(RegistrantStatus)
    put(
        store,
        "registrants:zoom:w1",
        [registrant(i, status=statuses[i % 3], last=f"N{i:03d}") for i in range(300)],
    )
    put(store, "registrants:zoom:w2", [registrant(i, "w2") for i in range(7)])

    everything = store.registrants(ViewQuery(event_key="w1"))
    assert everything.count() == 300
    pending = store.registrants(ViewQuery(event_key="w1", status=RegistrantStatus.PENDING))
    assert pending.count() == 100
    page = pending.rows(10, 5)
    assert [r.key for r in page] == [f"r{i}" for i in range(30, 45, 3)]
    assert all(r.status is RegistrantStatus.PENDING for r in pending.rows(0, 100))
    assert pending.index_of("r33") == 11 and pending.index_of("r1") is None

    newest = store.registrants(ViewQuery(event_key="w1", sort="registered", descending=True))
    assert [r.key for r in newest.rows(0, 2)] == ["r299", "r298"]
    assert newest.index_of("r0") == 299
    assert newest.rows(299, 50) and newest.rows(300, 50) == []
    assert store.registrants(ViewQuery(event_key="w2")).count() == 7
    assert store.registrants().count() == 307
    assert set(everything.sort_columns) >= {"name", "email", "registered", "status"}


@pytest.mark.parametrize("materialize_max", [20_000, 3])
def test_the_slash_filter_is_accent_and_case_blind(
    store: Store, monkeypatch: pytest.MonkeyPatch, materialize_max: int
) -> None:
    monkeypatch.setattr(query, "MATERIALIZE_MAX", materialize_max)
    people = [
        registrant(1, first="Zoë", last="Åberg"),
        registrant(2, first="ZOE", last="Ng"),
        registrant(3, first="山田太郎", last=""),
        registrant(4, first="Bob", last="Fox"),
        registrant(5, first="Zoey", last="Park"),
    ]
    put(store, "registrants:zoom:w1", people)
    view = store.registrants(ViewQuery(event_key="w1", text="zoe", sort="name"))
    assert [r.key for r in view.rows(0, 10)] == ["r1", "r2", "r5"]
    assert view.count() == 3 and view.index_of("r5") == 2 and view.index_of("r4") is None
    assert store.registrants(ViewQuery(text="山田")).count() == 1
    assert store.registrants(ViewQuery(text="zoe aberg")).count() == 1
    assert store.registrants(ViewQuery(text="nobody")).rows(0, 5) == []


def _keys(view: object) -> list[str]:
    return [r.key for r in view.rows(0, 1000)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("sort", "descending"), [(None, False), ("email", True)])
def test_a_filter_typed_forward_narrows_to_the_same_rows_as_a_fresh_read(
    store: Store, sort: str | None, descending: bool
) -> None:
    """Each keystroke narrows the previous one's matches (the memo); the rows, their
    order and the count equal what a connection without the memo reads."""
    firsts = ["Noah", "Noa", "Nora", "Ana", "Noah"]
    lasts = ["Andersson", "Anders", "Berg", "Noack", "Lee"]
    people = [registrant(i, first=firsts[i % 5], last=lasts[(i // 5) % 5]) for i in range(1, 120)]
    put(store, "registrants:zoom:w1", people)
    put(store, "registrants:zoom:w2", [registrant(200, "w2", first="Noah", last="Andersson")])
    fresh = Store.open(store.path, "p", create=False)
    counts: dict[str, int] = {}
    try:
        for typed in (
            "noa",
            "noah",
            "noah.",
            "noah.a",
            "noah.anders",
            "noah anders",
            "no",
            "noack",
            "xyz",
        ):
            q = ViewQuery(event_key="w1", text=typed, sort=sort, descending=descending)
            narrowed, plain = store.registrants(q), fresh.registrants(q)
            assert narrowed.count() == plain.count(), typed
            assert _keys(narrowed) == _keys(plain), typed
            counts[typed] = narrowed.count()
            fresh.close()
            fresh = Store.open(store.path, "p", create=False)  # never a memo there
        # Each step narrowed something, and nothing from event w2 leaked in.
        assert counts["noa"] > counts["noah"] > counts["noah.anders"] > 0
        assert counts["xyz"] == 0
        assert store.registrants(ViewQuery(event_key="w2", text="noah.andersson")).count() == 1
    finally:
        fresh.close()


def test_narrowing_reads_neither_the_trigram_index_nor_the_rows(store: Store) -> None:
    """A filter typed forward tests the remembered matches' texts: no SQL beyond the
    page of rows (the index lookup cost 1.5-2.5 ms a keystroke at 100,000)."""
    put(
        store,
        "registrants:zoom:w1",
        [registrant(i, first="Noah" if i % 2 else "Ann") for i in range(1, 40)],
    )
    assert store.registrants(ViewQuery(event_key="w1", text="noa")).count() == 20
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        assert store.registrants(ViewQuery(event_key="w1", text="noah")).count() == 20
    finally:
        store._conn.set_trace_callback(None)
    assert not any("search_index" in sql for sql in statements), statements
    assert not any("JOIN registrants" in sql or "FROM registrants" in sql for sql in statements), (
        statements
    )


def test_many_remembered_matches_give_their_first_rows_before_the_count(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past NARROW_NOW_MAX remembered matches, a keystroke narrows only the head of
    them for its first rows (a chunk, not all 22,000 "ngozi" of a million); the count
    narrows the rest after, and rows, order and count are a fresh read's."""
    monkeypatch.setattr(filter_state.FilterMemo, "NARROW_NOW_MAX", 10)
    monkeypatch.setattr(filter_state, "HEAD_CHUNK", 8)
    people = [registrant(i, first="Noah" if i % 3 else "Noa", last=f"Lee{i}") for i in range(1, 60)]
    put(store, "registrants:zoom:w1", people)
    assert store.registrants(ViewQuery(event_key="w1", text="noa")).count() == 59
    fresh = Store.open(store.path, "p", create=False)  # never a memo there
    try:
        q = ViewQuery(event_key="w1", text="noah")
        typed, plain = store.registrants(q), fresh.registrants(q)
        assert not quick(typed)
        tested: list[int] = []
        real_narrow = filter_state.narrow

        def counted(terms: list[str], ids: list[int], texts: list[str], limit: Any = None) -> Any:
            tested.append(len(ids) if limit is None else 0)
            return real_narrow(terms, ids, texts, limit)

        monkeypatch.setattr(filter_state, "narrow", counted)  # the chunks' calls
        head = [r.key for r in typed.head(5)]
        assert sum(tested) < 59  # the head of the remembered matches, not all of them
        assert head == _keys(plain)[:5]
        assert typed.count() == plain.count() == 40 and quick(typed)
        assert _keys(typed) == _keys(plain)
    finally:
        fresh.close()


def test_a_write_between_keystrokes_is_not_hidden_by_the_narrowing(store: Store) -> None:
    put(
        store,
        "registrants:zoom:w1",
        [registrant(1, first="Noah", last="Lee"), registrant(2, first="Ann", last="Lee")],
    )
    assert store.registrants(ViewQuery(event_key="w1", text="noa")).count() == 1
    # The sync (another connection) adds a match of the longer filter.
    put(
        store,
        "registrants:zoom:w1",
        [
            registrant(1, first="Noah", last="Lee"),
            registrant(2, first="Ann", last="Lee"),
            registrant(3, first="Noah", last="Fox"),
        ],
    )
    assert _keys(store.registrants(ViewQuery(event_key="w1", text="noah"))) == ["r3", "r1"]


def test_search_accents_cjk_and_email_prefixes(store: Store) -> None:
    put(
        store,
        "registrants:zoom:w1",
        [
            registrant(1, first="Zoë", last="Åberg"),
            registrant(2, first="山田太郎", last="", email="taro@example.jp"),
            registrant(3, first="John", last="Doe", email="john.doe@corp.example"),
            registrant(4, first="Johanna", last="Smith", status=RegistrantStatus.APPROVED),
        ],
    )
    put(store, "events:zoom", [webinar(topic="Zoë's product tour")])
    put(store, "organizers:zoom", [organizer(email="john.host@example.com")])

    assert {(h.kind, h.key) for h in store.search("Zoe")} == {
        ("registrant", "r1"),
        ("webinar", "w1"),
    }
    assert [h.key for h in store.search("山田")] == ["r2"]
    assert [h.key for h in store.search("太郎")] == ["r2"]
    assert [h.key for h in store.search("john.do")] == ["r3"]
    assert {h.kind for h in store.search("john")} == {"registrant", "organizer"}
    assert [h.key for h in store.search("joh", kinds=["organizer"])] == ["u1"]
    approved = store.search("jo", status=RegistrantStatus.APPROVED)
    assert [h.key for h in approved] == ["r4"]
    hit = store.search("taro@")[0]
    assert (hit.provider, hit.event_key, hit.status) == (Provider.ZOOM, "w1", "pending")
    assert hit.fetched_at is not None
    for hostile in ['"', "AND", "OR NOT", "*", "a:b", "NEAR(x y)", "'; DROP TABLE x"]:
        store.search(hostile)  # FTS syntax in a query is text, never an error


def test_replacing_a_scope_swaps_rows_atomically(store: Store) -> None:
    put(store, "registrants:zoom:w1", [registrant(i) for i in range(2_000)])
    new = [registrant(i + 10_000, status=RegistrantStatus.APPROVED) for i in range(3_000)]
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        reader = Store.open(store.path, "p")
        while not done.is_set():
            seen.add(reader.registrants(ViewQuery(event_key="w1")).count())
        reader.close()

    thread = threading.Thread(target=read)
    thread.start()
    writer = store.writer()
    with writer.replace("registrants:zoom:w1", "zoom") as batch:
        for start in range(0, 3_000, 300):
            batch.add(new[start : start + 300])
        batch.commit()
    done.set()
    thread.join()
    writer.close()
    assert seen <= {2_000, 3_000} and 2_000 in seen
    assert store.registrants(ViewQuery(event_key="w1")).count() == 3_000
    assert store.search("ann", limit=5)[0].key.startswith("r1")  # index follows the swap
    assert store.counts(Provider.ZOOM, "w1") == {
        RegistrantStatus.PENDING: 0,
        RegistrantStatus.APPROVED: 3_000,
        RegistrantStatus.DENIED: 0,
    }


def test_a_swap_orders_equal_names_by_key_whatever_order_pages_came_in(store: Store) -> None:
    """Rows are stored in name order, ties by the provider's key, so equal names show
    in the same order after every sync (Zoom's statuses arrive in any order); a person
    listed twice keeps what the later page said."""
    writer = store.writer()
    with writer.replace("registrants:zoom:w1", "zoom") as batch:
        batch.add([registrant(3, status=RegistrantStatus.DENIED), registrant(1)])
        batch.add([registrant(2, first="Ann", last="Lee"), registrant(0, first="Bea")])
        batch.add([registrant(1, status=RegistrantStatus.APPROVED)])
        batch.commit()
    writer.close()
    rows = store.registrants(ViewQuery(event_key="w1")).rows(0, 9)
    assert [r.key for r in rows] == ["r1", "r2", "r3", "r0"]
    assert rows[0].status is RegistrantStatus.APPROVED
    assert [h.key for h in store.search("ann lee", limit=9)] == ["r1", "r2", "r3"]


def test_an_aborted_batch_changes_nothing(store: Store) -> None:
    put(store, "registrants:zoom:w1", [registrant(1)])
    writer = store.writer()
    with pytest.raises(RuntimeError), writer.replace("registrants:zoom:w1", "zoom") as batch:
        batch.add([registrant(2), registrant(3)])
        raise RuntimeError("the API failed half way")
    writer.close()
    assert [r.key for r in store.registrants().rows(0, 9)] == ["r1"]


def test_a_full_disk_raises_storage_error_and_keeps_the_data(store: Store) -> None:
    put(store, "registrants:zoom:w1", [registrant(i) for i in range(50)])
    writer = store.writer()
    pages = writer.connection.execute("PRAGMA page_count").fetchone()[0]
    writer.connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    batch = writer.replace("registrants:zoom:w1", "zoom")
    batch.add([registrant(i, first="X" * 500) for i in range(2_000)])
    with pytest.raises(StorageError) as caught:
        batch.commit()
    assert "full" in caught.value.sentence
    writer.close()
    assert store.registrants().count() == 50 and store.integrity_ok()


def test_failures_are_stamped_without_losing_the_last_success(store: Store) -> None:
    put(store, "events:zoom", [webinar()], when=T0)
    writer = store.writer()
    writer.record_error("events:zoom", "Service unavailable", "Zoom answered 503.")
    writer.record_error("support:goto_assist", "Not signed in", "Sign in.")
    stamp = store.stamp("events:zoom")
    assert stamp is not None and stamp.fetched_at == T0 and stamp.failed
    assert stamp.error == "Zoom answered 503." and stamp.items == 1
    assert store.events().fetched_at == T0 and store.events().count() == 1
    never = store.stamp("support:goto_assist")
    assert never is not None and never.fetched_at is None and never.failed
    put(store, "events:zoom", [webinar()])
    stamp = store.stamp("events:zoom")
    assert stamp is not None and not stamp.failed and stamp.fetched_at != T0
    writer.drop_scopes(["events:zoom"])
    writer.close()
    assert store.events().count() == 0 and store.stamp("events:zoom") is None


def test_ages_follow_the_scopes_behind_a_view(store: Store) -> None:
    assert store.meetings().fetched_at is None
    put(store, "meetings:goto_meeting", [meeting()], "goto_meeting", when=T0)
    later = T0.replace(hour=12)
    put(
        store,
        "historical:goto_meeting",
        [meeting("h1", kind=MeetingKind.HISTORICAL)],
        "goto_meeting",
        when=later,
    )
    assert store.meetings(ViewQuery(kind=MeetingKind.UPCOMING)).fetched_at == T0
    assert store.meetings(ViewQuery(kind=MeetingKind.HISTORICAL)).fetched_at == later
    assert store.meetings(ViewQuery(kind=MeetingKind.HISTORICAL)).count() == 1
    assert store.registrants(ViewQuery(event_key="w1")).fetched_at is None


def test_an_old_file_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, to=1)
    conn.execute(
        "INSERT INTO registrants (scope, provider, profile, fetched_at, key, search, data, "
        "event_key, event_kind, status) VALUES ('registrants:zoom:w1', 'zoom', 'p', "
        "'2025-01-01T00:00:00.000000Z', 'r1', 'ann lee', ?, 'w1', 'webinar', 'pending')",
        (
            '{"provider":"zoom","key":"r1","event_key":"w1","event_kind":"webinar",'
            '"email":"ann@example.com","first_name":"Ann","last_name":"Lee",'
            '"status":"pending","provider_status":"pending"}',
        ),
    )
    conn.execute(
        "INSERT INTO sync_stamps VALUES ('registrants:zoom:w1', '2025-01-01T00:00:00.000000Z')"
    )
    conn.close()

    store = Store.open(path, "p")
    assert store.notice is None
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r.email for r in store.registrants().rows(0, 5)] == ["ann@example.com"]
    assert store.counts(Provider.ZOOM, "w1")[RegistrantStatus.PENDING] == 1
    stamp = store.stamp("registrants:zoom:w1")
    assert stamp is not None and stamp.items == 1 and not stamp.failed
    store.close()


@pytest.mark.parametrize("content", ["newer", "garbage", "foreign"])
def test_a_newer_or_corrupt_file_is_set_aside_and_rebuilt(tmp_path: Path, content: str) -> None:
    path = tmp_path / "p.sqlite3"
    if content == "garbage":
        path.write_bytes(b"this is not a database \x00\xff" * 200)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE mine (x)")
        if content == "newer":
            conn.execute("PRAGMA user_version = 99")
        conn.commit()
        conn.close()
    original = path.read_bytes()

    store = Store.open(path, "p")
    assert store.notice is not None and "moved aside" in store.notice
    aside = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("p.sqlite3.") and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(aside) == 1 and aside[0].read_bytes() == original
    assert ("newer" if content == "newer" else "corrupt") in aside[0].name
    put(store, "events:zoom", [webinar()])
    assert store.events().count() == 1 and store.integrity_ok()
    store.close()


def test_opening_without_create_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(NoCache) as caught:
        Store.open(tmp_path / "none.sqlite3", "p", create=False)
    assert "meetdeck sync" in caught.value.sentence
    assert not (tmp_path / "none.sqlite3").exists()


def test_an_unwritable_folder_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        Store.open(blocker / "sub" / "p.sqlite3", "p")


def test_an_events_registrant_count_comes_from_the_kept_counts_and_agrees(
    store: Store,
) -> None:
    """An event's unfiltered registrants view takes its row count from `event_counts`
    (no COUNT over 100,000 rows on Enter); it must agree with the rows after every kind
    of write: a swap, a status change, an upsert."""
    statuses = list(RegistrantStatus)
    put(store, "registrants:zoom:w1", [registrant(i, status=statuses[i % 3]) for i in range(90)])
    put(
        store,
        "registrants:goto_training:w1",
        [registrant(i + 500, provider=Provider.GOTO_TRAINING) for i in range(4)],
        provider="goto_training",
    )
    writer = store.writer()
    try:
        writer.set_registrant_status("registrants:zoom:w1", ["r0", "r3"], RegistrantStatus.DENIED)
        writer.upsert("registrants:zoom:w1", "zoom", [registrant(900), registrant(901)])
    finally:
        writer.close()

    def counted(q: ViewQuery) -> int:
        params = [q.event_key]
        sql = "SELECT count(*) FROM registrants WHERE event_key = ?"
        if q.status is not None:
            sql += " AND status = ?"
            params.append(q.status.value)
        if q.provider is not None:
            sql += " AND provider = ?"
            params.append(q.provider.value)
        with sqlite3.connect(store.path) as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    for status in (None, *statuses):
        for provider in (None, Provider.ZOOM, Provider.GOTO_TRAINING):
            q = ViewQuery(event_key="w1", status=status, provider=provider)
            view = store.registrants(q)
            assert view._count is not None  # known before any COUNT ran
            assert view.count() == counted(q) == len(view.rows(0, 1_000)), q
    assert store.registrants(ViewQuery(event_key="nothing")).count() == 0
    assert store.registrants(ViewQuery(event_key="w1", text="ann")).count() == 96


def test_a_short_filter_shows_its_first_rows_before_counting(store: Store) -> None:
    """One or two letters cannot use the trigram index: `head` reads the first rows by
    an ordered scan that stops at once, the same rows `rows` gives after counting."""
    put(
        store,
        "registrants:zoom:w1",
        [registrant(i, first=("Ann" if i % 2 else "Bob"), last=f"N{i:04d}") for i in range(500)],
    )
    short = store.registrants(ViewQuery(event_key="w1", text="an", sort="name"))
    assert not quick(short)
    head = short.head(64)
    assert short._count is None  # nothing counted yet
    assert [r.key for r in head] == [r.key for r in short.rows(0, 64)]
    assert short.count() == 250 and quick(short)
    assert store.registrants(ViewQuery(event_key="w1", text="ann")).quick_to_count
    assert store.registrants(ViewQuery(event_key="w1")).quick_to_count


def test_names_sort_from_their_first_letter() -> None:
    """Markup, escapes and quotes at the start of a name do not put it first."""
    from tui.core.store.folding import sort_key

    assert sort_key("[bold]Eve[/bold] [red]Mallory") == "bold]eve[/bold] [red]mallory"
    assert sort_key("\x1b[2J\x1b[31mTrudy Escape") == "j\x1b[31mtrudy escape"
    assert sort_key("'Ána") == "ana"
    assert sort_key("Zoë") == "zoe"
    assert sort_key("2024") == "2024"  # no letter: as it folds
    names = ["[@click=app.quit]x Markup", "Ada Lovelace", "\x1b[2J\x1b[31mTrudy", "Björn"]
    assert sorted(names, key=sort_key)[:2] == ["Ada Lovelace", "Björn"]
