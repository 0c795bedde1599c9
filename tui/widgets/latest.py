"""One background thread that runs the newest of a stream of reads.

The `/` filter reads the cache on every keystroke. A Textual thread worker starts
only once the UI thread is free again (after it has drawn the keystroke), so each
read would begin a few milliseconds late; this thread is woken at once and starts the
query while the echo is being drawn. A read still waiting when a newer one arrives is
dropped; one already running finishes, and its caller drops the stale result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class LatestReader:
    """Runs submitted jobs one at a time in a daemon thread, newest only."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._job: Callable[[], None] | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._running = False

    def submit(self, job: Callable[[], None]) -> None:
        """Run `job` next (replacing one not yet started); it must not raise."""
        with self._wake:
            if self._stopped:
                return
            self._job = job
            self._wake.notify()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    @property
    def idle(self) -> bool:
        """Nothing waiting and nothing running (for tests)."""
        with self._wake:
            return self._job is None and not self._running

    def stop(self) -> None:
        """Drop what is waiting and end the thread after the job it is running."""
        with self._wake:
            self._stopped = True
            self._job = None
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._job is None and not self._stopped:
                    self._wake.wait()
                job = self._job
                if self._stopped or job is None:
                    return
                self._job = None
                self._running = True
            try:
                job()
            finally:
                with self._wake:
                    self._running = False
