"""The `/` filter reads the likely next keystroke's rows ahead (tui/widgets/filter_ahead.py):
a keystroke that types one shows its rows inside its own handler, without a read in
the filter's thread; one read ahead before the rows changed is not shown."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.support.app import show_tab
from tests.support.fakedeck import FakeDeck
from tests.support.waits import wait_for


def blocking_reads(
    deck: FakeDeck, monkeypatch: pytest.MonkeyPatch, release: threading.Event
) -> list[str]:
    """From now on the deck's reads of registrants wait for `release` and are listed: a
    keystroke whose rows come from them cannot show them at once."""
    plain = deck.registrants
    asked: list[str] = []

    def registrants(q: Any = None) -> Any:
        asked.append("" if q is None else q.text)
        release.wait(5)
        return plain(q) if q is not None else plain()

    monkeypatch.setattr(deck, "registrants", registrants)
    return asked


async def test_a_keystroke_read_ahead_shows_its_rows_with_no_read(
    make_app: Any, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.widgets import pane_filter

    monkeypatch.setattr(pane_filter, "QUICK_WAIT", 0.0)  # nothing waits for the thread
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_tab(pilot, app, "registrants")
        await pilot.press("slash")
        await wait_for(pilot, lambda: pane.filter.idle, what="the first keystrokes read ahead")
        release = threading.Event()
        asked = blocking_reads(deck, monkeypatch, release)
        box = pane.filter_box
        assert box is not None
        try:
            box.insert_text_at_cursor("e")  # what the keystroke does, in its handler
            # No await since: the rows of "e" are in place without a read.
            assert pane.filter_text == "e"
            shown = pane.last_query
            assert shown is not None and shown.text == "e"
            assert pane.table.row_count == 120  # every person's email has an "e"
            assert "e" not in asked
        finally:
            release.set()


async def test_rows_read_ahead_are_dropped_when_the_pane_reads_again(
    make_app: Any, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload (after a sync: the rows may have changed) drops what was read ahead:
    the next keystroke reads its rows again."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await show_tab(pilot, app, "registrants")
        await pilot.press("slash")
        await wait_for(pilot, lambda: pane.filter.idle, what="the first keystrokes read ahead")
        pane.reload()
        plain = deck.registrants
        asked: list[str] = []

        def registrants(q: Any = None) -> Any:
            asked.append("" if q is None else q.text)
            return plain(q) if q is not None else plain()

        monkeypatch.setattr(deck, "registrants", registrants)
        await pilot.press("e")
        await wait_for(
            pilot,
            lambda: pane.filter_text == "e" and pane.filter.idle,
            what="the rows of 'e'",
        )
        assert asked[0] == "e"  # read for the keystroke, not taken from before the reload
        assert pane.table.row_count == 120
