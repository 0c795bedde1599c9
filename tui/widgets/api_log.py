"""The API call log (`l`): method, path, status, duration and rate-limit headers.

The entries are already redacted by the http layer (path only, no query, no headers
but the rate-limit ones): never a token or a start URL. They are still API-shaped
text, so each line goes through `tui.text.clean`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.message import Message
from textual.widgets import Log

from tui.text import clean
from tui.widgets.formatting import TimeFormat


def format_entry(entry: Any, fmt: TimeFormat) -> str:
    """One log line: time, API, method, path, status, duration, rate-limit headers."""
    at = fmt.convert(entry.at).strftime("%H:%M:%S")
    status = str(entry.status) if entry.status is not None else (entry.error or "no response")
    rate = " ".join(f"{k}={v}" for k, v in sorted(dict(entry.rate).items()))
    retry = f" try {entry.attempt}" if entry.attempt > 1 else ""
    host = f" {entry.host}" if entry.host else ""
    line = (
        f"{at} {status:>3} {entry.method:<6} {entry.path}  "
        f"{entry.api} {entry.duration_ms:.0f} ms{retry}{host}"
    )
    return clean(f"{line}  {rate}" if rate else line)


class ApiLogPanel(Log):
    """A live tail of the API calls the app makes; toggled with `l`."""

    DEFAULT_CSS = """
    ApiLogPanel {
        height: 8;
        border-top: solid $foreground 20%;
        background: $surface;
        color: $text-muted;
        display: none;
    }
    ApiLogPanel.-shown { display: block; }
    """

    class Called(Message):
        """The http layer recorded an API call (posted from its subscriber hook)."""

        def __init__(self, entry: Any) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(max_lines=500, id=id)
        self.can_focus = False

    def add_entries(self, entries: Iterable[Any], fmt: TimeFormat) -> None:
        """Append formatted entries."""
        self.write_lines([format_entry(entry, fmt) for entry in entries])
