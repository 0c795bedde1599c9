"""The palette finds recordings and support sessions in the synced cache and jumps to
them (issue 15.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.support.app import active
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.core.deck.api import ViewQuery

MakeApp = Callable[..., MeetdeckApp]


async def _pick(app: MeetdeckApp, pilot: Pilot[Any], query: str, kind: str, key: str) -> None:
    """Type `query` in the palette and take the hit of `kind` with `key`."""
    hits = app.deck.search(query, limit=30)
    index = [(str(h.kind), h.key) for h in hits].index((kind, key))
    await pilot.press("ctrl+p", *query)
    await wait_for(
        pilot,
        lambda: f"{kind}: " in screen_text(app),
        what=f"the palette's {kind} hit",
        detail=lambda: screen_text(app),
    )
    await pilot.press(*["down"] * index, "enter")
    await wait_for(
        pilot,
        lambda: active(app).table.cursor_key == key,
        what=f"the cursor on the {kind}",
        detail=lambda: screen_text(app),
    )


async def test_the_palette_jumps_to_a_support_session_by_its_key(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        session = app.deck.support_sessions(ViewQuery()).rows(0, 1)[0]
        await _pick(app, pilot, session.support_key, "support_session", session.key)
        assert active(app).KIND == "support sessions"


async def test_the_palette_jumps_to_a_recording_by_its_file_name(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        files = app.deck.recordings(ViewQuery(sort="name")).rows(0, 500)
        recording = next(r for r in files if r.file_extension == "m4a")
        await _pick(app, pilot, f"{recording.name}.m4a"[-28:], "recording", recording.key)
        assert active(app).KIND == "recordings"
