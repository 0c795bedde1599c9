"""Every sort a tab offers reads its page from an index: never a sort of every row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import partial
from typing import Any

import pytest

from tests.support.builders import T0, organizer, put, registrant, training, webinar
from tui.core.models import Provider, Recording, RegistrantStatus, SupportSession
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery

STATUSES = (RegistrantStatus.PENDING, RegistrantStatus.APPROVED, RegistrantStatus.DENIED)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Enough rows that the writer keeps statistics (ANALYZE), as a real cache has."""
    opened = Store.open(tmp_path_factory.mktemp("sorts") / "p.sqlite3", "p")
    put(opened, "events:zoom", [webinar("w1"), webinar("w2", "Other")])
    put(opened, "events:goto_training", [training("t1")], provider="goto_training")
    for event, count in (("w1", 3000), ("w2", 600)):
        put(
            opened,
            f"registrants:zoom:{event}",
            [
                registrant(i, event, first=f"N{(i * 7919) % 1000:03d}", status=STATUSES[i % 3])
                for i in range(count)
            ],
        )
    put(
        opened,
        "organizers:zoom",
        [organizer(f"u{i}", f"u{(i * 37) % 1500}@x.example") for i in range(1500)],
    )
    put(
        opened,
        "recordings:zoom",
        [
            Recording(Provider.ZOOM, f"c{i}", f"e{i % 50}", f"Rec {i * 13 % 1200}", T0, file_size=i)
            for i in range(1200)
        ],
    )
    put(
        opened,
        "support:goto_assist",
        [
            SupportSession(
                Provider.GOTO_ASSIST,
                f"s{i}",
                f"{i}",
                status=("open", "closed")[i % 2],
                created=T0 + timedelta(minutes=i * 7 % 1100),
                technician_email=f"tech{i % 40}@x.example",
            )
            for i in range(1100)
        ],
        provider="goto_assist",
    )
    yield opened
    opened.close()


def page_plan(store: Store, read: Callable[[], Any]) -> str:
    """The query plan of the ORDER BY statement `read` runs."""
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        store._conn.set_trace_callback(None)
    ordered = [sql for sql in statements if "ORDER BY" in sql]
    assert len(ordered) == 1, statements
    rows = store._conn.execute(f"EXPLAIN QUERY PLAN {ordered[0]}").fetchall()
    return " | ".join(str(row[3]) for row in rows)


REGISTRANT_VIEWS = [
    ViewQuery(),
    ViewQuery(status=RegistrantStatus.PENDING),
    ViewQuery(event_key="w1"),
    ViewQuery(event_key="w1", status=RegistrantStatus.APPROVED),
]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("base", REGISTRANT_VIEWS, ids=lambda q: f"{q.event_key}-{q.status}")
def test_every_registrant_sort_pages_through_an_index(
    store: Store, base: ViewQuery, descending: bool
) -> None:
    """With or without an event, with or without a status filter, each sort of the
    registrants tab walks an index in order (no temporary B-tree over the rows)."""
    sorts = store.registrants(base).sort_columns
    assert set(sorts) == {"name", "email", "registered", "status"}
    for sort in sorts:
        query = ViewQuery(
            event_key=base.event_key, status=base.status, sort=sort, descending=descending
        )
        view = store.registrants(query)
        plan = page_plan(store, partial(view.rows, 64, 64))
        assert "TEMP B-TREE" not in plan, (sort, plan)
        assert "USING INDEX" in plan, (sort, plan)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("entity", ["organizers", "events", "recordings", "support_sessions"])
def test_every_sort_of_the_unfiltered_tabs_pages_through_an_index(
    store: Store, entity: str, descending: bool
) -> None:
    views: Callable[[ViewQuery], Any] = getattr(store, entity)
    for sort in views(ViewQuery()).sort_columns:
        if entity == "events" and sort in ("pending", "kind"):
            # A count from another table; and an index on the kind would change the
            # order `meetdeck lookup` lists trainings and webinars in (as stored).
            # Both sort a few hundred events at most.
            continue
        view = views(ViewQuery(sort=sort, descending=descending))
        plan = page_plan(store, partial(view.rows, 0, 64))
        assert "TEMP B-TREE" not in plan, (entity, sort, plan)


def test_a_status_sort_orders_ties_by_name_both_ways(store: Store) -> None:
    view = store.registrants(ViewQuery(event_key="w2", sort="status"))
    rows = view.rows(0, view.count())
    keys = [(r.status.value, r.name.casefold(), int(r.key[1:])) for r in rows]
    assert keys == sorted(keys)
    back = store.registrants(ViewQuery(event_key="w2", sort="status", descending=True))
    assert [r.key for r in back.rows(0, back.count())] == [r.key for r in reversed(rows)]
    # The cursor keeps its row across a sort: its position is found in the new order.
    middle = rows[len(rows) // 2]
    assert view.index_of(middle.key) == len(rows) // 2
    assert back.index_of(middle.key) == len(rows) - 1 - len(rows) // 2


def test_an_unknown_sort_is_the_default_and_says_so(store: Store) -> None:
    view = store.registrants(ViewQuery(event_key="w1", sort="shoe size"))
    assert view.sort == "name"
    assert store.registrants(ViewQuery(event_key="w1", sort="email")).sort == "email"


def test_a_registrant_is_found_by_its_key_not_by_walking_its_event(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The detail panel reads the highlighted person by key, narrowed by event and
    provider: the key's index must find them, with or without the planner's statistics
    (a cache just converted to a new schema has none). Without them SQLite walked the
    event's index, every registrant of the webinar (145 ms a detail at 100,000)."""
    bare = Store.open(tmp_path_factory.mktemp("by-key") / "p.sqlite3", "p")
    try:
        put(bare, "events:zoom", [webinar("w1")])
        put(bare, "registrants:zoom:w1", [registrant(i, "w1") for i in range(1500)])
        bare._conn.execute("DELETE FROM sqlite_stat1")
        bare._conn.execute("ANALYZE sqlite_schema")  # the planner forgets them too
        first = bare.registrants(ViewQuery(event_key="w1")).rows(0, 1)[0]
        found = partial(bare.registrant, first.key, event_key="w1", provider=Provider.ZOOM)
        plan = page_plan(bare, found)
        assert "registrants_key" in plan, plan
        assert found() == first
    finally:
        bare.close()
