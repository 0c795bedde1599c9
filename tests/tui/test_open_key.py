"""Enter on a row opens it from the pane, as the key passes it, instead of after the
key has bubbled up to the app's bindings (tui/widgets/pane_keys.py `OpenKey`); a key
the keymap moved the open binding to does the same, and Enter then does not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events

from tests.support.app import active, on_events_tab
from tests.support.waits import wait_for
from tui.app import MeetdeckApp

MakeApp = Callable[..., MeetdeckApp]


def keys_reaching(app: MeetdeckApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys that bubble up to the app (where Textual runs non-priority bindings)."""
    seen: list[str] = []
    on_key = type(app)._on_key

    async def spy(self: MeetdeckApp, event: events.Key) -> None:
        seen.append(event.key)
        await on_key(self, event)

    monkeypatch.setattr(type(app), "_on_key", spy)
    return seen


async def test_enter_drills_from_the_pane_without_the_key_reaching_the_app(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await on_events_tab(pilot, app)
        seen = keys_reaching(app, monkeypatch)
        await pilot.press("j", "enter")
        await wait_for(
            pilot, lambda: active(app).KIND == "registrants", what="the event's registrants"
        )
        assert "j" in seen  # other keys still go the whole way to their bindings
        assert "enter" not in seen


async def test_the_keymap_moves_the_open_key(make_app: MakeApp) -> None:
    app = make_app(keymap={"open": "o"})
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await on_events_tab(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert active(app).KIND == "events"  # Enter no longer opens
        await pilot.press("o")
        await wait_for(
            pilot, lambda: active(app).KIND == "registrants", what="the event's registrants"
        )
        assert screen.navigation.crumbs
