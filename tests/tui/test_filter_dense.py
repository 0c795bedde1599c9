"""The `/` filter over many matches: a newer keystroke ends the count of an older one
(the UI thread ends it: nothing in the read polls), and that count's end is never
shown (no count, no error)."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.app import active
from tests.support.fakedeck import CountedLater, FakeDeck
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.screens.main import MainScreen


class Stops(threading.local):
    """The end of the reader thread's scope (`DeckApi.interruptible`): set from
    another thread, as the store's `ReadScope.end` interrupts the statement."""

    ended: threading.Event | None = None


class CountUntilStopped(CountedLater):
    """A view of many matches whose count runs until its scope is ended from another
    thread (as SQLite's interrupt ends the statement), then fails."""

    def __init__(self, view: Any, stops: Stops) -> None:
        super().__init__(view, self._until_stopped)
        self.stops = stops
        self.stopped = threading.Event()
        self.started = threading.Event()

    def _until_stopped(self) -> None:
        self.started.set()
        ended = self.stops.ended
        # At most 5 s: a filter that never ends its reads lets it run to its end.
        if ended is not None and ended.wait(5):
            self.stopped.set()
            raise RuntimeError("interrupted")


async def test_a_newer_keystroke_ends_the_count_and_it_never_shows(
    make_app: Any, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = deck.registrants
    stops = Stops()
    counts: list[CountUntilStopped] = []

    @contextlib.contextmanager
    def interruptible(stop: Callable[[], bool]) -> Iterator[Callable[[], None]]:
        ended = stops.ended = threading.Event()
        try:
            yield ended.set
        finally:
            stops.ended = None

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        if q is not None and q.text == "e":
            counts.append(CountUntilStopped(view, stops))
            return counts[-1]
        return view

    monkeypatch.setattr(deck, "registrants", registrants)
    monkeypatch.setattr(deck, "interruptible", interruptible)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "slash", "e")
        await wait_for(
            pilot,
            lambda: (
                re.search(r"\b\d+\+ registrants", screen_text(app)) is not None
                and counts[-1].started.is_set()
            ),
            what="the rows on screen of 'e', its count under way",
            detail=lambda: screen_text(app),
        )
        await pilot.press("x")
        pane = active(app)
        await wait_for(
            pilot,
            lambda: "filter: ex" in screen_text(app) and pane.settled,
            what="the rows of 'ex'",
            detail=lambda: screen_text(app),
        )
        assert counts[-1].stopped.is_set()  # ended, not left to run to its end
        assert isinstance(app.screen, MainScreen)  # no error dialog for the ended count
        assert "+ registrants" not in screen_text(app)
        assert pane.table.row_count == len(plain(pane.build_query()).rows(0, 1000))
