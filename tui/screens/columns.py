"""The column chooser (`C` in a tab): the tab's columns with checkboxes.

j/k (or the arrows) move, space (or a click) shows or hides a column and the table
behind follows at once; Enter keeps the choice (written to `[columns]` of config.toml,
or the demo's own file), Esc puts back what was shown before. The last column shown
cannot be hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.dialogs import DIALOG_CSS
from tui.text import labelled, literal
from tui.widgets.column_choice import TAB_COLUMNS, ChoosesColumns
from tui.widgets.pane_types import ShownColumns
from tui.widgets.virtual_table import Column

HINT = "space show/hide \u00b7 Enter keep \u00b7 Esc undo"
LAST_ONE = "At least one column stays shown."


class ColumnChooser(ModalScreen[tuple[str, ...] | None]):
    """Show or hide a tab's columns; dismisses with the ids shown (Enter) or None (Esc).

    Args:
        title: What the tab is called ("Registrants").
        columns: The tab's columns, in the table's order.
        shown: The ids shown now.
        changed: Called with the ids shown after each change (the table follows).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Put back", id="columns-cancel"),
        Binding("enter", "keep", "Keep", priority=True, id="columns-keep"),
        Binding("space", "flip", "Show or hide", id="columns-toggle"),
        Binding("j", "move('down')", "Down", show=False, id="columns-down"),
        Binding("k", "move('up')", "Up", show=False, id="columns-up"),
        Binding("g", "move('first')", "First", show=False, id="columns-first"),
        Binding("G", "move('last')", "Last", show=False, id="columns-last"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ColumnChooser")
        + """
    ColumnChooser > Vertical { width: 46; padding: 0 1; }
    ColumnChooser OptionList {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
        &:focus { border: none; }
    }
    ColumnChooser .dialog--hint.-warning { color: $text-warning; }
    """
    )

    def __init__(
        self,
        title: str,
        columns: Sequence[Column],
        shown: Sequence[str],
        changed: Callable[[tuple[str, ...]], None],
    ) -> None:
        super().__init__()
        self.tab_title = title
        self.columns = list(columns)
        self.checked = {column.key for column in self.columns if column.key in shown}
        self.changed = changed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(labelled("Columns of ", ("bold", self.tab_title)), classes="dialog--title")
            yield OptionList(*(self._option(c) for c in self.columns), id="columns")
            yield Static(HINT, classes="dialog--hint", markup=False)

    def _option(self, column: Column) -> Option:
        on = column.key in self.checked
        box = ("[x] ", "bold $text-success") if on else ("[ ] ", "$text-muted")
        return Option(Content.assemble(box, literal(column.title)), id=column.key)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def on_mount(self) -> None:
        self.options.highlighted = 0
        self.options.focus()

    @property
    def shown(self) -> tuple[str, ...]:
        """The ids checked now, in the table's order."""
        return tuple(c.key for c in self.columns if c.key in self.checked)

    def action_flip(self) -> None:
        index = self.options.highlighted
        if index is not None:
            self._toggle(index)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle(event.option_index)

    def _toggle(self, index: int) -> None:
        column = self.columns[index]
        hint = self.query_one(".dialog--hint", Static)
        if column.key in self.checked and len(self.checked) == 1:
            hint.update(LAST_ONE)  # the last one stays
            hint.add_class("-warning")
            return
        self.checked ^= {column.key}
        hint.update(HINT)
        hint.remove_class("-warning")
        self.options.replace_option_prompt_at_index(index, self._option(column).prompt)
        self.changed(self.shown)

    def action_move(self, where: str) -> None:
        options = self.options
        {
            "down": options.action_cursor_down,
            "up": options.action_cursor_up,
            "first": options.action_first,
            "last": options.action_last,
        }[where]()

    def action_keep(self) -> None:
        self.dismiss(self.shown)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_column_chooser(app: App[Any], choices: ShownColumns, pane: ChoosesColumns) -> None:
    """Open the chooser for `pane`'s columns; the pane follows each change, Enter keeps
    the choice (and says where, or why it holds for this session only)."""
    tab = pane.columns_tab()
    if tab is None:
        return
    before = choices.ids(tab)
    title = "Groups" if tab == "groups" else pane.TITLE

    def changed(ids: tuple[str, ...]) -> None:
        choices.preview(tab, ids)
        pane.columns_changed()

    def closed(ids: tuple[str, ...] | None) -> None:
        if ids is None or ids == before:
            if choices.ids(tab) != before:
                changed(before)
            return
        problem = choices.choose(tab, ids)
        pane.columns_changed()
        names = ", ".join(c.title for c in TAB_COLUMNS[tab] if c.key in ids)
        if problem is not None:
            app.notify(
                f"{title} shows {names} for this session only: {problem}",
                title="Columns not saved",
                severity="warning",
                markup=False,
                timeout=12,
            )
        elif choices.path is not None:
            app.notify(
                f"{title} shows {names} (kept in {choices.path}).",
                title="Columns saved",
                markup=False,
            )

    app.push_screen(ColumnChooser(title, TAB_COLUMNS[tab], before, changed), closed)
