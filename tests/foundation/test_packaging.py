"""A non-editable install carries its stylesheets and starts the app with them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it (no deps: the test venv has them) into a folder."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    wheel = next(out.glob("meetdeck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tui/styles/app.tcss" in names, names
    assert not any(name.startswith(("tests/", ".venv")) for name in names)
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target


def installed_env(target: Path) -> dict[str, str]:
    env = os.environ.copy()
    env["PYTHONPATH"] = str(target)
    return env


def test_installed_copy_uses_its_own_styles(installed: Path, tmp_path: Path) -> None:
    code = (
        "import tui, tui.app; print(tui.__file__); print(tui.app.styles_dir()); "
        "print((tui.app.styles_dir() / 'app.tcss').is_file())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=installed_env(installed),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    module, styles, exists = result.stdout.split()
    assert Path(module).is_relative_to(installed)
    assert Path(styles).is_relative_to(installed)
    assert exists == "True"


def test_installed_demo_starts_and_quits(installed: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyte")
    from tests.benchmarks.pty_harness import PtyProcess

    app = PtyProcess(
        [sys.executable, "-m", "tui", "--demo"],
        cols=100,
        rows=30,
        env=installed_env(installed),
        cwd=str(tmp_path),
    )
    app.start()
    try:
        app.wait_for(lambda screen: "Organizers" in screen and "Registrants" in screen, timeout=30)
        app.send(b"q")
        app.wait_exit(timeout=15)
    finally:
        app.kill()
    assert "Traceback" not in app.text()
