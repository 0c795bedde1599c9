"""The Deck's files: recording downloads through one bounded queue, and CSV export.

Downloads: each provider resolves where the bytes are, fresh on every attempt (signed
URLs expire): GoTo Training's recording endpoint answers 302 and the redirect is
followed by hand, so the GoTo token never reaches the file host; a GoTo Meeting
recording's signed URL comes from the historical-meetings report, asked again for the
meeting's own time window; a Zoom file takes the Zoom bearer token, and only on Zoom's
hosts. The bytes go through `tui.core.downloads.queue` (`.part` + rename, Range resume,
numbered suffix instead of overwriting, sanitised names).

Export: every row of a view, as filtered and sorted, to a CSV file that a spreadsheet
opens without running anything (formula-looking cells are quoted).
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import os
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.display.cleaning import clean, csv_cell
from tui.core.downloads.queue import (
    DownloadProgress,
    DownloadQueue,
    Resolver,
    sanitize_filename,
    unique_path,
)
from tui.core.errors import NotSupported, RecordingNotReady, StorageError
from tui.core.models import Provider, Recording
from tui.core.settings.paths import ensure_dir

if TYPE_CHECKING:
    import httpx

    from tui.core.deck.types import ListView
    from tui.core.providers.roles import RecordingDownloads, TrainingRecordingDownloads
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings
    from tui.core.settings.paths import Paths

#: Downloads running at once; the rest wait in the queue.
DOWNLOAD_CONCURRENCY = 3
#: Rows read from the cache per page while exporting.
EXPORT_PAGE = 2000
#: Columns never exported: the nested source object and signed or personal links.
_SKIP = {"source", "download_url", "play_url"}


def not_ready(recording: Recording) -> RecordingNotReady:
    """The error of a recording the service is still processing (nothing is asked)."""
    return RecordingNotReady(
        f"{recording.provider.label} is still processing {clean(recording.name)}; it can "
        "be downloaded when it is finished. Refresh the recordings later.",
        provider=recording.provider.value,
    )


def filename_of(recording: Recording) -> str:
    """The file name a recording is saved under (sanitised by the download manager)."""
    name = recording.name or recording.event_title or f"recording-{recording.key}"
    ext = (recording.file_extension or "").lower().lstrip(".")
    if not ext and recording.file_type:
        ext = recording.file_type.lower()
    if ext and not name.lower().endswith(f".{ext}"):
        name = f"{name}.{ext}"
    return name


class Files:
    """Recording downloads through one bounded queue, and CSV exports.

    Args:
        paths: Where downloads and exports go by default.
        watchers: The Deck's download watchers; every progress snapshot goes to them.
        providers: The adapters that say where a recording's bytes are; None for a
            cache-only Deck (nothing can be downloaded).
        http: Timeouts of the download client; the longest wait between attempts.
        private: Write files 0600 (in a new folder 0700).
    """

    def __init__(
        self,
        paths: Paths,
        watchers: Callable[[DownloadProgress], None],
        *,
        providers: ProviderSet | None,
        http: HttpSettings | None,
        private: bool,
    ) -> None:
        self._paths = paths
        self._watchers = watchers
        self._providers = providers
        self._http = http
        self.private = private
        self._queue: DownloadQueue | None = None
        self._client: httpx.AsyncClient | None = None

    def _download_queue(self) -> DownloadQueue:
        if self._queue is None:
            import httpx

            http = self._http
            timeout = httpx.Timeout(
                http.read_timeout if http else 30.0, connect=http.connect_timeout if http else 10.0
            )
            # Redirects are followed only for Zoom (httpx drops Authorization on a redirect
            # to another origin); GoTo targets arrive already resolved.
            self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=True)

            self._queue = DownloadQueue(
                self._client,
                self._paths.download_dir,
                concurrency=DOWNLOAD_CONCURRENCY,
                max_backoff=min(http.max_backoff, 10.0) if http else 10.0,
                on_progress=self._watchers,
                private=self.private,
            )
        return self._queue

    def download(self, recording: Recording, directory: Path | None) -> asyncio.Task[Path | None]:
        """Queue a recording download (call it on the event loop); returns its task.

        Files go to `directory` or the download dir as `NAME.part`, renamed when
        complete; an existing file is never overwritten (a numbered suffix instead); a
        `.part` left by an interrupted download is resumed. Follow progress with
        `watch_downloads` or `downloads()`; cancel with `cancel_download(key)`. The
        task's result is the final path, or None when it failed or was cancelled (the
        last `DownloadProgress` of the key says why).
        """
        if recording.processing:
            raise not_ready(recording)
        resolve = self.resolver(recording)
        return self._download_queue().add(
            recording.key, filename_of(recording), resolve, directory=directory
        )

    def downloads(self) -> list[DownloadProgress]:
        """See `Deck.downloads`."""
        return self._queue.snapshot() if self._queue is not None else []

    def cancel(self, key: str) -> bool:
        """See `Deck.cancel_download`."""
        return self._queue.cancel(key) if self._queue is not None else False

    async def aclose(self) -> None:
        """Cancel every download, wait for them, and close the download client."""
        if self._queue is not None:
            for progress in self._queue.snapshot():
                self._queue.cancel(progress.key)
            await self._queue.wait()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def resolver(self, recording: Recording) -> Resolver:
        """Where to fetch `recording` from, asked anew on every attempt."""
        providers = self._providers
        provider = recording.provider
        if provider is Provider.GOTO_TRAINING:
            training: TrainingRecordingDownloads | None = (
                providers.goto_training if providers else None
            )
            if training is None:
                raise _missing(provider)
            return lambda: training.download_target(recording.event_key, recording.key)
        if provider is Provider.GOTO_MEETING or provider is Provider.ZOOM:
            source: RecordingDownloads | None = None
            if providers is not None:
                source = (
                    providers.goto_meeting if provider is Provider.GOTO_MEETING else providers.zoom
                )
            if source is None:
                raise _missing(provider)
            return lambda: source.download_target(recording)
        raise NotSupported(
            "GoTo Assist session data is not a recording meetdeck can download.",
            provider=provider.value,
        )

    def export_csv(self, view: ListView[Any], path: Path | None) -> Path:
        """Write every row of `view` (as filtered and sorted) to a CSV file.

        Args:
            view: A view from `registrants(q)`, `meetings(q)`, ...
            path: Where to write; by default a unique name in the download dir such as
                `registrants-<event>-<timestamp>.csv`. An existing file is never
                overwritten: a numbered suffix is added instead.

        Returns:
            The path written. Cells starting with = + - @ (or a tab / carriage return)
            are prefixed with a single quote, so spreadsheets do not run them.
        """
        total = view.count()
        first = view.rows(0, 1)
        if path is None:
            directory = self._paths.download_dir
            name = _default_name(view, first[0] if first else None)
        else:
            directory, name = path.parent, path.name
        try:
            ensure_dir(directory, private=self.private)
            target, handle = _create_unique(directory, name, private=self.private)
        except OSError as exc:
            raise StorageError(
                f"Cannot write the export in {directory} ({exc.strerror}). "
                "Check the folder or set MEETDECK_DOWNLOAD_DIR."
            ) from None
        try:
            with handle:
                writer = csv.writer(handle)
                columns = _columns(first[0]) if first else []
                writer.writerow(columns)
                for offset in range(0, total, EXPORT_PAGE):
                    for row in view.rows(offset, EXPORT_PAGE):
                        writer.writerow(safe_cell(getattr(row, c, "")) for c in columns)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise StorageError(
                f"Writing {target.name} failed ({exc.strerror}); nothing was "
                "kept. Free some space and export again."
            ) from None
        return target


def _missing(provider: Provider) -> NotSupported:
    return NotSupported(
        f"This profile has no {provider.label} credentials, so it cannot download this recording.",
        provider=provider.value,
    )


# -- CSV export ---------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A value as CSV text that no spreadsheet runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, Enum):
        text = str(value.value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, dict):
        text = "; ".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, tuple | list):
        text = "; ".join(
            ": ".join(map(str, v)) if isinstance(v, tuple) else safe_plain(v) for v in value
        )
    else:
        text = str(value)
    # Terminal escapes and other control characters from an API stay out of the file.
    return csv_cell(text)


def safe_plain(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _columns(row: Any) -> list[str]:
    names = [f.name for f in dataclasses.fields(row) if f.name not in _SKIP]
    if hasattr(row, "first_name") and "name" not in names:
        names.insert(0, "name")
    return names


def _default_name(view: ListView[Any], first: object) -> str:
    kind = {
        "Registrant": "registrants",
        "Meeting": "meetings",
        "Event": "events",
        "Organizer": "organizers",
        "Recording": "recordings",
        "SupportSession": "support-sessions",
    }.get(type(first).__name__, "rows")
    query = getattr(view, "query", None)
    event = getattr(query, "event_key", None)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    middle = f"-{event}" if event else ""
    return sanitize_filename(f"{kind}{middle}-{stamp}.csv", fallback="export")


def _create_unique(directory: Path, name: str, *, private: bool) -> tuple[Path, Any]:
    """Create a new file (never replacing one): `name`, or `name (1)`... if taken.

    Mode 0600 when `private`, else what the umask leaves of 0666.
    """
    while True:
        target = unique_path(directory, name)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
        except FileExistsError:
            continue
        return target, open(fd, "w", encoding="utf-8-sig", newline="")
