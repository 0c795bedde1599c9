"""The first frame's settings without pydantic, and the Deck that connects after it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.core.errors import ConfigError
from tui.core.settings.config import load_settings
from tui.core.settings.paths import resolve_paths
from tui.core.settings.quick import FirstFrame, ProfileChoiceError, choose_profile, first_frame


def connected(deck: Any) -> bool:
    """Whether the Deck has connected (read afresh: mypy would keep an earlier answer)."""
    return bool(deck.connected)


def write_config(text: str) -> Path:
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def test_first_frame_needs_neither_pydantic_nor_httpx() -> None:
    code = (
        "import sys, tui.cmd.tui, tui.app, tui.screens.main, tui.core.deck.from_profile,"
        " tui.core.settings.quick, tui.core.store;"
        "print(sorted(m for m in ('httpx', 'pydantic', 'pydantic_settings', 'starlette',"
        " 'uvicorn', 'zoneinfo', 'tui.core.deck.wiring', 'tui.widgets.api_log',"
        " 'textual.widgets._log', 'tui.widgets.sync_bar', 'textual.widgets._progress_bar')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "[]"


def test_a_deck_showing_its_cache_imports_no_write_download_or_sync_step() -> None:
    # The first frame opens the Deck lazily and reads its cache; the collaborators
    # behind writes, downloads and refreshes (some twenty modules) wait for first use.
    # Not connected, no provider can do anything: the key bar of the first drill into
    # the registrants asks so without building them (10-20 ms of that drill's frame).
    code = (
        "import sys, asyncio\n"
        "from tui.core.deck.from_profile import open_profile_lazily\n"
        "from tui.core.settings.paths import resolve_paths\n"
        "deck = open_profile_lazily(resolve_paths(), 'p', lambda store: None)\n"
        "deck.organizers().rows(0, 20); deck.health(); deck.read_only\n"
        "from tui.core.models import Provider\n"
        "assert deck.capabilities(Provider.ZOOM) is None  # a drill's write keys ask it\n"
        "asyncio.run(deck.unfinished_writes())\n"
        "late = ('tui.core.deck.wiring', 'tui.core.deck.write_plans', 'tui.core.deck.files',"
        " 'tui.core.downloads.queue', 'tui.core.sync.fetch', 'csv')\n"
        "print(sorted(m for m in late if m in sys.modules))\n"
        "deck.downloads()\n"
        "print(sorted(m for m in late if m in sys.modules))\n"
        "asyncio.run(deck.aclose())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert "tui.core.deck.wiring" in out[1]  # and the first use builds them


@pytest.mark.parametrize(
    ("flag", "env", "text", "expected"),
    [
        ("b", "", 'default_profile = "a"\n[profiles.a]\n[profiles.b]\n', "b"),
        (None, "b", 'default_profile = "a"\n[profiles.a]\n[profiles.b]\n', "b"),
        (None, "", 'default_profile = "a"\n[profiles.a]\n[profiles.b]\n', "a"),
        (None, "", "[profiles.only]\n", "only"),
    ],
)
def test_profile_choice_agrees_with_settings(
    monkeypatch: pytest.MonkeyPatch, flag: str | None, env: str, text: str, expected: str
) -> None:
    write_config(text)
    if env:
        monkeypatch.setenv("MEETDECK_PROFILE", env)
    frame = first_frame(resolve_paths(), flag)
    assert frame is not None and frame.profile == expected
    assert load_settings(overrides={"profile": flag}).active_profile()[0] == expected


def test_no_choice_is_left_to_the_full_loader() -> None:
    write_config("[profiles.a]\n[profiles.b]\n")
    assert first_frame(resolve_paths(), None) is None
    with pytest.raises(ProfileChoiceError, match="choose one"):
        choose_profile(None, {"profiles": {"a": {}, "b": {}}}, env={})
    with pytest.raises(ConfigError):
        load_settings().active_profile()


def test_display_settings_and_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        "theme": "nord",
        "mouse": False,
        "keymap": {"approve": "A"},
        "profiles": {"prod": {"read_only": True, "accent": "red", "timezone": "UTC"}, "test": {}},
    }
    frame = FirstFrame("prod", data, env={})
    assert (frame.theme, frame.mouse, frame.keymap) == ("nord", False, {"approve": "A"})
    assert frame.read_only and frame.accent == "red"
    assert frame.profile_zones == {"prod": "UTC", "test": None}
    env = {"MEETDECK_THEME": "gruvbox", "MEETDECK_PROFILES__TEST__READ_ONLY": "true"}
    other = FirstFrame("test", data, env=env)
    assert other.theme == "gruvbox" and other.read_only


def test_broken_file_is_left_to_the_full_loader() -> None:
    write_config("[profiles.a\n")
    assert first_frame(resolve_paths(), None) is None


async def test_cached_deck_connects_on_first_need(sandbox: object) -> None:
    from tui.core.deck.connection import DeckConnection
    from tui.core.deck.from_profile import open_profile_lazily
    from tui.core.models import Provider
    from tui.core.settings.config import HttpSettings, demo_profile
    from tui.core.store.db import Store
    from tui.core.sync.types import ScopeKind

    base_url: str = sandbox.base_url  # type: ignore[attr-defined]
    paths = resolve_paths()
    calls: list[Store] = []

    def connect(store: Store) -> DeckConnection:
        calls.append(store)
        return DeckConnection.build(
            store,
            paths,
            "sbx",
            demo_profile(base_url),
            demo=True,
            http=HttpSettings(max_retries=2, max_backoff=0.5),
        )

    deck = open_profile_lazily(paths, "sbx", connect, demo=True)
    try:
        assert not deck.connected and deck.parts_for_tests().providers is None
        assert deck.organizers().count() == 0  # the cache answers before any connection
        await deck.demo_sign_in()
        report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS])
        assert connected(deck) and len(calls) == 1 and calls[0] is deck.parts_for_tests().store
        assert report.ok
        assert deck.organizers().count() > 0
        assert any(h.signed_in for h in deck.health() if h.provider is Provider.ZOOM)
    finally:
        await deck.aclose()


async def test_a_failing_connection_leaves_a_read_only_cache() -> None:
    from tui.core.deck.from_profile import open_profile_lazily
    from tui.core.store.db import Store

    def connect(store: Store) -> object:
        raise ConfigError("unknown key 'themme' in config.toml; check its spelling.")

    deck = open_profile_lazily(resolve_paths(), "p", connect)  # type: ignore[arg-type]
    try:
        with pytest.raises(ConfigError, match="themme"):
            await deck.connect()
        assert not deck.connected
        assert deck.organizers().count() == 0
    finally:
        await deck.aclose()
