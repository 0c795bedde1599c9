"""`meetdeck download RECORDING_ID [--to DIR]`: download one recording from the command line.

The recording is found by key in the profile's cache; when it is not there, the
recording scopes are synced first (with --demo, always: the sandbox is new each run).
A progress bar shows on a terminal, plain lines otherwise. The bytes go to `NAME.part`
and are renamed when complete, so ctrl+c leaves the `.part` for the next run to resume.

Exit codes: 0 saved, 1 the download failed or the recording is unknown (a sentence says
why and what to do), 2 a configuration problem or a `--to` that is a file, 130
interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cmd.output import progress_line, running_bar
from tui.core.display.cleaning import clean
from tui.core.display.sizes import size

if TYPE_CHECKING:
    from tui.core.deck.facade import Deck
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import Recording

#: Plain progress lines come at most this often (seconds).
PLAIN_EVERY = 1.0
KEPT = (
    "interrupted; the partial file (.part) is kept, and running the same command again resumes it."
)


def run(args: argparse.Namespace) -> int:
    """Download the recording `args.recording_id` into `args.to` or the download dir."""
    import asyncio

    from tui.cmd.opening import open_command_deck

    directory = Path(args.to).expanduser() if getattr(args, "to", None) else None
    if directory is not None and directory.exists() and not directory.is_dir():
        print(
            clean(
                f"meetdeck download: --to names a folder, and {directory} is a file. Give "
                "a folder (it is made if missing); the file's name comes from the "
                "recording, and an existing file is never overwritten."
            ),
            file=sys.stderr,
        )
        return 2
    with ExitStack() as stack:
        # The embedded sandbox's server complains when a download is cut short.
        opened = open_command_deck(args, stack, quiet_sandbox=True)
        deck, name, demo = opened.deck, opened.profile, opened.demo
        from tui.terminal import ending_signals

        try:
            # SIGTERM and SIGHUP stop as Ctrl+C does: the .part is kept, the bar restored.
            with ending_signals():
                return asyncio.run(_download(deck, name, demo, args.recording_id, directory))
        except KeyboardInterrupt:
            print(f"meetdeck download: {KEPT}", file=sys.stderr)
            return 130


async def _download(deck: Deck, profile: str, demo: bool, key: str, directory: Path | None) -> int:
    from tui.core.downloads.queue import DownloadState

    try:
        recording = await _find(deck, profile, demo, key)
        if recording is None:
            return 1
        if recording.processing:
            from tui.core.deck.files import not_ready

            error = not_ready(recording)
            print(clean(f"meetdeck download: {error.title}: {error.sentence}"), file=sys.stderr)
            return 1
        watch = _bar(deck, recording) if sys.stdout.isatty() else _plain(deck)
        with watch:
            path = await deck.download(recording, directory=directory)
        if path is not None:
            print(clean(f"Saved {path}"))
            return 0
        last = next((p for p in deck.downloads() if p.key == recording.key), None)
        if last is not None and last.state is DownloadState.CANCELLED:
            print(f"meetdeck download: {KEPT}", file=sys.stderr)
            return 130
        reason = last.error if last is not None and last.error else "it failed"
        print(clean(f"meetdeck download: Download failed: {reason}"), file=sys.stderr)
        return 1
    finally:
        await deck.aclose()


async def _find(deck: Deck, profile: str, demo: bool, key: str) -> Recording | None:
    """The recording from the cache, syncing the recording scopes when it is missing."""
    from tui.core.errors import MeetdeckError
    from tui.core.sync.types import ScopeKind

    recording = None if demo else deck.recording(key)
    if recording is None:
        if demo:
            try:
                await deck.demo_sign_in()
            except MeetdeckError as exc:
                print(
                    clean(f"meetdeck download: demo sign-in: {exc.title}: {exc.sentence}"),
                    file=sys.stderr,
                )
        print(
            f"Recording {key} is not in the cache; syncing the recordings of profile "
            f"{profile!r}...",
            file=sys.stderr,
        )
        report = await deck.sync_all(
            kinds=[
                ScopeKind.ORGANIZERS,
                ScopeKind.EVENTS,
                ScopeKind.HISTORICAL,
                ScopeKind.RECORDINGS,
            ]
        )
        for failure in report.failed:
            print(
                clean(
                    f"  - {failure.scope.label}: {failure.error.title}: {failure.error.sentence}"
                ),
                file=sys.stderr,
            )
        recording = deck.recording(key)
    if recording is None:
        print(
            clean(
                f"meetdeck download: Not found: no recording with id {key} in profile "
                f"{profile!r}. Check the id on the Recordings tab, or run `meetdeck sync` "
                "and try again."
            ),
            file=sys.stderr,
        )
    return recording


class _Watch:
    """Subscribes a progress printer to the Deck's downloads for the `with` block."""

    def __init__(self, deck: Deck, show: object) -> None:
        self._deck = deck
        self._show = show
        self._stop: object = None

    def __enter__(self) -> _Watch:
        self._stop = self._deck.watch_downloads(self._show)  # type: ignore[arg-type]
        return self

    def __exit__(self, *exc: object) -> None:
        if callable(self._stop):
            self._stop()


def _plain(deck: Deck) -> _Watch:
    """One line a second (and at the end): percent, bytes, speed, ETA."""
    last = {"at": 0.0}

    def show(progress: DownloadProgress) -> None:
        from tui.core.downloads.queue import DownloadState

        now = time.monotonic()
        final = progress.state is not DownloadState.RUNNING
        if progress.state is DownloadState.QUEUED or (not final and now - last["at"] < PLAIN_EVERY):
            return
        last["at"] = now
        progress_line(clean(plain_line(progress)))

    return _Watch(deck, show)


def plain_line(p: DownloadProgress) -> str:
    """`name: 45% 1.2 MB of 2.6 MB, 3.1 MB/s, 1s left` (or the state when it ended)."""
    from tui.core.downloads.queue import DownloadState

    if p.state is DownloadState.DONE:
        return f"{p.filename}: done, {size(p.received)}"
    if p.state in (DownloadState.FAILED, DownloadState.CANCELLED):
        return f"{p.filename}: {p.state.value}"
    share = f"{p.received * 100 // p.total}% " if p.total else ""
    total = f" of {size(p.total)}" if p.total else ""
    eta = f", {p.eta:.0f}s left" if p.eta is not None else ""
    resumed = f" (resumed at {size(p.resumed_from)})" if p.resumed_from else ""
    return f"{p.filename}: {share}{size(p.received)}{total}, {size(int(p.speed))}/s{eta}{resumed}"


class _Bar(_Watch):
    """A rich progress bar (bytes, speed, time left) while the block runs."""

    def __init__(self, deck: Deck, recording: Recording) -> None:
        from rich.markup import escape
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        self._task = self._progress.add_task(escape(clean(recording.name)), total=None)
        self._stop_bar = ExitStack()

        def show(p: DownloadProgress) -> None:
            self._progress.update(self._task, completed=p.received, total=p.total)

        super().__init__(deck, show)

    def __enter__(self) -> _Watch:
        # The bar is stopped however its start or the subscription ends (`running_bar`).
        with ExitStack() as stack:
            stack.enter_context(running_bar(self._progress))
            super().__enter__()
            self._stop_bar = stack.pop_all()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self._stop_bar.close()


def _bar(deck: Deck, recording: Recording) -> _Watch:
    return _Bar(deck, recording)
