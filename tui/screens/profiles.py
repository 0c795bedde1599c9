"""The profile switcher (`P`): every profile with its accent and READ-ONLY marker.

The open profile is highlighted and says so; Enter opens the highlighted one, as the
palette's "profile: switch to" does; Esc keeps the open one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.dialogs import DIALOG_CSS
from tui.widgets.header import profile_badge

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi


@dataclass(frozen=True)
class ProfileEntry:
    """One line of the switcher.

    Attributes:
        name: The profile's name (from config.toml: shown literally).
        accent: Its accent colour, if it sets one (else one from its name).
        read_only: Whether it refuses every write.
        current: Whether it is the profile open now.
    """

    name: str
    accent: str | None
    read_only: bool
    current: bool = False


def switcher_entries(
    deck: DeckApi, known: Mapping[str, tuple[str | None, bool]]
) -> list[ProfileEntry]:
    """The switcher's lines: every profile of `deck`'s config, the open one with what its
    Deck says, the others with what the first frame read of them (`known`: name ->
    (accent, read-only))."""
    entries = []
    for name in deck.profiles() or (deck.profile_name,):
        if name == deck.profile_name:
            entries.append(ProfileEntry(name, deck.accent, deck.read_only, current=True))
        else:
            accent, read_only = known.get(name, (None, False))
            entries.append(ProfileEntry(name, accent, read_only))
    return entries


class ProfileSwitcher(ModalScreen[str | None]):
    """Pick a profile to open; dismisses with its name, or None (Esc, or the open one)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="profiles-close"),
        Binding("j", "down", "Down", show=False, id="profiles-down"),
        Binding("k", "up", "Up", show=False, id="profiles-up"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ProfileSwitcher")
        + """
    ProfileSwitcher OptionList { height: auto; max-height: 16; }
    """
    )

    def __init__(self, entries: Sequence[ProfileEntry]) -> None:
        super().__init__()
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Switch profile", classes="dialog--title")
            yield OptionList(*(self._option(entry) for entry in self.entries), id="profiles")
            yield Static("Enter opens it \u00b7 Esc keeps this one", classes="dialog--hint")

    @staticmethod
    def _option(entry: ProfileEntry) -> Option:
        # The badge is the header's: the name cleaned, on the profile's accent.
        parts: list[str | tuple[str, str]] = [profile_badge(entry.name, entry.accent)]
        if entry.read_only:
            parts += [" ", (" READ-ONLY ", "bold $text-warning on $warning-muted")]
        if entry.current:
            parts.append(("  (open now)", "italic $text-muted"))
        return Option(Content.assemble(*parts))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = next((n for n, e in enumerate(self.entries) if e.current), 0)
        options.highlighted = current
        options.focus()

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[event.option_index]
        self.dismiss(None if entry.current else entry.name)
