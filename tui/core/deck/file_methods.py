"""The Deck's recordings and files: downloads and CSV exports (`Files`), where the
Deck's providers run (`tui.core.deck.service_loop`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.errors import ServiceUnavailable

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable
    from pathlib import Path

    from tui.core.deck.service_loop import Here
    from tui.core.deck.types import ListView
    from tui.core.deck.watchers import Watchers
    from tui.core.deck.wiring import Collaborators
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import Recording


class DeckFiles:
    """The Deck's methods over its `Files` (a part of `tui.core.deck.facade.Deck`)."""

    _service: Here
    _download_watchers: Watchers[DownloadProgress]

    @property
    def connected(self) -> bool:
        """True when the providers exist (the Deck says)."""
        raise NotImplementedError

    @property
    def _parts(self) -> Collaborators:
        raise NotImplementedError

    def download(
        self, recording: Recording, *, directory: Path | None = None
    ) -> asyncio.Task[Path | None]:
        """Queue a recording download (call it on the event loop); returns its task."""
        if not self.connected:
            raise ServiceUnavailable(
                "meetdeck is still connecting to the services; try again in a moment."
            )
        return self._service.task(lambda: self._parts.files.download(recording, directory))

    def downloads(self) -> list[DownloadProgress]:
        """The latest progress of every download this session (for a downloads screen)."""
        return self._parts.files.downloads()

    def cancel_download(self, key: str) -> bool:
        """Cancel a queued or running download; its `.part` stays for a later resume."""
        return self._service.call(lambda: self._parts.files.cancel(key))

    def watch_downloads(self, callback: Callable[[DownloadProgress], None]) -> Callable[[], None]:
        """Call `callback` with every download progress snapshot; returns an unsubscribe.

        Snapshots carry received/total bytes, speed (bytes/s) and `eta` (seconds). The
        callback runs on the event loop's thread, at most ~10 times a second per file.
        """
        return self._download_watchers.add(self._service.relayed(callback))

    def export_csv(self, view: ListView[Any], path: Path | None = None) -> Path:
        """Write every row of `view` (as filtered and sorted) to a CSV file, never over
        an existing one; spreadsheet formulas are defused."""
        return self._parts.files.export_csv(view, path)


__all__ = ["DeckFiles"]
