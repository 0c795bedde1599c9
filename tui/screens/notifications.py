"""The notifications screen (`N`): every error and notice of this session, newest first,
with its time, so a toast that came and went can be read again.

`NoticeLog` keeps them: the app records each toast it shows (`MeetdeckApp.notify`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.formatting import Clock, TimeFormat
from tui.widgets.key_scroll import scroll_lines, scroll_to_end

#: How many notifications a session keeps for the notifications screen.
NOTICES_KEPT = 200


@dataclass(frozen=True, slots=True)
class Notice:
    """One toast as it was shown.

    Attributes:
        at: When it was shown.
        title: Its title (cleaned).
        message: Its text (cleaned).
        severity: "information", "warning" or "error".
        markup: The caller's own markup in `message` (never API text: see
            `MeetdeckApp.notify`).
    """

    at: datetime
    title: str
    message: str
    severity: str
    markup: bool = False


class NoticeLog:
    """This session's toasts, the newest NOTICES_KEPT, each with the time it was shown."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._notices: deque[Notice] = deque(maxlen=NOTICES_KEPT)

    def add(self, title: str, message: str, severity: str, markup: bool) -> None:
        """Keep a toast as shown (its text already cleaned)."""
        self._notices.append(Notice(self._clock(), title, message, severity, markup))

    @property
    def notices(self) -> tuple[Notice, ...]:
        """The toasts kept, oldest first."""
        return tuple(self._notices)


_MARKS = {"error": ("\u2717", "$text-error"), "warning": ("!", "$text-warning")}


def notices_text(notices: Sequence[Notice], fmt: TimeFormat) -> Content:
    """The list, newest first: time, mark, title, then the message on its own line (a
    notice without a title has its message on the first line)."""
    if not notices:
        return Content("No errors or notices yet in this session.")
    parts: list[Content] = []
    for notice in reversed(notices):
        mark, style = _MARKS.get(notice.severity, ("\u00b7", "$text-muted"))
        when = fmt.convert(notice.at).strftime("%H:%M:%S")
        head = Content.assemble((when, "$text-muted"), " ", (mark, f"bold {style}"), " ")
        body = Content.from_markup(notice.message) if notice.markup else Content(notice.message)
        if notice.title:
            parts.append(Content.assemble(head, (notice.title, "bold"), "\n  ", body, "\n\n"))
        else:
            parts.append(Content.assemble(head, body, "\n\n"))
    return Content.assemble(*parts)


class NotificationsScreen(ModalScreen[None]):
    """Past errors and notices of this session, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,N", "dismiss", "Close", id="notifications-close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="notifications-down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="notifications-up"),
        Binding("g,home", "to_end(False)", "Top", show=False, id="notifications-top"),
        Binding("G,end", "to_end(True)", "Bottom", show=False, id="notifications-bottom"),
    ]
    DEFAULT_CSS = """
    NotificationsScreen {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 100;
            max-width: 100%;
            height: 90%;
            padding: 1 2;
            background: $surface;
            border: thick $accent;
            border-title-style: bold;
        }
    }
    """

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = "Notifications (newest first)"
        with scroll:
            yield Static(self.content, id="notifications-text")

    def action_scroll(self, lines: int) -> None:
        scroll_lines(self.query_one(VerticalScroll), lines)

    def action_to_end(self, bottom: bool) -> None:
        scroll_to_end(self.query_one(VerticalScroll), bottom=bottom)
