"""What a VirtualTable tells the widget around it: the cursor reached a row, Enter (or a
double click) opened one, a column's title was clicked, the marks changed.

They are the table's messages (`VirtualTable.RowHighlighted`, handled as
`on_virtual_table_row_highlighted`); the table (tui/widgets/virtual_table.py) posts
them, and the pane decides what they mean (the detail panel, a drill-down, the sort,
the status line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from tui.widgets.table_model import Column

__all__ = ["HeaderClicked", "MarksChanged", "RowHighlighted", "RowMessage", "RowSelected"]


class RowMessage(Message, namespace="virtual_table"):
    """A message about one row of the table."""

    def __init__(self, table: Widget, index: int, row: Any) -> None:
        super().__init__()
        self.table = table
        self.index = index
        self.row = row

    @property
    def control(self) -> Widget:
        return self.table


class RowHighlighted(RowMessage, namespace="virtual_table"):
    """The cursor moved to a row (or the rows under it changed)."""


class RowSelected(RowMessage, namespace="virtual_table"):
    """Enter was pressed on a row."""


class HeaderClicked(Message, namespace="virtual_table"):
    """A click on a column's title (the pane sorts by it, or flips its order)."""

    def __init__(self, table: Widget, column: Column) -> None:
        super().__init__()
        self.table = table
        self.column = column

    @property
    def control(self) -> Widget:
        return self.table


class MarksChanged(Message, namespace="virtual_table"):
    """Rows were marked or unmarked (space, *)."""

    def __init__(self, table: Widget, count: int) -> None:
        super().__init__()
        self.table = table
        self.count = count

    @property
    def control(self) -> Widget:
        return self.table
