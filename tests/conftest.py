"""Shared fixtures: every test runs with its own config, data, cache and download dirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# Prints the chaos suite's count of fault scenarios at the end of a run (xdist too).
pytest_plugins = ("tests.chaos.summary",)

REPO_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = REPO_ROOT.parent / "shared" / "specs"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep the developer's real config, tokens, cache and downloads out of every test."""
    base = tmp_path / "meetdeck-home"
    for name in ("CONFIG", "DATA", "CACHE", "DOWNLOAD"):
        monkeypatch.setenv(f"MEETDECK_{name}_DIR", str(base / name.lower()))
    for var in ("MEETDECK_PROFILE", "MEETDECK_READ_ONLY", "MEETDECK_THEME", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    yield base


@pytest.fixture
def specs_dir() -> Path:
    """The shared API specs; tests that need them skip where the folder is absent."""
    if not SPECS_DIR.is_dir():
        pytest.skip(f"{SPECS_DIR} not found: these tests read the shared API specs")
    return SPECS_DIR
