"""`meetdeck` without a command: settings become UiOptions and a Deck factory."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from tui.app import MeetdeckApp
from tui.cli_parser import build_parser


def test_run_tui_builds_the_app_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    config = Path(os.environ["MEETDECK_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        'default_profile = "work"\ntheme = "ansi-dark"\nmouse = false\n'
        'timezone = "Europe/Berlin"\n[keymap]\nfilter = "f"\n'
        '[profiles.work]\nread_only = true\naccent = "red"\ntimezone = "Asia/Tokyo"\n'
        "[profiles.test]\n",
        encoding="utf-8",
    )
    seen: dict[str, Any] = {}

    def fake_run(self: MeetdeckApp, **kwargs: Any) -> None:
        seen.update(kwargs, app=self)

    monkeypatch.setattr(MeetdeckApp, "run", fake_run)
    from tui.cmd import tui as cmd

    assert cmd.run(build_parser().parse_args([])) == 0
    app: MeetdeckApp = seen["app"]
    assert seen["mouse"] is False
    assert app.options.theme == "ansi-dark" and app.theme == "ansi-dark"
    assert app.options.keymap == {"filter": "f"}
    assert app.options.timezone == "Europe/Berlin"
    assert app.options.profile_zones == {"work": "Asia/Tokyo", "test": None}
    assert app.start_profile == "work"
    deck = app.deck_factory("test")
    try:
        assert deck.profile_name == "test" and deck.profiles() == ("test", "work")
    finally:
        asyncio.run(deck.aclose())
    deck = app.deck_factory(None)
    try:
        assert deck.profile_name == "work" and deck.read_only and deck.accent == "red"
    finally:
        asyncio.run(deck.aclose())


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    from tests.support.fakedeck import FakeDeck
    from tui.app import build_app

    app = build_app(lambda profile: FakeDeck())
    assert app.no_color
