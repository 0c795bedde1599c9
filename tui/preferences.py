"""What the person chose: their keymap, the theme and each tab's sort.

The keymap comes from `[keymap]` in config.toml and is checked against every binding
id (a misspelt id is an error, not ignored). The theme picked in the palette and each
tab's sort are kept for the next start in the UI state file
(`tui/core/settings/ui_state.py`). The app applies them and says what went wrong;
this module decides what to keep and what to say.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tui.core.errors import MeetdeckError

if TYPE_CHECKING:
    from tui.ui_options import UiOptions


class Preferences:
    """The keymap, theme and sorts of one run, starting from what `options` read."""

    def __init__(self, options: UiOptions) -> None:
        self._keymap = dict(options.keymap)
        self._state = options.ui_state
        self._sorts: dict[str, tuple[str, bool]] = dict(options.sorts)
        self._sort_warned = False

    def checked_keymap(self) -> tuple[dict[str, str], MeetdeckError | None]:
        """The keymap to apply (the ids a binding has), and the error naming any
        other id (None: every id is known)."""
        keymap = dict(self._keymap)
        if not keymap:
            return keymap, None
        from tui.bindings import binding_ids, check_keymap

        known = binding_ids()
        try:
            check_keymap(keymap, known)
        except MeetdeckError as error:
            return {name: keys for name, keys in keymap.items() if name in known}, error
        return keymap, None

    @property
    def sorts(self) -> Mapping[str, tuple[str, bool]]:
        """Each tab's sort (by the pane's KIND): (sort name, descending)."""
        return self._sorts

    def remember_sort(self, tab: str, sort: str, descending: bool) -> str | None:
        """Keep a tab's sort for this session (other profiles too) and the next start.

        Returns the sentence to show when it could not be kept for the next start, the
        first time only in a session (the sort still works).
        """
        self._sorts[tab] = (sort, descending)
        if self._state is None:
            return None
        from tui.core.settings.ui_state import remember_sorts

        problem = remember_sorts(self._state, self._sorts)
        if problem is None or self._sort_warned:
            return None
        self._sort_warned = True
        return problem

    def remember_theme(self, name: str) -> str | None:
        """Keep the theme picked for the next start; the sentence to show when it could
        not be kept."""
        if self._state is None:
            return None
        from tui.core.settings.ui_state import remember_theme

        return remember_theme(self._state, name)
