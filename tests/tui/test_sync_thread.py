"""The app's sync runs on the Deck's own thread (`tui.core.deck.service_loop`): quitting
while it runs ends that thread and the app, and the sync's API calls reach the log."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.support.app import settle
from tests.support.control import Control
from tests.support.demo import DemoCache
from tests.support.waits import STEP, TIMEOUT, wait_for
from tui.app import MeetdeckApp
from tui.widgets.api_log import ApiLogPanel

MakeApp = Callable[..., MeetdeckApp]


def service_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "meetdeck-service"}


async def test_quitting_during_a_sync_ends_the_decks_thread(
    real_app: MakeApp, demo_cache: DemoCache
) -> None:
    control = Control(demo_cache.base_url)
    before = service_threads()
    app = real_app(connect_later=True)
    # GoTo Meeting's organizers answer after ten minutes: the sync is still running
    # when q is pressed.
    control.fault(latency_ms=600_000, match={"path": "/G2M/rest/organizers"})
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await pilot.press("l")  # the API log shows the sync's calls as they come
            panel = app.screen.query_one(ApiLogPanel)
            await pilot.press("r")  # the organizers: GoTo (held back) and Zoom
            await wait_for(
                pilot,
                lambda: any("/zoom/v2/users" in line for line in panel.lines),
                what="the refresh's Zoom calls in the log",
                detail=lambda: panel.lines,
            )
            started = service_threads() - before
            assert len(started) == 1, started  # the Deck's own thread makes the calls
            assert app.screen.query_one("#sync-bar").display
            await pilot.press("q")
            # Until it has gone (`wait_for` fails when the app exits).
            for _ in range(int(TIMEOUT / STEP)):
                if not app.is_running:
                    break
                await pilot.pause(STEP)
            assert not app.is_running
    finally:
        control.clear()
    assert not any(t.is_alive() for t in started)  # the Deck closed it on the way out
