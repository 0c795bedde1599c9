"""The main screen's compositing: Textual's, without re-arranging the whole screen for
widgets that are hidden in a tab not shown, nor repainting it whole when the focus moves.

Textual (8.2) marks its map of every widget stale when a frame repaints a widget that
is not on screen, in case it is new; the next look-up of a widget's region then
arranges the whole screen again (a full layout: ~1-3 ms at 200x40). The panes of the
tabs not shown repaint while hidden (a drill-down fills the registrants tab before
showing it), and each such look-up (a `refresh`, a `size`) paid that layout: once in
every drill-down before its first frame. Here only a widget that may be new marks the
map stale: one the map holds, or one under a hidden (`display: none`) ancestor, which
no map holds, cannot be; and a full reflow, which builds the map afresh, clears the
mark.
"""

from __future__ import annotations

from textual._compositor import Compositor, ReflowResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


def hidden(widget: Widget) -> bool:
    """Whether `widget` or one of its ancestors is not displayed (no map holds it)."""
    node: object = widget
    while isinstance(node, Widget):
        if not node.display:
            return True
        node = node.parent
    return False


def lay_out_hidden(widget: Widget, size: Size) -> None:
    """Give a hidden `widget` (a pane in a tab not shown) and its children the sizes a
    layout of it at `size` gives them, as a frame showing it would: that frame then
    finds them laid out (their arrangements kept), and pays for what changed only.

    A scratch compositor arranges it (Textual's, with `widget` as its root); sizes are
    set without asking for a layout (`_size_updated(layout=False)`, as Textual does for
    a scroll): a hidden widget's request for one cleared the arrangements kept by every
    ancestor up to the screen. A widget whose size is already right is left alone."""
    if not size or not widget.is_mounted or widget._size == size:
        return
    scratch = Compositor()
    scratch.reflow(widget, size)
    for child, geometry in scratch.layers:
        child._size_updated(
            geometry.region.size, geometry.virtual_size, geometry.container_size, layout=False
        )


class TabsCompositor(Compositor):
    """A compositor that re-arranges the screen only for widgets that may be new."""

    def update_widgets(self, widgets: set[Widget]) -> None:
        if not self._full_map_invalidated:
            shown, placed = self.visible_widgets, self._full_map
            if all(w in shown or w in placed or hidden(w) for w in widgets):
                # Nothing new: Textual would mark the map stale for hidden ones only.
                super().update_widgets({w for w in widgets if w in shown})
                return
        super().update_widgets(widgets)

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # it arranged every widget: the map is fresh
        return result


class TabsScreen(Screen[None]):
    """A screen of tabs: its compositor is a `TabsCompositor`, and a focus move repaints
    what the focus changes, not the whole screen.

    Textual's `Screen.focused` repaints the whole screen when it changes. A tab switch
    (a drill-down: Enter) moves the focus to the new pane's table, so the frame with the
    new tab's rows was followed, in the same refresh, by a frame of every line of the
    screen (~6 ms of the UI thread) while the terminal was still to read the rows. What
    the focus changes repaints without it: the widgets gaining and losing focus restyle
    (`:focus`) and repaint on their Focus and Blur events, their `:focus-within`
    ancestors are restyled by Textual. What a tab switch changes above its page, the
    breadcrumb and the tab bar, `repaint_lines` repaints.
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self._compositor = TabsCompositor()  # no full layout for a hidden pane's repaint

    def repaint_lines(self, *widgets: Widget | None) -> None:
        """Repaint the screen's lines under `widgets` in the next refresh, after the
        frame its layout draws: widgets changed now whose own repaint would reach the
        screen only after that refresh."""
        regions = [widget.region for widget in widgets if widget and widget.region]
        if regions:
            self.refresh(Region.from_union(regions))


class Covered(Vertical):
    """Lines stacked at the top of a screen (its header and breadcrumb), which cover it
    whole: it draws no line of its own, and a frame repainting lines below it draws
    none of its widgets. Textual's partial frame renders every widget whose container
    overlaps the lines repainted, its lines all dropped but those repainted: a
    drill-down's rows' frame rendered the breadcrumb the drill had changed (~0.5-1 ms)
    only to drop it; it is drawn in the frame after, where its line is repainted."""

    BLANK = True
    DEFAULT_CSS = "Covered { height: auto; }"
