"""GoTo groups and meetings going on now, synced from the sandbox over real HTTP into
a real SQLite cache, and checked against the sandbox's own API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.builders import old_cache
from tests.support.decks import open_deck
from tests.support.specs import goto_headers, zoom_headers
from tui.core.deck.facade import Deck
from tui.core.models import MeetingKind, Provider
from tui.core.store.db import Store
from tui.core.store.schema import SCHEMA_VERSION
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind


@pytest.fixture
async def synced(sandbox: Any) -> AsyncIterator[Deck]:
    """The demo profile's Deck, its organizers, groups and meetings synced."""
    deck = open_deck(sandbox.base_url)
    try:
        await deck.demo_sign_in()
        report = await deck.sync_all(
            kinds=[ScopeKind.ORGANIZERS, ScopeKind.GROUPS, ScopeKind.MEETINGS]
        )
        assert report.ok, report.failed
        yield deck
    finally:
        await deck.aclose()


async def test_a_sync_caches_every_group_as_the_sandbox_lists_it(
    synced: Deck, sandbox: Any
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        headers = await goto_headers(client)
        listed = (await client.get("/G2M/rest/groups", headers=headers)).json()
    view = synced.groups(ViewQuery())
    cached = {g.key: g for g in view.rows(0, view.count())}
    assert set(cached) == {str(g["groupkey"]) for g in listed}
    names = {str(g["groupkey"]): g["groupName"] for g in listed}
    for wire in listed:
        group = cached[str(wire["groupkey"])]
        assert (group.name, group.status) == (wire["groupName"], wire["status"])
        assert group.num_organizers == wire["numOrganizers"]
        top = wire["parentKey"] == wire["groupkey"]
        assert group.top_level is top
        assert group.parent_name == (None if top else names[str(wire["parentKey"])])
    # Name order, from the first letter (sort_key): "Acme Corp" before "[red]Red Team".
    in_order = [g.name for g in view.rows(0, view.count())]
    assert in_order[0] == "Acme Corp" and "[red]Red Team" in in_order  # the name is data


async def test_a_groups_organizers_and_upcoming_meetings_come_from_the_cache(
    synced: Deck, sandbox: Any
) -> None:
    goto = sandbox.state.goto
    admin = goto.organizers[goto.admin_key]
    root = str(admin.group_key)  # "Acme Corp": the admin alone
    people = synced.organizers(ViewQuery(group_key=root))
    assert [o.key for o in people.rows(0, people.count())] == [str(admin.key)]
    sales = next(g for g in goto.groups.values() if g.name == "Sales")
    members = {str(o.key) for o in goto.organizers.values() if o.group_key == sales.key}
    view = synced.organizers(ViewQuery(group_key=str(sales.key)))
    assert {o.key for o in view.rows(0, view.count())} == members and members

    upcoming = synced.meetings(ViewQuery(kind=MeetingKind.UPCOMING, group_key=root))
    rows = upcoming.rows(0, upcoming.count())
    mine = [m for m in goto.meetings.values() if m.upcoming and m.organizer_key == admin.key]
    assert {m.key for m in rows} == {str(m.id) for m in mine}
    assert all(m.organizer_key == str(admin.key) for m in rows)


async def test_the_goto_war_room_and_the_zoom_bridge_come_first_marked_live(
    synced: Deck, sandbox: Any
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        live_zoom = (
            await client.get(
                "/zoom/v2/users/me/meetings",
                params={"type": "live"},
                headers=await zoom_headers(client),
            )
        ).json()["meetings"]
    assert [m["topic"] for m in live_zoom] == ["Live now: on-call bridge"]
    now = datetime.now(UTC)
    window = ViewQuery(kind=MeetingKind.UPCOMING, since=now, until=now + timedelta(days=30))
    view = synced.meetings(window)
    first = view.rows(0, 2)
    assert {(m.provider, m.subject) for m in first} == {
        (Provider.GOTO_MEETING, "Ongoing: all-day war room"),
        (Provider.ZOOM, "Live now: on-call bridge"),
    }
    assert all(m.live and m.start < now for m in first)
    rest = view.rows(2, view.count())
    assert rest and not any(m.live for m in rest)
    assert all(now <= m.start < now + timedelta(days=30) for m in rest)
    assert view.index_of(first[1].key) == 1 and view.index_of(rest[0].key) == 2
    # Only live, or none of them: no meeting is in both parts.
    live = synced.meetings(ViewQuery(kind=MeetingKind.UPCOMING, live=True))
    assert live.count() == 2
    assert view.count() == 2 + len(rest)


def test_an_old_cache_gains_groups_and_knows_its_organizers_groups(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    old_cache(path, 6)
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO organizers (scope, provider, profile, fetched_at, key, data) VALUES "
        "('organizers:goto_meeting', 'goto_meeting', 'p', '2025-01-01T00:00:00.000000Z', "
        "'o1', ?)",
        ('{"provider":"goto_meeting","key":"o1","email":"a@x","group_key":"g9"}',),
    )
    conn.execute(
        "INSERT INTO meetings (scope, provider, profile, fetched_at, key, data, kind, start) "
        "VALUES ('meetings:goto_meeting', 'goto_meeting', 'p', '2025-01-01T00:00:00.000000Z', "
        "'m1', ?, 'upcoming', '2025-01-01T08:00:00.000000Z')",
        (
            '{"provider":"goto_meeting","key":"m1","kind":"upcoming","subject":"War room",'
            '"start":"2025-01-01T08:00:00+00:00","status":"ACTIVE"}',
        ),
    )
    conn.close()
    store = Store.open(path, "p")
    try:
        assert store.notice is None
        view = store.organizers(ViewQuery(group_key="g9"))
        assert [o.key for o in view.rows(0, 5)] == ["o1"]
        assert store.groups(ViewQuery()).count() == 0
        live = store.meetings(ViewQuery(kind=MeetingKind.UPCOMING, live=True)).rows(0, 5)
        assert [(m.key, m.live) for m in live] == [("m1", True)]
    finally:
        store.close()
    assert SCHEMA_VERSION >= 8  # groups and live came with step 8
