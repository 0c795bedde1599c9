"""tui.startup: the one place that wires the garbage collector, and its pacer (the
collector's generations, run in the pauses)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.startup import BUSY_FULL, BUSY_YOUNG, IDLE, QUIET, GcPacer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def allocate(n: int) -> list[list[int]]:
    return [[i] for i in range(n)]  # tracked containers: each counts for the young generation


def test_nothing_is_collected_while_the_person_types(collector_off: None) -> None:
    clock = Clock()
    pacer = GcPacer(clock)
    pacer.thresholds = (100, 10, 10)
    kept = allocate(500)
    pacer.touch()
    clock.now += QUIET / 2
    assert pacer.tick() is None
    assert gc.get_count()[0] >= 500
    clock.now += QUIET
    assert pacer.tick() == 0  # a short pause: the young generation is due
    assert gc.get_count()[0] < 100
    assert kept


def test_the_due_generation_is_the_one_the_collector_would_run(collector_off: None) -> None:
    clock = Clock()
    pacer = GcPacer(clock)
    pacer.thresholds = (10, 2, 2)
    clock.now += 2 * IDLE
    seen, kept = [], []
    for _ in range(16):
        kept.append(allocate(20))
        seen.append(pacer.tick())
    # Every tick collects: the middle generation once 3 young ones ran (a count past
    # 2), the oldest once 3 middle ones did, as gc.set_threshold(10, 2, 2) would.
    assert seen == [0, 0, 0, 1] * 3 + [2, 0, 0, 0]


def test_someone_who_never_pauses_still_gets_collections(collector_off: None) -> None:
    clock = Clock()
    pacer = GcPacer(clock)
    pacer.thresholds = (10, 1000, 1000)
    kept = allocate(10 * BUSY_YOUNG + 5)
    pacer.touch()
    assert pacer.tick() == 0  # the young count far past its threshold: a quick one
    pacer.thresholds = (10, 1, 1)
    for _ in range(2):
        gc.collect(0)
        gc.collect(0)
        gc.collect(1)  # twice: the oldest generation's count is now past 1
    kept += allocate(20)
    pacer.touch()
    assert pacer.tick() is None  # a full collection waits for a pause ...
    clock.now += BUSY_FULL
    pacer.touch()
    assert pacer.tick() == 2  # ... but not for ever
    assert kept


def test_a_full_collection_waits_for_a_longer_pause_than_a_young_one(
    collector_off: None,
) -> None:
    clock = Clock()
    pacer = GcPacer(clock)
    pacer.thresholds = (10, 1, 1)
    for _ in range(2):
        gc.collect(0)
        gc.collect(0)
        gc.collect(1)  # the oldest generation is due
    kept = allocate(20)  # and so is the young one
    pacer.touch()
    clock.now += 2 * QUIET
    assert pacer.tick() in (0, 1)  # between two keys: only a young one
    kept += allocate(20)
    clock.now += IDLE
    assert pacer.tick() == 2  # the person stopped
    assert kept


def test_only_the_startup_module_touches_the_collector() -> None:
    """GC pacing, the pause before the first frame and the exit sweep are wired in one
    module; the CLI, the app and the TUI command call it."""
    import re

    import tui

    root = Path(tui.__file__).parent
    uses_gc = re.compile(r"^\s*(import|from) gc\b|\bgc\.[a-z]", re.M)
    wiring = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if uses_gc.search(path.read_text(encoding="utf-8"))
    )
    assert wiring == ["startup.py"]


def test_the_theme_last_picked_applies_unless_theme_is_given() -> None:
    import argparse

    from tui.cmd.tui import ui_options
    from tui.core.settings.paths import resolve_paths
    from tui.core.settings.ui_state import remember_theme
    from tui.startup import first_frame_settings

    paths = resolve_paths()
    args = argparse.Namespace(theme=None, profile=None, demo=True, read_only=False)
    frame = first_frame_settings(paths, args)
    assert ui_options(paths, args, frame, True).theme == frame.theme
    assert remember_theme(paths.ui_state, "nord") is None
    assert ui_options(paths, args, frame, True).theme == "nord"
    args.theme = "gruvbox"
    assert ui_options(paths, args, frame, True).theme == "gruvbox"


@pytest.mark.parametrize(("environment", "expected"), [(None, "240"), ("30", "30")])
def test_the_tui_draws_at_most_240_frames_a_second_unless_told_otherwise(
    environment: str | None, expected: str
) -> None:
    """Textual reads the rate when it is imported, so the process sets it first: a `/`
    keystroke's rows (a frame after its echo) and Enter's (a frame after the key's)
    wait up to one frame period for their frame (issue 18)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if environment is not None:
        env["TEXTUAL_FPS"] = environment
    code = (
        "from tui.startup import tune_process\n"
        "tune_process()\n"
        "from textual import constants\n"
        "print(constants.MAX_FPS)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert shown == expected
