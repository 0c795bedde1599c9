"""Moving around the main screen's tabs: drill-downs, Back, and where the app opens.

Enter on a row leads to the tab it narrows (an organizer's meetings and events, a
group's organizers, an event's registrants) or to a screen of its own (a meeting's
attendees); each drill-down is a `Crumb` that Backspace (or Esc with nothing to clear)
undoes, cursor and all. The command line's `--view`, `--event`, `--status` and
`--filter` open the app as those keys would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen
from textual.widget import Widget

from tui.screens.compositing import lay_out_hidden
from tui.screens.tab_bar import DeckTabbedContent
from tui.widgets.pane import EntityPane, PaneScope
from tui.widgets.panes import TAB_IDS, drill_scope
from tui.widgets.registrants_pane import RegistrantsPane

if TYPE_CHECKING:
    from tui.ui_options import StartView

#: The tabs a drill-down to a tab narrows: an organizer's meetings and events; a
#: group's organizers and their meetings.
DRILL_AFFECTS = {"meetings": ("meetings", "events"), "organizers": ("organizers", "meetings")}


@dataclass
class Crumb:
    """One drill-down step, remembered so that Back can undo it."""

    tab: str
    cursor_key: str | None
    scopes: dict[str, PaneScope | None] = field(default_factory=dict)


class Tabs(Protocol):
    """What navigating needs of the screen's tabs (`MainScreen`)."""

    def pane(self, tab: str) -> EntityPane[Any]:
        """The pane of a tab (it may not be mounted yet)."""

    async def show_tab(self, tab: str) -> None:
        """Show a tab, mounting its pane the first time."""

    async def ensure_mounted(self, tab: str) -> None:
        """Mount a tab's pane if it is not yet."""


class Navigation:
    """Drill-downs and Back over the tabs of `screen`.

    Args:
        screen: The screen (its app opens a meeting's screen, and toasts).
        tabs: Its tabs (the same screen).
    """

    def __init__(self, screen: Screen[Any], tabs: Tabs) -> None:
        self._screen = screen
        self._tabs = tabs
        self.crumbs: list[Crumb] = []
        """The drill-downs Back can undo, oldest first."""

    async def drill(self, source: EntityPane[Any], row: object) -> None:
        """Enter on `row` of `source`: the tab it leads to, narrowed to it (Backspace
        comes back), or the screen of its own (a meeting's attendees)."""
        trail = source.breadcrumb()
        target = drill_scope(row, trail)
        source_tab = next(t for t in TAB_IDS if self._tabs.pane(t) is source)
        if target is None:
            from tui.screens.meeting import MeetingScreen

            self._screen.app.push_screen(MeetingScreen(row, trail=trail))
            return
        tab, scope = target
        affected = DRILL_AFFECTS.get(tab, (tab,))
        self.crumbs.append(
            Crumb(
                tab=source_tab,
                cursor_key=source.table.cursor_key,
                scopes={t: self._tabs.pane(t).scope for t in affected},
            )
        )
        for name in affected:
            self._tabs.pane(name).set_scope(scope)
        await self._tabs.show_tab(tab)

    def read_ahead(self, source: EntityPane[Any], row: object) -> None:
        """`row` of `source` rests highlighted: the registrants tab it would lead to
        reads its first rows now, for the drill (tui/widgets/read_ahead.py), and what
        its first drill would do for the first time is done now too: its pane laid out
        (hidden, at the size of the pane shown), its tab's styles for the switch found."""
        target = drill_scope(row, source.breadcrumb())
        pane = self._tabs.pane(target[0]) if target is not None else None
        if target is not None and pane is not source and isinstance(pane, RegistrantsPane):
            pane.read_ahead.read(target[1], source.table.content_size)
            # From the tab pane holding it: one sized first by the drill's frame asked
            # for a layout of its own inside that frame.
            holder, shown = pane.parent, source.parent
            if isinstance(holder, Widget) and isinstance(shown, Widget):
                lay_out_hidden(holder, shown.outer_size)
            self._screen.query_one(DeckTabbedContent).learn_switch(target[0])

    async def open_start(self, start: StartView) -> None:
        """Open where the command line asked (`--view`, `--event`, `--status`,
        `--filter`), as the keys would: the event's row entered from the events tab
        (so Backspace goes back to it), `v` set to the status, `/` typed."""
        from tui.core.models import RegistrantStatus

        wants_registrants = start.event is not None or start.status is not None
        tab = start.view or ("registrants" if wants_registrants else TAB_IDS[0])
        if start.event is not None:
            # The events tab is read but not shown: a tab shown and left at once comes
            # back when its (queued) activation is handled.
            await self._tabs.ensure_mounted("events")
            events = self._tabs.pane("events")
            events.ensure_loaded()
            if events.table.move_to_key(start.event):
                row = events.table.cursor_value
                if row is not None:
                    await self.drill(events, row)
            else:
                self._tabs.pane("registrants").set_scope(
                    PaneScope(label=f"event {start.event}", event_key=start.event)
                )
                self._screen.app.notify(
                    f"The cache holds no training or webinar {start.event} yet; its "
                    "registrants show once a sync brings them (R syncs everything).",
                    title="Event not cached",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        pane = self._tabs.pane(tab)
        await self._tabs.ensure_mounted(tab)
        if start.status is not None and isinstance(pane, RegistrantsPane):
            pane.status = RegistrantStatus(start.status)
        if start.filter:
            pane.filter_text = start.filter
        await self._tabs.show_tab(tab)
        pane.load(keep_cursor=False)

    async def back(self) -> None:
        """Undo the last drill-down: the tab it left, its scopes and cursor."""
        if not self.crumbs:
            return
        crumb = self.crumbs.pop()
        for tab, scope in crumb.scopes.items():
            self._tabs.pane(tab).set_scope(scope)
        await self._tabs.show_tab(crumb.tab)
        source = self._tabs.pane(crumb.tab)
        if crumb.cursor_key is not None:
            source.table.move_to_key(crumb.cursor_key)
        row = source.table.cursor_value
        if row is not None:  # the drill took what was read ahead: read it again for the next
            source.call_after_refresh(self.read_ahead, source, row)
