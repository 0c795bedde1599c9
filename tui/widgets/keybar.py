"""The bottom line of every screen: the keys that work here and now.

It reads the screen's live bindings (what `check_action` allows, so a read-only
profile never offers Approve) like Textual's `Footer`, but is one widget drawing one
line: the Footer mounts a widget per key and recomposes them on every focus or
binding change, which cost a tab switch about as much as drawing the new table.
Clicking a key presses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.screen import Screen
    from textual.strip import Strip
    from textual.timer import Timer


#: Kept on a narrow footer, whatever else has to go: refresh and help (`?` lists every
#: key that is left out).
ESSENTIAL = frozenset({"refresh", "help"})
#: Keys shown only when the usual ones leave room, in this order (the status filter,
#: the training's admin page, copy): a G2T registrants view, which offers no approve
#: or deny, has room for them.
SPARE_ROOM = ("status-filter", "manage-url", "copy")
#: How many drawn lines are kept (one per set of keys: a tab, a focus, a profile).
DRAWN_KEPT = 32
#: Seconds after a change of the keys by which the bar shows them, whatever happens to
#: the refresh it waits for (`KeyBar._bindings_changed`).
CATCH_UP_WITHIN = 0.1


class KeyHint(NamedTuple):
    """One key as shown: what to press, what it does, whether it works now."""

    key: str
    display: str
    description: str
    enabled: bool
    essential: bool = False


class DrawnLine(Visual):
    """A drawn key line that keeps its strips: a tab switch back to a set of keys
    shows them without making the strips of the same line again (~0.7 ms a frame)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._strips: dict[tuple[int, int | None, object], list[Strip]] = {}

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        # The key bar allows no selection and has no links: its strips depend on these.
        key = (width, height, style)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) >= DRAWN_KEPT:
                self._strips.clear()
            strips = self._strips[key] = self.content.render_strips(width, height, style, options)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content.get_height(rules, width)


class KeyBar(Widget, can_focus=False):
    """A one-line footer of key hints; the palette key sits at the right end."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {"keybar--key", "keybar--description"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    compact: reactive[bool] = reactive(False)
    """Less space around keys (narrow terminals)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []
        """Where each key was drawn: (first cell, end cell, key), for clicks."""
        self._drawn: dict[tuple[object, ...], tuple[DrawnLine, list[tuple[int, int, str]]]] = {}
        """The lines drawn for each set of keys (a tab switch comes back to one)."""
        self._behind = False
        self._fallback: Timer | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    @property
    def behind(self) -> bool:
        """True from a change of the screen's bindings until the bar is redrawn for it."""
        return self._behind

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Drawn in the frame after the one the change comes in: a tab switch (Enter on
        # an event) shows the new tab's rows first; the keys follow a frame later, and
        # the bar's drawing (the screen's bindings, each checked) is not in that frame.
        # Textual runs an after-refresh callback after a refresh of the app's top
        # screen at the time, not of this bar's: should it never come (once in a test
        # run, the bar of a screen under the help screen waited 180 s), the bar catches
        # up anyway `CATCH_UP_WITHIN` after the change, and each later change asks again.
        if screen is not self.screen:
            return
        self._behind = True
        self.call_after_refresh(self._catch_up)
        if self._fallback is None:
            self._fallback = self.set_timer(CATCH_UP_WITHIN, self._catch_up)

    def _catch_up(self) -> None:
        if self._fallback is not None:
            self._fallback.stop()
            self._fallback = None
        if self._behind:
            self._behind = False
            self.refresh()

    def hints(self) -> tuple[list[KeyHint], KeyHint | None]:
        """The keys to show (one per action, in binding order, then those shown when
        there is room: SPARE_ROOM) and the palette key."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        shown: list[KeyHint] = []
        spare: dict[str, KeyHint] = {}
        palette = None
        for key, (_node, binding, enabled, _tooltip) in active.items():
            hint = KeyHint(
                key,
                self.app.get_key_display(binding),
                binding.description,
                enabled,
                binding.id in ESSENTIAL,
            )
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = hint
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append(hint)
            elif binding.id in SPARE_ROOM and enabled and binding.action not in seen:
                spare.setdefault(binding.id, hint)
        for name in SPARE_ROOM:
            extra = spare.get(name)
            if extra is not None and extra.description not in {h.description for h in shown}:
                shown.append(extra)
        return shown, palette

    def fit(
        self, hints: list[KeyHint], room: int, width: Callable[[KeyHint], int]
    ) -> list[KeyHint]:
        """The hints that fit in `room` cells, in order: the essential ones always,
        the others from the first while they fit."""
        gap = 1 if self.compact else 0
        needed = sum(width(h) + gap for h in hints if h.essential)
        kept: list[KeyHint] = []
        used = 0
        for hint in hints:
            cells = width(hint) + gap
            if hint.essential:
                kept.append(hint)
                used += cells
                needed -= cells
            elif used + cells + needed <= room + gap:
                kept.append(hint)
                used += cells
        return kept

    def render(self) -> DrawnLine:
        key_style = self.get_visual_style("keybar--key")
        text_style = self.get_visual_style("keybar--description")
        width = self.content_size.width
        shown, palette = self.hints()
        key = (tuple(shown), palette, width, self.compact, key_style, text_style)
        drawn = self._drawn.get(key)
        if drawn is None:
            if len(self._drawn) >= DRAWN_KEPT:
                self._drawn.clear()
            content, spans = self._draw(shown, palette, width, key_style, text_style)
            drawn = self._drawn[key] = (DrawnLine(content), spans)
        line, self._spans = drawn
        return line

    def _draw(
        self,
        shown: list[KeyHint],
        palette: KeyHint | None,
        width: int,
        key_style: Style,
        text_style: Style,
    ) -> tuple[Content, list[tuple[int, int, str]]]:
        """The line of `shown` keys (and the palette's at the right) in `width` cells,
        and where each key is on it."""
        right = Content("")
        if palette is not None:
            right = Content.assemble(
                "\u258f", (palette.display, key_style), (f" {palette.description} ", text_style)
            )
        room = width - right.cell_length

        def cells_of(hint: KeyHint) -> int:
            return Content.assemble(*self._cells(hint, key_style, text_style)).cell_length

        parts: list[Content] = []
        spans: list[tuple[int, int, str]] = []
        used = 0
        for hint in self.fit(shown, room, cells_of):
            cells = Content.assemble(*self._cells(hint, key_style, text_style))
            gap = 1 if self.compact and parts else 0
            if used + gap + cells.cell_length > room:
                break
            used += gap
            spans.append((used, used + cells.cell_length, hint.key))
            parts.append(Content(" " * gap) + cells)
            used += cells.cell_length
        left = Content.assemble(*parts)
        if palette is not None and right.cell_length <= width:
            spans.append((width - right.cell_length, width, palette.key))
            left = left + Content(" " * max(0, room - used)) + right
        return left, spans

    def _cells(
        self, hint: KeyHint | None, key_style: Style, text_style: Style
    ) -> list[tuple[str, Style]]:
        if hint is None:
            return []
        if not hint.enabled:
            key_style, text_style = key_style + _DIM, text_style + _DIM
        key = hint.display if self.compact else f" {hint.display} "
        text = f" {hint.description}" if self.compact else f"{hint.description} "
        return [(key, key_style), (text, text_style)]

    def watch_compact(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return


_DIM = Style(dim=True)
