"""Paths: overrides, per-profile files, nothing created until written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.core.settings.paths import ensure_dir, resolve_paths


def test_overrides_from_environment(isolated_dirs: Path) -> None:
    paths = resolve_paths()
    assert paths.config_dir == isolated_dirs / "config"
    assert paths.data_dir == isolated_dirs / "data"
    assert paths.cache_dir == isolated_dirs / "cache"
    assert paths.download_dir == isolated_dirs / "download"
    assert paths.config_file == isolated_dirs / "config" / "config.toml"


def test_platformdirs_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MEETDECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    paths = resolve_paths()
    assert paths.cache_dir == tmp_path / "xdg" / "meetdeck"


def test_demo_and_real_profiles_never_share_files() -> None:
    paths = resolve_paths()
    assert paths.cache_db("demo", demo=True) != paths.cache_db("demo")
    assert paths.token_file("demo", demo=True) != paths.token_file("demo")


def test_profile_names_cannot_escape() -> None:
    paths = resolve_paths()
    with pytest.raises(ValueError):
        paths.cache_db("../../etc/passwd")


def test_nothing_is_created_at_import_or_resolution(isolated_dirs: Path) -> None:
    code = (
        "import tui, tui.cli, tui.core.settings.config, tui.core.settings.paths, tui.core.models,"
        " tui.core.errors;"
        "tui.core.settings.paths.resolve_paths(); tui.core.settings.config.load_settings()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert not isolated_dirs.exists()


def test_ensure_dir_is_private(tmp_path: Path) -> None:
    target = ensure_dir(tmp_path / "a" / "b")
    assert target.is_dir()
    assert target.stat().st_mode & 0o077 == 0
