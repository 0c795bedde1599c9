"""What the app saves in the download folder: recordings (`D`) and CSV exports (`e`).

Recordings: queue them (one still processing on the service is said at once and not
asked for), toast how each ends, hand each progress snapshot to the downloads screen
(`o`) when it is open, and ask before quitting while one runs or waits. The Deck's
progress reaches the app as `DownloadProgressed` (posted by `tui/deck_session.py`),
which the app hands here; the downloads themselves run in the Deck's queue. Exports:
the Deck writes the view as filtered to a CSV file named after the tab and the time,
and the toast says where.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.message import Message

from tui.core.errors import MeetdeckError
from tui.text import clean
from tui.widgets.formatting import Clock
from tui.widgets.pane_types import DeckHost

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi
    from tui.core.deck.types import ListView
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import Recording

#: The id of the quit question, so that a second `q` does not ask twice.
QUIT_DIALOG = "confirm-quit"


class DownloadProgressed(Message):
    """A download moved on; only the newest snapshot of each file is handled."""

    def __init__(self, progress: DownloadProgress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DownloadProgressed) and message.progress.key == self.progress.key


class DownloadFlows:
    """The app's side of recording downloads and CSV exports.

    Args:
        app: The app (its Deck, toasts, workers and screens).
        directory: Where files are saved (None: the Deck's default).
        clock: The app's clock (an export's file name has the time).
    """

    def __init__(self, app: App[Any], directory: Path | None, clock: Clock) -> None:
        self._app = app
        self._directory = directory
        self._clock = clock

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self._app)

    def queue(self, recordings: Sequence[Recording]) -> None:
        """Queue recording downloads (progress: the downloads screen, `o`)."""
        if recordings:
            self._app.run_worker(
                self._queue(list(recordings)), group="downloads", exit_on_error=False
            )

    async def _queue(self, recordings: list[Recording]) -> None:
        app = self._app
        busy = [r for r in recordings if r.processing]
        if busy:
            # Nothing to fetch yet: said at once, and no request is made.
            names = busy[0].name if len(busy) == 1 else f"{len(busy)} recordings"
            app.notify(
                f"{clean(names)}: still processing on the service; download it when it "
                "is finished (r refreshes the list).",
                title="Recording not ready",
                severity="warning",
                markup=False,
                timeout=6,
            )
            recordings = [r for r in recordings if not r.processing]
            if not recordings:
                return
        await self.host.prepare_sync()
        deck = self.host.deck
        await deck.connect()
        for recording in recordings:
            deck.download(recording, directory=self._directory)
        names = recordings[0].name if len(recordings) == 1 else f"{len(recordings)} recordings"
        app.notify(
            f"Downloading {clean(names)}. Press o to follow it.",
            title="Download",
            markup=False,
            timeout=5,
        )

    async def progressed(self, progress: DownloadProgress) -> None:
        """A download moved on: toast how it ended, and update the downloads screen."""
        app = self._app
        state = str(progress.state)
        if state == "done":
            app.notify(
                f"Saved {clean(progress.filename)} to {clean(str(progress.path))}",
                title="Download",
                markup=False,
                timeout=8,
            )
        elif state == "failed":
            app.notify(
                f"{clean(progress.filename)}: {clean(progress.error)}",
                title="Download failed",
                severity="error",
                markup=False,
                timeout=10,
            )
        from tui.screens.downloads import DownloadsScreen

        for screen in app.screen_stack:
            if isinstance(screen, DownloadsScreen):
                await screen.download_progressed(progress)

    async def show(self) -> None:
        """The downloads screen (`o`), unless it is already shown."""
        from tui.screens.downloads import DownloadsScreen

        if not isinstance(self._app.screen, DownloadsScreen):
            await self._app.push_screen(DownloadsScreen())

    async def quit(self, deck: DeckApi | None) -> None:
        """Quit; while a download of `deck` runs or waits, ask first (Cancel has the
        focus)."""
        app = self._app
        unfinished = (
            [p for p in deck.downloads() if str(p.state) in ("queued", "running")]
            if deck is not None
            else []
        )
        if not unfinished:
            app.exit()
            return
        from tui.screens.confirm import ConfirmDialog

        if isinstance(app.screen, ConfirmDialog) and app.screen.id == QUIT_DIALOG:
            return  # already asking
        names = ", ".join(clean(p.filename) for p in unfinished[:3])
        more = f" and {len(unfinished) - 3:,} more" if len(unfinished) > 3 else ""
        count = "1 download is" if len(unfinished) == 1 else f"{len(unfinished):,} downloads are"
        lines = [
            f"{count} not finished: {names}{more}.",
            "Quitting stops it. The partial file (.part) is kept, and downloading the "
            "recording again resumes where it stopped.",
        ]

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                app.exit()

        dialog = ConfirmDialog("Quit while downloading?", lines, "Quit")
        dialog.id = QUIT_DIALOG
        await app.push_screen(dialog, answered)

    def export(self, view: ListView[Any], kind: str) -> None:
        """Write the view (as filtered) to a CSV file in the download dir and say where."""
        path = None
        if self._directory is not None:
            stamp = self._clock().strftime("%Y%m%d-%H%M%S")
            path = self._directory / f"{kind.replace(' ', '-')}-{stamp}.csv"
        try:
            rows = view.count()
            written = self.host.deck.export_csv(view, path)
        except MeetdeckError as error:
            self.host.show_error(error)
            return
        self._app.notify(
            f"Exported {rows:,} rows to {written}", title="Export", markup=False, timeout=8
        )
