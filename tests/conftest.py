"""Shared fixtures: every test runs with its own config, data, cache and download dirs."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# PYTHONDONTWRITEBYTECODE (set on this machine) made every xdist worker compile tui/
# and re-rewrite every test module from source, and every `python -m tui` child the
# tests start compile tui/ again: ~5 s of CPU per worker and ~0.15 s per child. The test
# run writes bytecode (into __pycache__, which .gitignore keeps out of commits).
if sys.dont_write_bytecode:
    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# Textual's Pilot guesses that the app is idle by sleeping in steps of 20 ms until a
# step passes with under 1 ms of the process's CPU time: at least 40 ms after every key
# (`press` guesses twice) and 20 ms after every `pause()`, up to a second while any
# thread of the process (a sandbox, the store's writer) works. Here the step is 1 ms,
# with the same 5 % share of CPU time as the bar, or more where the loop's own wake-up
# costs more than that (`_idle_bar`): `press`, whose guesses are followed by
# Pilot's own wait for every widget's queued messages, ends as soon as the app is
# idle (with 4 ms steps a third of the TUI tests' time was spent idle inside `press`).
# `pause()` still guesses for at least PAUSE_AT_LEAST: tests wait for a condition where
# they can (tests/support/waits.py, `settle`), but a `pause()` before reading the screen
# leans on the guess, and with 1 ms there too three such tests failed now and then.
# Textual is pinned exactly; the checks fail loudly if a release renames these.
import textual._styles_cache as _textual_styles_cache
import textual._wait as _textual_wait
import textual.pilot as _textual_pilot
from textual.css.stylesheet import Stylesheet as _Stylesheet

assert {"SLEEP_GRANULARITY", "SLEEP_IDLE"} <= vars(_textual_wait).keys(), (
    "textual._wait no longer has SLEEP_GRANULARITY/SLEEP_IDLE: see tests/conftest.py"
)
assert vars(_textual_pilot).get("wait_for_idle") is _textual_wait.wait_for_idle, (
    "textual.pilot no longer imports wait_for_idle: see tests/conftest.py"
)
_textual_wait.SLEEP_GRANULARITY = 0.001


def _idle_bar(step: float) -> float:
    """The CPU time under which a step of `step` seconds counts as idle: 5 % of it, as
    Textual's, but never under 2.5 times what an idle event loop itself spends on one
    such sleep (measured here). On one machine that was 106 us per 1 ms step, over the
    5 % bar (50 us): no step ever looked idle, every key waited Pilot's full second,
    and the TUI tests took several times as long."""
    import asyncio
    import statistics
    import time

    async def spent() -> float:
        samples = []
        for _ in range(60):
            started = time.process_time()
            await asyncio.sleep(step)
            samples.append(time.process_time() - started)
        return statistics.median(samples)

    return min(step / 2, max(step / 20, 2.5 * asyncio.run(spent())))


_textual_wait.SLEEP_IDLE = _idle_bar(_textual_wait.SLEEP_GRANULARITY)
PAUSE_AT_LEAST = 0.004
_guess_idle = _textual_wait.wait_for_idle


async def _pilot_guess(min_sleep: float = 0.02, max_sleep: float = 1) -> None:
    """Pilot's guesses (`pause()`, `exit()`): at least PAUSE_AT_LEAST of them."""
    await _guess_idle(max(min_sleep, PAUSE_AT_LEAST), max_sleep)


vars(_textual_pilot)["wait_for_idle"] = _pilot_guess

# The tests' files go to a RAM-backed folder when the machine has one with room. They
# are real files either way (caches, WALs, audit logs, `.part` downloads, tokens), but
# every fsync, checkpoint and unlink on a disk is a wait: on a 2-core machine whose disk
# syncs at ~120 MB/s, tests/core took 139 and 115 s on the disk against 99 and 77 s
# here (alternated, `-n 2`, load 4-5). No test relies on surviving a power cut (the kill
# tests kill processes, which a tmpfs survives). A TMPDIR set by whoever runs the
# tests wins; children the tests start inherit the folder.
RAM_TMP_AT_LEAST = 4 * 1024**3  # the suite writes ~1.3 GB while it runs


def _ram_tmp() -> str | None:
    """/dev/shm/meetdeck-tests-UID (ours alone, mode 0700), kept between runs so that
    pytest's own clean-up of old runs' folders works there too; None to stay put."""
    import stat

    if os.environ.get("TMPDIR") or not os.path.isdir("/dev/shm"):
        return None
    folder = f"/dev/shm/meetdeck-tests-{os.getuid()}"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        found, room = os.lstat(folder), os.statvfs(folder)
    except OSError:
        return None
    ours = stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
    if not ours or found.st_mode & 0o077 or room.f_bavail * room.f_frsize < RAM_TMP_AT_LEAST:
        return None
    return folder


