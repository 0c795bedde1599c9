"""The main screen: header, breadcrumb, the six tabs, sync progress, API log, footer.

It shows the tabs (mounting each pane when first needed), the header and the API log,
and hands the rest to its collaborators: drill-downs and Back (`navigation.py`),
refreshes and syncs (`sync_runs.py`), the dialogs around writes (`write_flows.py`,
`event_write_flows.py`). Workers only talk to the Deck and post messages; the handlers
here change the widgets.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import AwaitMount
from textual.widgets import Static, TabbedContent, TabPane

from tui.screens.compositing import Covered, TabsScreen
from tui.screens.event_write_flows import EventWriteFlows
from tui.screens.navigation import Navigation
from tui.screens.sync_runs import Refreshed, SyncProgressed, SyncRuns, UnfinishedWritesFound
from tui.screens.tab_bar import FULL_TITLES_FROM, DeckTabbedContent, DeckTabPane, tab_labels
from tui.screens.write_flows import WriteFlows
from tui.text import labelled
from tui.widgets.column_choice import ColumnsRequested
from tui.widgets.header import DeckHeader
from tui.widgets.keybar import KeyBar
from tui.widgets.meetings_pane import MeetingsPane
from tui.widgets.pane import DeckHost, EntityPane
from tui.widgets.panes import PANES, TAB_IDS, SupportPane
from tui.widgets.read_ahead import DrillAhead
from tui.widgets.registrants_pane import RegistrantsPane
from tui.widgets.safety_net import ForwardsWorkerState

if TYPE_CHECKING:
    from tui.ui_options import StartView
    from tui.widgets.api_log import ApiLogPanel


class MainScreen(ForwardsWorkerState, TabsScreen):
    """The tabs, and the machinery around them."""

    BLANK = True  # covered whole by its widgets: a tab switch draws no line of its own

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"show_tab('{tab}')", pane.TITLE, show=False, id=f"tab-{tab}")
            for n, (tab, pane) in enumerate(zip(TAB_IDS, PANES, strict=True), start=1)
        ],
        Binding("backspace", "back", "Back", show=False, id="back"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("R", "sync_all", "Sync all", show=False, id="sync-all"),
        Binding("e", "export", "Export CSV", show=False, id="export"),
        Binding("t", "cycle_timezone", "Time zone", show=False, id="timezone"),
        Binding("l", "toggle_api_log", "API log", show=False, id="api-log"),
    ]
    AUTO_FOCUS = "VirtualTable"  # the first tab's table; the tab bar was focused, then blurred

    def __init__(self) -> None:
        super().__init__()
        self._width_class()
        self.navigation = Navigation(self, self)
        """Drill-downs, Back, and where the command line opens (`navigation.py`)."""
        self._panes = self._new_panes()
        self._labels: dict[str, str] = {}
        self._breadcrumb: Content | None = None
        self._mounting: dict[str, AwaitMount] = {}
        self._shown_tab: str | None = None
        self._recomposing = False
        """True while `reset` replaces the children (a profile switch)."""
        self._write_flows = WriteFlows(self)
        self._event_writes = EventWriteFlows(self)
        self.syncs = SyncRuns(self, self)
        """Refreshes and syncs: one at a time, their progress and report."""
        # Kept, not queried: every API call asks for it, and a query walks every widget.
        self._api_log_panel: ApiLogPanel | None = None

    @staticmethod
    def _new_panes() -> dict[str, EntityPane[Any]]:
        # Every pane exists from the start; the first is mounted at once, the others when shown.
        return {
            tab: pane_class(id=f"pane-{tab}")
            for tab, pane_class in zip(TAB_IDS, PANES, strict=True)
        }

    async def reset(self) -> None:
        """Start over on another Deck (a profile switch): fresh panes, no history."""
        self.navigation.crumbs.clear()
        self._panes = self._new_panes()
        self._labels = {}
        self._breadcrumb = None
        self._mounting = {}
        self._shown_tab = None
        # While the children are replaced, what reaches the screen (a view the old
        # panes loaded, a timer of the panes still being mounted, a resize) finds no
        # header, tabs or breadcrumb: it is dropped (`_started` shows the new state).
        self._recomposing = True
        try:
            await self.recompose()
        finally:
            self._recomposing = False
        self._started()

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    def _width_class(self) -> None:
        """-narrow or -wide before any styling (on the first Resize it restyled all)."""
        points, width = self.app.HORIZONTAL_BREAKPOINTS or [], self.app.size.width
        reached = max((p for p in points if width >= p[0]), default=(0, ""))[1]
        self.update_classes({name: name == reached for _, name in points}, update=False)

    def compose(self) -> ComposeResult:
        with Covered():  # a frame of the rows below draws neither of these
            yield DeckHeader(id="header")
            yield Static("", id="breadcrumb", markup=False)
        with DeckTabbedContent(id="tabs"):
            for number, (tab, pane_class) in enumerate(zip(TAB_IDS, PANES, strict=True), 1):
                with DeckTabPane(f"{number} {pane_class.TITLE}", id=tab):
                    if number == 1:
                        yield self._panes[tab]
        yield KeyBar()

    def on_mount(self) -> None:
        self._started()
        self.set_interval(15, self.update_health)

    def _started(self) -> None:
        self.query_one(DeckHeader).set_state(zone_label=self.host.time_format.label)
        self.update_health()
        self.active_pane.ensure_loaded()
        self.active_pane.table.focus()
        self.update_breadcrumb()
        self.call_after_refresh(self.syncs.look_for_unfinished)  # a thread, after the frame
        self.on_resize()
        self.set_timer(0.3, self._mount_next_idle_pane)

    def on_resize(self) -> None:
        if self._recomposing:
            return
        self._label_tabs()
        self.query_one(KeyBar).compact = self.size.width < FULL_TITLES_FROM

    def _label_tabs(self) -> None:
        """Label the tabs for the terminal's width (and, when narrow, the tab shown)."""
        tabs = self.query_one(TabbedContent)
        labels = tab_labels(self.size.width, tabs.active or TAB_IDS[0])
        for tab, label in labels.items():
            if self._labels.get(tab) != label:
                tabs.get_tab(tab).label = label
        self._labels = labels

    # -- panes and navigation ------------------------------------------------------

    @property
    def active_pane(self) -> EntityPane[Any]:
        tabs = self.query_one(TabbedContent)
        return self.pane(tabs.active or TAB_IDS[0])

    def pane(self, tab: str) -> EntityPane[Any]:
        """The pane of a tab (it may not be mounted yet)."""
        return self._panes[tab]

    @property
    def mounted_panes(self) -> list[EntityPane[Any]]:
        """The panes whose tab has been shown."""
        return [pane for pane in self._panes.values() if pane.is_mounted]

    async def show_tab(self, tab: str) -> None:
        """Show a tab, mounting its pane the first time."""
        await self.ensure_mounted(tab)
        tabs = self.query_one(DeckTabbedContent)
        tabs.active = tab
        self._activated(tab)
        # Laid out in the next frame (the panes' own requests came after a frame late);
        # the tab bar and breadcrumb drawn right after it (their requests come later).
        self.refresh(layout=True, repaint=False)
        self.repaint_lines(self.query_one("#breadcrumb"), tabs.bar)

    async def action_show_tab(self, tab: str) -> None:
        await self.show_tab(tab)

    async def ensure_mounted(self, tab: str) -> None:
        """Mount a tab's pane if it is not yet (once); a mounted one returns at once
        (awaiting its mount again gave the loop a turn and laid the tab out again)."""
        pending = self._mounting.get(tab)
        if pending is None and self._panes[tab].parent is None:
            pending = self._mounting[tab] = self._mount_pane(tab)
        if pending is not None and not self._panes[tab].is_mounted:
            await pending

    def _mount_pane(self, tab: str) -> AwaitMount:
        return self.query_one(f"TabPane#{tab}", TabPane).mount(self._panes[tab])

    @property
    def settled(self) -> bool:
        """Every pane mounted, and none reading, counting or about to show a detail
        (tests and screenshots wait for it instead of sleeping)."""
        panes = self._panes.values()
        if any(bar.behind for bar in self.query(KeyBar)):
            return False  # the key bar is drawn a frame after its keys change
        return all(pane.is_mounted for pane in panes) and all(pane.settled for pane in panes)

    def _mount_next_idle_pane(self) -> None:
        """After the first frame, mount the other panes one per refresh (keys that
        arrive in between are handled first), so that a tab switch or drill-down later
        finds its pane ready."""
        if self._recomposing:
            return  # a profile switch: the new panes get a round of their own
        for tab, pane in self._panes.items():
            if pane.parent is None and tab not in self._mounting:
                if not self.query_one(f"TabPane#{tab}", TabPane).is_attached:
                    return  # quitting (`q` at once): the screen is being taken down
                self._mounting[tab] = self._mount_pane(tab)
                self.call_after_refresh(self._mount_next_idle_pane)
                return

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # A click on a tab; `show_tab` (keys, drill-down) has already done this.
        if event.pane.id and event.pane.id != self._shown_tab and not self._recomposing:
            await self.ensure_mounted(event.pane.id)
            self._activated(event.pane.id)

    def _activated(self, tab: str) -> None:
        self._shown_tab = tab
        self._label_tabs()
        pane = self.pane(tab)
        pane.ensure_loaded()
        if pane.table.source is not None:
            self._show_age(pane)
        pane.table.focus()
        self.update_breadcrumb()
        self.refresh_bindings()

    def update_breadcrumb(self) -> None:
        trail = self.active_pane.breadcrumb()
        parts: list[str | tuple[str, object]] = []
        for index, step in enumerate(trail):
            if index:
                parts.append(" \u203a ")
            parts.append(("bold" if index == len(trail) - 1 else "", step))
        if self.navigation.crumbs:
            parts.append("   (Backspace: back)")
        content = labelled(*parts)
        if content != self._breadcrumb:
            self._breadcrumb = content
            self.query_one("#breadcrumb", Static).update(content, layout=False)

    @on(EntityPane.DrillRequested)
    async def _drill(self, event: EntityPane.DrillRequested) -> None:
        await self.drill(event.pane, event.row)

    @on(DrillAhead)
    def _drill_ahead(self, event: DrillAhead) -> None:
        self.navigation.read_ahead(event.pane, event.row)

    async def drill(self, source: EntityPane[Any], row: object) -> None:
        """Enter on `row` of `source` (see `Navigation.drill`)."""
        await self.navigation.drill(source, row)

    async def open_start(self, start: StartView) -> None:
        """Open where the command line asked (see `Navigation.open_start`)."""
        await self.navigation.open_start(start)

    async def action_back(self) -> None:
        await self.navigation.back()

    @on(EntityPane.BackRequested)
    async def _back_requested(self) -> None:
        await self.action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return bool(self.navigation.crumbs)
        return True

    # -- what panes ask for: dialogs ------------------------------------------------

    @on(MeetingsPane.CustomWindowRequested)
    def _custom_window_requested(self, event: MeetingsPane.CustomWindowRequested) -> None:
        from tui.screens.dialogs import WindowDialog

        pane = event.pane

        def chosen(window: tuple[datetime, datetime] | None) -> None:
            if window is not None:
                pane.use_custom_window(window)

        self.app.push_screen(WindowDialog(self.host.clock()), chosen)

    @on(ColumnsRequested)
    def _columns_requested(self, event: ColumnsRequested) -> None:
        from tui.screens.columns import open_column_chooser

        open_column_chooser(self.app, self.host.column_choices, event.pane)

    @on(SupportPane.NewSessionRequested)
    def _new_session_requested(self, event: SupportPane.NewSessionRequested) -> None:
        self._write_flows.confirm_new_session(event.pane)

    @on(EntityPane.EventWriteRequested)
    def _event_write_requested(self, event: EntityPane.EventWriteRequested) -> None:
        self._event_writes.open(event.pane, event.kind, event.row)

    @on(RegistrantsPane.ActionRequested)
    def _action_requested(self, event: RegistrantsPane.ActionRequested) -> None:
        self._write_flows.confirm_action(event.pane, event.plan, event.marked)

    @on(RegistrantsPane.ActionDone)
    def _action_done(self, event: RegistrantsPane.ActionDone) -> None:
        """Re-read every pane (the Deck updated the cache), then tell the outcome."""
        for pane in self.mounted_panes:
            pane.reload()
        self._write_flows.tell_outcome(event.plan, event.result, marked=event.marked)

    # -- header --------------------------------------------------------------------

    def update_health(self) -> None:
        """Re-read the profile and provider health; redraw the header (ages the data)."""
        if self._recomposing:
            return
        self.show_profile()
        try:
            health = self.host.deck.health()
        except Exception:  # the header must never take the app down
            health = []
        self.query_one(DeckHeader).set_state(health=health, now=self.host.clock())

    def show_profile(self) -> None:
        """Header and footer follow the open Deck's profile: its name, its accent and
        whether it may write (the full settings, read once the Deck connects, may say
        more than the first frame's quick read)."""
        deck = self.host.deck
        header = self.query_one(DeckHeader)
        writable_changed = header.read_only != deck.read_only
        header.set_state(profile=deck.profile_name, accent=deck.accent, read_only=deck.read_only)
        if writable_changed:
            self.refresh_bindings()

    def _show_age(self, pane: EntityPane[Any]) -> None:
        view = pane.view
        self.query_one(DeckHeader).set_state(
            fetched_at=view.fetched_at if view is not None else None, now=self.host.clock()
        )

    @on(EntityPane.ViewLoaded)
    def _view_loaded(self, event: EntityPane.ViewLoaded) -> None:
        if self._recomposing:
            return
        if event.pane is self.active_pane:
            self.query_one(DeckHeader).set_state(fetched_at=event.fetched_at, now=self.host.clock())
        self.update_breadcrumb()

    # -- refresh and sync (tui/screens/sync_runs.py) --------------------------------

    @on(UnfinishedWritesFound)
    def _unfinished_writes_found(self, event: UnfinishedWritesFound) -> None:
        """Say so, and offer to refresh their events."""
        self._write_flows.offer_unfinished(event.notices, self.syncs.settler(event.notices))

    def action_refresh(self) -> None:
        self.syncs.refresh_active()

    @on(MeetingsPane.HistoryWanted)
    def _history_wanted(self, event: MeetingsPane.HistoryWanted) -> None:
        self.syncs.fetch_history(event.pane, event.since)

    def action_sync_all(self) -> None:
        self.syncs.sync_all()

    @property
    def sync_running(self) -> bool:
        """True while a refresh or a sync of this screen runs."""
        return self.syncs.running

    @on(SyncProgressed)
    async def _sync_progressed(self, event: SyncProgressed) -> None:
        await self.syncs.progressed(event.progress, event.kinds)

    @on(Refreshed)
    def _refreshed(self, event: Refreshed) -> None:
        self.syncs.refreshed(event.report, full=event.full)

    def worker_failed(self) -> None:
        """A refresh or sync worker raised: stop showing progress (the app toasts)."""
        self.syncs.failed()

    # -- view settings, export, log -------------------------------------------------

    def action_cycle_timezone(self) -> None:
        label = self.host.time_format.cycle()
        for pane in self.mounted_panes:
            pane.table.clear_line_cache()
            if pane.loaded:
                pane.show_detail()
        self.query_one(DeckHeader).set_state(zone_label=label)
        self.app.notify(f"Times shown in {label}.", markup=False, timeout=2)

    def action_export(self) -> None:
        pane = self.active_pane
        if pane.view is None:
            return
        self.host.export_view(pane.view, pane.kind_words()[0])

    async def action_toggle_api_log(self) -> None:
        """Show the API log with the focus in it (it follows new calls), or hide it."""
        panel = self._api_log()
        if panel is None:
            from tui.widgets.api_log import ApiLogPanel  # with Textual's Log: not at start

            panel = self._api_log_panel = ApiLogPanel(id="api-log")
            await self.mount(panel, before=self.query_one(KeyBar))
        if panel.has_class("-shown"):
            self._close_api_log(panel)
            return
        panel.add_class("-shown")
        source = self.host.deck.api_log()  # the ring of recent calls, once connected
        panel.reset(source.recent(200) if source is not None else (), self.host.time_format)
        panel.log_lines.focus()

    def _api_log(self) -> ApiLogPanel | None:
        """The API log panel, once mounted (a profile switch recomposes without it)."""
        panel = self._api_log_panel
        return panel if panel is not None and panel.is_attached else None

    def _close_api_log(self, panel: ApiLogPanel) -> None:
        panel.remove_class("-shown")
        self.active_pane.table.focus()

    # By name, not `@on(ApiLogPanel...)`: the class is imported when first shown.
    def on_api_log_panel_closed(self, event: ApiLogPanel.Closed) -> None:
        panel = self._api_log()
        if panel is not None:
            self._close_api_log(panel)

    def on_api_log_panel_called(self, event: ApiLogPanel.Called) -> None:
        answered = {e.api for e in event.entries if e.status is not None and e.status < 400}
        headers = self.query(DeckHeader) if answered else None  # none while recomposed
        if headers and any(headers.first().unreachable(api) for api in answered):
            # The service answers again: the header says so now, not at the next sync.
            self.update_health()
        panel = self._api_log()
        if panel is not None and panel.has_class("-shown"):
            panel.add_entries(event.entries, self.host.time_format)
