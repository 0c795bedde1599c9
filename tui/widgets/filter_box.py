"""The `/` filter's input box (`FilterBox`): reports a typed change from inside the
key's own handler, and repaints only the line its text is on. `PaneFilter`
(tui/widgets/pane_filter.py) mounts it on first use and reads what it reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
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
