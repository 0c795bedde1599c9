"""The `/` filter over many matches: a newer keystroke ends the count of an older one,
and that count's end is never shown (no count, no error)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.app import active
from tests.support.fakedeck import FakeDeck
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.screens.main import MainScreen
from tui.widgets.virtual_table import PAGE_SIZE


class Stops(threading.local):
    """The stop condition the reader thread set (`DeckApi.interruptible`)."""

    stop: Callable[[], bool] | None = None


class CountUntilStopped:
    """A view of many matches whose count runs until the reader's stop condition
    says a newer read came (as the store's progress handler does), then fails."""

    def __init__(self, view: Any, stops: Stops) -> None:
        self.view = view
        self.stops = stops
        self.fetched_at = view.fetched_at
        self.sort_columns = view.sort_columns
        self.sort = view.sort
        self.quick_to_count = False
        self.stopped = threading.Event()
        self.started = threading.Event()

    def head(self, limit: int) -> list[Any]:
        return list(self.view.rows(0, limit))

    def count(self) -> int:
        self.started.set()
        stop = self.stops.stop
        for _ in range(500):  # at most 5 s: an old reader never asks it to stop
            if stop is not None and stop():
                self.stopped.set()
                raise RuntimeError("interrupted")
            threading.Event().wait(0.01)
        return int(self.view.count())

    def rows(self, offset: int, limit: int) -> list[Any]:
        return list(self.view.rows(offset, limit))

    def index_of(self, key: str) -> int | None:
        found: int | None = self.view.index_of(key)
        return found


async def test_a_newer_keystroke_ends_the_count_and_it_never_shows(
    make_app: Any, deck: FakeDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = deck.registrants
    stops = Stops()
    counts: list[CountUntilStopped] = []

    @contextlib.contextmanager
    def interruptible(stop: Callable[[], bool]) -> Iterator[None]:
        stops.stop = stop
        try:
            yield
        finally:
            stops.stop = None

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
            lambda: f"{PAGE_SIZE}+ registrants" in screen_text(app) and counts[0].started.is_set(),
            what="the first page of 'e', its count under way",
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
        assert counts[0].stopped.is_set()  # ended, not left to run to its end
        assert isinstance(app.screen, MainScreen)  # no error dialog for the ended count
        assert "+ registrants" not in screen_text(app)
        assert pane.table.row_count == len(plain(pane.build_query()).rows(0, 1000))
