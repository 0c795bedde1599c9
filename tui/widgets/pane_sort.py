"""The sort of a pane: which columns it can be sorted by, stepping through them (`<`
`>`), reversing (`I`), a click on a column's title, the sort kept per tab, and what
the status line says of it ("by Email ▼").

`PaneSort` is a plain helper each `EntityPane` owns (`pane.sorting`), like the filter:
the pane keeps the bindings and handlers (Textual finds those only on the widget class)
and hands them here in a line. The sort asked for stays on the pane (`pane.sort`,
`pane.descending`), where its query reads it; the view says which sort it applied and
which columns it can sort by (SQL sorts). It knows the pane only as a `SortHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, Protocol

from tui.widgets.pane_types import RowT
from tui.widgets.table_model import SORT_ARROWS, Column

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tui.core.deck.types import ListView
    from tui.widgets.pane_types import DeckHost

__all__ = ["PaneSort", "SortHost"]


class SortHost(Protocol[RowT]):
    """What the sort needs from its pane (`EntityPane` implements it)."""

    KIND: ClassVar[str]
    """The tab's rows ("organizers"): the key its sort is kept under."""
    sort: str | None
    """The sort asked for (None: the view's default)."""
    descending: bool

    @property
    def host(self) -> DeckHost: ...

    @property
    def loaded(self) -> bool: ...

    @property
    def view(self) -> ListView[RowT] | None: ...

    def shown_columns(self) -> list[Column]: ...

    def visible_columns(self) -> list[Column]: ...

    def load(self, *, keep_cursor: bool = True) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...


class PaneSort(Generic[RowT]):
    """The sort of one pane: stepping, reversing, title clicks, and saying it."""

    def __init__(self, pane: SortHost[RowT]) -> None:
        self.pane = pane

    def restore(self) -> None:
        """On mount: the sort this tab was last left in (kept by the app)."""
        pane = self.pane
        remembered = pane.host.sorts.get(pane.KIND)
        if remembered is not None and not pane.loaded:
            pane.sort, pane.descending = remembered

    def sortable_columns(self) -> list[Column]:
        """The columns shown here that the view can sort by."""
        view = self.pane.view
        names = view.sort_columns if view is not None else ()
        return [column for column in self.pane.shown_columns() if column.key in names]

    def text(self) -> str:
        """ "by Email ▼" when the rows are not in the tab's default order, else ""."""
        pane = self.pane
        view = pane.view
        if view is None or not view.sort_columns:
            return ""
        if view.sort == view.sort_columns[0] and not pane.descending:
            return ""
        title = next((c.title for c in pane.shown_columns() if c.key == view.sort), view.sort)
        return f"by {title} {SORT_ARROWS[pane.descending]}"

    def step(self, step: int) -> None:
        """`>` (1) or `<` (-1): sort by the next or previous sortable column."""
        columns = [column.key for column in self.sortable_columns()]
        view = self.pane.view
        if not columns or view is None:
            self.pane.notify("This tab's rows cannot be sorted.", markup=False, timeout=3)
            return
        current = view.sort
        index = columns.index(current) + step if current in columns else 0
        self.sort_by(columns[index % len(columns)], descending=False)

    def reverse(self) -> None:
        """`I`: the same column, the other way round."""
        view = self.pane.view
        if view is not None and view.sort:
            self.sort_by(view.sort, descending=not self.pane.descending)

    def sort_by(self, name: str, *, descending: bool) -> None:
        """Show the rows sorted by `name` (the cursor stays on its row), and keep that
        for this tab."""
        pane = self.pane
        pane.sort, pane.descending = name, descending
        pane.host.remember_sort(pane.KIND, name, descending)
        pane.load(keep_cursor=True)
        title = next((c.title for c in pane.visible_columns() if c.key == name), name)
        pane.notify(f"Sorted by {title} {SORT_ARROWS[descending]}", markup=False, timeout=2)

    def title_clicked(self, column: Column) -> None:
        """A click on a column's title: sort by it, or flip it when it is the sort."""
        pane = self.pane
        view = pane.view
        if view is None:
            return
        key = column.key
        if key in view.sort_columns:
            self.sort_by(key, descending=key == view.sort and not pane.descending)
            return
        names = ", ".join(c.title for c in self.sortable_columns())
        hint = f" Sortable here: {names} (< and > go through them)." if names else ""
        pane.notify(f"The {column.title} column cannot be sorted.{hint}", markup=False, timeout=4)
