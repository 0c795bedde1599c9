"""Which rows a VirtualTable shows, and where its cursor may go: the scroll model.

Arithmetic over the rows (`count`), how many fit under the header (`height`) and the
first one shown (`Viewport.top`), kept apart from the widget so it reads on its own:
the view never scrolls past the last row, the cursor stays on a row, a cursor that
leaves the view brings the view along, and after a reload the cursor's row keeps its
height on screen. The widget (tui/widgets/virtual_table.py) repaints what moved.
"""

from __future__ import annotations

__all__ = ["Viewport", "clamp_row"]


def clamp_row(index: int, count: int) -> int:
    """`index` kept on one of `count` rows (0 when there are none)."""
    return max(0, min(index, count - 1))


class Viewport:
    """The first row a table shows (`top`), scrolled by rows."""

    def __init__(self) -> None:
        self.top = 0

    @staticmethod
    def clamp(top: int, count: int, height: int) -> int:
        """`top` such that no line is left empty past the last row."""
        return max(0, min(top, count - height))

    def scroll_to(self, top: int, count: int, height: int) -> bool:
        """Show rows from `top` (clamped); True when the view moved."""
        top = self.clamp(top, count, height)
        moved = top != self.top
        self.top = top
        return moved

    def follow(self, cursor: int, count: int, height: int) -> bool:
        """Scroll just enough that row `cursor` shows; True when the view moved."""
        target = self.top
        if cursor < self.top:
            target = cursor
        elif cursor >= self.top + height:
            target = cursor - height + 1
        return self.scroll_to(target, count, height)

    def keep(self, cursor: int, screen_offset: int, count: int, height: int) -> None:
        """After a reload: row `cursor` back at `screen_offset` lines below the top."""
        self.top = self.clamp(cursor - max(0, screen_offset), count, height)

    def line_of(self, index: int) -> int:
        """The widget's line that shows row `index` (line 0 is the header)."""
        return index - self.top + 1

    def row_on(self, y: int) -> int:
        """The row that line `y` shows (line 0 is the header)."""
        return self.top + y - 1
