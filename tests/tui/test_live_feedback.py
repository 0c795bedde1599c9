"""What the app tells while it works, on the real Deck and the sandbox: the live API
log, the history of errors and notices, provider health that recovers, and a long
sync that says what it is doing (issue 17, items 3 to 5)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Label

from tests.support.app import active, settle, show_tab
from tests.support.control import Control
from tests.support.demo import DemoCache, unreachable_url
from tests.support.fakedeck import HOSTILE
from tests.support.screen import current, screen_lines, screen_text, toasts
from tests.support.waits import wait_for, wait_on_loop
from tui.app import MeetdeckApp
from tui.core.models import Provider
from tui.core.sync.types import Scope, ScopeKind, ScopeState, ScopeStep, SyncProgress
from tui.screens.confirm import ConfirmDialog
from tui.screens.help import HelpScreen
from tui.screens.notifications import NotificationsScreen
from tui.widgets.api_log import ApiLogPanel, format_entry
from tui.widgets.sync_bar import SyncBar, describe

MakeApp = Callable[..., MeetdeckApp]


async def test_the_api_log_follows_new_calls_takes_the_focus_scrolls_and_filters(
    real_app: MakeApp,
) -> None:
    """Opened before the Deck has connected (as `meetdeck` starts), the log still shows
    the calls of a refresh made afterwards, as they come."""
    app = real_app(connect_later=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.deck.api_log() is None  # not connected yet
        await pilot.press("l")
        panel = app.screen.query_one(ApiLogPanel)
        await wait_for(pilot, lambda: panel.display, what="the API log to open")
        assert app.focused is panel.log_lines and panel.lines == []
        await pilot.press("r")  # the organizers: GoTo and Zoom
        await wait_for(
            pilot,
            lambda: any(" 200 GET " in line and "/zoom/v2/users" in line for line in panel.lines),
            what="the refresh's calls in the open log",
            detail=lambda: panel.lines,
        )
        await settle(pilot, app)
        shown = panel.lines
        assert any("/G2M/rest/organizers" in line for line in shown), shown
        assert app.focused is panel.log_lines
        # It scrolls: Home goes to the first call, End back to the newest.
        lines = panel.log_lines
        await pilot.press("end")
        assert lines.is_vertical_scroll_end
        if lines.max_scroll_y:
            await pilot.press("home")
            assert lines.scroll_y == 0
            await pilot.press("end")
        # `/` filters: every word must match.
        await pilot.press("slash", *"zoom users")
        await wait_for(
            pilot, lambda: panel.lines != shown, what="the filter", detail=lambda: panel.lines
        )
        assert panel.lines and all("/zoom/v2/users" in line for line in panel.lines)
        await pilot.press("escape")  # clears the filter
        assert panel.filter_text == "" and panel.lines == shown
        await pilot.press("escape")  # closes the log; the table has the focus again
        assert not panel.display
        assert app.focused is app.screen.query_one("#pane-organizers").table  # type: ignore[attr-defined]


async def test_the_header_recovers_when_the_service_answers_again(
    real_app: MakeApp, demo_cache: DemoCache
) -> None:
    """A refresh during a GoTo Meeting outage: OFFLINE and "Meeting ✗". Once GoTo
    answers again, fetching a meeting's attendees (no sync) clears both at once."""
    control = Control(demo_cache.base_url)
    app = real_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("2", "h")
        await settle(pilot, app)
        control.fault(error_status=503, match={"path": "/G2M/"})
        try:
            await pilot.press("r")
            await settle(pilot, app)
        finally:
            control.clear()
        header = screen_lines(app)[0]
        assert "OFFLINE" in header and "Meeting \u2717" in header, header
        pane = active(app)
        rows: list[Any] = [pane.table.row_at(i) for i in range(pane.table.row_count)]
        pane.table.cursor_row = next(
            i for i, row in enumerate(rows) if row.provider.value == "goto_meeting"
        )
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(" 200 GET " in e for e in calls_of(app, "/attendees")),
            what="the attendees call",
        )
        await settle(pilot, app)
        await pilot.press("backspace")
        # The API log's calls reach the screen in batches (at most every 0.15 s).
        await wait_for(
            pilot,
            lambda: (
                "OFFLINE" not in screen_lines(app)[0] and "Meeting \u2713" in screen_lines(app)[0]
            ),
            what="the header's recovery",
        )


def calls_of(app: MeetdeckApp, path: str) -> list[str]:
    """The API log's entries whose path holds `path`, as the panel would show them."""
    log = app.deck.api_log()
    if log is None:
        return []
    return [format_entry(e, app.time_format) for e in log.recent() if path in e.path]


