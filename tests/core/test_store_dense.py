"""A '/' filter with more matches than the store resolves up front (MATERIALIZE_MAX,
lowered here): its first rows come before any count, in the pane's order, and a
count can be ended from the reading thread, or from another one while it runs."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Callable

import pytest

from tests.support.builders import put, registrant
from tui.core.store import filter_state, fts, query
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery


@pytest.fixture
def store(empty_store: Store) -> Store:
    return empty_store


def fill(store: Store) -> None:
    """400 people: every other one an "Ann" (all over the list), and 60 "Ngozi"s who
    sort together after the rest."""
    people = [
        registrant(i, first=("Ann" if i % 2 else "Bob"), last=f"A{i:04d}") for i in range(340)
    ]
    people += [registrant(1000 + i, first="Zed", last=f"Ngozi {i:03d}") for i in range(60)]
    put(store, "registrants:zoom:w1", people)


def quick(view: object) -> bool:
    """`quick_to_count` read afresh (it changes as the view counts)."""
    return bool(view.quick_to_count)  # type: ignore[attr-defined]


def expected(store: Store, text: str) -> list[str]:
    """Every match's key in the pane's order, resolved whole (the cap not reached)."""
    return [r.key for r in store.registrants(ViewQuery(event_key="w1", text=text)).rows(0, 1000)]


def test_a_dense_term_shows_its_first_rows_before_counting(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(store)
    every_ann = expected(store, "ann")
    assert len(every_ann) == 170
    monkeypatch.setattr(query, "MATERIALIZE_MAX", 20)
    view = store.registrants(ViewQuery(event_key="w1", text="ann", sort="name"))
    head = [r.key for r in view.head(10)]
    assert head == every_ann[:10]
    counted_with_rows = view.quick_to_count
    assert not counted_with_rows  # the count is still to come, after the rows
    assert view.count() == 170 and view.quick_to_count
    assert [r.key for r in view.rows(0, 1000)] == every_ann


def test_a_dense_term_far_down_the_list_is_read_in_order(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matches past the first HEAD_WALK rows: the index's hits sorted in SQL, which
    hands back only the first rows; the count comes after them."""
    fill(store)
    every_ngozi = expected(store, "ngozi")
    assert len(every_ngozi) == 60
    monkeypatch.setattr(query, "MATERIALIZE_MAX", 20)
    monkeypatch.setattr(query, "HEAD_WALK", 100)
    view = store.registrants(ViewQuery(event_key="w1", text="ngozi", sort="name"))
    assert [r.key for r in view.head(10)] == every_ngozi[:10]
    assert not quick(view)  # the count is still to come, after the rows
    assert view.count() == 60 and quick(view)
    assert view.index_of(every_ngozi[30]) == 30
    assert [r.key for r in view.rows(0, 1000)] == every_ngozi


@pytest.mark.parametrize(("sort", "descending"), [("name", False), ("email", True)])
def test_a_term_with_many_matches_shows_its_first_rows_before_counting(
    store: Store, monkeypatch: pytest.MonkeyPatch, sort: str, descending: bool
) -> None:
    """More matches than COUNT_NOW_MAX (lowered here), fewer than MATERIALIZE_MAX:
    the first rows are found without the others (the read does not grow with the
    list), in the view's order; `count` then resolves them all, and the next
    keystroke's filter narrows them the same way."""
    fill(store)
    monkeypatch.setattr(query, "COUNT_NOW_MAX", 20)
    q = ViewQuery(event_key="w1", text="ann", sort=sort, descending=descending)
    other = Store.open(store.path, "default")  # resolved whole, on its own connection
    try:
        every_ann = expected(other, "ann")
        whole = [r.key for r in other.registrants(q).rows(0, 1000)]
    finally:
        other.close()
    assert sorted(whole) == sorted(every_ann)
    view = store.registrants(q)
    assert not quick(view)
    assert [r.key for r in view.head(10)] == whole[:10]
    assert not quick(view) and view._count is None  # nothing counted yet
    assert view.count() == 170 and quick(view)
    assert [r.key for r in view.rows(0, 1000)] == whole
    # The next keystroke narrows the 170 it remembers, with their count.
    typed = store.registrants(dataclasses.replace(q, text="ann a00"))
    narrowed = [key for key in whole if int(key[1:]) < 100]
    assert quick(typed)
    assert [r.key for r in typed.head(5)] == narrowed[:5]
    assert typed._count == len(narrowed) == 50
    assert [r.key for r in typed.rows(0, 1000)] == narrowed
    two = store.registrants(dataclasses.replace(q, text="ann a00 lee"))  # every term
    assert [r.key for r in two.rows(0, 1000)] == [] and two.count() == 0


