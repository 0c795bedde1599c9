"""How the full-screen console starts fast and stays smooth: the one place for the
process knobs, the garbage collector's pacing and the choice of the first frame's
settings. Imports no Textual and nothing heavy (`tui.cli` calls `hold_gc` before it
has parsed the command line).

The steps, in order:

1. `hold_gc` (from `tui.cli`, before anything is imported for the TUI): the TUI
   allocates a few hundred thousand long-lived objects before its first frame
   (Textual, its stylesheet, the widgets); the collector would walk them again and
   again, 20-70 ms in all.
2. `tune_process` (from `tui.cmd.tui`, before Textual loads): frame rate, animations
   and the GIL's switch interval; `cache_generated_code`: the methods `dataclasses`
   and `namedtuple` write are compiled once and read back on later runs
   (`tui.code_cache`); `end_generated_code` (from `resume_gc`, else at exit) saves
   what was new and lets go of it.
3. `first_frame_settings`: the profile and display settings read without pydantic
   (`tui.core.settings.quick.FirstFrame`).
4. `resume_gc` (from `MeetdeckApp`, after the first frame): freeze what startup made
   and hand collections to a `GcPacer`; `end_gc` when the app unmounts.
5. `skip_exit_sweep` (from `tui.cmd.tui`, once the app has quit; from `tui.cli` after
   `meetdeck lookup`).

What the first frame does not import (each waits for its first use, after the frame):
pydantic, httpx and the providers (`Deck.connect`, in a thread); the Deck's
collaborators, i.e. its writes, downloads and refresh steps with the CSV writer and
form checks they bring, some twenty modules (`Deck._parts`, built when the Deck
connects or is first asked for one); zoneinfo and the sysconfig it loads, unless the
settings name a zone (`tui.widgets.formatting.load_zone`).

Garbage collection in the pauses, not in the middle of a frame: CPython starts a
collection whenever enough new objects have survived, which in a TUI is while a
keystroke's frame is being built. A full collection walks every container the app
holds (pages of rows, widgets, caches): 36 ms with a 100,000-registrant cache open,
measured in the middle of a filter keystroke.

After the first frame (`resume_gc`) the automatic collector stays off and
`GcPacer.tick`, called every TICK seconds, runs the generation CPython would have run,
by the same thresholds, in the pauses: a young one (well under a millisecond) once no
key or mouse event has arrived for QUIET seconds (the frame a key asked for is drawn
by then), a full one once the person has stopped for IDLE seconds. Someone who never
pauses still gets a young collection once its count is far past its threshold, and a
full one every BUSY_FULL seconds, so memory never grows without bound.
"""

from __future__ import annotations

import gc
import sys
import time

# `meetdeck lookup` imports this module to end without the exit sweep: typing would
# cost it more than the sweep does (see `tui.cmd.lookup`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

    from tui.code_cache import CodeCache
    from tui.core.settings.paths import Paths
    from tui.core.settings.quick import FirstFrame

__all__ = [
    "BULK_YOUNG",
    "BUSY_FULL",
    "BUSY_YOUNG",
    "FRAMES_PER_SECOND",
    "IDLE",
    "QUIET",
    "TICK",
    "GcPacer",
    "bulk_gc",
    "cache_generated_code",
    "end_gc",
    "end_generated_code",
    "first_frame_settings",
    "hold_gc",
    "resume_gc",
    "skip_exit_sweep",
    "skip_httpx_command_line",
    "tune_process",
]

TICK = 0.05
"""Seconds between checks."""
QUIET = 0.05
"""Seconds without a key or mouse event before a young collection: the frame the last
key asked for is drawn by then, and the collection is over before a typist's next key."""
IDLE = 0.5
"""Seconds without a key or mouse event before a full collection (tens of
milliseconds): the person has stopped typing."""
BUSY_YOUNG = 50
"""Without a pause, the young generation is collected at this many times its threshold."""
BUSY_FULL = 30.0
"""Without a pause, a due full collection waits at most this many seconds."""


class GcPacer:
    """Runs the collections the automatic collector would, when the person pauses."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.last_input = clock()
        self._last_full = clock()
        self.thresholds = gc.get_threshold()

    def touch(self) -> None:
        """A key or mouse event arrived: the person is waiting for the next frames."""
        self.last_input = self._clock()

    def tick(self) -> int | None:
        """Collect what is due; returns the generation collected, or None."""
        young, middle, old = self.thresholds
        counts = gc.get_count()  # CPython collects a generation once its count is past
        now = self._clock()
        quiet = now - self.last_input
        if counts[2] > old and (quiet >= IDLE or now - self._last_full >= BUSY_FULL):
            generation = 2
        elif counts[0] <= young and counts[1] <= middle:
            return None
        elif quiet >= QUIET or counts[0] > young * BUSY_YOUNG:
            generation = 1 if counts[1] > middle else 0
        else:
            return None
        gc.collect(generation)
        if generation == 2:
            self._last_full = now
        return generation


def skip_httpx_command_line() -> None:
    """Before a command's modules load (`tui.cli`, every command but `lookup`): httpx
    imports its own command-line client with itself when click is installed (uvicorn,
    a dependency, brings it), and with that click, rich's console and syntax
    highlighting, and pygments: 70-90 ms of CPU at the start of every command that
    talks to a cloud (issue 18: a sixth of what `meetdeck sync` did before its first
    request). meetdeck never runs that client; marked absent, its import fails and
    httpx defines a stub in its place. A process that imported httpx already keeps
    what it has."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # absent


