"""GoTo Meeting groups in the palette (issue 15.5): a group is found by name, and
Enter on it shows its organizers, as Enter on it in the groups view does. And what a
sync hears of the screen, to fetch it first (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.app import active, settle
from tests.support.fakedeck import FakeDeck
from tests.support.screen import screen_lines, screen_text
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind, SyncFocus

MakeApp = Callable[..., MeetdeckApp]


async def test_the_palette_finds_a_group_and_drills_to_its_organizers(
    real_app: MakeApp,
) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        groups = app.deck.groups(ViewQuery())
        red = next(g for g in groups.rows(0, groups.count()) if g.name == "[red]Red Team")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*red.key)  # its organizers' text holds its name, not its key
        await wait_for(
            pilot,
            lambda: "group: [red]Red Team" in screen_text(app),
            what="the group's hit",
            detail=lambda: screen_text(app),
        )
        await pilot.press("enter")
        pane: Any = None

        def drilled() -> bool:
            nonlocal pane
            pane = active(app)
            return pane.KIND == "organizers" and pane.scope is not None

        await wait_for(pilot, drilled, what="the group's organizers")
        await settle(pilot, app)
        assert pane.kind_words()[0] == "organizers"
        source = pane.table.source
        rows = list(source.rows(0, pane.table.row_count))
        assert rows and {o.group_key for o in rows} == {red.key}
        assert "[red]Red Team \u203a Organizers" in screen_lines(app)[1]


async def test_a_sync_is_told_what_the_screen_shows(make_app: MakeApp, deck: FakeDeck) -> None:
    """R (and the sync at start) and r pass the open tab's scopes, the organizer it is
    narrowed to, and the event whose registrants it shows, to the Deck (`first=`)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("R")
        await app.workers.wait_for_complete()
        assert deck.sync_focus == SyncFocus((ScopeKind.ORGANIZERS,))
        await pilot.press("enter")  # Ada Lovelace -> her meetings
        await pilot.pause()
        assert active(app).KIND == "meetings"
        await pilot.press("r")
        await app.workers.wait_for_complete()
        assert deck.sync_focus == SyncFocus((ScopeKind.MEETINGS,), "o1")
        deck.sync_focus = None
        await pilot.press("R")
        await app.workers.wait_for_complete()
        assert deck.sync_focus == SyncFocus((ScopeKind.MEETINGS,), "o1")