if (_tmp := _ram_tmp()) is not None:
    import tempfile

    os.environ["TMPDIR"] = tempfile.tempdir = _tmp

# The collector. A TUI test leaves thousands of objects that live long enough to reach
# the oldest generation, and each full collection walked every object of the process
# (Textual, the sandbox, the store: 120,000 before the first test): 15 of 90 s of
# tests/tui went to the collector, 13 of them to 76 full collections. The objects the
# session imported are frozen once collected (no collection walks them again), young
# generations are collected every 5,000 allocations instead of 700, and Textual's
# per-method cache of StylesCache geometry (it keeps up to 1,024 StylesCache objects,
# each with its widget's rendered lines, after their apps have gone) is emptied after
# each test. The product's own collector settings (tui/startup.py) are tested apart.
assert hasattr(_textual_styles_cache.StylesCache.get_inner_outer, "cache_clear"), (
    "Textual's StylesCache.get_inner_outer is no longer an lru_cache: see tests/conftest.py"
)
gc.set_threshold(5_000, 20, 20)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection imported: later full collections skip it."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def textual_caches_emptied() -> Iterator[None]:
    yield
    _textual_styles_cache.StylesCache.get_inner_outer.cache_clear()


# Textual parses every CSS source again for each app (its parse cache is per stylesheet):
# about a tenth of a TUI test's start-up. The parsed rules depend only on the source,
# where it was read from and the theme's variables, and Textual does not change them
# after parsing, so the session keeps them across apps. Errors are not kept: CSS that
# fails to parse fails again in the next app.
assert callable(vars(_Stylesheet).get("_parse_rules")), (
    "textual's Stylesheet._parse_rules is gone: see tests/conftest.py"
)
_own_parse_rules = _Stylesheet._parse_rules
_parsed_rules: dict[tuple[object, ...], Any] = {}
_variables_keys: dict[int, tuple[dict[str, str], tuple[tuple[str, str], ...]]] = {}


def _variables_key(sheet: _Stylesheet) -> tuple[tuple[str, str], ...]:
    variables = sheet._variables
    known = _variables_keys.get(id(variables))
    if known is None or known[0] is not variables:
        known = _variables_keys[id(variables)] = (variables, tuple(sorted(variables.items())))
    return known[1]


def _parse_rules_once(
    self: _Stylesheet,
    css: str,
    read_from: Any,
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> Any:
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
    rules = _parsed_rules.get(key)
    if rules is None:
        rules = _parsed_rules[key] = _own_parse_rules(
            self, css, read_from, is_default_rules, tie_breaker, scope
        )
    return rules


_Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]

# Prints the chaos suite's count of fault scenarios at the end of a run (xdist too).
pytest_plugins = ("tests.chaos.summary",)

REPO_ROOT = Path(__file__).resolve().parent.parent
SPECS_DIR = REPO_ROOT.parent / "shared" / "specs"

#: The modules with the longest tests (seconds of one test, measured with `-n 2`), run
#: first: with `--dist worksteal` (pyproject's addopts) the worker that finishes its
#: half takes half of what the other has left, so the run ends on short tests instead of
#: one worker running a long one alone while the other idles. Order only: every module
#: keeps its tests together and in their order.
SLOW_FIRST = (
    "tests/chaos/test_kill_sync.py",
    "tests/core/test_plain_rows.py",
    "tests/chaos/test_faults_tui.py",
    "tests/chaos/test_kill_download.py",
    "tests/core/test_sync_first.py",
    "tests/cli/test_download.py",
    "tests/chaos/test_approvals.py",
    "tests/chaos/test_secrets.py",
    "tests/cli/test_signals.py",
    "tests/chaos/test_hostile_dialogs.py",
    "tests/tui/test_scale.py",
    "tests/cli/test_sync.py",
    "tests/tui/test_profile_switch.py",
    "tests/sandbox/test_fuzz.py",
    "tests/chaos/test_hostile.py",
    "tests/core/test_store_kill.py",
    "tests/chaos/test_kill_approve.py",
    "tests/tui/test_real_deck.py",
    "tests/chaos/test_tokens.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long modules first (SLOW_FIRST's order), then the rest in collection order."""
    missing = [module for module in SLOW_FIRST if not (REPO_ROOT / module).is_file()]
    if missing:
        raise pytest.UsageError(f"SLOW_FIRST names modules that do not exist: {missing}")
    rank = {module: index for index, module in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))


@pytest.fixture(autouse=True)
def ctrl_c_as_in_a_terminal() -> None:
    """Every test starts with SIGINT handled as in a terminal's foreground job. Children
    inherit an ignored SIGINT, and meetdeck rightly keeps it ignored (a script's
    background job must not die of Ctrl+C); in full runs an xdist worker was sometimes
    found with SIGINT ignored, and the signal tests' children then never saw Ctrl+C."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


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
