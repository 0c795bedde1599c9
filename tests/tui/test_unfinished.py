"""The start-up notice of writes a stopped process left without a result."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.support.app import settle
from tests.support.fakedeck import FakeDeck
from tests.support.screen import current, screen_text
from tui.app import MeetdeckApp
from tui.core.audit import UnfinishedWrite
from tui.core.deck.types import UnfinishedNotice
from tui.core.models import EventKind, Provider
from tui.core.sync.types import Scope
from tui.screens.unfinished import UnfinishedWritesDialog

MakeApp = Callable[..., MeetdeckApp]
SCOPE = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, "w1")


def notice(title: str = "Quarterly webinar") -> UnfinishedNotice:
    write = UnfinishedWrite(
        "e1",
        datetime(2026, 12, 6, 5, 31, tzinfo=UTC),
        "demo",
        "zoom",
        "approve",
        "w1",
        147,
        60,
        0,
        reviewed=False,
    )
    return UnfinishedNotice(write, title, SCOPE)


async def test_unfinished_write_is_told_and_refresh_settles_it(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    """The notice names the action, the event, the people per state; R refreshes the
    event and records that the person was told."""
    deck.unfinished = [notice("[@click=app.quit]Q\x1b[2J4")]
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, UnfinishedWritesDialog)
        text = screen_text(app)
        assert "1 write may not have finished" in text
        assert "approve of 147 people on Zoom, event [@click=app.quit]Q\u241b[2J4" in text
        assert "60 done, 0 failed, 87 unknown" in text
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(current(app), UnfinishedWritesDialog)
        assert deck.refreshed == [SCOPE] and deck.settled == deck.unfinished


async def test_later_leaves_it_for_the_next_start(make_app: MakeApp, deck: FakeDeck) -> None:
    deck.unfinished = [notice()]
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, UnfinishedWritesDialog)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(current(app), UnfinishedWritesDialog)
        assert deck.refreshed == [] and deck.settled == []


async def test_a_failed_refresh_keeps_the_notice(make_app: MakeApp, deck: FakeDeck) -> None:
    from tui.core.errors import NetworkUnreachable

    deck.unfinished = [notice()]
    deck.fail_refresh = NetworkUnreachable("The network is down.")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert deck.refreshed == [SCOPE] and deck.settled == []


async def test_a_write_whose_event_is_not_cached_is_settled_without_a_refresh(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    """Nothing to refresh: the notice is recorded as told, and nothing stays 'syncing'."""
    deck.unfinished = [UnfinishedNotice(notice().write, "", None)]
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert "event w1" in screen_text(app)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert deck.refreshed == [] and deck.settled == deck.unfinished
        assert "syncing" not in screen_text(app)


async def test_the_audit_log_is_read_after_the_first_frame(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup (a thread reading the audit log) starts once the first frame is laid
    out, not while it is being built: the first tab's table has its place by then."""
    from textual.geometry import Region

    from tui.widgets.virtual_table import VirtualTable

    app = make_app()
    regions: list[Region] = []

    async def unfinished_writes() -> list[UnfinishedNotice]:
        regions.append(app.screen.query_one(VirtualTable).region)
        return []

    monkeypatch.setattr(deck, "unfinished_writes", unfinished_writes)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
    assert len(regions) == 1
    assert regions[0].area > 0, "the audit log was read before the first frame"
