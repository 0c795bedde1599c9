"""Driving the real app in the chaos tests: the factory, and keys by binding id.

Keys are looked up by their binding `id` (the names users remap in config), not typed
literally, so these tests keep working while the key map is polished.
"""

from __future__ import annotations

from typing import Any

from tests.support.chaos import CHAOS, HTTP, PROFILE
from tests.support.decks import open_deck
from tui.app import MeetdeckApp, UiOptions, build_app
from tui.core.deck.facade import Deck
from tui.core.settings.config import HttpSettings
from tui.core.settings.paths import Paths
from tui.screens.main import MainScreen
from tui.widgets.pane import EntityPane

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


async def settle(pilot: Any, app: MeetdeckApp) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


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
