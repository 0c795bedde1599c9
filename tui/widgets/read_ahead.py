"""Reading a drill's first rows before its Enter: while an event rests highlighted, the
registrants tab reads that event's count and first page, so that Enter shows them
without a query of its own (the read was ~15 % of the drill's work before its frame).

The events tab says which row rests highlighted (`DrillAhead`, once its detail panel
has been drawn: the read never delays a cursor key or that panel); the screen asks the
pane the row leads to to `read` for the scope a drill would give it. The pane's next
`load` takes what was read if it asks for exactly the same query; anything else drops
it: another query, a re-read after a refresh or a write (`drop`), or a sync under way
(its rows may be swapped in at any moment, so nothing is read ahead or used then).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, NamedTuple

from textual.message import Message

from tui.core.errors import MeetdeckError
from tui.widgets.pane_types import RowT
from tui.widgets.table_model import PAGE_SIZE

if TYPE_CHECKING:
    from textual.geometry import Size

    from tui.core.deck.api import ViewQuery
    from tui.core.deck.types import ListView
    from tui.widgets.pane import EntityPane
    from tui.widgets.pane_types import PaneScope


class DrillAhead(Message):
    """A row that leads to another tab rests highlighted in `pane` (its detail shown)."""

    def __init__(self, pane: EntityPane[Any], row: object) -> None:
        super().__init__()
        self.pane = pane
        self.row = row


class ReadRows(NamedTuple, Generic[RowT]):
    """What `ReadAhead.read` read for one query."""

    query: ViewQuery
    view: ListView[RowT]
    total: int
    first_page: Sequence[RowT]


class ReadAhead(Generic[RowT]):
    """The rows a drill into `pane` will show, read before the drill."""

    def __init__(self, pane: EntityPane[RowT]) -> None:
        self._pane = pane
        self._read: ReadRows[RowT] | None = None

    @property
    def query(self) -> ViewQuery | None:
        """The query read ahead (None: nothing kept)."""
        return self._read.query if self._read is not None else None

    def read(self, scope: PaneScope | None, size: Size | None = None) -> None:
        """Read the count and first page the pane would show, scoped to `scope`, and
        draw the texts of the rows its table would show first, in a table of `size`
        (the table the drill starts from) until the pane's own has been laid out."""
        pane = self._pane
        if pane.syncing or not pane.is_mounted:
            return
        shown = pane.scope
        pane.scope = scope  # the query a drill would build (columns follow the scope)
        try:
            query = pane.build_query()
            columns = pane.shown_columns()
        finally:
            pane.scope = shown
        if self.query == query:
            return
        self._read = None
        try:
            view = pane.make_view(pane.host.deck, query)
            self._read = read = ReadRows(query, view, view.count(), view.rows(0, PAGE_SIZE))
        except MeetdeckError:
            return  # the drill reads again, and says what went wrong
        if size is not None:
            pane.table.prepare(read.first_page, columns, size, read.total)

    def take(self, query: ViewQuery) -> ReadRows[RowT] | None:
        """What was read for `query` (once), or None: nothing, or for another query,
        or a sync is under way."""
        read, self._read = self._read, None
        if read is None or read.query != query or self._pane.syncing:
            return None
        return read

    def drop(self) -> None:
        """The cache changed (a refresh, a write): what was read may be stale."""
        self._read = None
