"""The main screen: header, breadcrumb, the six tabs, sync progress, API log, footer.

It owns navigation (drill-down and back) and the refresh and sync workers. Workers
only talk to the Deck and post messages; the handlers here change the widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import WorkerState

from tui.core.display.cleaning import clean
from tui.core.errors import DailyLimitReached
from tui.core.sync.types import Scope, ScopeKind, SyncProgress, SyncReport
from tui.screens.event_write_flows import EventWriteFlows
from tui.screens.write_flows import WriteFlows
from tui.text import labelled
from tui.widgets.api_log import ApiLogPanel
from tui.widgets.header import DeckHeader
from tui.widgets.keybar import KeyBar
from tui.widgets.pane import DeckHost, EntityPane, PaneScope
from tui.widgets.panes import PANES, TAB_IDS, MeetingsPane, SupportPane, drill_scope
from tui.widgets.registrants_pane import RegistrantsPane
from tui.widgets.safety_net import ForwardsWorkerState
from tui.widgets.sync_bar import SyncBar

if TYPE_CHECKING:
    from tui.core.deck.types import UnfinishedNotice
    from tui.widgets.pane_types import StartView

RELOAD_EVERY = 0.5
#: The worker groups that sync: one at a time (`r` while one runs says so).
SYNC_GROUPS = ("refresh", "sync", "unfinished-writes")
#: The tabs a drill-down to a tab narrows: an organizer's meetings and events; a
#: group's organizers and their meetings.
DRILL_AFFECTS = {"meetings": ("meetings", "events"), "organizers": ("organizers", "meetings")}


class DeckTabPane(TabPane):
    """A tab's page: its pane covers it whole, so it draws no line of its own (a tab
    switch then renders the pane's lines only, not the same area again underneath)."""

    BLANK = True


@dataclass
class Crumb:
    """One drill-down step, remembered so that Back can undo it."""

    tab: str
    cursor_key: str | None
    scopes: dict[str, PaneScope | None] = field(default_factory=dict)


