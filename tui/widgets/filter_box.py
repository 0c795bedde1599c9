"""The `/` filter's input box (`FilterBox`): reports a typed change from inside the
key's own handler, repaints only the line its text is on, and draws plain text itself.
`PaneFilter` (tui/widgets/pane_filter.py) mounts it on first use and reads what it
reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.segment import Segment
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

__all__ = ["FilterBox"]


class FilterBox(Input):
    """The filter's input box: reports a typed change at once.

    Input.Changed reaches the pane only after the frame that echoes the key has been
    scheduled, so rows read in answer to it always paint a frame (8-16 ms) later. The
    watcher below runs inside the key's own handler instead, and is the filter's only
    trigger: every change of the shown box (a key, a paste, the text typed ahead) is
    a change of its value. Clearing it (Esc) hides it first and goes through the
    pane's action.
    """

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)
    """Input sets it to the text's width on every keystroke; as a layout reactive that
    re-laid out and repainted the whole screen per key. The box's height never changes
    with its text, horizontal scrolling reads the value directly, and the text's line
    is repainted with the value (below)."""

    # What a keystroke changes (text, cursor, blink, suggestion, placeholder) is drawn
    # on the text's line only, not the two border lines as Input did; a change of
    # focus or style still repaints the whole box (Textual does that itself).
    value: Reactive[str] = Reactive("", init=False, repaint=False)
    selection: Reactive[Selection] = Reactive(Selection.cursor(0), repaint=False)
    placeholder: Reactive[str] = Reactive("", repaint=False)
    _cursor_visible: Reactive[bool] = Reactive(True, repaint=False)
    _suggestion: Reactive[str] = Reactive("", repaint=False)

    def __init__(self, on_typed: Callable[[], None], **kwargs: Any) -> None:
        # Nothing to validate: Input's validation without validators only added the
        # unstyled "-valid" class on the first letter typed, restyling the box (~2 ms)
        # before that letter's rows were asked for.
        super().__init__(validate_on=(), **kwargs)
        self._on_typed = on_typed

    def post_message(self, message: Message) -> bool:
        """All but `Input.Changed`: nothing listens for it (the filter's trigger is
        `watch_value`), and it went up seven widgets per keystroke before the frame."""
        if isinstance(message, Input.Changed):
            return False
        return super().post_message(message)

    def repaint_text(self) -> None:
        """Repaint the line the text is on (all of it: the cursor may sit in the
        padding after the last character)."""
        self.refresh(Region(-self.content_offset.x, 0, self.outer_size.width, 1))

    def render_line(self, y: int) -> Strip:
        """The text's line as Input draws it; plain text (printable ASCII, nothing
        selected or suggested, no highlighter) is cut and styled here directly, without
        Rich's text rendering (~0.6 ms a keystroke)."""
        line = self._plain_line() if y == 0 else None
        return super().render_line(y) if line is None else line

    def _plain_line(self) -> Strip | None:
        value = self.value
        if not (value.isascii() and value.isprintable()) or not value:
            return None
        if self.password or self.highlighter is not None or self._suggestion:
            return None
        if not self.selection.is_empty:
            return None
        width = self.scrollable_content_region.width + 1  # Input leaves a cell for the cursor
        cursor = self.cursor_position if self.has_focus and self._cursor_visible else None
        text = value + " " if cursor is not None and self.cursor_at_end else value
        scroll_x = self.scroll_offset.x
        shown = text[scroll_x : scroll_x + width]
        style = self.rich_style
        parts = [(shown, style), (" " * (width - len(shown)), style)]
        at = -1 if cursor is None else cursor - scroll_x
        if 0 <= at < len(shown):
            cursor_style = style + self.get_component_rich_style("input--cursor")
            parts[:1] = [(shown[:at], style), (shown[at], cursor_style), (shown[at + 1 :], style)]
        return Strip([Segment(text, style) for text, style in parts if text], width)

    def watch_value(self, value: str) -> None:
        self.repaint_text()
        if self.has_class("-active"):
            self._on_typed()

    def watch_selection(self) -> None:
        self.repaint_text()

    def watch_placeholder(self) -> None:
        self.repaint_text()

    def watch__cursor_visible(self) -> None:
        self.repaint_text()

    def watch__suggestion(self) -> None:
        self.repaint_text()
