"""One background thread that runs the newest of a stream of reads (`LatestReader`),
and the handoff of its results to the UI thread (`Handoff`).

The `/` filter reads the cache on every keystroke. A Textual thread worker starts
only once the UI thread is free again (after it has drawn the keystroke), so each
read would begin a few milliseconds late; this thread is woken at once and starts the
query while the echo is being drawn. A read still waiting when a newer one arrives is
dropped; one already running finishes, and its caller drops the stale result. Its
results reach the UI thread through a `Handoff`: in order, and without ever blocking
the reader, so the UI thread may wait a few milliseconds for a quick one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

ResultT = TypeVar("ResultT")


class LatestReader:
    """Runs submitted jobs one at a time in a daemon thread, newest only."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._job: Callable[[], None] | None = None
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._running = False

    def submit(self, job: Callable[[], None], *, spare: bool = False) -> None:
        """Run `job` next (replacing one not yet started); it must not raise. `spare`:
        only if no job waits (a job that may be left out gives way to one that may not)."""
        with self._wake:
            if self._stopped or (spare and self._job is not None):
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


class Handoff(Generic[ResultT]):
    """Results of one read, handed from a thread to the UI thread, in order.

    The reader thread `post`s results; each is handed to `receive` on the UI thread by
    the event loop, or sooner by `wait` when the UI thread is waiting for it. Nothing
    blocks the reader (unlike App.call_from_thread), so the UI thread may wait for it.
    """

    def __init__(
        self, receive: Callable[[ResultT], None], on_error: Callable[[Exception], None]
    ) -> None:
        self._start = time.monotonic()
        self.took: float | None = None
        """Seconds from the handoff's creation to the first result (reader thread)."""
        self._loop = asyncio.get_running_loop()
        self._context = contextvars.copy_context()  # the app's, for the receiver
        self._results: deque[ResultT] = deque()
        self._posted = threading.Event()
        self._receive = receive
        self._on_error = on_error

    def post(self, result: ResultT) -> None:
        """Reader thread: hand `result` to the UI thread."""
        if self.took is None:
            self.took = time.monotonic() - self._start
        self._results.append(result)
        self._posted.set()
        # RuntimeError: the loop is closed, the app is gone and nobody wants the rows.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self.deliver, context=self._context)

    @property
    def pending(self) -> bool:
        """Results posted and not yet received."""
        return bool(self._results)

    def deliver(self) -> None:
        """UI thread: receive what has been posted so far (only this thread takes)."""
        while self._results:
            result = self._results.popleft()
            try:
                self._receive(result)
            except Exception as error:  # typed or not, a dialog rather than a crash
                self._on_error(error)

    def wait(self, timeout: float) -> None:
        """UI thread: wait up to `timeout` seconds for the first result, and receive it."""
        if self._posted.wait(timeout):
            self.deliver()
