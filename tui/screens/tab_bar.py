"""The tab bar of the main screen: each tab's label for the terminal's width, and the
page a tab's pane sits on."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import ContentSwitcher, TabbedContent, TabPane, Tabs
from textual.widgets._tabbed_content import ContentTab, ContentTabs
from textual.widgets._tabs import Underline

from tui.widgets.panes import PANES, TAB_IDS

#: From this width the tabs show their full titles (and the footer all its keys).
FULL_TITLES_FROM = 100
#: The cells a tab adds around its label (its padding).
TAB_PADDING = 2


def tab_labels(width: int, active: str) -> dict[str, str]:
    """Each tab's label at `width` columns: full titles from FULL_TITLES_FROM, else the
    short ones while all of them fit, else the number alone for all but the tab shown,
    so that no tab is ever scrolled out of the bar (Textual scrolls the tab bar to the
    active tab; narrower than the short titles, it scrolled the first tabs away)."""
    panes = dict(zip(TAB_IDS, PANES, strict=True))
    numbers = {tab: str(n) for n, tab in enumerate(TAB_IDS, 1)}
    if width >= FULL_TITLES_FROM:
        return {tab: f"{numbers[tab]} {pane.TITLE}" for tab, pane in panes.items()}
    short = {tab: f"{numbers[tab]} {p.SHORT_TITLE or p.TITLE}" for tab, p in panes.items()}
    if sum(cell_len(label) + TAB_PADDING for label in short.values()) <= width:
        return short
    return {tab: short[tab] if tab == active else numbers[tab] for tab in TAB_IDS}


class DeckTabPane(TabPane):
    """A tab's page: its pane covers it whole, so it draws no line of its own (a tab
    switch then renders the pane's lines only, not the same area again underneath)."""

    BLANK = True


class DeckTabbedContent(TabbedContent):
    """The tabs: the tab bar and the page shown cover it whole, so neither it nor its
    switcher draws a line of its own (each drew its full area, then covered, again in
    every frame after a tab switch: ~2 ms of a drill-down's first frame); nor does the
    bar, which its tabs' scroller covers (~0.3-0.5 ms of that frame)."""

    BLANK = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._styles = TabStyles()
        self.bar: Widget | None = None
        """The tab bar (its tabs and their underline), once mounted."""

    def on_mount(self) -> None:
        # TabbedContent finds its switcher and tab bar by exact type, so they cannot be
        # subclasses: what changes is set on the instance (shadowing the class's).
        vars(self.get_child_by_type(ContentSwitcher))["BLANK"] = True
        bar = self.bar = self.get_child_by_type(ContentTabs)
        vars(bar)["BLANK"] = True  # its scroller covers it whole
        scroller = bar.query_one("#tabs-scroll", Widget)
        vars(bar)["_scroll_active_tab"] = scroll_when_it_can(scroller, bar._scroll_active_tab)
        tabs = {tab.id: tab for tab in bar.query(ContentTab)}
        for tab in tabs.values():
            vars(tab)["update_node_styles"] = partial(self._styles.restyle, tab)
        vars(bar)["validate_active"] = partial(validate_known, bar, tabs)
        vars(bar)["get_content_tab"] = partial(content_tab_known, bar, tabs)
        # The underline and the list of tabs, found once (Textual queried for them).
        parts = KnownParts(bar.query_one(Underline), bar.query_one("#tabs-list", Widget))
        vars(bar)["watch_active"] = partial(activate_known, bar, tabs, parts)

    def learn_switch(self, pane_id: str) -> None:
        """Find now the rules a switch to `pane_id`'s tab will restyle both tabs with
        (that tab active, the active one not), unless `TabStyles` holds them: the first
        switch into a tab then costs what a later one does."""
        for tab in {pane_id, self.active}:
            if tab:
                self._styles.learn(self.get_tab(tab), "-active")


def validate_known(bar: ContentTabs, tabs: dict[str | None, ContentTab], active: str) -> str:
    """`Tabs.validate_active` (Textual 8.2.8) for a tab bar whose tabs are known: it
    queried the bar for a tab of that id on every switch (~0.3 ms of a drill-down)."""
    if not active or active in tabs:
        return active
    return Tabs.validate_active(bar, active)  # a tab added since: Textual's look-up


def content_tab_known(
    bar: ContentTabs, tabs: dict[str | None, ContentTab], pane_id: str
) -> ContentTab:
    """`ContentTabs.get_content_tab` (Textual 8.2.8) for a tab bar whose tabs are known:
    it queried the bar for the tab of a pane at every switch (its `TabActivated`)."""
    tab = tabs.get(ContentTab.add_prefix(pane_id))
    if tab is None or not tab.is_attached:
        return ContentTabs.get_content_tab(bar, pane_id)  # a tab added since
    return tab


class KnownParts(NamedTuple):
    """The parts of a tab bar a switch moves, found once: its underline, its tabs' list."""

    underline: Underline
    tabs_list: Widget


