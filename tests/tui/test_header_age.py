"""The header says how old the shown data is: every view loaded (each `/` keystroke)
tells it again, and only an age it would say differently builds the line again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.screen import screen_lines
from tests.support.waits import wait_for
from tui.widgets.header import DeckHeader


def headers_built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The headers built from now on, one entry per build."""
    built: list[object] = []
    build = DeckHeader.build

    def counted(self: DeckHeader) -> Any:
        built.append(self)
        return build(self)

    monkeypatch.setattr(DeckHeader, "build", counted)
    return built


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
        built = headers_built(monkeypatch)
        header.set_state(fetched_at=then, now=header.now + timedelta(seconds=20))
        assert built == []  # still "5m ago"
        header.set_state(fetched_at=then, now=header.now + timedelta(hours=2))
        assert built == [header]
        await wait_for(pilot, lambda: "data 2h ago" in screen_lines(app)[0], what="2h")


async def test_another_view_synced_at_another_time_but_the_same_age_builds_no_header(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drill-down shows a view synced at another moment: the same age shown, the
    header is not built again; the new moment counts for the ages after it."""
    app = make_app()
    async with app.run_test(size=(160, 30)) as pilot:
        header = app.screen.query_one(DeckHeader)
        await wait_for(pilot, lambda: header.now is not None, what="the header's age")
        now = header.now
        header.set_state(fetched_at=now - timedelta(minutes=5), now=now)
        await wait_for(pilot, lambda: "data 5m ago" in screen_lines(app)[0], what="5m")
        built = headers_built(monkeypatch)
        other = now - timedelta(minutes=5, seconds=30)
        header.set_state(fetched_at=other, now=now)
        assert built == []  # "5m ago" too
        assert header.fetched_at == other
        header.set_state(now=now + timedelta(seconds=40))  # 6m after `other`, 5m40s after
        assert built == [header]
        await wait_for(pilot, lambda: "data 6m ago" in screen_lines(app)[0], what="6m")
