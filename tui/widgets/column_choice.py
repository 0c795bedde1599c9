"""Which columns each tab shows (`C` in a tab, `[columns]` in config.toml).

Each tab's column set has an id (`TAB_COLUMNS`): the six tabs by their tab ids, and
`groups` for the organizers tab's groups view. A choice is the ids of the columns a
tab shows; the table keeps its own order, and at least one column stays on. A pane
asks `ColumnChoices.shown` for its columns and `shown_sort` for the sort it can show:
a sort by a hidden column falls back to the tab's default order (and comes back when
the column does).

`ColumnChoices` holds this session's choices (checked at start against the known ids)
and writes a changed one back to the config file (`tui/core/settings/columns.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Protocol

from textual.message import Message

from tui.core.errors import ConfigError
from tui.core.settings.columns import ColumnChoice, check_columns
from tui.widgets import columns
from tui.widgets.virtual_table import Column

#: Each tab's columns, in the table's order, by the id `[columns]` names.
TAB_COLUMNS: dict[str, list[Column]] = {
    "organizers": columns.ORGANIZERS,
    "groups": columns.GROUPS,
    "meetings": columns.MEETINGS,
    "events": columns.EVENTS,
    "registrants": columns.REGISTRANTS,
    "recordings": columns.RECORDINGS,
    "support": columns.SUPPORT,
}


def known_columns() -> dict[str, tuple[str, ...]]:
    """Each tab's column ids, for checking `[columns]`."""
    return {tab: tuple(column.key for column in found) for tab, found in TAB_COLUMNS.items()}


def tab_of(*candidates: Sequence[Column]) -> str | None:
    """The id of the first of `candidates` that is one of `TAB_COLUMNS`' lists (a
    pane's `visible_columns()` then its `COLUMNS`: the groups view's list is GROUPS)."""
    for candidate in candidates:
        for tab, found in TAB_COLUMNS.items():
            if candidate is found:
                return tab
    return None


def shown_sort(
    sort: str | None, descending: bool, shown: Sequence[Column], every: Sequence[Column]
) -> tuple[str | None, bool]:
    """The sort a pane asks the view for: its own, unless that column is one of the
    tab's columns the person hid; then the view's default order."""
    hidden = {c.key for c in every} - {c.key for c in shown}
    if sort is not None and sort in hidden:
        return None, False
    return sort, descending


class ChoosesColumns(Protocol):
    """What the chooser needs of a tab (`EntityPane`)."""

    TITLE: ClassVar[str]

    def columns_tab(self) -> str | None:
        """The id of the columns it shows now (None: none to choose)."""

    def columns_changed(self) -> None:
        """Show the columns chosen now."""


class ColumnsRequested(Message):
    """`C` in a tab: the screen opens the column chooser for `pane`."""

    def __init__(self, pane: ChoosesColumns) -> None:
        super().__init__()
        self.pane = pane


class ColumnChoices:
    """This session's column choices, and where a changed one is kept.

    Args:
        raw: `[columns]` as the config file has it (checked here: a misspelt tab or
            column id is `error`, and that tab shows every column).
        path: The file a choice is written to (config.toml; the demo's own file with
            `--demo`); None: kept for the session only.
    """

    def __init__(self, raw: object = None, path: Path | None = None) -> None:
        self.chosen: ColumnChoice
        self.chosen, self.error = check_columns(raw, known_columns())
        self.path = path

    def ids(self, tab: str) -> tuple[str, ...]:
        """The ids of the columns `tab` shows (all of them when nothing was chosen)."""
        every = tuple(c.key for c in TAB_COLUMNS[tab])
        return self.chosen.get(tab, every)

    def shown(self, tab: str | None, candidates: Sequence[Column]) -> list[Column]:
        """The `candidates` (a pane's columns for its scope) that `tab` shows; the
        first of them when the choice leaves none (one column always stays)."""
        chosen = self.chosen.get(tab) if tab is not None else None
        if chosen is None:
            return list(candidates)
        kept = [column for column in candidates if column.key in chosen]
        return kept or list(candidates[:1])

    def preview(self, tab: str, ids: Sequence[str]) -> None:
        """Show `ids` in `tab` for now (the chooser is open); nothing is written."""
        every = [c.key for c in TAB_COLUMNS[tab]]
        picked = tuple(key for key in every if key in ids)
        if not picked:
            raise ConfigError("At least one column stays shown.")
        if len(picked) == len(every):
            self.chosen.pop(tab, None)
        else:
            self.chosen[tab] = picked

    def choose(self, tab: str, ids: Sequence[str]) -> str | None:
        """Show `ids` in `tab` from now on and write it to the config file; a
        sentence when it could not be written (the choice holds for this session)."""
        self.preview(tab, ids)
        if self.path is None:
            return None
        from tui.core.settings.columns import save_columns

        return save_columns(self.path, tab, self.chosen.get(tab))
