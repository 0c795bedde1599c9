"""The tests share one toolbox (tests/support), never each other's modules."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (absolute names), with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_no_test_module_imports_a_test_module_or_a_conftest() -> None:
    """Helpers and fixtures live in tests/support (or a conftest that pytest loads);
    a `test_*.py` or a `conftest.py` is never imported by name."""
    offences = []
    for path in sorted(TESTS.rglob("*.py")):
        for line, module in imported_modules(path):
            last = module.rsplit(".", 1)[-1]
            if module.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                offences.append(f"{path.relative_to(TESTS.parent)}:{line} imports {module}")
    assert offences == []


def test_the_check_sees_an_import_of_a_test_module(tmp_path: Path) -> None:
    """The check above finds both spellings of such an import."""
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "from tests.core.test_http import make_api\nimport tests.sandbox.conftest\n",
        encoding="utf-8",
    )
    assert (1, "tests.core.test_http") in imported_modules(sample)
    assert (2, "tests.sandbox.conftest") in imported_modules(sample)
