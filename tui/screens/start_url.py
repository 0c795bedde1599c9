"""The host start link of a meeting, training, webinar or support session.

A start URL signs its holder in as the host, so it is treated as a secret: fetched on
demand, held only by this dialog while it is open, and never put in a toast, a log or
the screen until the person asks to see it. The dialog offers to copy it (OSC 52,
tmux-aware, through the app's one copy helper), to open it in a local browser when
one is plausible, or to show it for copying by hand.

The link is API text: it is shown through the one cleaner like any name, and a browser
is started only on a link the Deck vetted (`StartUrl.refusal`, see `tui.core.deck.links`),
through `tui.browser`, which keeps meetdeck's secrets out of the browser's environment.
Any other link is shown, with the reason it was not opened.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from tui.browser import BrowserRefused, open_start_link
from tui.screens.dialogs import DIALOG_CSS, VIM_FOCUS
from tui.text import clean, literal
from tui.widgets.pane_types import DeckHost

if TYPE_CHECKING:
    from tui.core.models import StartUrl

WARNING = (
    "This link signs whoever holds it in as the host. Do not paste it into chats "
    "or tickets; fetch a new one when you need it again."
)


def browser_plausible(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether a browser can open on this machine's screen (not over SSH, not headless)."""
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def expiry_text(start: StartUrl, now: datetime, zone: Any = None) -> str:
    """When the link stops working, as far as the API documents it ("" if unknown)."""
    parts = []
    if start.expires_at is not None:
        at = start.expires_at.astimezone(zone) if zone is not None else start.expires_at
        minutes = max(0, round((start.expires_at - now).total_seconds() / 60))
        parts.append(f"Expires at {at:%H:%M} (in about {minutes} min).")
    if start.note:
        parts.append(clean(start.note))
    return " ".join(parts)


class StartUrlDialog(ModalScreen[None]):
    """Copy, open or show a host start link; the link leaves with the dialog."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="start-close"),
        Binding("c", "copy", "Copy", id="start-copy"),
        Binding("o", "open_browser", "Open in browser", id="start-open"),
        Binding("v", "reveal", "Show link", id="start-show"),
        *VIM_FOCUS,
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="StartUrlDialog")
        + """
    StartUrlDialog > Vertical { border: thick $warning; }
    StartUrlDialog .start--warning { color: $text-warning; margin-bottom: 1; }
    StartUrlDialog TextArea { height: 4; display: none; margin-top: 1; }
    StartUrlDialog TextArea.-shown { display: block; }
    StartUrlDialog #start-refusal { color: $text-error; margin-top: 1; display: none; }
    StartUrlDialog #start-refusal.-shown { display: block; }
    StartUrlDialog .dialog--buttons { height: auto; margin-top: 1; }
    StartUrlDialog .dialog--buttons Button { margin: 0 2 0 0; }
    """
    )

    class BrowserDone(Message):
        """The browser was started on the link, or was not (and why)."""

        def __init__(self, refusal: str | None) -> None:
            super().__init__()
            self.refusal = refusal

    def __init__(
        self,
        start: StartUrl,
        what: str,
        *,
        now: datetime,
        zone: Any = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._start: StartUrl | None = start
        self.what = what
        self.expiry = expiry_text(start, now, zone)
        self.can_open = browser_plausible(os.environ if env is None else env)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Content.assemble("Host start link: ", (clean(self.what), "bold")),
                classes="dialog--title",
            )
            yield Static(f"\u26a0 {WARNING}", classes="start--warning", markup=False)
            if self.expiry:
                yield Static(literal(self.expiry, multiline=True))
            yield TextArea("", read_only=True, soft_wrap=True, id="start-link")
            yield Static("", id="start-refusal")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Copy (c)", variant="primary", id="copy")
                if self.can_open:
                    yield Button("Open in browser (o)", id="open")
                yield Button("Show link (v)", id="show")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#copy", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "open_browser", "reveal") and isinstance(self.focused, TextArea):
            # The person is reading or selecting the shown link: letters typed there
            # (a search, a word) must not copy it, open a browser or reload it. Tab
            # back to the buttons, or use them.
            return False
        if action == "open_browser":
            return self.can_open
        return True

    def on_unmount(self) -> None:
        self._start = None

    @property
    def _url(self) -> str:
        return self._start.url if self._start is not None else ""

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        cast(DeckHost, self.app).copy_text(self._url, "the host start link", secret=True)

    @on(Button.Pressed, "#open")
    def action_open_browser(self) -> None:
        if not self.can_open or self._start is None:
            return
        start = self._start
        if start.refusal is not None:
            self._not_opened(start.refusal)
            return

        def launch() -> None:
            try:
                open_start_link(start)
            except BrowserRefused as refused:
                self.post_message(self.BrowserDone(str(refused)))
            else:
                self.post_message(self.BrowserDone(None))

        self.run_worker(launch, thread=True, group="browser", exit_on_error=False)

    def on_start_url_dialog_browser_done(self, event: BrowserDone) -> None:
        if event.refusal is not None:
            self._not_opened(event.refusal)
            return
        self.app.notify("Opening the host start link in your browser.", markup=False, timeout=4)

    def _not_opened(self, reason: str) -> None:
        """Show the link and why it was not opened in a browser."""
        refusal = self.query_one("#start-refusal", Static)
        refusal.update(literal(f"Not opened in a browser: {reason}", multiline=True))
        refusal.add_class("-shown")
        self.action_reveal()

    @on(Button.Pressed, "#show")
    def action_reveal(self) -> None:
        area = self.query_one("#start-link", TextArea)
        area.load_text(clean(self._url))
        area.add_class("-shown")
        area.focus()
        area.select_all()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
