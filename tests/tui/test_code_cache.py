"""The compiled methods of dataclasses and namedtuples, kept between runs (`tui.code_cache`).

Each test defines its classes in a fresh subprocess: the cache is installed into
`dataclasses` and `collections` of that process only, as `meetdeck` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.code_cache import CodeCache, file_name

# Defines a frozen, slotted dataclass with a default factory and a namedtuple, uses
# them, and prints what the cache did and what the classes look like.
_PROGRAM = r"""
import json, sys
from pathlib import Path
from tui.code_cache import CodeCache
cache = None
if sys.argv[1] != "-":
    cache = CodeCache(Path(sys.argv[1]))
    cache.install()
import dataclasses, collections, inspect

@dataclasses.dataclass(frozen=True, slots=True)
class Person:
    name: str
    tags: tuple[str, ...] = ()
    seen: list[int] = dataclasses.field(default_factory=list, hash=False)

Point = collections.namedtuple("Point", "x y")
a, b = Person("ada", ("x",)), Person("ada", ("x",))
try:
    a.name = "bob"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
report = {
    "repr": repr(a), "eq": a == b, "hash": hash(a) == hash(b), "frozen": frozen,
    "signature": str(inspect.signature(Person)),
    "annotations": {k: repr(v) for k, v in Person.__init__.__annotations__.items()},
    "point": repr(Point(1, y=2)), "point_sum": sum(Point(3, 4)),
}
if cache is not None:
    report.update(hits=cache.hits, misses=cache.misses, saved=cache.save())
    cache.uninstall()
    report["restored"] = "exec" not in vars(dataclasses) and "eval" not in vars(collections)
print(json.dumps(report))
"""


def _run(path: Path | None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(path) if path else "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_classes_are_the_same_with_the_cache_cold_and_warm(tmp_path: Path) -> None:
    path = tmp_path / "cache" / file_name()
    plain = _run(None)
    cold = _run(path)
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    warm = _run(path)
    shape = ("repr", "eq", "hash", "frozen", "signature", "annotations", "point", "point_sum")
    for run in (cold, warm):
        assert {k: run[k] for k in shape} == {k: plain[k] for k in shape}
        assert run["restored"]
    assert plain["frozen"] and plain["eq"] and plain["annotations"]["name"] == "<class 'str'>"
    # The first run compiles each method and saves them; the next only reads them.
    assert cold["misses"] > 5 and cold["hits"] == 0 and cold["saved"]
    assert warm["misses"] == 0 and warm["hits"] == cold["misses"] and not warm["saved"]


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xfa\x00", None])
def test_an_unreadable_or_foreign_file_is_an_empty_cache(
    tmp_path: Path, content: bytes | None
) -> None:
    import marshal

    path = tmp_path / file_name()
    path.write_bytes(marshal.dumps([1, 2]) if content is None else content)
    cache = CodeCache(path)
    code = cache.code("x = 1", "exec")
    assert cache.misses == 1 and cache.save()
    again = CodeCache(path)
    assert again.code("x = 1", "exec") == code and again.hits == 1


def test_a_failed_save_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    cache = CodeCache(blocker / "sub" / file_name())  # a directory that cannot exist
    cache.code("y = 2", "exec")
    assert not cache.save()
    assert list(tmp_path.iterdir()) == [blocker]


def test_the_tui_saves_its_cache_and_gives_exec_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import collections
    import dataclasses
    import os

    from tui.app import MeetdeckApp
    from tui.cli_parser import build_parser

    config = Path(os.environ["MEETDECK_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text("[profiles.work]\n", encoding="utf-8")
    seen: list[object] = []

    def fake_run(self: MeetdeckApp, **kwargs: Any) -> None:
        seen.append(vars(dataclasses).get("exec"))
        # A class defined while the app runs goes through the cache.
        dataclasses.make_dataclass("Later", [("a", int)], frozen=True)

    monkeypatch.setattr(MeetdeckApp, "run", fake_run)
    from tui.cmd import tui as cmd

    assert cmd.run(build_parser().parse_args([])) == 0
    assert seen and seen[0] is not None  # installed while the app ran
    assert "exec" not in vars(dataclasses) and "eval" not in vars(collections)
    saved = Path(os.environ["MEETDECK_CACHE_DIR"]) / file_name()
    assert saved.is_file() and len(CodeCache(saved)) > 0
