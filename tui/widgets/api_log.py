"""The API call log (`l`): method, path, status, duration and rate-limit headers.

It follows new calls as they are made (the app relays them from the Deck, connected
or not yet), takes the focus, scrolls and filters.

The entries are already redacted by the http layer (path only, no query, no headers
but the rate-limit ones): never a token or a start URL. They are still API-shaped
text, so each line goes through `tui.text.clean`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Log

from tui.text import clean
from tui.widgets.formatting import TimeFormat

#: Lines the panel keeps (the API log's ring holds as many entries).
MAX_LINES = 500


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


class ApiLogLines(Log):
    """The log's lines: focusable, scrolls with the arrow and page keys, and follows
    new calls while it is scrolled to the end."""


class ApiLogPanel(Vertical):
    """A live tail of the API calls the app makes: `l` shows it and gives it the focus,
    `/` filters it (every word must match a line: a path, a status, an API), Esc or
    `l` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter the log", id="api-log-filter"),
        Binding("escape", "close", "Close the log", id="api-log-close"),
    ]

    DEFAULT_CSS = """
    ApiLogPanel {
        height: 10;
        border-top: solid $foreground 20%;
        background: $surface;
        display: none;
    }
    ApiLogPanel.-shown { display: block; }
    ApiLogPanel:focus-within { border-top: solid $accent; }
    ApiLogPanel > Input {
        height: 1;
        border: none;
        padding: 0 1;
        background: $surface;
    }
    ApiLogPanel > ApiLogLines {
        height: 1fr;
        background: $surface;
        color: $text-muted;
    }
    """

    class Called(Message):
        """The http layer recorded API calls (posted in batches from its subscriber hook)."""

        def __init__(self, entries: Sequence[Any]) -> None:
            super().__init__()
            self.entries = tuple(entries)

    class Closed(Message):
        """The user closed the log (Esc): the screen hides it and takes the focus back."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._all: deque[str] = deque(maxlen=MAX_LINES)
        self._words: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter: a path, a status, an API", id="api-log-filter")
        yield ApiLogLines(max_lines=MAX_LINES, id="api-log-lines")

    @property
    def log_lines(self) -> ApiLogLines:
        """The lines widget."""
        return self.query_one(ApiLogLines)

    @property
    def lines(self) -> list[str]:
        """The lines shown (those the filter lets through)."""
        return [str(line) for line in self.log_lines.lines]

    @property
    def filter_text(self) -> str:
        """The filter as typed."""
        return self.query_one(Input).value

    def add_entries(self, entries: Iterable[Any], fmt: TimeFormat) -> None:
        """Append formatted entries (shown if they pass the filter)."""
        lines = [format_entry(entry, fmt) for entry in entries]
        self._all.extend(lines)
        shown = [line for line in lines if self._passes(line)]
        if shown:
            self.log_lines.write_lines(shown)

    def reset(self, entries: Iterable[Any], fmt: TimeFormat) -> None:
        """Start again from `entries` (the log's recent calls)."""
        self._all.clear()
        self.log_lines.clear()
        self.add_entries(entries, fmt)

    def _passes(self, line: str) -> bool:
        folded = line.casefold()
        return all(word in folded for word in self._words)

    @on(Input.Changed, "#api-log-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._words = tuple(event.value.casefold().split())
        lines = self.log_lines
        lines.clear()
        lines.write_lines([line for line in self._all if self._passes(line)])

    @on(Input.Submitted, "#api-log-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.log_lines.focus()

    def action_filter(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        if self.query_one(Input).has_focus and self.filter_text:
            self.query_one(Input).value = ""  # the first Esc clears the filter
            self.log_lines.focus()
            return
        self.post_message(self.Closed())
