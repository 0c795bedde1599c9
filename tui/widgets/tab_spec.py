"""What a tab says about itself: the part of `EntityPane` that each tab fills in.

Its titles, what its rows are and how the Deck reads them (`make_view`), its columns,
what Enter, `r`, `y` and `s` do on a row, what it shows in the detail panel, and what
it adds to the status line; the defaults suit a plain list. `EntityPane`
(tui/widgets/pane.py) is how every tab works (reading, the filter, the sort, keys,
the detail panel) and asks these; the six tabs are in tui/widgets/panes.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Generic

from tui.core.sync.types import Scope, ScopeKind
from tui.widgets.pane_types import PaneScope, RowT
from tui.widgets.table_model import Column

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi, ViewQuery
    from tui.core.deck.types import ListView
    from tui.core.models import Provider

__all__ = ["TabSpec"]


class TabSpec(Generic[RowT]):
    """What one tab declares (rows of type RowT); `EntityPane` does the rest."""

    TITLE: ClassVar[str] = ""
    """The tab's title."""
    SHORT_TITLE: ClassVar[str] = ""
    """The tab's title on a narrow terminal (default: TITLE)."""
    KIND: ClassVar[str] = ""
    """What the rows are ("organizers"), for messages and CSV names."""
    KIND_ONE: ClassVar[str] = ""
    """KIND for a count of one ("1 meeting")."""
    COLUMNS: ClassVar[list[Column]] = []
    REFRESH_KINDS: ClassVar[tuple[ScopeKind, ...]] = ()
    """What `r` refreshes when the pane is not scoped."""
    MARKABLE: ClassVar[bool] = False
    OPENABLE: ClassVar[bool] = True
    """Whether Enter on a row leads somewhere (a drill-down)."""
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Actions that write: hidden and refused (with a toast) in a read-only profile."""
    START_URLS: ClassVar[bool] = False
    """Whether `s` fetches host start links for this pane's rows."""

    scope: PaneScope | None
    """The drill-down the tab is narrowed to (the pane sets it)."""

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[RowT]:
        """Ask the Deck for this pane's rows."""
        raise NotImplementedError

    def visible_columns(self) -> list[Column]:
        """The columns for the current scope (all of COLUMNS by default)."""
        return self.COLUMNS

    def detail_of(self, row: RowT) -> object:
        """What the detail panel shows for `row` (a Deck detail, or the row)."""
        return row

    def refresh_kinds(self) -> tuple[ScopeKind, ...]:
        """What `r` refreshes when the pane is not scoped to one event."""
        return self.REFRESH_KINDS

    def refresh_scope(self) -> Scope | None:
        """One scope to refresh instead of whole kinds (a scoped registrants pane)."""
        return None

    def refresh_since(self) -> datetime | None:
        """How far back `r` fetches history (the Meetings tab's past window), or None
        for the profile's `history_days`."""
        return None

    def can_drill(self, row: RowT) -> bool:
        """Whether Enter on `row` leads somewhere."""
        return False

    def copy_values(self, row: RowT) -> tuple[str, str]:
        """(what `y` copies, what `Y` copies): email and ID, or ID twice."""
        email = getattr(row, "email", None)
        return (str(email or row.key), str(row.key))

    def start_target(self, row: RowT) -> tuple[str, str, Provider, str] | None:
        """What `s` fetches a start link for: (kind, key, provider, title), or None."""
        return None

    def breadcrumb(self) -> tuple[str, ...]:
        """Where this pane is: the drill-down trail, then its own title."""
        if self.scope is None:
            return (self.TITLE,)
        return (*self.scope.trail, self.scope.label, self.TITLE)

    def mode_text(self) -> str:
        """Pane-specific state for the status line (e.g. "Upcoming, next 30 days")."""
        return ""

    def kind_words(self) -> tuple[str, str]:
        """What the rows are, for many and for one ("organizers", "organizer")."""
        return (self.KIND, self.KIND_ONE or self.KIND)
