"""A sync says what it is doing: each page of each scope and the write of its rows,
with every scope in flight in each event (issue 17.5), over the sandbox."""

from __future__ import annotations

from typing import Any

from tests.support.decks import open_deck, sync_events
from tui.core.sync.types import Scope, ScopeKind, ScopeState, SyncProgress


async def test_each_page_and_each_write_is_told_with_the_scopes_in_flight(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url, zoom_only=True)
    told: list[SyncProgress] = []
    try:
        await sync_events(deck)
        report = await deck.sync_all(told.append, kinds=[ScopeKind.REGISTRANTS])
    finally:
        await deck.aclose()
    assert report.ok and report.synced, report.failed
    in_flight: set[Scope] = set()
    steps: dict[Scope, list[Any]] = {}
    for event in told:
        if event.state is ScopeState.STARTED:
            in_flight.add(event.scope)
        elif event.state is not ScopeState.WORKING:
            in_flight.discard(event.scope)
        else:
            mine = [s for s in event.running if s.scope == event.scope]
            assert len(mine) == 1, event
            steps.setdefault(event.scope, []).append(mine[0])
        # Each event names exactly the scopes in flight, the longest running first.
        assert {s.scope for s in event.running} == in_flight, event
    assert set(steps) == set(report.synced)
    for scope, seen in steps.items():
        *pages, last = seen
        assert last.writing and not any(s.writing for s in pages), (scope, seen)
        assert [s.pages for s in pages] == list(range(1, len(pages) + 1)), (scope, seen)
        assert [s.rows for s in pages] == sorted(s.rows for s in pages)
        assert last.rows == pages[-1].rows and last.pages == pages[-1].pages
    biggest = max(steps.values(), key=lambda seen: seen[-1].rows)[-1]
    assert biggest.pages > 1 and biggest.rows > 1
    assert biggest.describe() == (f"{biggest.scope.label}: writing {biggest.rows:,} rows")
    done = {e.scope: e.items for e in told if e.state is ScopeState.DONE}
    assert done[biggest.scope] > 0