def activate_known(
    bar: ContentTabs,
    tabs: dict[str | None, ContentTab],
    parts: KnownParts,
    previously_active: str,
    active: str,
) -> None:
    """`Tabs.watch_active` (Textual 8.2.8) for a tab bar whose tabs are known: it
    queried the bar (walking and matching every node under it) for the tab losing
    `-active` and again for the one gaining it, ~1 ms of every tab switch. The same
    steps in the same order: `-active` moved, the underline moved (animated unless it
    is the first), the active tab scrolled into view, `TabActivated` posted."""
    tab = tabs.get(active)
    if tab is None or not tab.is_attached:
        Tabs.watch_active(bar, previously_active, active)  # none, or a tab added since
        return
    for other in tabs.values():
        if other is not tab:
            other.remove_class("-active")  # nothing to do for a tab without it
    tab.add_class("-active")
    highlight_known(bar, tabs, parts, animate=previously_active != "")
    bar._scroll_active_tab()
    bar.post_message(bar.TabActivated(bar, tab))


def highlight_known(
    bar: ContentTabs, tabs: dict[str | None, ContentTab], parts: KnownParts, animate: bool
) -> None:
    """`Tabs._highlight_active` (Textual 8.2.8) for a tab bar whose tabs are known: it
    queried the bar for its underline and, by a selector, for the active tab, before
    the switch's frame and again after it (~0.5 ms of a drill-down's first frame). The
    same steps: the underline shown, and moved under the active tab after the next
    refresh (or Textual's own, animated, when animations are on or a tab was added)."""
    underline = parts.underline
    added = len(parts.tabs_list.children) != len(tabs)
    if added or (animate and bar.app.animation_level != "none"):
        bar._highlight_active(animate=animate)
        return

    def shown() -> ContentTab | None:
        return next((t for t in tabs.values() if t.has_class("-active")), None)

    if shown() is None:
        underline.show_highlight = False
        underline.highlight_start = 0
        underline.highlight_end = 0
        return
    underline.show_highlight = True

    def move_underline() -> None:
        tab = shown()
        if tab is not None:
            start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
            underline.highlight_start = start
            underline.highlight_end = end

    bar.call_after_refresh(move_underline)


def scroll_when_it_can(scroller: Widget, scroll: Callable[[], None]) -> Callable[[], None]:
    """The tab bar's "scroll the active tab into view", run only when the bar is
    scrolled or its tabs overflow it: `tab_labels` keeps every tab in view, and the
    look-ups of a scroll that moves nothing cost ~0.4 ms of each tab switch (Enter)."""

    def scroll_active_tab() -> None:
        if scroller.scroll_x or scroller.max_scroll_x:
            scroll()

    return scroll_active_tab


#: How many states of the tab bar (each tab's classes and pseudo-classes, and its
#: ancestors') `TabStyles` keeps the rules of.
STATES_KEPT = 64


class TabStyles:
    """The rules found for each tab in each state it has been in, kept: a tab switch
    moves `-active` from one tab to another, and Textual matched both tabs against the
    whole stylesheet again (~0.3 ms each, in a drill-down's frame).

    Textual's own cache of a restyle (`Stylesheet.apply`'s `cache`) holds the rules of
    a node by its parent, id, classes and pseudo-classes within one restyle; kept across
    restyles here, it is keyed also by every ancestor's id, classes and pseudo-classes,
    and dropped when the stylesheet is parsed again (a theme, new CSS). Textual keeps
    nothing for rules that depend on a node's siblings (`:first-child`, `:odd`, ...).
    """

    def __init__(self) -> None:
        self._rules: object = None
        self._found: dict[tuple[object, ...], dict[tuple[Any, ...], Any]] = {}

    def restyle(self, tab: Widget, animate: bool = True) -> None:
        """What `tab.update_node_styles` does (the tab has no children), with the
        rules of a state found before."""
        sheet = tab.app.stylesheet
        if sheet.rules is not self._rules:
            self._rules = sheet.rules
            self._found.clear()
        state = self._state(tab)
        found = self._found.get(state)
        if found is None:
            if len(self._found) >= STATES_KEPT:
                self._found.clear()
            found = self._found[state] = {}
        sheet.apply(tab, animate=animate, cache=found)

    def learn(self, tab: Widget, name: str) -> None:
        """Find the rules of `tab` with class `name` toggled (a tab switch to or from
        it), unless kept: the class is toggled, the tab restyled, and both undone, so
        the tab ends in its own state and styles (a repaint, with the same look)."""
        toggled = (tab.id, tab.classes ^ {name}, tab._pseudo_classes_cache_key)
        if tab.app.stylesheet.rules is self._rules and self._found.get(
            (toggled, *self._state(tab)[1:])
        ):
            return
        tab.set_class(not tab.has_class(name), name, update=False)
        try:
            self.restyle(tab, animate=False)
        finally:
            tab.set_class(not tab.has_class(name), name, update=False)
            self.restyle(tab, animate=False)

    @staticmethod
    def _state(tab: Widget) -> tuple[object, ...]:
        # A widget's hover, focus and disabled state (the pseudo-classes its own rules
        # may depend on), the app's (dark, focus, ...): as Textual's restyle keys them.
        return tuple(
            (node.id, node.classes, node._pseudo_classes_cache_key)
            if isinstance(node, Widget)
            else (node.classes, node.pseudo_classes)
            for node in tab.ancestors_with_self
        )
