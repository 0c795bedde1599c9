"""Small modal dialogs: an error, text to copy by hand, a custom date window."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.text import clean, literal

#: j and k move between a dialog's buttons, as they move between rows elsewhere.
VIM_FOCUS: list[BindingType] = [
    Binding("j", "app.focus_next", "Next", show=False, id="dialog-next"),
    Binding("k", "app.focus_previous", "Previous", show=False, id="dialog-previous"),
]

DIALOG_CSS = """
{name} {{
    align: center middle;
    background: $background 60%;
    & > Vertical {{
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        background: $surface;
        border: thick $border;
    }}
    & .dialog--title {{ text-style: bold; width: 1fr; margin-bottom: 1; }}
    & .dialog--hint {{ color: $text-muted; margin-top: 1; }}
    & Button {{ margin-top: 1; }}
}}
"""


class ErrorDialog(ModalScreen[None]):
    """A typed error's title and sentence; Enter or Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "Close", id="error-close"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ErrorDialog")
        + """
    ErrorDialog > Vertical { border: thick $error; }
    """
    )

    def __init__(self, title: str, sentence: str) -> None:
        super().__init__()
        self.error_title = title
        self.sentence = sentence

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.error_title), classes="dialog--title")
            yield Static(literal(self.sentence, multiline=True))
            yield Button("OK", variant="error", id="ok")

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


class CopyDialog(ModalScreen[None]):
    """Shows text to select and copy by hand where the clipboard may not reach."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="copy-close"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CopyDialog")
        + """
    CopyDialog TextArea { height: 3; }
    """
    )

    def __init__(self, text: str, note: str) -> None:
        super().__init__()
        self.text = clean(text)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Copy this by hand", classes="dialog--title")
            yield TextArea(self.text, read_only=True, soft_wrap=True)
            yield Static(literal(self.note, multiline=True), classes="dialog--hint")
            yield Button("Close", id="close")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.select_all()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)


_DATE = r"(\d{4}-\d{2}-\d{2})"
_RANGE = re.compile(rf"^{_DATE}\s*(?:\.\.|to|-{{2}}|\s)\s*{_DATE}$")


def parse_window(text: str, now: datetime) -> tuple[datetime, datetime] | None:
    """Parse "14" (days around now), "-14" (days back) or "2025-01-01..2025-02-01"."""
    text = text.strip()
    match = _RANGE.match(text)
    if match:
        try:
            since = datetime.fromisoformat(match.group(1)).replace(tzinfo=UTC)
            until = datetime.fromisoformat(match.group(2)).replace(tzinfo=UTC)
        except ValueError:
            return None
        until += timedelta(days=1)
        return (since, until) if since < until else None
    if re.fullmatch(r"-?\d{1,4}", text):
        days = int(text)
        if days == 0:
            return None
        return (now + timedelta(days=days), now) if days < 0 else (now, now + timedelta(days=days))
    return None


class WindowDialog(ModalScreen[tuple[datetime, datetime] | None]):
    """Asks for a custom date window for the meetings tab."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="window-cancel"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="WindowDialog")

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Date window", classes="dialog--title")
            yield Input(placeholder="2025-01-01..2025-03-31, or 14, or -14 (days)")
            yield Static(
                "A range of dates (inclusive), or a number of days ahead (negative: back).",
                classes="dialog--hint",
                markup=False,
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        window = parse_window(event.value, self.now)
        if window is None:
            self.notify(
                "Not a window: use 2025-01-01..2025-03-31 or a number of days.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(window)

    def action_cancel(self) -> None:
        self.dismiss(None)
