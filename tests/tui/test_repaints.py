"""What a key repaints: Enter's drill-down paints the rows in its first frame and the
detail panel after them; a `/` keystroke repaints only the table lines that changed.

Frames are counted where the screen hands one to the terminal (`App._display`, called
in headless runs too), so these tests see the frames a terminal would get.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support.app import active
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.screens.main import MainScreen

MakeApp = Callable[..., MeetdeckApp]


def main_screen(app: MeetdeckApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def record_frames(app: MeetdeckApp, frame: Callable[[], object]) -> list[object]:
    """Call `frame()` at each frame the app paints, and keep what it returns."""
    frames: list[object] = []
    original = app._display

    def recording(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append(frame())
        original(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    return frames


async def test_enter_paints_the_rows_in_its_first_frame_and_the_detail_after(
    make_app: MakeApp,
) -> None:
    """Enter on an event: the first frame painted after the drill shows the registrants
    tab with its rows (no frame of the old layout first), and the detail panel is empty
    there, never the row highlighted before; it is filled for the new row after."""
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4", *"jjjjj")  # the registrants tab, on a row of its own
        pane: Any = active(app)
        await wait_for(pilot, lambda: "Person00005" in pane.detail.text, what="row 5's detail")
        await pilot.press("3")
        await wait_for(pilot, lambda: active(app).KIND == "events", what="the events tab")
        await wait_for(pilot, lambda: main_screen(app).settled, what="the screen to settle")
        table = pane.table

        def frame() -> tuple[bool, bool, int, str]:
            drilled = pane.scope is not None
            return drilled, bool(table.region), table.row_count, pane.detail.text

        frames = record_frames(app, frame)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: pane.settled and "Person00000" in pane.detail.text,
            what="the first registrant's detail",
        )
        after = [f for f in frames if isinstance(f, tuple) and f[0]]
        assert after, frames
        _, shown, rows, detail = after[0]
        assert shown and rows == 120, after[0]
        assert "Person00005" not in detail and "Person00000" not in detail, detail
        assert "Person00000" in after[-1][3]
