"""The import rules that keep the layers honest (see DESIGN.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.imports import imports_of

PACKAGE = Path(__file__).resolve().parents[2] / "tui"


def offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for line, module, _names in imports_of(path, PACKAGE.parent):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return found


def test_core_never_imports_textual_or_the_ui() -> None:
    forbidden = ("textual", "tui.app", "tui.screens", "tui.widgets", "tui.commands", "tui.text")
    assert offenders(PACKAGE / "core", forbidden) == []


def test_sandbox_never_imports_core() -> None:
    assert offenders(PACKAGE / "sandbox", ("tui.core", "textual")) == []


@pytest.mark.parametrize("folder", ["widgets", "screens"])
def test_ui_never_calls_http_or_sql(folder: str) -> None:
    forbidden = ("httpx", "sqlite3", "tui.core.store", "tui.core.net.client", "tui.core.providers")
    assert offenders(PACKAGE / folder, forbidden) == []


def test_widgets_never_import_screens() -> None:
    """Widgets post messages; screens open the dialogs (DESIGN.md, "what we take" 11)."""
    assert offenders(PACKAGE / "widgets", ("tui.screens", "tui.app", "tui.commands")) == []


def test_the_checker_catches_a_violation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "tui" / "core"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from textual.app import App\nfrom ..widgets import x\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", tmp_path / "tui")
    found = offenders(tmp_path / "tui" / "core", ("textual", "tui.widgets"))
    assert len(found) == 2
