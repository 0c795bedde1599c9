"""The waiting helpers fail at once, with the app's own error, when the app has died.

A pane that cannot mount ends the app; `settle` used to wait out its bound (180 s, so
pytest-timeout's 120 s killed the test with nothing said about the pane).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.app import settle
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.widgets.panes import RecordingsPane


def broken_recordings(monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot_mount(self: RecordingsPane) -> None:
        raise RuntimeError("the recordings pane cannot mount")

    monkeypatch.setattr(RecordingsPane, "on_mount", cannot_mount)


async def test_settle_fails_fast_with_the_error_of_a_pane_that_cannot_mount(
    make_app: Callable[..., MeetdeckApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_recordings(monkeypatch)
    app = make_app()
    with pytest.raises(RuntimeError, match="the recordings pane cannot mount") as raised:
        async with app.run_test() as pilot:
            await settle(pilot, app)
    assert "the app exited (code 1)" in str(raised.value.__context__)


async def test_wait_for_fails_fast_when_the_app_has_exited(
    make_app: Callable[..., MeetdeckApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_recordings(monkeypatch)
    app = make_app()
    never: list[Any] = []
    with pytest.raises(RuntimeError, match="the recordings pane cannot mount") as raised:
        async with app.run_test() as pilot:
            await wait_for(pilot, lambda: never, what="something that never comes")
    assert "while the test waited for something that never comes" in str(raised.value.__context__)
