"""The help screen (`?`, F1): the keys that work right now, read from the live bindings.

It lists the active bindings of the screen underneath (the focused widget, its pane,
the screen and the app), grouped by where they are defined, with each binding's id so
a person can remap it in `[keymap]` of config.toml.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.widgets.key_scroll import scroll_lines, scroll_pages, scroll_to_end
from tui.widgets.pane import EntityPane

_GROUP_NAMES = {
    "VirtualTable": "Table",
    "MainScreen": "Everywhere",
    "MeetdeckApp": "Everywhere",
    "MeetingScreen": "Meeting",
}


def group_of(node: object) -> str:
    """The group a binding is listed under (help, palette): "Registrants", "Table"."""
    name = type(node).__name__
    if name in _GROUP_NAMES:
        return _GROUP_NAMES[name]
    if isinstance(node, EntityPane) and node.TITLE:
        return node.TITLE
    return name.removesuffix("Pane")


def help_text(screen: Screen[object], bindings: Iterable[ActiveBinding] | None = None) -> Content:
    """The help text for the bindings active on `screen`."""
    app = screen.app
    active = list(bindings if bindings is not None else screen.active_bindings.values())
    groups: dict[str, list[tuple[str, Binding]]] = {}
    seen: set[tuple[str, str]] = set()
    for item in active:
        binding = item.binding
        if binding.system and binding.action != "command_palette":
            continue
        group = group_of(item.node)
        if (group, binding.action) in seen:
            # One line per action: "j" and "down" are shown together.
            for index, (keys, known) in enumerate(groups[group]):
                if known.action == binding.action:
                    groups[group][index] = (f"{keys}, {app.get_key_display(binding)}", known)
            continue
        seen.add((group, binding.action))
        groups.setdefault(group, []).append((app.get_key_display(binding), binding))
    parts: list[str | tuple[str, str]] = []
    order = sorted(groups, key=lambda g: (g == "Everywhere", g))
    for group in order:
        parts.append((f"{group}\n", "bold $accent"))
        for keys, binding in groups[group]:
            parts.append((f"  {keys:<22}", "bold"))
            parts.append(f"{binding.description or binding.action:<28}")
            if binding.id:
                parts.append((f" {binding.id}", "$text-muted"))
            parts.append("\n")
        parts.append("\n")
    parts.append(
        (
            'Remap any key in config.toml, e.g.\n  [keymap]\n  filter = "f"\n'
            "Text from the APIs is always shown literally.",
            "$text-muted",
        )
    )
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """Every key that works here, generated from the live bindings."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help-close"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help-down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help-up"),
        Binding("g,home", "to_end(False)", "Top", show=False, id="help-top"),
        Binding("G,end", "to_end(True)", "Bottom", show=False, id="help-bottom"),
        Binding("ctrl+d,pagedown", "page(1)", "Page down", show=False, id="help-page-down"),
        Binding("ctrl+u,pageup", "page(-1)", "Page up", show=False, id="help-page-up"),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
        & > VerticalScroll {
            width: 90;
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
        scroll.border_title = "meetdeck keys"
        with scroll:
            yield Static(self.content, id="help-text")

    def action_scroll(self, lines: int) -> None:
        scroll_lines(self.query_one(VerticalScroll), lines)

    def action_to_end(self, bottom: bool) -> None:
        scroll_to_end(self.query_one(VerticalScroll), bottom=bottom)

    def action_page(self, pages: int) -> None:
        scroll_pages(self.query_one(VerticalScroll), pages)
