"""Helpers of the CLI tests: run `python -m tui`, a Zoom-only profile on a sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def run_cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` in the test's isolated dirs (the env the fixtures set)."""
    return subprocess.run([sys.executable, "-m", "tui", *argv], cwd=REPO, capture_output=True,
                          text=True, env=os.environ.copy(), timeout=timeout)


@pytest.fixture(scope="module")
def cli_sandbox() -> Iterator[Any]:
    """A sandbox of this module's own (faults set by a test are cleared after it)."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(SandboxConfig(port=0, seed=3, registrants=400)) as handle:
        yield handle


def write_zoom_profile(base_url: str, name: str = "ops") -> None:
    """config.toml with one Zoom-only profile pointing at the sandbox."""
    from tui.core.settings.paths import resolve_paths

    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f'default_profile = "{name}"\n\n[profiles.{name}]\n'
        'zoom_account_id = "demo-account"\nzoom_client_id = "demo-zoom"\n'
        'zoom_client_secret = "demo-zoom-secret"\n'
        f'zoom_api_base = "{base_url}/zoom/v2"\nzoom_auth_base = "{base_url}/zoom"\n\n'
        "[http]\nmax_retries = 3\nmax_backoff = 1.0\n", encoding="utf-8")
    paths.config_file.chmod(0o600)  # it holds a client secret, as the README advises
