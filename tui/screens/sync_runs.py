"""The main screen's refreshes and syncs: one at a time, their progress, their report.

`r` refreshes the tab shown (or its one event), `R` syncs everything, a past window
reaching before the cached history fetches the missing part, and writes a stopped
process left unfinished get their events refreshed. Each runs in a worker of the
screen (`SYNC_GROUPS`; `r` while one runs says what it is doing instead of starting
another); its progress shows in the sync bar above the footer and re-reads the tab
shown every RELOAD_EVERY seconds; its report ends in a toast. Workers only talk to the
Deck and post the messages below; the screen's handlers hand them back here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.message import Message
from textual.screen import Screen
from textual.worker import WorkerState

from tui.core.display.cleaning import clean
from tui.core.errors import DailyLimitReached
from tui.core.sync.types import Scope, ScopeKind, SyncFocus, SyncProgress, SyncReport
from tui.widgets.header import DeckHeader
from tui.widgets.keybar import KeyBar
from tui.widgets.pane_types import DeckHost

if TYPE_CHECKING:
    from tui.core.deck.types import UnfinishedNotice
    from tui.widgets.pane import EntityPane
    from tui.widgets.sync_bar import SyncBar

#: Seconds between re-reads of the tab shown while a sync stores rows.
RELOAD_EVERY = 0.5
#: The worker groups that sync: one at a time (`r` while one runs says so).
SYNC_GROUPS = ("refresh", "sync", "unfinished-writes")


class Refreshed(Message):
    """A refresh or sync finished (its report says what failed)."""

    def __init__(self, report: SyncReport, *, full: bool) -> None:
        super().__init__()
        self.report = report
        self.full = full


class SyncProgressed(Message):
    """A sync run moved on (only the newest one matters, with the kinds of scope the
    ones it replaced were about: their rows may have landed)."""

    def __init__(self, progress: SyncProgress) -> None:
        super().__init__()
        self.progress = progress
        self.kinds = {progress.scope.kind}

    def can_replace(self, message: Message) -> bool:
        # Textual asks the older message whether the newer one replaces it.
        if isinstance(message, SyncProgressed):
            message.kinds |= self.kinds
            return True
        return False


class UnfinishedWritesFound(Message):
    """The audit log holds writes of this profile that never finished."""

    def __init__(self, notices: Sequence[UnfinishedNotice]) -> None:
        super().__init__()
        self.notices = tuple(notices)


class SyncTabs(Protocol):
    """What the sync runs need of the screen's tabs (`MainScreen`)."""

    @property
    def active_pane(self) -> EntityPane[Any]: ...

    @property
    def mounted_panes(self) -> list[EntityPane[Any]]: ...

    def update_health(self) -> None:
        """Redraw the header's provider health."""


