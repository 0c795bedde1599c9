"""LatestReader: one thread, the newest job only, stops cleanly."""

from __future__ import annotations

import threading
import time

from tui.widgets.latest import LatestReader


def _wait_idle(reader: LatestReader) -> None:
    deadline = time.monotonic() + 5
    while not reader.idle:
        assert time.monotonic() < deadline, "the reader never went idle"
        time.sleep(0.005)


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
        reader.submit(lambda name=name: ran.append(name))
    release.set()
    _wait_idle(reader)
    assert ran == ["slow", "d"]
    names = {thread.name for thread in threading.enumerate()}
    assert "test-reader" in names  # one long-lived thread, reused

    reader.stop()
    reader.submit(lambda: ran.append("after stop"))
    time.sleep(0.05)
    assert ran == ["slow", "d"]
    deadline = time.monotonic() + 5
    while "test-reader" in {thread.name for thread in threading.enumerate()}:
        assert time.monotonic() < deadline, "the thread did not end"
        time.sleep(0.005)
