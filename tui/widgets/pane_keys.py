"""A pane's keys: those every tab has, which action a pressed key runs, and why a
write key did nothing.

A write key (approve, register, a new meeting, a new support session) is hidden from
the footer where it cannot run: the profile is read-only, or the highlighted row's
provider cannot do it. Textual would drop such a key in silence; the pane looks the key
up itself (`KeyActions`, after the person's keymap) and says why instead
(`refuse_read_only`, or the pane's own `explain_hidden`). `/` is looked up the same
way: the keys typed after it in one burst belong to the filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from textual.binding import Binding, BindingType

from tui.widgets.virtual_table import VirtualTable

if TYPE_CHECKING:
    from textual import events
    from textual.binding import BindingsMap
    from textual.notifications import SeverityLevel

__all__ = [
    "PANE_BINDINGS",
    "START_LINK",
    "KeyAction",
    "KeyActions",
    "Notifier",
    "OpenKey",
    "refuse_read_only",
]

PANE_BINDINGS: list[BindingType] = [
    Binding("slash", "start_filter", "Filter", id="filter"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="clear-filter"),
    Binding("i", "toggle_detail", "Details", show=False, id="details"),
    Binding("y", "copy(0)", "Copy", id="copy"),
    Binding("Y", "copy(1)", "Copy ID", show=False, id="copy-id"),
    Binding(
        "greater_than_sign",
        "sort(1)",
        "Sort by next column",
        show=False,
        id="sort-next",
        tooltip="Sort by the next column that can be sorted (a click on a title too)",
    ),
    Binding(
        "less_than_sign",
        "sort(-1)",
        "Sort by previous column",
        show=False,
        id="sort-previous",
    ),
    Binding("I", "reverse_sort", "Reverse sort", show=False, id="sort-reverse"),
    Binding("C", "choose_columns", "Choose columns", show=False, id="columns"),
]
"""The keys every tab has: filter, details, copy, sort, columns."""

START_LINK = Binding("s", "start_url", "Start link", id="start-url")
"""`s` on a pane whose rows have host start links (START_URLS)."""


class KeyAction(NamedTuple):
    """An action a key is bound to, as its binding says it."""

    name: str
    parameters: tuple[object, ...]
    description: str


class KeyActions:
    """A pane's actions by key, with the person's keymap applied (built once per
    keymap: a key press only looks up)."""

    def __init__(self) -> None:
        self._keymap: tuple[tuple[str, str], ...] | None = None
        self._table: dict[str, list[KeyAction]] = {}

    def of(
        self, event: events.Key, bindings: BindingsMap, keymap: Mapping[str, str]
    ) -> list[KeyAction]:
        """The actions of `bindings` (a pane's) that the pressed key runs."""
        marker = tuple(sorted(keymap.items()))
        if self._keymap != marker:
            from textual.actions import parse

            bound = bindings.copy()
            bound.apply_keymap(keymap)
            table: dict[str, list[KeyAction]] = {}
            for key, found in bound.key_to_bindings.items():
                for binding in found:
                    _, name, parameters = parse(binding.action)
                    table.setdefault(key, []).append(
                        KeyAction(name, parameters, binding.description)
                    )
            self._keymap, self._table = marker, table
        # A keymap may name a key by its character ("?"); Textual calls it by name.
        actions = self._table.get(event.key)
        if actions is None and event.character is not None:
            actions = self._table.get(event.character)
        return actions or []


class OpenKey:
    """The key that opens the table's row (Enter: the table's `select` binding, after
    the keymap), taken by the pane as it passes (`EntityPane.on_key`).

    Textual runs a key's bindings only once the key has bubbled from the focused table
    through every container up to the screen and the app; the action then posts
    `RowSelected` to the table, which bubbles to the pane, which asks the screen to
    drill: twelve turns of the event loop (~2 ms) before a drill-down began. The table's
    binding is the first one Textual would try (the table has focus; priority bindings
    ran before the key reached it) and no container above the pane handles a key, so
    the pane runs what it would, as the key reaches it: the same row, the same checks
    (`check_action`, a table loading has no bindings), the key stopped as a binding
    stops it. Anything else (no row, the binding off) goes on to Textual as before.
    """

    def __init__(self) -> None:
        self._actions = KeyActions()

    def row(self, event: events.Key, table: VirtualTable[Any], keymap: Mapping[str, str]) -> Any:
        """The row `event` opens now (the key stopped), or None: Textual handles it."""
        actions = self._actions.of(event, table._bindings, keymap)
        if not actions or actions[0].name != "select" or table.loading:
            return None
        row = table.cursor_value
        if row is None or not table.check_action("select", ()):
            return None
        event.stop()
        event.prevent_default()
        return row


class Notifier(Protocol):
    """What can show a toast (any widget)."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


def refuse_read_only(node: Notifier, profile: str, what: str) -> None:
    """Toast why the write key `what` does nothing: the profile is read-only."""
    node.notify(
        f"Profile {profile} is read-only, so {what.lower()} is off and nothing was sent.",
        title="Read-only",
        severity="warning",
        markup=False,
    )