async def test_a_long_sync_shows_pages_and_rows_and_r_says_it_is_running(
    real_app: MakeApp, demo_cache: DemoCache
) -> None:
    """Every Zoom registrants page is slowed: the bar names a scope in flight with its
    pages and rows so far, and `r` meanwhile says a sync is running and starts none."""
    control = Control(demo_cache.base_url)
    app = real_app()
    seen: list[str] = []
    page = re.compile(r"Syncing .+: page \d+, [\d,]+ rows?.* \u00b7 \d+/\d+ scopes")

    def label() -> str:
        bars = list(app.screen.query("#sync-label").results(Label))
        text = str(bars[0].render()) if bars and bars[0].parent.display else ""  # type: ignore[union-attr]
        if text and (not seen or seen[-1] != text):
            seen.append(text)
        return text

    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        pane = await show_tab(pilot, app, "registrants")
        control.fault(latency_ms=250, match={"path": "/zoom/v2/.*/registrants"})
        try:
            await pilot.press("r")
            await wait_for(pilot, lambda: "Syncing" in label(), what="the sync bar")
            await pilot.press("r")
            assert any("A sync is already running" in t for t in toasts(app)), toasts(app)
            syncs = [w for w in app.workers if w.group in ("refresh", "sync")]
            assert len(syncs) == 1 and not syncs[0].is_cancelled  # none started, none stopped
            await wait_for(
                pilot,
                lambda: any(page.search(text) for text in [label(), *seen]),
                what="a page count in the sync bar",
                detail=lambda: seen,
            )
        finally:
            control.clear()
        await settle(pilot, app)
        assert not app.screen.query_one("#sync-bar").display
        assert pane.table.row_count > 0


async def test_a_sync_keeps_one_re_read_of_the_tab_pending(
    real_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a sync lands rows, the tab shown re-reads at most every RELOAD_EVERY: one
    re-read is pending at a time, not one timer per progress message (an account's
    sync sends thousands, and each kept the loop busy while cursor keys waited)."""
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        screen: Any = app.screen
        plain = screen.set_timer
        made, pending, most = [0], [0], [0]

        def counting(delay: float, callback: Any = None, **kwargs: Any) -> Any:
            if kwargs.get("name") != "reload-dirty":
                return plain(delay, callback, **kwargs)
            made[0] += 1
            pending[0] += 1
            most[0] = max(most[0], pending[0])

            def fired() -> Any:
                pending[0] -= 1
                return callback()

            return plain(delay, fired, **kwargs)

        monkeypatch.setattr(screen, "set_timer", counting)
        await pilot.press("R")
        await settle(pilot, app)
        await wait_for(pilot, lambda: pending[0] == 0, what="the last re-read")
        assert made[0] >= 1, "no re-read was ever asked for"
        assert most[0] == 1, f"{most[0]} re-reads pending at once"


class BarApp(App[None]):
    """The sync bar alone."""

    def compose(self) -> ComposeResult:
        yield SyncBar(id="sync-bar")


async def test_the_sync_bar_draws_the_first_progress_then_only_the_newest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An account's sync reports some thirty steps a second, and each one drawn is a
    frame that cursor keys wait behind: of 50 steps in a row the bar draws the first at
    once and then the newest (two draws, not 50); after `hide` the next run's first
    step is drawn at once again."""
    scope = Scope(ScopeKind.MEETINGS, Provider.GOTO_MEETING)
    steps = [
        SyncProgress(scope, ScopeState.WORKING, 0, 3, running=(ScopeStep(scope, n, n * 25),))
        for n in range(1, 51)
    ]
    app = BarApp()
    async with app.run_test(size=(120, 5)) as pilot:
        bar = app.query_one(SyncBar)
        label = bar.query_one("#sync-label", Label)
        drawn: list[str] = []
        update = label.update

        def counting(content: Any = "", **kwargs: Any) -> None:
            drawn.append(str(content))
            update(content, **kwargs)

        monkeypatch.setattr(label, "update", counting)
        for progress in steps:
            bar.show(progress)
        assert drawn == [str(describe(steps[0]))]
        await wait_for(pilot, lambda: len(drawn) >= 2, what="the newest step drawn")
        assert drawn == [str(describe(steps[0])), str(describe(steps[-1]))]
        assert "page 50, 1,250 rows" in str(label.render())
        bar.hide()
        bar.show(steps[1])
        assert drawn[-1] == str(describe(steps[1])) and len(drawn) == 3


async def test_past_errors_and_notices_are_listed_with_their_time(real_app: MakeApp) -> None:
    """A refresh that fails (the service unreachable), then a notice: `N` lists both,
    newest first, with their time, long after the toasts went; from help and the
    palette too. Text from an API stays literal there as everywhere."""
    app = real_app(base_url=unreachable_url())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("r")
        await settle(pilot, app)
        app.notify(f"Copied {HOSTILE}", markup=False, timeout=0.1)
        app.clear_notifications()
        assert toasts(app) == []
        await pilot.press("N")
        await wait_for(
            pilot, lambda: isinstance(current(app), NotificationsScreen), what="the list"
        )
        text = screen_text(app)
        assert f"Copied {HOSTILE}" in text
        newest, oldest = text.index(f"Copied {HOSTILE}"), text.index("Network unreachable")
        assert newest < oldest, text
        # A notice without a title has its message on its first line, not under an
        # empty title; a titled one has its title there and the message below it.
        assert f"09:05:00 \u00b7 Copied {HOSTILE}" in text, text
        lines = text.splitlines()
        titled = next(i for i, line in enumerate(lines) if "09:05:00 ! Network unreachable" in line)
        assert lines[titled + 1].strip(" \u2588"), lines[titled : titled + 2]
        assert text.count("09:05:00") >= 2, text  # the app's clock, in UTC
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(current(app), NotificationsScreen), what="")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(current(app), HelpScreen), what="help")
        keys = current(app).content.plain
        assert "N                     Notifications" in keys, keys
        assert " notifications\n" in keys  # the binding id, to remap it
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"notifications")
        await wait_for(
            pilot, lambda: "view: notifications" in screen_text(app), what="the palette's command"
        )
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(current(app), NotificationsScreen), what="the list again"
        )