class SyncRuns:
    """Runs the refreshes and syncs of `screen` and shows their progress and outcome.

    Args:
        screen: The screen whose workers they are (the main screen).
        tabs: Its tabs (the same screen).
    """

    def __init__(self, screen: Screen[Any], tabs: SyncTabs) -> None:
        self._screen = screen
        self._tabs = tabs
        self._dirty_kinds: set[ScopeKind] = set()
        self._reload_due = False
        self._doing: str | None = None
        self._bar: SyncBar | None = None

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self._screen.app)

    # -- starting --------------------------------------------------------------------

    def refresh_active(self) -> None:
        """`r`: refresh what the tab shown holds (its one event, or its kinds)."""
        if self._tell_if_syncing():
            return
        pane = self._tabs.active_pane
        self.set_syncing(pane, True)
        scope, kinds, since = pane.refresh_scope(), pane.refresh_kinds(), pane.refresh_since()
        self._run("refresh", partial(self._refresh, scope, kinds, since, True))

    def fetch_history(self, pane: EntityPane[Any], since: datetime) -> None:
        """Fetch the past meetings from `since` (a window before the cached history)."""
        self.set_syncing(pane, True)
        self._run("refresh", partial(self._refresh, None, (ScopeKind.HISTORICAL,), since, False))

    def sync_all(self) -> None:
        """`R`: sync every scope."""
        if self._tell_if_syncing():
            return
        self.set_syncing(None, True)
        self._run("sync", self._sync_all)

    def _run(self, group: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` in a worker of the screen: a newer one of its group replaces it."""
        self._screen.run_worker(work, group=group, exclusive=True, exit_on_error=False)

    @property
    def running(self) -> bool:
        """True while a refresh or a sync of the screen runs."""
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        return any(
            worker.node is self._screen and worker.group in SYNC_GROUPS and worker.state in busy
            for worker in self._screen.app.workers
        )

    def _tell_if_syncing(self) -> bool:
        """While a sync runs, say so (and what it is doing) instead of starting another."""
        if not self.running:
            return False
        doing = f" ({self._doing})" if self._doing else ""
        self._screen.app.notify(
            f"A sync is already running{doing}; its rows show as they land. Press r "
            "again when it has finished.",
            title="Sync running",
            markup=False,
            timeout=4,
        )
        return True

    def set_syncing(self, pane: EntityPane[Any] | None, on: bool) -> None:
        """Show (or stop showing) that `pane`, or every pane, is being synced."""
        panes = [pane] if pane is not None else self._tabs.mounted_panes
        for each in panes:
            each.syncing = on
            each.table.placeholder = each.placeholder()
            each.table.refresh()
        self._screen.query_one(DeckHeader).set_state(syncing=on)

    # -- the workers -----------------------------------------------------------------

    def _progressed(self, progress: SyncProgress) -> None:
        self._screen.post_message(SyncProgressed(progress))

    async def _refresh(
        self,
        scope: Scope | None,
        kinds: Sequence[ScopeKind],
        since: datetime | None,
        refetch: bool,
    ) -> None:
        deck = self.host.deck
        await self.host.prepare_sync()
        if scope is not None:
            report = await deck.refresh(scope, self._progressed)
        else:
            report = await deck.sync_all(
                self._progressed,
                kinds=list(kinds),
                since=since,
                refetch=refetch,
                first=self.on_screen(),
            )
        self._screen.post_message(Refreshed(report, full=False))

    async def _sync_all(self) -> None:
        await self.host.prepare_sync()
        report = await self.host.deck.sync_all(self._progressed, first=self.on_screen())
        self._screen.post_message(Refreshed(report, full=True))

    def on_screen(self) -> SyncFocus:
        """What the open tab shows, which a sync fetches first: its scope kinds, the
        organizer it is narrowed to, the one event whose registrants it shows."""
        pane = self._tabs.active_pane
        narrowed = pane.scope
        return SyncFocus(
            pane.refresh_kinds(),
            narrowed.organizer_key if narrowed is not None else None,
            pane.refresh_scope(),
        )

    # -- writes left unfinished --------------------------------------------------------

    def look_for_unfinished(self) -> None:
        """Look in the audit log for writes a stopped process left without a result.

        The screen asks once its first frame is drawn: the log is read in a thread,
        which would otherwise share the interpreter with that frame.
        """
        work: Callable[[], Awaitable[None]] = self._look_for_unfinished
        self._screen.run_worker(work, group="unfinished-lookup", exit_on_error=False)

    async def _look_for_unfinished(self) -> None:
        notices = await self.host.deck.unfinished_writes()
        if notices:
            self._screen.post_message(UnfinishedWritesFound(notices))

    def settler(self, notices: Sequence[UnfinishedNotice]) -> Callable[[], None]:
        """What the unfinished-writes dialog's Refresh does: refresh their events."""

        def refresh() -> None:
            if any(n.scope is not None for n in notices):
                self.set_syncing(None, True)  # each refresh's Refreshed ends it
            self._run("unfinished-writes", partial(self._settle_unfinished, notices))

        return refresh

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
                self._screen.post_message(Refreshed(report, full=False))
            if scope is None or refreshed[scope]:
                deck.settle_unfinished(notice)  # the notice stops; a failed one stays

    # -- progress and outcome ----------------------------------------------------------

    async def _sync_bar(self) -> SyncBar:
        """The progress line above the footer, mounted on the first sync (kept, not
        queried: every progress message asks, and a query walks every widget)."""
        bar = self._mounted_bar()
        if bar is None:
            from tui.widgets.sync_bar import SyncBar  # not before the first frame: no bar in it

            bar = self._bar = SyncBar(id="sync-bar")
            await self._screen.mount(bar, before=self._screen.query_one(KeyBar))
        return bar

    def _mounted_bar(self) -> SyncBar | None:
        """The bar, once mounted (a profile switch recomposes the screen without it)."""
        bar = self._bar
        return bar if bar is not None and bar.is_attached else None

    def _hide_sync_bar(self) -> None:
        self._doing = None
        bar = self._mounted_bar()
        if bar is not None:
            bar.hide()

    async def progressed(self, progress: SyncProgress, kinds: Iterable[ScopeKind] = ()) -> None:
        """A sync moved on (and scopes of `kinds` before it): the bar says how far, and
        the tab shown re-reads soon. Nothing once the app is quitting: a progress
        message the Deck's thread sent just before `q` lands while the screen is taken
        down, where mounting or drawing the bar fails (an error that Textual renders as a
        traceback, ~0.2 s of the quit, and turns into exit status 1)."""
        if not self._screen.app.is_running:
            return
        bar = await self._sync_bar()
        bar.show(progress)
        self._doing = progress.running[0].describe() if progress.running else None
        self._dirty_kinds.add(progress.scope.kind)
        self._dirty_kinds.update(kinds)
        # One re-read pending at a time: a timer per progress message (thousands in an
        # account's sync) kept the loop busy while keys waited.
        if not self._reload_due:
            self._reload_due = True
            self._screen.set_timer(RELOAD_EVERY, self._reload_dirty, name="reload-dirty")

    def _reload_dirty(self) -> None:
        self._reload_due = False
        if self._dirty_kinds:
            pane = self._tabs.active_pane
            if set(pane.refresh_kinds()) & self._dirty_kinds:
                pane.reload()
            self._dirty_kinds.clear()

    def refreshed(self, report: SyncReport, *, full: bool) -> None:
        """A refresh or sync ended: every tab re-reads, and a toast tells the outcome."""
        self.set_syncing(None, False)
        self._hide_sync_bar()
        for pane in self._tabs.mounted_panes:
            pane.reload()
        self._tabs.update_health()
        notify = self._screen.app.notify
        if report.cut_values:
            notify(
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
            notify(
                f"{first.sentence}{more}{cached}",
                title=first.title,
                severity="warning",
                markup=False,
                timeout=8,
            )
        elif report.notes and full:
            # After `r` the header's "users skipped" says it; a full sync names them.
            notify(
                clean(" ".join(f"{scope.label}: {note}." for scope, note in report.notes)),
                title="Some users skipped",
                severity="warning",
                markup=False,
                timeout=8,
            )
        elif report.cancelled:
            notify("Sync cancelled; what finished is stored.", markup=False)
        elif full:
            notify(f"Synced {len(report.synced)} scopes.", markup=False)

    def failed(self) -> None:
        """A refresh or sync worker raised: stop showing progress (the app toasts)."""
        self.set_syncing(None, False)
        self._hide_sync_bar()
        self._tabs.update_health()