class MainScreen(ForwardsWorkerState, Screen[None]):
    """The tabs, and the machinery around them."""

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

    class Refreshed(Message):
        """A refresh or sync finished (its report says what failed)."""

        def __init__(self, report: SyncReport, *, full: bool) -> None:
            super().__init__()
            self.report = report
            self.full = full

    class SyncProgressed(Message):
        """A sync run moved on (only the newest one matters)."""

        def __init__(self, progress: SyncProgress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, MainScreen.SyncProgressed)

    class UnfinishedWritesFound(Message):
        """The audit log holds writes of this profile that never finished."""

        def __init__(self, notices: Sequence[UnfinishedNotice]) -> None:
            super().__init__()
            self.notices = tuple(notices)

    def __init__(self) -> None:
        super().__init__()
        self.crumbs: list[Crumb] = []
        self._dirty_kinds: set[ScopeKind] = set()
        self._panes = self._new_panes()
        self._narrow = False
        self._breadcrumb: Content | None = None
        self._mounting: dict[str, AwaitMount] = {}
        self._shown_tab: str | None = None
        self._write_flows = WriteFlows(self)
        self._event_writes = EventWriteFlows(self)
        self._sync_doing: str | None = None

    @staticmethod
    def _new_panes() -> dict[str, EntityPane[Any]]:
        # Every pane exists from the start; only the first is mounted before the first
        # frame, the others when their tab is first shown.
        return {
            tab: pane_class(id=f"pane-{tab}")
            for tab, pane_class in zip(TAB_IDS, PANES, strict=True)
        }

    async def reset(self) -> None:
        """Start over on another Deck (a profile switch): fresh panes, no history."""
        self.crumbs.clear()
        self._panes = self._new_panes()
        self._narrow = False
        self._breadcrumb = None
        self._mounting = {}
        self._shown_tab = None
        await self.recompose()
        self._started()

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    def compose(self) -> ComposeResult:
        yield DeckHeader(id="header")
        yield Static("", id="breadcrumb", markup=False)
        with TabbedContent(id="tabs"):
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
        self._tell_unfinished_writes()
        self.on_resize()
        self.set_timer(0.3, self._mount_next_idle_pane)

    def on_resize(self) -> None:
        # Full tab titles need about 100 columns; narrow terminals get short ones.
        narrow = self.size.width < 100
        if narrow == self._narrow:
            return
        self._narrow = narrow
        tabs = self.query_one(TabbedContent)
        for number, (tab, pane) in enumerate(zip(TAB_IDS, PANES, strict=True), 1):
            title = (pane.SHORT_TITLE or pane.TITLE) if narrow else pane.TITLE
            tabs.get_tab(tab).label = f"{number} {title}"
        self.query_one(KeyBar).compact = narrow

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
        await self._ensure_mounted(tab)
        self.query_one(TabbedContent).active = tab
        self._activated(tab)

    async def action_show_tab(self, tab: str) -> None:
        await self.show_tab(tab)

    async def _ensure_mounted(self, tab: str) -> None:
        pending = self._mounting.get(tab)
        if pending is None and self._panes[tab].parent is None:
            pending = self._mounting[tab] = self._mount_pane(tab)
        if pending is not None:
            await pending

    def _mount_pane(self, tab: str) -> AwaitMount:
        return self.query_one(f"TabPane#{tab}", TabPane).mount(self._panes[tab])

    @property
    def settled(self) -> bool:
        """Every pane mounted, and none reading, counting or about to show a detail
        (tests and screenshots wait for it instead of sleeping)."""
        panes = self._panes.values()
        return all(pane.is_mounted for pane in panes) and all(pane.settled for pane in panes)

    def _mount_next_idle_pane(self) -> None:
        """After the first frame, mount the other panes one per refresh (keys that
        arrive in between are handled first), so that a tab switch or drill-down later
        finds its pane ready."""
        for tab, pane in self._panes.items():
            if pane.parent is None and tab not in self._mounting:
                self._mounting[tab] = self._mount_pane(tab)
                self.call_after_refresh(self._mount_next_idle_pane)
                return

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # A click on a tab; `show_tab` (keys, drill-down) has already done this.
        if event.pane.id and event.pane.id != self._shown_tab:
            await self._ensure_mounted(event.pane.id)
            self._activated(event.pane.id)

    def _activated(self, tab: str) -> None:
        self._shown_tab = tab
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
        if self.crumbs:
            parts.append("   (Backspace: back)")
        content = labelled(*parts)
        if content != self._breadcrumb:
            self._breadcrumb = content
            self.query_one("#breadcrumb", Static).update(content, layout=False)

    @on(EntityPane.DrillRequested)
    async def _drill(self, event: EntityPane.DrillRequested) -> None:
        await self.drill(event.pane, event.row)

    async def drill(self, source: EntityPane[Any], row: object) -> None:
        """Enter on `row` of `source`: the tab it leads to, narrowed to it (Backspace
        comes back), or the screen of its own (a meeting's attendees)."""
        trail = source.breadcrumb()
        target = drill_scope(row, trail)
        source_tab = next(t for t in TAB_IDS if self.pane(t) is source)
        if target is None:
            from tui.screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(row, trail=trail))
            return
        tab, scope = target
        affected = DRILL_AFFECTS.get(tab, (tab,))
        self.crumbs.append(
            Crumb(
                tab=source_tab,
                cursor_key=source.table.cursor_key,
                scopes={t: self.pane(t).scope for t in affected},
            )
        )
        for name in affected:
            self.pane(name).set_scope(scope)
        await self.show_tab(tab)

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
            await self._ensure_mounted("events")
            events = self.pane("events")
            events.ensure_loaded()
            if events.table.move_to_key(start.event):
                row = events.table.cursor_value
                if row is not None:
                    await self.drill(events, row)
            else:
                self.pane("registrants").set_scope(
                    PaneScope(label=f"event {start.event}", event_key=start.event)
                )
                self.app.notify(
                    f"The cache holds no training or webinar {start.event} yet; its "
                    "registrants show once a sync brings them (R syncs everything).",
                    title="Event not cached",
                    severity="warning",
                    markup=False,
                    timeout=10,
                )
        pane = self.pane(tab)
        await self._ensure_mounted(tab)
        if start.status is not None and isinstance(pane, RegistrantsPane):
            pane.status = RegistrantStatus(start.status)
        if start.filter:
            pane.filter_text = start.filter
        await self.show_tab(tab)
        pane.load(keep_cursor=False)

    async def action_back(self) -> None:
        if not self.crumbs:
            return
        crumb = self.crumbs.pop()
        for tab, scope in crumb.scopes.items():
            self.pane(tab).set_scope(scope)
        await self.show_tab(crumb.tab)
        if crumb.cursor_key is not None:
            self.pane(crumb.tab).table.move_to_key(crumb.cursor_key)

    @on(EntityPane.BackRequested)
    async def _back_requested(self) -> None:
        await self.action_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return bool(self.crumbs)
        if action == "export":
            return True
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
        """Re-read the profile and provider health and redraw the header (also ages the
        data)."""
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
        if event.pane is self.active_pane:
            self.query_one(DeckHeader).set_state(fetched_at=event.fetched_at, now=self.host.clock())
        self.update_breadcrumb()

    # -- refresh and sync ----------------------------------------------------------

    @work(group="unfinished-lookup", exit_on_error=False)
    async def _tell_unfinished_writes(self) -> None:
        """Look in the audit log for writes a stopped process left without a result."""
        notices = await self.host.deck.unfinished_writes()
        if notices:
            self.post_message(self.UnfinishedWritesFound(notices))

    @on(UnfinishedWritesFound)
    def _unfinished_writes_found(self, event: UnfinishedWritesFound) -> None:
        """Say so, and offer to refresh their events."""
        notices = event.notices

        def refresh() -> None:
            if any(n.scope is not None for n in notices):
                self._set_syncing(None, True)  # each refresh's Refreshed ends it
            self._settle_unfinished(notices)

        self._write_flows.offer_unfinished(notices, refresh)

    @work(group="unfinished-writes", exclusive=True, exit_on_error=False)
    async def _settle_unfinished(self, notices: Sequence[UnfinishedNotice]) -> None:
        """Refresh each unfinished write's event; the audit log records it was told."""
        deck = self.host.deck
        await self.host.prepare_sync()
        refreshed: dict[Scope, bool] = {}
        for notice in notices:
            scope = notice.scope
            if scope is not None and scope not in refreshed:
                report = await deck.refresh(scope)
                refreshed[scope] = report.ok
                self.post_message(self.Refreshed(report, full=False))
            if scope is None or refreshed[scope]:
                deck.settle_unfinished(notice)  # the notice stops; a failed one stays

    def action_refresh(self) -> None:
        if self._tell_if_syncing():
            return
        pane = self.active_pane
        scope = pane.refresh_scope()
        self._set_syncing(pane, True)
        self._refresh(scope, pane.refresh_kinds(), pane.refresh_since(), refetch=True)

    @on(MeetingsPane.HistoryWanted)
    def _history_wanted(self, event: MeetingsPane.HistoryWanted) -> None:
        self._set_syncing(event.pane, True)
        self._refresh(None, (ScopeKind.HISTORICAL,), event.since)

    def action_sync_all(self) -> None:
        if self._tell_if_syncing():
            return
        self._set_syncing(None, True)
        self._sync_all()

    @property
    def sync_running(self) -> bool:
        """True while a refresh or a sync of this screen runs."""
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        return any(
            worker.node is self and worker.group in SYNC_GROUPS and worker.state in busy
            for worker in self.app.workers
        )

    def _tell_if_syncing(self) -> bool:
        """While a sync runs, say so (and what it is doing) instead of starting another."""
        if not self.sync_running:
            return False
        doing = f" ({self._sync_doing})" if self._sync_doing else ""
        self.app.notify(
            f"A sync is already running{doing}; its rows show as they land. Press r "
            "again when it has finished.",
            title="Sync running",
            markup=False,
            timeout=4,
        )
        return True

    def _set_syncing(self, pane: EntityPane[Any] | None, on: bool) -> None:
        panes = [pane] if pane is not None else self.mounted_panes
        for each in panes:
            each.syncing = on
            each.table.placeholder = each.placeholder()
            each.table.refresh()
        self.query_one(DeckHeader).set_state(syncing=on)

    @work(group="refresh", exclusive=True, exit_on_error=False)
    async def _refresh(
        self,
        scope: Scope | None,
        kinds: Sequence[ScopeKind],
        since: datetime | None = None,
        *,
        refetch: bool = False,
    ) -> None:
        def progressed(progress: SyncProgress) -> None:
            self.post_message(self.SyncProgressed(progress))

        deck = self.host.deck
        await self.host.prepare_sync()
        if scope is not None:
            report = await deck.refresh(scope, progressed)
        else:
            report = await deck.sync_all(
                progressed, kinds=list(kinds), since=since, refetch=refetch
            )
        self.post_message(self.Refreshed(report, full=False))

    @work(group="sync", exclusive=True, exit_on_error=False)
    async def _sync_all(self) -> None:
        def progressed(progress: SyncProgress) -> None:
            self.post_message(self.SyncProgressed(progress))

        await self.host.prepare_sync()
        report = await self.host.deck.sync_all(progressed)
        self.post_message(self.Refreshed(report, full=True))

    async def _sync_bar(self) -> SyncBar:
        """The progress line above the footer, mounted on the first sync."""
        bars = list(self.query(SyncBar).results(SyncBar))
        if bars:
            return bars[0]
        bar = SyncBar(id="sync-bar")
        await self.mount(bar, before=self.query_one(KeyBar))
        return bar

    def _hide_sync_bar(self) -> None:
        self._sync_doing = None
        for bar in self.query(SyncBar):
            bar.hide()

    @on(SyncProgressed)
    async def _sync_progressed(self, event: SyncProgressed) -> None:
        progress = event.progress
        bar = await self._sync_bar()
        bar.show(progress)
        self._sync_doing = progress.running[0].describe() if progress.running else None
        self._dirty_kinds.add(progress.scope.kind)
        self.set_timer(RELOAD_EVERY, self._reload_dirty, name="reload-dirty")

    def _reload_dirty(self) -> None:
        if self._dirty_kinds:
            pane = self.active_pane
            if set(pane.refresh_kinds()) & self._dirty_kinds:
                pane.reload()
            self._dirty_kinds.clear()

    @on(Refreshed)
    def _refreshed(self, event: Refreshed) -> None:
        self._set_syncing(None, False)
        self._hide_sync_bar()
        for pane in self.mounted_panes:
            pane.reload()
        self.update_health()
        report = event.report
        if report.cut_values:
            self.app.notify(
                f"{report.cut_values} text value(s) from the API were too long to keep "
                "whole; the cache keeps their start, ending in \u201c\u2026\u201d.",
                title="Long text cut",
                markup=False,
                timeout=8,
            )
        if report.failed:
            problems = report.problems()  # a daily limit hit by many scopes is one
            first = problems[0].error
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            # A daily limit's sentence says itself that the cache is shown.
            cached = "" if isinstance(first, DailyLimitReached) else " Showing cached data."
            self.app.notify(
                f"{first.sentence}{more}{cached}",
                title=first.title,
                severity="warning",
                markup=False,
                timeout=8,
            )
        elif report.notes and event.full:
            # After `r` the header's "users skipped" says it; a full sync names them.
            self.app.notify(
                clean(" ".join(f"{scope.label}: {note}." for scope, note in report.notes)),
                title="Some users skipped",
                severity="warning",
                markup=False,
                timeout=8,
            )
        elif report.cancelled:
            self.app.notify("Sync cancelled; what finished is stored.", markup=False)
        elif event.full:
            self.app.notify(f"Synced {len(report.synced)} scopes.", markup=False)

    def worker_failed(self) -> None:
        """A refresh or sync worker raised: stop showing progress (the app toasts)."""
        self._set_syncing(None, False)
        self._hide_sync_bar()
        self.update_health()

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

    def api_log_source(self) -> Any:
        """The Deck's API log (ring + subscribe), once the Deck is connected."""
        return self.host.deck.api_log()

    async def action_toggle_api_log(self) -> None:
        """Show the API log with the focus in it (it follows new calls), or hide it."""
        panels = list(self.query(ApiLogPanel).results(ApiLogPanel))
        if panels:
            panel = panels[0]
        else:
            panel = ApiLogPanel(id="api-log")
            await self.mount(panel, before=self.query_one(KeyBar))
        if panel.has_class("-shown"):
            self._close_api_log(panel)
            return
        panel.add_class("-shown")
        source = self.api_log_source()
        panel.reset(source.recent(200) if source is not None else (), self.host.time_format)
        panel.log_lines.focus()

    def _close_api_log(self, panel: ApiLogPanel) -> None:
        panel.remove_class("-shown")
        self.active_pane.table.focus()

    @on(ApiLogPanel.Closed)
    def _api_log_closed(self, event: ApiLogPanel.Closed) -> None:
        for panel in self.query(ApiLogPanel).results(ApiLogPanel):
            self._close_api_log(panel)

    @on(ApiLogPanel.Called)
    def _api_called(self, event: ApiLogPanel.Called) -> None:
        entry = event.entry
        answered = entry.status is not None and entry.status < 400
        if answered and self.query_one(DeckHeader).unreachable(entry.api):
            # The service answers again: the header says so now, not at the next sync.
            self.update_health()
        for panel in self.query(ApiLogPanel).results(ApiLogPanel):
            if panel.has_class("-shown"):
                panel.add_entries([event.entry], self.host.time_format)
