"""Textual's cache of a widget's drawn lines, handing over the widget's own Strips
(`WholeLines`): the table's (tui/widgets/table_lines.py) are drawn whole.

Textual (8.2) wraps each content line of a widget in a new Strip, for its borders,
padding, outline, tint, hatch and opacity; what it keeps on a Strip (the colour
filter's output, the line's terminal text) was then made afresh for every line it drew
again, even for a line the widget had kept. A widget with none of those styles has
nothing to wrap: its line is handed over as it is, and a line the widget kept costs
Textual nothing more. Any of those styles (or a line of another width) falls back to
Textual's own wrapping.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.terminal_theme import TerminalTheme
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.content import Content
from textual.css.styles import StylesBase
from textual.geometry import Region, Size, Spacing
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

__all__ = ["WholeLines"]


class WholeLines(StylesCache):
    """Textual's cache of a widget's drawn lines; a line is the widget's own Strip,
    not a copy, when the widget's styles need no wrapping (install it as the widget's
    `_styles_cache`)."""

    def __init__(self) -> None:
        super().__init__()
        self.whole = False
        """Whether the widget being drawn has no border, outline, tint, hatch or text
        opacity (padding and opacity are checked per line)."""

    def render_widget(self, widget: Widget, crop: Region) -> list[Strip]:
        styles = widget.styles
        self.whole = not (
            styles.tint.a
            or styles.text_opacity != 1.0
            or styles.has_rule("hatch")
            or any(edge for edge, _ in styles.border)
            or any(edge for edge, _ in styles.outline)
        )
        return super().render_widget(widget, crop)

    def render_line(
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: tuple[Content, Color, Color, Style] | None,
        border_subtitle: tuple[Content, Color, Color, Style] | None,
        opacity: float,
        ansi_theme: TerminalTheme,
        native_ansi: bool,
    ) -> Strip:
        if self.whole and opacity == 1.0 and content_size == size and not any(padding):
            line = render_content_line(y)
            if line.cell_length == size.width:
                return line
        return super().render_line(
            styles,
            y,
            size,
            content_size,
            padding,
            base_background,
            background,
            render_content_line,
            border_title,
            border_subtitle,
            opacity,
            ansi_theme,
            native_ansi,
        )
