"""The tab bar of the main screen: each tab's label for the terminal's width, and the
page a tab's pane sits on."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import ContentSwitcher, TabbedContent, TabPane

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
    every frame after a tab switch: ~2 ms of a drill-down's first frame)."""

    BLANK = True

    def on_mount(self) -> None:
        # TabbedContent finds its switcher by exact type, so it cannot be a subclass:
        # the flag is set on the instance (where it shadows the class's BLANK).
        vars(self.get_child_by_type(ContentSwitcher))["BLANK"] = True
