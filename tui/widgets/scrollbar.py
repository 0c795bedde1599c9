"""A vertical scrollbar drawn by the widget that scrolls (one cell per line).

`VirtualTable` and `DetailPanel` keep their own scroll offset instead of being a
Textual `ScrollView`: moving that offset repaints the widget and nothing else, where
a ScrollView's scroll can re-lay out the whole screen. They draw their bar with
Textual's own `ScrollBarRender`, so it looks like every other scrollbar in the app.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.scrollbar import ScrollBarRender
from textual.widget import Widget


def scrollbar_cells(widget: Widget, height: int, total: int, top: int) -> list[Segment]:
    """One segment per line of a bar `height` lines tall over `total` lines from `top`.

    Colours come from the widget's `scrollbar-background` and `scrollbar-color` rules,
    blended over its background like Textual's scrollbars.
    """
    styles = widget.styles
    back: Color = styles.scrollbar_background
    if back.a < 1:
        back = widget.background_colors[0] + back
    bar: Color = back + styles.scrollbar_color
    rendered = ScrollBarRender.render_bar(
        size=height,
        virtual_size=max(total, height),
        window_size=height,
        position=top,
        thickness=1,
        vertical=True,
        back_color=back.rich_color,
        bar_color=bar.rich_color,
    )
    cells = [segment for segment in rendered.segments if segment.text != "\n"]
    cells += [Segment(" ")] * (height - len(cells))
    return cells[:height]


def thumb_top(click_y: int, height: int, total: int) -> int:
    """The first line to show after a click at `click_y` on a bar `height` tall."""
    if total <= height or height <= 1:
        return 0
    return round(click_y / (height - 1) * (total - height))
