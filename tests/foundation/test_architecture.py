"""ARCHITECTURE.md is the map of the code: what it names exists, what it states holds.

The import rules between layers are in test_layers.py; this file checks the map itself
(every path it names exists, every package of the core is on it) and the rules that
are about the whole tree: no import cycles, no private name imported from another
module, no module over MAX_LINES lines (a module that grows past it is split by
concept, not by size).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.imports import (
    ROOT,
    cycles,
    import_graph,
    imports_of,
    long_modules,
    module_name,
)

MAP = ROOT / "ARCHITECTURE.md"
MAX_LINES = 450


def test_every_path_the_map_names_exists() -> None:
    text = MAP.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:tui|tests)/[\w/.*]*)`", text))
    assert len(named) > 30, "the map should name where each concept lives"
    missing = sorted(path for path in named if not any(ROOT.glob(path.rstrip("/"))))
    assert missing == [], f"ARCHITECTURE.md names paths that do not exist: {missing}"


def test_every_package_of_the_core_is_on_the_map() -> None:
    text = MAP.read_text(encoding="utf-8")
    packages = sorted(p.parent for p in (ROOT / "tui" / "core").glob("*/__init__.py"))
    absent = [p.name for p in packages if f"{p.name}/" not in text and f"core/{p.name}" not in text]
    assert absent == [], f"packages of tui/core missing from ARCHITECTURE.md: {absent}"


@pytest.mark.parametrize("tree", ["tui", "tests"])
def test_no_import_cycles(tree: str) -> None:
    assert cycles(import_graph(ROOT / tree)) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_module_in_tui_is_over_the_line_limit() -> None:
    long = long_modules(ROOT / "tui", MAX_LINES)
    assert long == [], f"modules over {MAX_LINES} lines (split them by concept): {long}"


def test_the_line_limit_finds_a_long_module(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (package / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert long_modules(package, MAX_LINES, root=tmp_path) == [("pkg/long.py", MAX_LINES + 1)]


def test_no_private_name_is_imported_from_another_module() -> None:
    found = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        here = module_name(path)
        for line, module, names in imports_of(path):
            if not module.startswith("tui") or module == here:
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {private} from {module}")
    assert found == []