def test_a_keystroke_counts_the_index_hits_only_as_far_as_it_needs(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether a term's count comes with its first rows needs the index's hits up to
    COUNT_NOW_MAX (lowered here), not up to MATERIALIZE_MAX: a name 20,000 people share
    at a million is counted after the rows, not before them. The count still decides
    from all the hits it needs."""
    fill(store)
    monkeypatch.setattr(query, "COUNT_NOW_MAX", 20)
    asked: list[int] = []
    counted = fts.index_hits

    def index_hits(conn: sqlite3.Connection, code: int, terms: list[str], most: int) -> int:
        asked.append(most)
        return counted(conn, code, terms, most)

    monkeypatch.setattr(query, "index_hits", index_hits)
    view = store.registrants(ViewQuery(event_key="w1", text="ann"))
    assert not quick(view)
    assert asked == [20]
    assert len(view.head(10)) == 10
    assert asked == [20]  # the first rows need no more hits
    assert view.count() == 170
    assert asked == [20, query.MATERIALIZE_MAX]
    few = store.registrants(ViewQuery(event_key="w1", text="a033"))
    assert quick(few) and few.count() == len(expected(store, "a033")) == 10  # A0330-A0339
    assert asked[2:] == [20]  # the exact count of few hits serves the rest


def test_a_short_filters_count_reads_on_the_counting_connection(store: Store) -> None:
    """One or two letters: the count scans the event's rows (up to a second at a
    million) on the second connection, so that a read of the pane meanwhile (the detail
    of the first match, on the UI thread) does not wait for the store's lock."""
    fill(store)
    counter, _lock = store._counter()
    on_counter: list[str] = []
    on_main: list[str] = []
    counter.set_trace_callback(on_counter.append)
    store._conn.set_trace_callback(on_main.append)
    view = store.registrants(ViewQuery(event_key="w1", text="an"))
    assert not quick(view)
    first = [r.key for r in view.head(10)]
    on_main.clear()
    assert view.count() == 170  # every "Ann"
    assert any("instr" in sql for sql in on_counter)
    assert not any("instr" in sql for sql in on_main)
    assert [r.key for r in view.rows(0, 10)] == first


def test_a_count_ends_when_its_reader_says_stop(store: Store) -> None:
    fill(store)
    view = store.registrants(ViewQuery(event_key="w1", text="a"))
    with store.interruptible(lambda: True), pytest.raises(sqlite3.OperationalError):
        view.count()
    # Another thread's reads, and this one's outside the scope, are not stopped.
    other: list[int] = []
    with store.interruptible(lambda: True):
        thread = threading.Thread(
            target=lambda: other.append(
                store.registrants(ViewQuery(event_key="w1", text="a")).count()
            )
        )
        thread.start()
        thread.join()
    assert other == [400] and view.count() == 400


def test_a_read_ended_before_it_starts_fails_and_the_connection_reads_again(
    store: Store,
) -> None:
    """`end` (the newer keystroke) called before the read's statement starts is not
    lost (SQLite forgets an interrupt with no statement running), and does not stay
    on the connection for the reads after the scope."""
    fill(store)
    view = store.registrants(ViewQuery(event_key="w1", text="a"))
    with store.interruptible(lambda: False) as end:
        end()
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            view.count()
    assert view.count() == 400
    assert store.registrants(ViewQuery(event_key="w1", text="a")).count() == 400


def test_a_running_read_is_ended_from_another_thread_without_python_in_it(
    store: Store,
) -> None:
    """A read that would never end on its own (a recursive count with no limit) ends
    when another thread calls the scope's `end`: the statement is interrupted in C, no
    progress handler polls a Python condition (`stop` stays false throughout)."""
    scopes = filter_state.ReadStops()
    conn = sqlite3.connect(store.path, check_same_thread=False)
    handed: list[Callable[[], None]] = []
    ready = threading.Event()
    failed: list[BaseException] = []

    def endless() -> None:
        with scopes.scope(lambda: False) as end:
            handed.append(end)
            ready.set()
            scope = scopes.current
            assert scope is not None
            try:
                with scope.running(conn):
                    conn.execute(ENDLESS).fetchall()
            except sqlite3.OperationalError as error:
                failed.append(error)

    try:
        thread = threading.Thread(target=endless, daemon=True)
        thread.start()
        assert ready.wait(30)
        handed[0]()  # whether the statement has started yet or not
        thread.join(60)
        assert not thread.is_alive(), "the endless read was not ended"
        assert [str(error) for error in failed] == ["interrupted"]
        assert conn.execute("SELECT count(*) FROM registrants").fetchone() == (0,)
    finally:
        conn.close()


ENDLESS = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


def test_an_end_between_registering_and_the_statement_is_not_lost(store: Store) -> None:
    """The window SQLite alone would drop: the read has registered its connection, its
    statement has not started, and `end` comes (the guard statement keeps it)."""
    scopes = filter_state.ReadStops()
    conn = sqlite3.connect(store.path)
    try:
        with scopes.scope(lambda: False) as end:
            scope = scopes.current
            assert scope is not None
            with scope.running(conn):
                end()
                with pytest.raises(sqlite3.OperationalError, match="interrupted"):
                    conn.execute("SELECT count(*) FROM registrants").fetchall()
        assert conn.execute("SELECT count(*) FROM registrants").fetchone() == (0,)
    finally:
        conn.close()


def test_a_head_narrowed_past_chunks_without_a_match_is_the_whole_narrowing_cut(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`narrow` with a limit passes over the chunks none of whose texts hold every
    term: its rows are still the first of the whole narrowing, in order, also when a
    chunk holds each term in a different text (no match there) or a term across two."""
    monkeypatch.setattr(filter_state, "HEAD_CHUNK", 4)
    chunks = [
        ["ann a0", "bob b1", "ann b2", "bob a3"],  # both terms, never in one text
        ["cy ann", "bob cy", "dee", "eve"],  # the same
        ["ann", "bob", "x", "y"],  # "ann\nbob" once joined: still no text holds both
        ["ann bob 12", "z", "ann bob 14", "ann bob 15"],
        ["q", "ann bob 17", "r", "s"],
    ]
    texts = [text for chunk in chunks for text in chunk]
    ids = list(range(100, 100 + len(texts)))
    for terms in (["ann", "bob"], ["ann b"], ["n\nb"], ["bob", "ann"], ["ann"], ["nobody"]):
        whole = filter_state.narrow(terms, ids, texts)
        for limit in (1, 2, 3, 4, 50):
            head = filter_state.narrow(terms, ids, texts, limit)
            assert head == (whole[0][:limit], whole[1][:limit]), (terms, limit)
    assert filter_state.narrow(["ann", "bob"], ids, texts, 2)[0] == [112, 114]
