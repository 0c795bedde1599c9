"""The header says how old the shown data is: every view loaded (each `/` keystroke)
tells it again, and only an age it would say differently builds the line again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.screen import screen_lines
from tests.support.waits import wait_for
from tui.widgets.header import DeckHeader


async def test_the_same_data_age_builds_no_header_and_a_new_one_shows(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        header = app.screen.query_one(DeckHeader)
        await wait_for(pilot, lambda: header.now is not None, what="the header's age")
        then = header.now - timedelta(minutes=5)
        header.set_state(fetched_at=then, now=header.now)
        await wait_for(pilot, lambda: "data 5m ago" in screen_lines(app)[0], what="5m")
        built: list[object] = []
        build = DeckHeader.build

        def counted(self: DeckHeader) -> Any:
            built.append(self)
            return build(self)

        monkeypatch.setattr(DeckHeader, "build", counted)
        header.set_state(fetched_at=then, now=header.now + timedelta(seconds=20))
        assert built == []  # still "5m ago"
        header.set_state(fetched_at=then, now=header.now + timedelta(hours=2))
        assert built == [header]
        await wait_for(pilot, lambda: "data 2h ago" in screen_lines(app)[0], what="2h")
