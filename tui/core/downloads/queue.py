"""The download queue: a few recording downloads at a time, each cancellable, retries
resuming the `.part`.

One download (the `.part`, If-Range, the checks before the final rename) is
`tui.core.downloads.transfer`; its progress records and `download` are re-exported
here, as are `sanitize_filename` and `unique_path` (`tui.core.downloads.files`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.downloads.files import disk_error, sanitize_filename, unique_path
from tui.core.downloads.target import DownloadTarget, Resolver
from tui.core.downloads.transfer import (
    DownloadProgress,
    DownloadState,
    ProgressCallback,
    body_chunks,
    download,
)
from tui.core.errors import MeetdeckError, NetworkUnreachable

if TYPE_CHECKING:  # httpx is imported where a download runs, not at import
    import httpx


class DownloadQueue:
    """Runs downloads a few at a time; each can be cancelled; retries resume the `.part`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        directory: Path,
        *,
        concurrency: int = 3,
        attempts: int = 3,
        max_backoff: float = 10.0,
        on_progress: ProgressCallback | None = None,
        private: bool = True,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """`max_backoff`: the longest wait, in seconds, before an attempt resumes a
        download a dropped connection ended (2 s, 4 s, ... up to it; the Deck passes
        the user's `[http] max_backoff`); `sleep` waits it."""
        self._client = client
        self._private = private
        self._directory = directory
        self._slots = asyncio.Semaphore(concurrency)
        self._attempts = attempts
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._on_progress = on_progress
        self._tasks: dict[str, asyncio.Task[Path | None]] = {}
        self._latest: dict[str, DownloadProgress] = {}

    def add(
        self, key: str, filename: str, resolve: Resolver, *, directory: Path | None = None
    ) -> asyncio.Task[Path | None]:
        """Queue a download (into `directory`, default the queue's); queuing the same
        recording twice returns the running one."""
        running = self._tasks.get(key)
        if running is not None and not running.done():
            return running
        self._publish(
            DownloadProgress(
                key=key, filename=sanitize_filename(filename), state=DownloadState.QUEUED
            )
        )
        task = asyncio.create_task(
            self._run(key, filename, resolve, directory or self._directory), name=f"download:{key}"
        )
        self._tasks[key] = task
        return task

    def cancel(self, key: str) -> bool:
        """Cancel a queued or running download; its `.part` stays for a later resume."""
        task = self._tasks.get(key)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def snapshot(self) -> list[DownloadProgress]:
        return list(self._latest.values())

    async def wait(self) -> None:
        """Wait for every queued download to end (however it ends)."""
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def _publish(self, progress: DownloadProgress) -> None:
        self._latest[progress.key] = progress
        if self._on_progress is not None:
            self._on_progress(progress)

    async def _run(
        self, key: str, filename: str, resolve: Resolver, directory: Path
    ) -> Path | None:
        name = sanitize_filename(filename)
        try:
            async with self._slots:
                for attempt in range(1, self._attempts + 1):
                    try:
                        return await download(
                            self._client,
                            key=key,
                            filename=filename,
                            resolve=resolve,
                            directory=directory,
                            on_progress=self._publish,
                            private=self._private,
                        )
                    except NetworkUnreachable as exc:
                        if attempt == self._attempts:
                            raise
                        self._publish(replace(self._latest[key], error=exc.sentence))
                        await self._sleep(min(2**attempt, self._max_backoff))
        except asyncio.CancelledError:
            previous = self._latest.get(key)
            if previous is None or previous.state is not DownloadState.CANCELLED:
                # Cancelled before its bytes began (queued, resolving): nothing new kept.
                kept = previous.received if previous is not None else 0
                total = previous.total if previous is not None else None
                self._publish(
                    DownloadProgress(
                        key=key,
                        filename=name,
                        state=DownloadState.CANCELLED,
                        received=kept,
                        total=total,
                    )
                )
            return None
        except (MeetdeckError, OSError) as exc:
            error = exc if isinstance(exc, MeetdeckError) else disk_error(exc, directory)
            previous = self._latest.get(key)
            self._publish(
                DownloadProgress(
                    key=key,
                    filename=name,
                    state=DownloadState.FAILED,
                    error=error.sentence,
                    received=previous.received if previous else 0,
                    total=previous.total if previous else None,
                )
            )
            return None
        return None


__all__ = [
    "DownloadProgress",
    "DownloadQueue",
    "DownloadState",
    "DownloadTarget",
    "ProgressCallback",
    "Resolver",
    "body_chunks",
    "download",
    "sanitize_filename",
    "unique_path",
]
