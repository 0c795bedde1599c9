"""Driving the real app in the chaos tests: the factory, and keys by binding id.

Keys are looked up by their binding `id` (the names users remap in config), not typed
literally, so these tests keep working while the key map is polished.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.worker import WorkerState

from tests.support.chaos import CHAOS, HTTP, PROFILE
from tests.support.decks import open_deck
from tests.support.waits import ended, wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.deck.facade import Deck
from tui.core.settings.config import HttpSettings
from tui.core.settings.paths import Paths
from tui.screens.main import MainScreen
from tui.ui_options import UiOptions
from tui.widgets.keybar import KeyBar
from tui.widgets.pane import EntityPane
from tui.widgets.panes import TAB_IDS

SIZE = (170, 40)
TABS = ("organizers", "meetings", "events", "registrants", "recordings", "support")


def build(
    paths: Paths, base_url: str, *, http: HttpSettings = HTTP, timezone: str = "UTC"
) -> MeetdeckApp:
    """The app as the CLI builds it (`build_app`), on a Deck of the copied cache; it
    signs in to the sandbox before its first refresh (the demo path)."""

    def factory(name: str | None) -> Deck:
        return open_deck(base_url, paths, CHAOS, http=http)

    options = UiOptions(
        sync_on_start=False, timezone=timezone, demo=True, download_dir=paths.download_dir
    )
    return build_app(factory, options, profile=PROFILE)


def active(app: MeetdeckApp) -> EntityPane[Any]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen.active_pane


def key_of(app: MeetdeckApp, binding_id: str) -> str:
    """The key that runs the binding `binding_id` here and now."""
    for key, active_binding in app.screen.active_bindings.items():
        if active_binding.binding.id == binding_id:
            return key
    known = sorted(b.binding.id or "?" for b in app.screen.active_bindings.values())
    raise AssertionError(f"no active binding {binding_id!r} (active: {known})")


def quiet(app: MeetdeckApp) -> bool:
    """No worker pending or running, and every main screen settled (its panes mounted,
    none reading, counting or about to show a detail)."""
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    if any(worker.state in busy for worker in app.workers):
        return False
    return all(s.settled for s in app.screen_stack if isinstance(s, MainScreen))


def unsettled(app: MeetdeckApp) -> str:
    """What keeps the app from settling, for a failed wait's message."""
    busy = (WorkerState.PENDING, WorkerState.RUNNING)
    parts = [
        f"worker {worker.name!r} ({worker.group}) {worker.state.name.lower()}"
        for worker in app.workers
        if worker.state in busy
    ]
    for screen in app.screen_stack:
        if not isinstance(screen, MainScreen):
            continue
        where = "shown" if screen.is_current else "under another screen"
        if any(bar.behind for bar in screen.query(KeyBar)):
            parts.append(f"the main screen ({where}): its key bar not yet drawn")
        for pane in screen.mounted_panes:
            if pane.settled:
                continue
            if pane.filter.idle:
                why = "its detail panel about to be filled"
            else:
                why = "counting" if pane.filter.counting else "reading or handing over rows"
            parts.append(f"the main screen ({where}): {pane.id} {why}")
        parts.extend(
            f"the main screen ({where}): {tab} not mounted"
            for tab in TAB_IDS
            if not screen.pane(tab).is_mounted
        )
    return "; ".join(parts) or "nothing (settled)"


#: How many checks in a row, a loop turn apart, must find the app quiet: a key's
#: messages (a highlighted row, a palette search) are posted a turn after the key.
CALM = 3


#: How long the app may take to finish what it started (a whole refresh of a big or
#: slow scope on a loaded machine) before `settle` fails the test.
SETTLE_TIMEOUT = 180.0


async def settle(pilot: Any, app: MeetdeckApp) -> None:
    """Let the app run until nothing is left for it to do on its own: no sleep that is
    too short on a loaded machine (see `quiet`). Workers (a refresh, a write) are
    awaited to their end first, however long they take. Between two checks the screen
    handles every message queued so far (`pilot.pause(0)`), not an idle-time guess."""
    calm = 0
    while calm < CALM:
        ended(app, "the app to settle")
        await app.workers.wait_for_complete()
        if quiet(app):
            calm += 1
        else:
            calm = 0
            await wait_for(
                pilot,
                lambda: quiet(app),
                what="the app to settle",
                timeout=SETTLE_TIMEOUT,
                detail=lambda: unsettled(app),
            )
        await pilot.pause(0)


def steady_cursors(app: MeetdeckApp) -> None:
    """Stop every text box's cursor blinking (hidden): a snapshot taken mid-blink would
    show it on one run and not on the next."""
    from textual.widgets import Input

    for screen in app.screen_stack:
        for box in screen.query(Input).results(Input):
            box.cursor_blink = False


def pressing(
    *keys: str, before: Callable[[Any], Awaitable[None]] | None = None
) -> Callable[[Any], Awaitable[None]]:
    """A snapshot's `run_before`: run `before`, press `keys` and settle, so the
    snapshot is taken when the app has finished what the keys started."""

    async def run(pilot: Any) -> None:
        app = pilot.app
        assert isinstance(app, MeetdeckApp)
        await settle(pilot, app)
        if before is not None:
            await before(pilot)
        for key in keys:
            await pilot.press(key)
        await settle(pilot, app)
        steady_cursors(app)
        await pilot.pause()

    return run


async def press(pilot: Any, app: MeetdeckApp, *binding_ids: str) -> None:
    """Press the keys of these bindings, one after the other, and let the work finish."""
    for binding_id in binding_ids:
        await pilot.press(key_of(app, binding_id))
        await settle(pilot, app)


async def show_tab(pilot: Any, app: MeetdeckApp, tab: str) -> EntityPane[Any]:
    from textual.widgets import TabbedContent

    await press(pilot, app, f"tab-{tab}")
    assert app.screen.query_one(TabbedContent).active == tab
    return active(app)


async def on_events_tab(pilot: Any, app: MeetdeckApp) -> MainScreen:
    """The main screen, every pane mounted, on the events tab (`3`) once it is settled."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_for(pilot, lambda: screen.settled, what="the panes mounted")
    await pilot.press("3")
    await wait_for(
        pilot, lambda: screen.settled and active(app).KIND == "events", what="the events tab"
    )
    return screen
