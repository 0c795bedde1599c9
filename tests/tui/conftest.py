"""Fixtures for TUI tests.

`make_app`: the app on the in-memory FakeDeck, for widget behaviour.
`real_app`: the app on the real Deck, over a private copy of a cache synced once per
session from the sandbox (fixed seed, anchor and clocks), for the whole stack and the
snapshots. Both run at a fixed time, in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.demo import DemoCache, deck_factory, fixed_clock, synced_demo
from tests.support.fakedeck import NOW, FakeDeck
from tui.app import MeetdeckApp, build_app
from tui.ui_options import UiOptions


@pytest.fixture(autouse=True)
def no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps start with animations off (TEXTUAL_ANIMATIONS=none): Pilot waits for every
    animation to finish after each key, and a tab switch's underline slide adds a
    fifth of a second per key without changing what ends up on screen."""
    monkeypatch.setattr("textual.constants.TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def deck() -> FakeDeck:
    return FakeDeck()


@pytest.fixture
def make_app(deck: FakeDeck, tmp_path: Any) -> Callable[..., MeetdeckApp]:
    """Build the app the way the CLI does, on the FakeDeck."""

    def make(**options: Any) -> MeetdeckApp:
        opened: list[str | None] = []

        def factory(profile: str | None) -> Any:
            opened.append(profile)
            if profile in (None, deck.profile_name):
                return deck
            return FakeDeck(profile_name=profile, accent="red", read_only=True)

        settings = {
            "sync_on_start": False,
            "timezone": "UTC",
            "download_dir": tmp_path / "downloads",
            **options,
        }
        app = build_app(factory, UiOptions(**settings), clock=lambda: NOW)
        app.opened_profiles = opened  # type: ignore[attr-defined]
        return app

    return make


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCache]:
    """The sandbox and a cache synced from it once per session (per xdist worker)."""
    with synced_demo(tmp_path_factory.mktemp("demo-template")) as cache:
        yield cache


@pytest.fixture
def real_app(demo_cache: DemoCache, tmp_path: Any) -> Callable[..., MeetdeckApp]:
    """Build the app on a private copy of the synced demo cache (`connect_later`: the
    Deck opens its cache only and connects on first need, as `meetdeck` does)."""

    def make(
        *,
        base_url: str | None = None,
        engine: bool = True,
        connect_later: bool = False,
        **options: Any,
    ) -> MeetdeckApp:
        paths = demo_cache.install(tmp_path / "home")
        factory = deck_factory(
            paths, base_url or demo_cache.base_url, engine=engine, connect_later=connect_later
        )
        settings = {
            "sync_on_start": False,
            "timezone": "UTC",
            "download_dir": tmp_path / "downloads",
            **options,
        }
        return build_app(factory, UiOptions(**settings), clock=fixed_clock)

    return make
