"""The rows a '/' filter showed are kept for the next keystroke (`RowMemo`): typing on
mostly shows the same first rows, and they are not read again, until something is
written to the cache (then they are read afresh)."""

from __future__ import annotations

import pytest

from tests.support.builders import put, registrant
from tui.core.store import packing
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery


@pytest.fixture
def store(empty_store: Store) -> Store:
    return empty_store


def test_rows_a_filter_showed_are_read_once_until_a_write(store: Store) -> None:
    people = [registrant(i, first="Ann", last=f"Lee{i:03d}") for i in range(40)]
    put(store, "registrants:zoom:w1", people)
    reads: list[str] = []
    store._conn.set_trace_callback(lambda sql: reads.append(sql) if "t.id IN" in sql else None)

    def first_keys(text: str) -> list[str]:
        return [r.key for r in store.registrants(ViewQuery(event_key="w1", text=text)).head(5)]

    assert first_keys("ann") == ["r0", "r1", "r2", "r3", "r4"]
    read_once = len(reads)
    assert read_once >= 1
    assert first_keys("ann.") == ["r0", "r1", "r2", "r3", "r4"]  # typed on: same rows
    assert len(reads) == read_once  # not read again
    # A sync writes: the same rows are read afresh, and show what it wrote.
    put(store, "registrants:zoom:w1", [*people[1:], registrant(0, first="Ann", last="Lea")])
    view = store.registrants(ViewQuery(event_key="w1", text="ann."))
    shown = view.head(5)
    assert len(reads) > read_once
    assert [r.key for r in shown] == ["r0", "r1", "r2", "r3", "r4"]
    assert shown[0].last_name == "Lea"


def test_a_short_filters_first_rows_shown_lately_are_not_decoded_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter of one or two letters finds its first rows by an ordered scan; those of
    them the view showed before the filter (or the last keystroke did) are the models
    read then, not decoded again, until a write."""
    people = [registrant(i, first="Ann" if i % 2 else "Bob", last=f"Lee{i:03d}") for i in range(40)]
    put(store, "registrants:zoom:w1", people)
    decoded: list[object] = []
    original = packing.unpack

    def counting(row: tuple[object, ...]) -> object:
        decoded.append(row)
        return original(row)

    monkeypatch.setattr(packing, "unpack", counting)
    everyone = store.registrants(ViewQuery(event_key="w1")).rows(0, 40)
    assert len(decoded) == 40
    decoded.clear()
    view = store.registrants(ViewQuery(event_key="w1", text="an"))
    shown = view.head(10)
    assert [r.first_name for r in shown] == ["Ann"] * 10
    assert decoded == []
    assert all(any(row is seen for seen in everyone) for row in shown)
    # A sync writes: the rows are read afresh, and show what it wrote.
    put(store, "registrants:zoom:w1", [*people[:1], registrant(1, first="Anna", last="Lee001")])
    assert store.registrants(ViewQuery(event_key="w1", text="an")).head(1)[0].first_name == "Anna"