def hold_gc() -> None:
    """Turn the automatic collector off until the first frame is drawn (`resume_gc`)."""
    gc.disable()


#: The TUI's frame rate at most (Textual's `TEXTUAL_FPS`), unless the environment sets it.
FRAMES_PER_SECOND = 240


def tune_process() -> None:
    """Process settings for a responsive TUI; call before Textual is imported."""
    import os
    import sys

    # Textual paints at most MAX_FPS frames a second: a frame asked for within one
    # frame period of the last waits for the period to end. A key drawn in one frame
    # (a cursor move, the screen idle before it) never waits; a `/` keystroke (its echo,
    # then its rows) and Enter (then the rows of the tab it opens) often do: 240 (not
    # Textual's 60, nor 120) cut that wait to 4.2 ms at worst (issue 18: Enter's median
    # 26.3 -> 19.1-20.4 ms, the filter's 14.4 -> 12.6-13.4 ms, a cursor key's unchanged,
    # and no slower while a sync runs). Frames are only drawn when something changed.
    # No animations: a sliding tab underline is some thirty frames of bytes over SSH,
    # and keeps the app busy for 300 ms after each tab switch. TEXTUAL_FPS and
    # TEXTUAL_ANIMATIONS in the environment still win.
    os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    # The UI thread shares the GIL with the threads that read the cache (the filter's
    # count, the sync's writes). Such a thread takes the GIL back microseconds after
    # each SQLite step; the UI thread then gets it only when it forces a switch, after
    # this interval: 5 ms by default, which stretched a 4 ms frame to 13.
    sys.setswitchinterval(0.001)


_code_cache: list[CodeCache] = []  # the one installed by `cache_generated_code`


def cache_generated_code(cache_dir: Path) -> CodeCache:
    """Compile the methods of dataclasses and namedtuples once, not on every start.

    Call before Textual and the app's modules are imported: each class defined after
    this reads its methods' code from `cache_dir` when an earlier run saved it.
    """
    from tui.code_cache import CodeCache, file_name

    if not _code_cache:
        _code_cache.append(CodeCache(cache_dir / file_name()))
        _code_cache[0].install()
    return _code_cache[0]


def end_generated_code() -> None:
    """After the first frame (or at exit before one): save what this run compiled for
    the next, give `dataclasses` and `collections` their built-ins back, and let go of
    the entries (the cache is for the start-up; what is defined later, off the first
    frame's path, compiles as usual and holds no memory here)."""
    if _code_cache:
        cache = _code_cache.pop()
        cache.save()
        cache.uninstall()


def first_frame_settings(paths: Paths, args: argparse.Namespace) -> FirstFrame:
    """The first frame's profile and display settings, read without pydantic.

    With --demo only the file's display settings count (the demo has its own profile,
    in green). When the cheap reader cannot say (a broken file, no profile), the full
    loader runs and raises the `ConfigError` that explains it.
    """
    from tui.core.settings.paths import DEMO_PROFILE
    from tui.core.settings.quick import FirstFrame, first_frame, read_raw_config

    if getattr(args, "demo", False):
        try:
            data: dict[str, Any] = read_raw_config(paths.config_file)
        except (OSError, ValueError):
            data = {}
        frame = FirstFrame(DEMO_PROFILE, data)
        frame.profile_names, frame.profile_zones = (DEMO_PROFILE,), {DEMO_PROFILE: None}
        frame.accent = "green"
        return frame
    flag = getattr(args, "profile", None)
    found = first_frame(paths, flag)
    if found is None:
        from tui.core.settings.config import load_settings

        load_settings(paths, overrides={"profile": flag})
        found = first_frame(paths, flag)
    assert found is not None
    return found


def resume_gc() -> GcPacer | None:
    """After the first frame: freeze what startup made and return the pacer to tick.

    The objects made while starting (Textual, the stylesheet, the widgets: almost all
    of them live as long as the app) are frozen, so collections never walk them again;
    a full collection over them costs 30-70 ms. None when the collector is on: the app
    was not started by `meetdeck` (tests, an embedding), so it is left alone.
    """
    end_generated_code()
    if gc.isenabled():
        return None
    gc.freeze()
    return GcPacer()


def end_gc(pacer: GcPacer | None) -> None:
    """The app is done: the process's automatic collector is back."""
    if pacer is not None:
        gc.enable()


#: Young collections during `meetdeck sync` wait for this many new objects (700 by
#: default): a page of 300 registrants parsed from JSON holds some 3,000 containers
#: until it is staged, and each of them was walked several times (issue 18).
BULK_YOUNG = 50_000


def bulk_gc() -> None:
    """For a command that reads many pages (`meetdeck sync`), once its modules are
    loaded: freeze them (a full collection never walks them again) and run young
    collections less often. Garbage without cycles is still freed at once; cycles are
    still collected, in fewer, larger sweeps. Only when `hold_gc` held the collector
    (`tui.cli` did, for this command's process): called in-process (tests), the
    collector is left as it is."""
    if gc.isenabled():
        return
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(BULK_YOUNG, middle, old)
    gc.enable()


def skip_exit_sweep() -> None:
    """After a clean quit (the Deck closed, files flushed): skip the collector's sweep
    of the whole heap at interpreter exit, which otherwise delays the quit by ~0.3 s
    (and `meetdeck lookup` by 2-7 ms, a sixth of its time)."""
    gc.freeze()