async def test_a_toast_never_covers_a_dialogs_buttons(make_app: MakeApp) -> None:
    """A dialog as tall as a 60x20 terminal allows, and a long toast: the toast shows
    at the top, clear of the buttons."""
    app = make_app()
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        lines = [f"Line {n} of a long confirmation." for n in range(12)]
        await app.push_screen(ConfirmDialog("Cancel 51 registrations?", lines, "Cancel 51"))
        app.notify("Something happened meanwhile. " * 6, title="Notice", timeout=30)
        await wait_for(pilot, lambda: bool(app.screen.query("Toast")), what="the toast")
        await pilot.pause()
        toast = app.screen.query_one("Toast").region
        buttons = [b.region for b in app.screen.query(Button).results(Button)]
        assert len(buttons) == 2 and all(b.area for b in buttons)
        assert all(not toast.overlaps(b) for b in buttons), (toast, buttons)


def test_a_progress_message_that_replaces_another_keeps_its_kinds() -> None:
    """Textual drops a progress message a newer one replaces: the kinds of scope whose
    rows the older one said had landed stay dirty (the tab shown re-reads them)."""
    from tui.screens.sync_runs import SyncProgressed

    older = SyncProgressed(
        SyncProgress(Scope(ScopeKind.ORGANIZERS, Provider.GOTO_MEETING), ScopeState.DONE, 1, 3)
    )
    newer = SyncProgressed(
        SyncProgress(Scope(ScopeKind.MEETINGS, Provider.ZOOM), ScopeState.WORKING, 1, 3)
    )
    assert older.can_replace(newer)
    assert newer.kinds == {ScopeKind.ORGANIZERS, ScopeKind.MEETINGS}


async def test_a_progress_that_lands_while_the_app_quits_is_dropped(make_app: MakeApp) -> None:
    """The Deck's thread posts sync progress up to the moment `q` is pressed; one
    handled while the app is taken down mounted or drew the sync bar there, which
    failed (MountError, NoMatches): Textual rendered the traceback, some 0.2 s of the
    quit, and the app ended with status 1. Once the app has stopped running, progress
    is dropped."""
    from tui.screens.sync_runs import SyncProgressed

    scope = Scope(ScopeKind.MEETINGS, Provider.GOTO_MEETING)
    progress = SyncProgress(scope, ScopeState.WORKING, 0, 3, running=(ScopeStep(scope, 1, 25),))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = app.screen

        async def until_the_app_stops() -> None:
            # Holds the screen's queue: the progress behind it is handled mid-quit.
            await wait_on_loop(lambda: not app.is_running, what="the app to stop")

        screen.call_later(until_the_app_stops)
        screen.post_message(SyncProgressed(progress))
        app.exit()
    assert app.return_code == 0
