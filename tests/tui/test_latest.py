"""LatestReader: one thread, the newest job only, stops cleanly."""

from __future__ import annotations

import functools
import threading

from tests.support.waits import wait_until
from tui.widgets.latest import LatestReader


def _wait_idle(reader: LatestReader) -> None:
    wait_until(lambda: reader.idle, what="the reader to go idle")


def test_jobs_waiting_behind_a_running_one_are_replaced_by_the_newest() -> None:
    reader = LatestReader("test-reader")
    started = threading.Event()
    release = threading.Event()
    ran: list[str] = []

    def slow() -> None:
        started.set()
        release.wait(5)
        ran.append("slow")

    reader.submit(slow)
    assert started.wait(5)
    for name in ("b", "c", "d"):  # submitted while "slow" runs: only "d" is kept
        reader.submit(functools.partial(ran.append, name))
    release.set()
    _wait_idle(reader)
    assert ran == ["slow", "d"]
    names = {thread.name for thread in threading.enumerate()}
    assert "test-reader" in names  # one long-lived thread, reused

    reader.stop()
    reader.submit(lambda: ran.append("after stop"))
    wait_until(
        lambda: "test-reader" not in {t.name for t in threading.enumerate()},
        what="the reader's thread to end",
    )
    assert ran == ["slow", "d"]  # the thread has ended: nothing more can run
