"""The Deck's own thread and event loop, where its providers and syncs run.

A sync reads and stages thousands of pages (httpx response handling, JSON, the wire
models, the records handed to the store's writer): on the UI's event loop each page is
a callback of a millisecond or more that a key press waits behind. With a
`ServiceLoop` the Deck runs every call that touches the providers (their HTTP clients,
auth managers and rate limits belong to one loop) on this thread's loop instead; the
caller still awaits it on its own loop (`run`), cancelling it crosses over and waits
for the work to wind down, and what the work reports as it goes comes back in batches
(`Batched`), at most every `interval` seconds, not one loop callback per page.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

R = TypeVar("R")
T = TypeVar("T")

#: Seconds between the batches of reports passed back to the caller's loop.
REPORT_EVERY = 0.1


class Here:
    """No service thread: the work runs on the caller's loop (the commands' Decks)."""

    async def run(self, work: Callable[[], Awaitable[R]]) -> R:
        """`work()`, awaited."""
        return await work()

    async def reporting(
        self,
        on_report: Callable[[T], None] | None,
        work: Callable[[Callable[[T], None] | None], Awaitable[R]],
    ) -> R:
        """`work(on_report)`: the work tells `on_report` how far it got."""
        return await work(on_report)

    def call(self, fn: Callable[[], R]) -> R:
        """`fn()`."""
        return fn()

    def task(self, start: Callable[[], asyncio.Task[R]]) -> asyncio.Task[R]:
        """The task `start()` starts."""
        return start()

    def relayed(self, callback: Callable[[T], None]) -> Callable[[T], None]:
        """`callback`, called on the caller's thread."""
        return callback

    async def aclose(self) -> None:
        """Nothing to stop."""


class ServiceLoop(Here):
    """A daemon thread running its own asyncio event loop, started on first use.

    Args:
        name: The thread's name.
    """

    def __init__(self, name: str = "meetdeck-service") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def thread(self) -> threading.Thread | None:
        """The service thread, once started."""
        return self._thread

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                thread = threading.Thread(target=serve, name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    def here(self) -> bool:
        """True on the service thread itself."""
        return self._thread is not None and threading.current_thread() is self._thread

    async def run(self, work: Callable[[], Awaitable[R]]) -> R:
        """Run `work()` on the service loop and await its result here.

        Cancelling the caller cancels the work and waits until it has ended (a
        cancelled sync's scopes keep their previous rows before the caller goes on).
        """
        if self.here():
            return await work()
        loop = self._started()
        caller = asyncio.get_running_loop()
        outcome: asyncio.Future[R] = caller.create_future()
        started: list[asyncio.Task[R]] = []

        def settle(task: asyncio.Task[R]) -> None:
            if outcome.done():
                return
            if task.cancelled():
                outcome.cancel()
            elif (error := task.exception()) is not None:
                outcome.set_exception(error)
            else:
                outcome.set_result(task.result())

        def ended(task: asyncio.Task[R]) -> None:
            with contextlib.suppress(RuntimeError):  # the caller's loop is closed
                caller.call_soon_threadsafe(settle, task)

        def start() -> None:
            task = loop.create_task(_call(work))
            task.add_done_callback(ended)
            started.append(task)

        def cancel() -> None:
            for task in started:
                task.cancel()

        loop.call_soon_threadsafe(start)
        try:
            return await asyncio.shield(outcome)
        except asyncio.CancelledError:
            loop.call_soon_threadsafe(cancel)
            with contextlib.suppress(BaseException):
                await outcome  # its cleanup ends before the caller's does
            raise

    async def reporting(
        self,
        on_report: Callable[[T], None] | None,
        work: Callable[[Callable[[T], None] | None], Awaitable[R]],
    ) -> R:
        """`work(...)` on the service loop, its reports passed to `on_report` on the
        caller's loop in batches (`Batched`: one callback of the loop for every report
        of the last `REPORT_EVERY` seconds), the last ones before the result."""
        if on_report is None:
            return await self.run(lambda: work(None))
        report = on_report

        def each(reports: list[T]) -> None:
            for item in reports:
                report(item)

        relay: Batched[T] = Batched(each)
        try:
            return await self.run(lambda: work(relay))
        finally:
            relay.flush()

    def task(self, start: Callable[[], asyncio.Task[R]]) -> asyncio.Task[R]:
        """A task of the caller's loop awaiting the one `start()` starts on the service
        loop (cancelling it cancels that one)."""

        async def there() -> R:
            return await start()

        return asyncio.ensure_future(self.run(there))

    def relayed(self, callback: Callable[[T], None]) -> Callable[[T], None]:
        """`callback`, called on the caller's loop whichever thread calls it."""
        return on_this_loop(callback)

    def call(self, fn: Callable[[], R]) -> R:
        """`fn()` on the service thread (for what only its loop may touch: cancelling its
        tasks), waited for; at once when the loop has not started or this is that thread."""
        loop = self._loop
        if loop is None or self.here() or not loop.is_running():
            return fn()
        answer: concurrent.futures.Future[R] = concurrent.futures.Future()

        def there() -> None:
            try:
                answer.set_result(fn())
            except BaseException as exc:  # handed to the caller
                answer.set_exception(exc)

        loop.call_soon_threadsafe(there)
        return answer.result()

    async def aclose(self) -> None:
        """Cancel what still runs there, stop the loop and join the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            await self.run(_wind_down)
        finally:
            with self._lock:  # a later `run` starts a new thread, not this stopping one
                self._loop = self._thread = None
            with contextlib.suppress(RuntimeError):  # closed already
                loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)
        loop.close()


async def _call(work: Callable[[], Awaitable[R]]) -> R:
    return await work()


async def _wind_down() -> None:
    """Cancel every other task of the running loop and wait for them."""
    me = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not me]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)
    await asyncio.get_running_loop().shutdown_asyncgens()


class Batched(Generic[T]):
    """Collects what it is told from any thread and passes it on as one list, on the
    loop it was built on, at most every `interval` seconds (the API log's calls: one
    message per batch, not per call).
    """

    def __init__(
        self, callback: Callable[[list[T]], None], *, interval: float = REPORT_EVERY
    ) -> None:
        self._callback = callback
        self._interval = interval
        self._loop = asyncio.get_running_loop()
        self._lock = threading.Lock()
        self._items: list[T] = []
        self._closed = False

    def __call__(self, item: T) -> None:
        with self._lock:
            if self._closed:
                return
            self._items.append(item)
            if len(self._items) > 1:
                return  # its batch's flush is due
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody listens
            self._loop.call_soon_threadsafe(self._loop.call_later, self._interval, self.flush)

    def flush(self) -> None:
        """Pass on what has been collected (on the callback's loop)."""
        with self._lock:
            items, self._items = self._items, []
        if items:
            self._callback(items)

    def close(self) -> None:
        """Drop what is pending and what comes later (its source is no longer followed)."""
        with self._lock:
            self._closed = True
            self._items = []


def on_this_loop(callback: Callable[[T], None]) -> Callable[[T], None]:
    """`callback` called on the running loop's thread, whichever thread calls it (outside a
    running loop: as it is)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return callback

    def relay(item: T) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody listens
            loop.call_soon_threadsafe(callback, item)

    return relay


__all__ = ["REPORT_EVERY", "Batched", "Here", "ServiceLoop", "on_this_loop"]
