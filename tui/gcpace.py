"""Garbage collection in the pauses, not in the middle of a frame.

CPython starts a collection whenever enough new objects have survived, which in a
TUI is while a keystroke's frame is being built. A full collection walks every
container the app holds (pages of rows, widgets, caches): 36 ms with a
100,000-registrant cache open, measured in the middle of a filter keystroke.

After the first frame (`MeetdeckApp._resume_gc`) the automatic collector stays off and
`GcPacer.tick`, called every TICK seconds, runs the generation CPython would have run,
by the same thresholds, in the pauses: a young one (well under a millisecond) once no
key or mouse event has arrived for QUIET seconds (the frame a key asked for is drawn
by then), a full one once the person has stopped for IDLE seconds. Someone who never
pauses still gets a young collection once its count is far past its threshold, and a
full one every BUSY_FULL seconds, so memory never grows without bound.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["BUSY_FULL", "BUSY_YOUNG", "IDLE", "QUIET", "TICK", "GcPacer"]

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
