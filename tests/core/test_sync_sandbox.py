"""Sync against the sandbox over loopback: real HTTP, real OAuth, a fault scoped by path."""

from __future__ import annotations

from typing import Any

from tests.support.control import Control
from tui.core.deck.facade import Deck
from tui.core.deck.from_profile import open_profile
from tui.core.models import Provider
from tui.core.settings.config import HttpSettings, demo_profile
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind, ScopeState, SyncProgress


def zoom_only_deck(base_url: str) -> Deck:
    """The demo profile without GoTo; the client does not pace itself and backs off
    briefly (what is checked is which scope fails and what the others keep, not how
    long a retry waits)."""
    profile = demo_profile(base_url).model_copy(
        update={"goto_client_id": None, "goto_client_secret": None, "zoom_rate_limit": 1000.0}
    )
    return open_profile(
        resolve_paths(),
        "sbx",
        profile,
        demo=True,
        http=HttpSettings(max_retries=3, max_backoff=0.2, max_concurrency=3),
    )


async def test_sync_partial_failure_against_the_sandbox(sandbox: Any) -> None:
    deck = zoom_only_deck(sandbox.base_url)
    try:
        first = await deck.sync_all(
            kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS, ScopeKind.REGISTRANTS]
        )
        assert first.ok, first.failed
        events = deck.events(ViewQuery(sort="title"))
        webinars = events.rows(0, events.count())
        assert len(webinars) >= 2 and all(e.provider is Provider.ZOOM for e in webinars)
        victim = max(webinars, key=lambda e: e.registrants or 0)
        before = deck.registrants(ViewQuery(event_key=victim.key)).count()
        assert before == victim.registrants and before > 300  # several pages of 300

        rule = {
            "error_rate": 1.0,
            "error_status": 503,
            "match": {"path": f"^/zoom/v2/webinars/{victim.key}/registrants"},
        }
        Control(sandbox.base_url).fault(rule)
        progress: list[SyncProgress] = []
        # refetch: the registrants of webinars that ended are asked again too.
        report = await deck.sync_all(
            progress.append, kinds=[ScopeKind.EVENTS, ScopeKind.REGISTRANTS], refetch=True
        )
    finally:
        await deck.aclose()

    assert [f.scope.event_key for f in report.failed] == [victim.key], report.failed
    assert report.failed[0].error.title == "Service unavailable"
    assert len(report.synced) == len(webinars)  # the events scope + every other webinar
    assert deck_registrants_after(sandbox, victim.key) == before
    failed = [p for p in progress if p.state is ScopeState.FAILED]
    assert len(failed) == 1 and failed[0].scope.event_key == victim.key
    assert progress[-1].done == progress[-1].total == len(webinars) + 1


def deck_registrants_after(sandbox: Any, event_key: str) -> int:
    """Reopen the cache from disk: the failed scope still has its previous rows."""
    from tui.core.store.db import Store

    path = resolve_paths().cache_db("sbx", demo=True)
    store = Store.open(path, "sbx")
    try:
        stamp = store.stamp(f"registrants:zoom:{event_key}")
        assert stamp is not None and stamp.failed and stamp.fetched_at is not None
        return store.registrants(ViewQuery(event_key=event_key)).count()
    finally:
        store.close()
