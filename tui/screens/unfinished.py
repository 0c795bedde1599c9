"""The start-up notice of writes whose result was never recorded.

A process killed mid-write (a 147-person approve after two chunks) leaves an audit
intent without a result. The next start lists them: the action, the event, how many
people and which were confirmed, and offers to refresh those events so that the screen
shows where things stand. The answer is True for "refresh", False for "later" (the
notice then shows again at the next start).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tui.core.deck.types import UnfinishedNotice
from tui.core.models import Provider
from tui.screens.dialogs import DIALOG_CSS, VIM_FOCUS
from tui.text import clean, literal


def describe(notice: UnfinishedNotice) -> str:
    """One unfinished write in a sentence: what, where, when, who ended up how."""
    write = notice.write
    try:
        where = Provider(write.provider).label
    except ValueError:
        where = clean(write.provider)
    event = clean(notice.event_title) or (clean(write.event) if write.event else "")
    what = f"{clean(write.action)} of {write.targets} people on {where}"
    if event:
        what += f", event {event}"
    when = write.time.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{what} (started {when}): {write.states()}."


class UnfinishedWritesDialog(ModalScreen[bool]):
    """Lists unfinished writes; R refreshes their events, Esc leaves it for later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh these events", id="unfinished-refresh"),
        Binding("escape", "later", "Later", id="unfinished-later"),
        *VIM_FOCUS,
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="UnfinishedWritesDialog")
        + """
    UnfinishedWritesDialog > Vertical { border: thick $warning; }
    UnfinishedWritesDialog Horizontal { height: auto; }
    UnfinishedWritesDialog Button { margin-right: 2; }
    """
    )

    def __init__(self, notices: Sequence[UnfinishedNotice]) -> None:
        super().__init__()
        self.notices = tuple(notices)

    def compose(self) -> ComposeResult:
        count = len(self.notices)
        with Vertical():
            yield Label(
                f"{count} write{'s' if count != 1 else ''} may not have finished",
                classes="dialog--title",
            )
            yield Static(
                literal(
                    "meetdeck stopped while sending; what went out after the last recorded "
                    "part is unknown. Refresh to see the service's statuses before acting "
                    "again.",
                    multiline=True,
                )
            )
            for notice in self.notices:
                yield Static(literal("• " + describe(notice), multiline=True))
            with Horizontal():
                yield Button("Refresh these events", variant="warning", id="refresh")
                yield Button("Later", id="later")

    def on_mount(self) -> None:
        self.query_one("#refresh", Button).focus()

    def action_refresh(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#refresh")
    def _refresh(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(False)
