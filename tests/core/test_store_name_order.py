"""Schema 14: a scope whose registrants' ids follow their name order says so, and a
'/' filter of its event in name order takes its first matches in the search index's
id order instead of sorting them all (issue 18: ~20 ms for a fresh three-letter term
with 21,000 matches in a million registrants). A row added alone ends that order until
the next swap, and the filter sorts again; either way the rows come in name order."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from tests.support.builders import put, registrant, registrants_of_old
from tui.core.models import Registrant
from tui.core.store import query
from tui.core.store.db import Store
from tui.core.store.schema import migrate
from tui.core.store.tables import REGISTRANTS
from tui.core.store.views import ViewQuery

SCOPE = "registrants:zoom:w1"


def ordered_flags(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT scope, ordered FROM registrant_scopes"))
    finally:
        conn.close()


def people() -> list[Registrant]:
    """240 people listed out of name order (keys descending as names ascend): every
    other one an "Ann"."""
    return [
        registrant(1000 - i, first=("Ann" if i % 2 else "Bob"), last=f"L{i:04d}")
        for i in range(240)
    ]


def keys(store: Store, q: ViewQuery, count: int = 1000) -> list[str]:
    return [r.key for r in store.registrants(q).rows(0, count)]


def expected(path: Path, q: ViewQuery) -> list[str]:
    """Every match of `q` in the pane's order, sorted in SQL by a fresh connection."""
    conn = sqlite3.connect(path)
    try:
        direction = "DESC" if q.descending else "ASC"
        text = REGISTRANTS.search("")
        rows = conn.execute(
            f"SELECT key FROM registrants WHERE event_key = 'w1' AND instr({text}, ?) > 0 "  # noqa: S608
            f"ORDER BY sort_name {direction}, id {direction}",
            (q.text,),
        )
        return [key for (key,) in rows]
    finally:
        conn.close()


def test_a_swap_says_its_ids_follow_names_and_a_row_added_alone_ends_it(
    empty_store: Store,
) -> None:
    put(empty_store, SCOPE, people())
    put(empty_store, "registrants:zoom:w2", [registrant(1, "w2")])
    assert ordered_flags(empty_store.path) == {SCOPE: 1, "registrants:zoom:w2": 1}
    writer = empty_store.writer()
    try:
        writer.upsert(SCOPE, "zoom", [registrant(5000, first="Aaron", last="Ann")])
    finally:
        writer.close()
    assert ordered_flags(empty_store.path) == {SCOPE: 0, "registrants:zoom:w2": 1}
    put(empty_store, SCOPE, people())  # the next sync puts them in order again
    assert ordered_flags(empty_store.path)[SCOPE] == 1


@pytest.mark.parametrize("descending", [False, True])
def test_a_term_with_many_matches_reads_its_first_rows_in_id_order_while_ids_follow_names(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch, descending: bool
) -> None:
    """More matches than COUNT_NOW_MAX (lowered): the first rows are the first hits in
    id order; after a row added alone (first in name order, last in id order) they are
    sorted again, and still come in name order."""
    monkeypatch.setattr(query, "COUNT_NOW_MAX", 20)
    put(empty_store, SCOPE, people())
    q = ViewQuery(event_key="w1", text="ann", sort="name", descending=descending)
    view = empty_store.registrants(q)
    assert not view.quick_to_count
    assert view._hit_order()[0] == "CROSS JOIN"  # no sort: the hits' own order
    every_ann = expected(empty_store.path, q)
    assert len(every_ann) == 120
    assert [r.key for r in view.head(10)] == every_ann[:10]
    assert view.count() == 120 and keys(empty_store, q) == every_ann
    # Another sort, or no event: sorted as before.
    by_email = empty_store.registrants(dataclasses.replace(q, sort="email"))
    assert by_email._hit_order()[0] == "JOIN"
    assert empty_store.registrants(dataclasses.replace(q, event_key=None))._hit_order()[0] == (
        "JOIN"
    )
    writer = empty_store.writer()
    try:
        writer.upsert(SCOPE, "zoom", [registrant(5000, first="Aaron", last="Ann")])
    finally:
        writer.close()
    view = empty_store.registrants(dataclasses.replace(q, text="ann "))  # nothing remembered
    assert view._hit_order()[0] == "JOIN"
    every_ann = expected(empty_store.path, q)
    assert len(every_ann) == 121 and (every_ann[-1] if descending else every_ann[0]) == "r5000"
    assert [r.key for r in view.head(10)] == every_ann[:10]
    assert view.count() == 121 and keys(empty_store, q) == every_ann


def test_a_version_13_cache_is_checked_scope_by_scope(tmp_path: Path) -> None:
    """Schema 14 marks a converted scope ordered only if its rows' ids do follow their
    names; one that does not is sorted by the filter, as before."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, to=13)
    rows = [(1, "w1", "A"), (2, "w1", "B"), (3, "w2", "D"), (4, "w2", "C")]
    registrants_of_old(conn, [registrant(n, event, last=last) for n, event, last in rows])
    conn.close()
    store = Store.open(path, "p", create=False)
    try:
        assert store.notice is None
    finally:
        store.close()
    assert ordered_flags(path) == {"registrants:zoom:w1": 1, "registrants:zoom:w2": 0}
