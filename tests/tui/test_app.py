"""Pilot tests of the app shell on the FakeDeck: tabs, drill-down, filters, palette."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Button

from tests.support.app import active, settle, show_tab
from tests.support.fakedeck import HOSTILE, CountedLater, FakeDeck
from tests.support.keys import type_at_once
from tests.support.screen import current, screen_lines, screen_text, toasts
from tests.support.waits import STEP, TIMEOUT, wait_for
from tui.app import MeetdeckApp
from tui.core.downloads.queue import DownloadProgress, DownloadState
from tui.core.errors import NetworkUnreachable
from tui.core.models import RegistrantStatus
from tui.screens.confirm import ConfirmDialog
from tui.screens.main import MainScreen
from tui.widgets.pane import EntityPane
from tui.widgets.virtual_table import VirtualTable

MakeApp = Callable[..., MeetdeckApp]


def main_screen(app: MeetdeckApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


async def test_number_keys_switch_tabs_and_focus_the_table(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        assert active(app).KIND == "organizers"
        for key, kind in (
            ("2", "meetings"),
            ("3", "events"),
            ("4", "registrants"),
            ("5", "recordings"),
            ("6", "support sessions"),
            ("1", "organizers"),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert kind == active(app).KIND
            assert isinstance(app.focused, VirtualTable)
            assert app.focused is active(app).table
        assert "Ada Lovelace" in screen_text(app)


async def test_drill_down_and_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("enter")  # Ada Lovelace -> her meetings
        await pilot.pause()
        pane = active(app)
        assert pane.KIND == "meetings" and pane.scope is not None
        assert pane.scope.organizer_key == "o1"
        assert [
            getattr(pane.table.row_at(i), "key", None) for i in range(pane.table.row_count)
        ] == ["m1"]
        assert "Organizers \u203a Ada Lovelace \u203a Meetings" in screen_text(app)
        await pilot.press("3")  # her trainings and webinars: none
        await pilot.pause()
        assert active(app).table.row_count == 0
        await pilot.press("backspace")
        await pilot.pause()
        pane = active(app)
        assert pane.KIND == "organizers" and pane.table.cursor_key == "o1"
        assert main_screen(app).pane("meetings").scope is None
        # Event -> its registrants; Esc goes back.
        await pilot.press("3", "enter")
        await pilot.pause()
        pane = active(app)
        assert pane.KIND == "registrants" and pane.scope is not None
        assert pane.scope.event_key == "w1"
        assert "Trainings & Webinars \u203a Launch webinar \u203a Registrants" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert active(app).KIND == "events"
        # Meeting -> attendees screen, then back.
        await pilot.press("2", "h")
        await pilot.pause()
        assert active(app).table.cursor_key == "m3"
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen"
        text = screen_text(app)
        assert "Retro \u203a Attendees" in text and HOSTILE in text
        await pilot.press("backspace")
        await pilot.pause()
        assert active(app).KIND == "meetings"


async def test_status_filter_cycles_with_one_key(make_app: MakeApp, deck: FakeDeck) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        pane: Any = active(app)
        assert pane.table.row_count == deck.registrants_total
        seen = []
        for _ in range(len(RegistrantStatus) + 1):
            await pilot.press("v")
            await pilot.pause()
            seen.append((pane.status, pane.table.row_count))
        # The decisions, then who left and statuses no spec documents, then all again.
        assert [status for status, _ in seen[:-1]] == list(RegistrantStatus)
        assert seen[-1] == (None, deck.registrants_total)
        assert sum(count for _, count in seen[:3]) == deck.registrants_total
        assert "status: all" in screen_text(app)


async def test_slash_filters_as_you_type_and_escape_clears(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", "slash")
        await pilot.press(*"person1")
        pane = active(app)
        await wait_for(
            pilot,
            lambda: pane.filter_text == "person1" and pane.table.row_count == 10 + 20,
            what="the rows of 'person1'",
        )
        assert pane.filter_text == "person1"
        # person10..19 and person100..119 (row 1 is the hostile one)
        assert pane.table.row_count == 10 + 20
        await pilot.press("enter")
        assert app.focused is pane.table
        assert "filter: person1" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert pane.filter_text == "" and pane.table.row_count == 120
        assert app.focused is pane.table
        # Number keys typed into the filter are text, not tab switches.
        await pilot.press("slash", "4", "2")
        await wait_for(
            pilot,
            lambda: pane.filter_text == "42",
            what="the filter '42'",
            detail=lambda: active(app),
        )
        assert active(app) is pane and pane.filter_text == "42"


async def test_palette_jumps_to_a_registrant(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"person00077")
        await wait_for(
            pilot,
            lambda: "registrant: Person00077 Test" in screen_text(app),
            what="the palette's hit",
            detail=lambda: screen_text(app),
        )
        assert "registrant: Person00077 Test" in screen_text(app)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: active(app).table.cursor_key == "r00077",
            what="the cursor on the registrant",
        )
        pane = active(app)
        assert pane.KIND == "registrants"
        assert pane.table.cursor_key == "r00077"


async def test_palette_switches_profile(make_app: MakeApp, deck: FakeDeck) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"switch to work")
        await wait_for(
            pilot,
            lambda: "profile: switch to work" in screen_text(app),
            what="the palette's command",
            detail=lambda: screen_text(app),
        )
        assert "profile: switch to work" in screen_text(app)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: app.deck.profile_name == "work", what="the switch to profile work"
        )
        assert app.deck.profile_name == "work"
        assert app.opened_profiles == [None, "work"]  # type: ignore[attr-defined]
        # The new header is drawn after the switch, not with it: wait for the frame.
        await wait_for(
            pilot,
            lambda: screen_lines(app)[0].startswith(" work "),
            what="the header to name profile work",
            detail=lambda: screen_lines(app)[0],
        )
        assert "READ-ONLY" in screen_lines(app)[0]
        assert deck.closed


async def test_what_reaches_the_screen_while_a_switch_recomposes_it_is_dropped(
    make_app: MakeApp,
) -> None:
    """A profile switch replaces the main screen's children. A pane still being mounted
    in the background, the health timer, a resize or a view the old panes loaded can
    reach the screen in between: they find no tabs or header, and must not take the
    app down (a full run once ended in NoMatches during a switch)."""
    from textual.widgets import TabbedContent

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        old_pane = screen.active_pane
        recompose = screen.recompose

        async def recompose_with_traffic() -> None:
            # Textual's recompose removes the children first: the traffic comes then.
            await screen.query_children("*").exclude(".-textual-system").remove()
            assert not screen.query(TabbedContent)
            screen._mount_next_idle_pane()
            screen.update_health()
            screen.on_resize()
            screen._view_loaded(EntityPane.ViewLoaded(old_pane, 1, None))
            await recompose()

        screen.recompose = recompose_with_traffic  # type: ignore[method-assign]
        await app.open_profile("work")
        await wait_for(pilot, lambda: app.deck.profile_name == "work", what="the switch")
        await settle(pilot, app)
        assert app.is_running and app.return_code is None
        assert screen.query(TabbedContent) and screen.settled
        assert screen_lines(app)[0].startswith(" work ")


async def test_help_lists_live_bindings_with_ids(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", "question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "meetdeck keys" in text
        assert "status-filter" in text and "Status" in text  # the registrants pane
        help_text = app.screen.content.plain  # type: ignore[attr-defined]
        for binding_id in ("filter", "copy", "refresh", "sync-all", "tab-support", "help"):
            assert f" {binding_id}\n" in help_text, binding_id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert "meetdeck keys" in screen_text(app)
        await pilot.press("escape")


async def test_keymap_remaps_by_binding_id(make_app: MakeApp) -> None:
    app = make_app(keymap={"status-filter": "z", "tab-registrants": "f4"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        pane = active(app)
        assert pane.KIND == "registrants"
        await pilot.press("z")
        await pilot.pause()
        assert pane.status is RegistrantStatus.PENDING  # type: ignore[attr-defined]


async def test_refresh_keeps_the_cursor_on_the_same_row(make_app: MakeApp, deck: FakeDeck) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", *["j"] * 10)
        pane = active(app)
        assert pane.table.cursor_key == "r00010"

        def new_rows_arrive() -> None:
            # The sync stores three new registrants that sort before the cursor.
            extra = [r for r in deck.registrants_[:3]]
            deck.registrants_[:0] = [
                type(r)(**{**{f: getattr(r, f) for f in r.__dataclass_fields__}, "key": f"new{i}"})
                for i, r in enumerate(extra)
            ]

        deck.on_refresh = new_rows_arrive
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert deck.refreshed
        assert pane.table.row_count == 123
        assert pane.table.cursor_key == "r00010"
        assert pane.table.cursor_row == 13
        assert app.focused is pane.table


async def test_80x24_folds_the_detail_panel(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) == 80 for line in lines)
        assert not active(app).detail.display
        assert "6 Support" in lines[2]
        assert "? Help" in lines[-1]
        # `i` brings the detail back, below the table.
        await pilot.press("i")
        await pilot.pause()
        assert active(app).detail.display
        # The detail's text is drawn in a frame after it is shown: wait for it.
        await wait_for(
            pilot,
            lambda: any(
                "Person00000 Test" in line and "\u2500" not in line
                for line in screen_lines(app)[14:]
            ),
            what="the detail below the table",
            detail=lambda: "\n".join(screen_lines(app)[14:]),
        )


async def test_api_outage_keeps_showing_the_cache(make_app: MakeApp, deck: FakeDeck) -> None:
    deck.fail_refresh = NetworkUnreachable("Cannot reach api.getgo.com; check the network.")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert "Ada Lovelace" in text  # the cached rows stay
        assert "OFFLINE" in screen_lines(app)[0]
        assert "Network unreachable" in text
        assert any(
            "Network unreachable: Cannot reach" in t and "Showing cached data" in t
            for t in toasts(app)
        )


async def test_hostile_registrant_is_shown_literally_and_does_nothing(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", "j")
        await wait_for(
            pilot,
            lambda: screen_text(app).count(HOSTILE) >= 2,
            what="the hostile name in the table and the detail panel",
        )
        text = screen_text(app)
        assert text.count(HOSTILE) >= 2  # the table row and the detail panel title
        await settle(pilot, app)
        table = active(app).table
        # Offsets from the table where the click lands, not from where it was when the
        # test looked (a layout change in between moved the click to another row once).
        await pilot.click(table, offset=(4, 2))  # the hostile row's name
        await pilot.click(table, offset=(table.region.width + 3, 1))  # right of the table
        await settle(pilot, app)
        shown = table.row_at(table.cursor_row)
        assert shown is not None and shown.key == "r00001", shown
        assert app.is_running
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "hostile@example.test"
        assert app.is_running


async def test_copy_toasts_and_tmux_gets_a_passthrough(make_app: MakeApp, monkeypatch: Any) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    monkeypatch.setattr("tui.clipboard._tmux_forwards_clipboard", lambda: True)
    app = make_app()
    written: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        monkeypatch.setattr(app._driver, "write", written.append)
        await pilot.press("Y")
        await wait_for(pilot, lambda: toasts(app), what="the copy's toast")
        assert app.clipboard == "o1"
        assert any(w.startswith("\x1bPtmux;\x1b\x1b]52;c;") for w in written)
        assert ": Copied ID: o1" in toasts(app)


async def test_copy_shows_the_text_where_the_clipboard_cannot_reach(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    monkeypatch.setenv("TERM_PROGRAM", "Apple_Terminal")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "CopyDialog"
        assert "ada@example.test" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def shown_count(app: MeetdeckApp) -> int | None:
    """How many rows the open tab's view holds (None before it has one)."""
    view = active(app).view
    return None if view is None else view.count()


async def test_export_writes_the_filtered_view(make_app: MakeApp, deck: FakeDeck) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("4", "v")
        # `e` exports what the table shows: the pending-only rows, once they are shown.
        await wait_for(
            pilot,
            lambda: shown_count(app) == 40,
            what="the pending registrants shown",
        )
        await pilot.press("e")
        await wait_for(pilot, lambda: deck.exported, what="the export")
        await wait_for(pilot, lambda: toasts(app), what="the export's toast")
        view, path = deck.exported[-1]
        assert view.count() == 40
        assert path.name.startswith("registrants-20250310-120000")
        assert any(f"Exported 40 rows to {path}" in t for t in toasts(app))


async def test_time_zone_cycles(make_app: MakeApp) -> None:
    app = make_app(timezone="UTC", profile_zones={"demo": "Asia/Tokyo"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "meetings")
        assert "2025-03-11 12:00" in screen_text(app)
        labels = []
        for _ in range(3):
            await pilot.press("t")
            await pilot.pause()
            labels.append(app.time_format.label)
        assert labels == ["Asia/Tokyo", "local", "UTC"]
        await pilot.press("t")
        await pilot.pause()
        assert "2025-03-11 21:00" in screen_text(app)


async def test_meeting_window_and_kind(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "meetings")
        pane: Any = active(app)
        assert pane.table.row_count == 2
        await pilot.press("w")  # 90 days
        assert pane.window_days == 90
        await pilot.press("h")
        await pilot.pause()
        assert pane.table.row_count == 1 and "Historical, last 90 days" in screen_text(app)
        await pilot.press("W")
        await pilot.pause()
        await pilot.press(*"2025-03-01..2025-03-05", "enter")
        await pilot.pause()
        assert pane.table.row_count == 0
        assert "2025-03-01 to 2025-03-06" in screen_text(app)


async def test_worker_errors_become_a_toast(make_app: MakeApp, deck: FakeDeck) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    deck.sync_all = broken  # type: ignore[method-assign]
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any(t.startswith("Unexpected error: ") for t in toasts(app))
        assert "syncing" not in screen_lines(app)[0]


async def test_full_sync_shows_progress_then_reloads(make_app: MakeApp, deck: FakeDeck) -> None:
    import asyncio

    deck.gate = asyncio.Event()
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("R")
        await wait_for(
            pilot,
            lambda: "Syncing Zoom organizers \u00b7 1/7 scopes" in screen_text(app),
            what="the sync bar's first scope",
            detail=lambda: screen_text(app),
        )
        bar = app.screen.query_one("#sync-bar")
        assert bar.has_class("-active")
        assert "Syncing Zoom organizers \u00b7 1/7 scopes" in screen_text(app)
        assert "syncing" in screen_lines(app)[0]
        assert isinstance(app.focused, VirtualTable)
        deck.gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not bar.has_class("-active")
        assert ": Synced 7 scopes." in toasts(app)
        assert "syncing" not in screen_lines(app)[0]


async def test_the_filter_reads_off_the_ui_thread_and_the_newest_wins(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """Each keystroke's query runs in a thread; a slow answer to an older keystroke
    arriving after the newer one's is dropped, and the cursor starts on the first match."""
    import threading
    import time

    plain = deck.registrants
    threads: list[str] = []

    slow_started: list[bool] = []

    def registrants(q: Any = None) -> Any:
        threads.append(threading.current_thread().name)
        if q is not None and q.text == "person1":
            slow_started.append(True)
            time.sleep(0.3)  # the older keystroke's query is the slow one
        return plain(q) if q is not None else plain()

    monkeypatch.setattr(deck, "registrants", registrants)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        await pilot.press("j", "j", "j")
        threads.clear()
        await pilot.press("slash", *"person1")
        await wait_for(pilot, lambda: slow_started, what="the reader to start on 'person1'")
        await pilot.press("2")  # "person12" while "person1" is still being read
        await wait_for(
            pilot,
            lambda: pane.filter_text == "person12" and pane.table.row_count == 1,
            what="the rows of 'person12'",
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert pane.filter_text == "person12"
        assert pane.table.row_count == 1  # person12 (the slow "person1" had 31)
        value = pane.table.cursor_value
        assert pane.table.cursor_key is not None and value is not None
        assert "person12@" in str(value.email)
        assert pane.table.cursor_row == 0
        assert "filter: person12" in screen_text(app)
        assert threading.main_thread().name not in threads


async def test_a_quick_filter_answer_is_shown_with_the_keystroke(
    make_app: MakeApp, monkeypatch: Any
) -> None:
    """The box reports a typed change inside the key's handler and the UI thread waits
    briefly for the reader thread: the rows are in place before the event loop runs
    again, so the frame that echoes the key shows them (not one 8-16 ms later)."""
    from tui.widgets import pane_filter

    monkeypatch.setattr(pane_filter, "QUICK_WAIT", 5.0)  # the mechanism, not the clock
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "slash", "p")
        pane = active(app)
        await wait_for(pilot, lambda: pane.filter_text == "p", what="the filter 'p'")
        box = pane.filter_box
        assert box is not None and pane.filter_text == "p"
        box.insert_text_at_cursor("erson1")  # what a keystroke does, in its handler
        # No await since: no later callback can have delivered these rows.
        assert pane.filter_text == "person1"
        assert pane.table.row_count == 10 + 20


async def test_after_a_slow_filter_read_the_next_keystroke_is_still_waited_for(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """One read slower than the wait (a cold page, a busy machine) must not make every
    later keystroke paint its echo alone and its rows a frame or two later: each
    keystroke waits (briefly) for its own read."""
    import threading

    from tui.widgets import pane_filter

    plain = deck.registrants
    release = threading.Event()

    def registrants(q: Any = None) -> Any:
        if q is not None and q.text == "p":
            release.wait(10)  # this read outlasts the UI thread's wait
        return plain(q) if q is not None else plain()

    monkeypatch.setattr(deck, "registrants", registrants)
    monkeypatch.setattr(pane_filter, "QUICK_WAIT", 0.01)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "slash", "p")
        pane = active(app)
        release.set()
        await wait_for(
            pilot,
            lambda: pane.filter_text == "p" and pane.filter.idle,
            what="the slow read of 'p' shown",
        )
        monkeypatch.setattr(pane_filter, "QUICK_WAIT", 5.0)  # the mechanism, not the clock
        box = pane.filter_box
        assert box is not None
        box.insert_text_at_cursor("erson1")  # what a keystroke does, in its handler
        # No await since: the rows are in place before the loop runs again.
        assert pane.filter_text == "person1"
        assert pane.table.row_count == 10 + 20


async def test_a_filter_longer_than_its_box_scrolls_to_the_cursor(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("4", "slash")
        await pilot.pause()
        text = "".join(f"{n:03d}" for n in range(60))  # 180 characters
        await type_at_once(pilot, app, text)
        await wait_for(
            pilot,
            lambda: (
                active(app).filter_text == text
                and any(text[-30:] in line for line in screen_lines(app))
            ),
            what="the whole filter typed and its end in view",
        )
        assert active(app).filter_text == text
        box_line = next(line for line in screen_lines(app) if text[-30:] in line)
        assert text[:30] not in box_line


async def test_the_key_bar_is_one_widget_and_a_click_presses_the_key(
    make_app: MakeApp,
) -> None:
    from tui.widgets.keybar import KeyBar

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        bar = app.screen.query_one(KeyBar)
        assert not bar.children
        text = screen_lines(app)[-1]
        assert "/ Filter" in text and "^p Palette" in text
        x = text.index("/ Filter")
        await pilot.click(KeyBar, offset=(x + 1, 0))
        await pilot.pause()
        box = active(app).filter_box
        assert box is not None and box.has_focus


async def test_keys_typed_right_after_slash_go_to_the_filter(make_app: MakeApp) -> None:
    """A burst like "/ada<Enter>" (a fast typist, a paste, a slow link) reaches the app
    before the filter box has focus: the letters are the filter, never Approve (`a`),
    Deny (`d`) or a tab switch, and Enter keeps the filter instead of opening a row."""
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        screens = len(app.screen_stack)
        for key, char in [("slash", "/"), ("a", "a"), ("d", "d"), ("4", "4"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await wait_for(
            pilot,
            lambda: pane.filter_text == "ad4" and app.focused is pane.table,
            what="the posted keys to be handled (enter ends the filter)",
            detail=lambda: (pane.filter_text, app.focused, app.screen_stack),
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen_stack) == screens, app.screen_stack  # no dialog opened
        assert active(app) is pane
        assert pane.filter_text == "ad4"
        assert app.focused is pane.table
        assert not toasts(app), toasts(app)
        # Afterwards the table's keys are the table's again.
        await pilot.press("j")
        assert pane.filter_text == "ad4"


async def test_after_the_first_frame_garbage_is_collected_in_the_pauses(
    make_app: MakeApp,
) -> None:
    """`meetdeck` starts with the garbage collector off (tui.cli.main). Once the first
    frame is drawn the app freezes what startup made and collects in the pauses
    (tui.startup; when exactly is tested there with a fake clock): garbage made while
    the person types is gone once they stop, and the process's own collector is back
    when the app ends."""
    import gc
    import weakref

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only a collection frees it

    frozen = gc.get_freeze_count()  # the session's own freeze (tests/conftest.py)
    # The collector's own thresholds, which the app runs with: the suite raises the
    # young one (tests/conftest.py), and 2,000 cycles would then not reach it alone.
    thresholds = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    gc.disable()
    try:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(
                pilot, lambda: gc.get_freeze_count() > frozen, what="the first frame's freeze"
            )
            assert not gc.isenabled()
            garbage = [Node() for _ in range(2000)]
            probe = weakref.ref(garbage[0])
            del garbage
            assert probe() is not None  # a cycle: no reference count frees it
            await pilot.press("j")
            await wait_for(pilot, lambda: probe() is None, what="a collection in the pause")
            assert not gc.isenabled()  # so the pacer collected it, in the pause
        assert gc.isenabled()
    finally:
        gc.set_threshold(*thresholds)
        gc.enable()
        gc.unfreeze()
        if frozen:  # the session's freeze again, without this test's garbage
            gc.collect()
            gc.freeze()


def test_only_the_tui_starts_with_the_collector_off() -> None:
    import subprocess
    import sys

    code = (
        "import gc, sys; from tui import cli, cli_parser\n"
        "cli_parser.build_parser = None  # stop right after the decision\n"
        "sys.argv = ['meetdeck'] + sys.argv[1:]\n"
        "try:\n    cli.main()\nexcept TypeError:\n    pass\n"
        "print(gc.isenabled())"
    )
    outputs = []
    for extra in (["--demo", "--no-such-option"], ["config", "--no-such-option"]):
        done = subprocess.run(
            [sys.executable, "-c", code, *extra],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        outputs.append(done.stdout.strip())
    assert outputs == ["False", "True"]


async def test_a_one_letter_filter_shows_rows_before_its_count(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """A filter whose count must scan every row (one letter on a big webinar) shows
    the rows on screen at once, says "33+" (as many as it read), then the full count
    when it is known, and the rows past the first screenful are the right ones."""
    import re
    import threading

    from tui.widgets.virtual_table import PAGE_SIZE

    plain = deck.registrants
    release = threading.Event()

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        return (
            CountedLater(view, lambda: release.wait(5)) if q is not None and q.text == "e" else view
        )

    monkeypatch.setattr(deck, "registrants", registrants)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        pane = active(app)
        await wait_for(pilot, lambda: pane.table.data_height > 0, what="the table laid out")
        await pilot.press("slash", "e")
        await wait_for(
            pilot,
            lambda: re.search(r"\b\d+\+ registrants", screen_text(app)) is not None,
            what="the rows on screen of 'e'",
            detail=lambda: screen_text(app),
        )
        on_screen = pane.table.row_count
        # As many as the table shows (the box may have been mounted after the key).
        assert pane.table.data_height <= on_screen < PAGE_SIZE
        assert f"{on_screen}+ registrants" in screen_text(app)
        release.set()
        await wait_for(
            pilot,
            lambda: "120 registrants" in screen_text(app),
            what="the full count of 'e'",
            detail=lambda: screen_text(app),
        )
        assert pane.table.row_count == 120  # every person's email has an "e"
        assert "120 registrants" in screen_text(app)
        assert "+ registrants" not in screen_text(app)
        await pilot.press("enter", *"j" * (on_screen + 2))
        await wait_for(pilot, lambda: pane.settled, what="the cursor past the first rows")
        shown = pane.last_query
        assert shown is not None
        expected = plain(shown).rows(on_screen + 2, 1)[0]
        assert pane.table.cursor_key == expected.key


async def test_a_short_filters_count_waits_for_the_typing_to_pause(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """The count of one letter reads every row: it starts once no key has come for
    TYPING_PAUSE, and a letter typed before that skips it (the next key does not share
    the cores with it)."""
    import time

    from tui.widgets import pane_filter

    plain = deck.registrants
    counted: dict[str, float] = {}

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        if q is None or q.text not in ("e", "x"):
            return view
        text = q.text
        return CountedLater(view, lambda: counted.setdefault(text, time.monotonic()))

    monkeypatch.setattr(deck, "registrants", registrants)
    monkeypatch.setattr(pane_filter, "TYPING_PAUSE", 1.0)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        await pilot.press("slash")
        typed = time.monotonic()
        await pilot.press("e")
        await wait_for(
            pilot,
            lambda: "120 registrants" in screen_text(app),
            what="the full count of 'e'",
            detail=lambda: screen_text(app),
        )
        assert counted["e"] - typed >= 1.0  # not before the typing paused for 1 s
        # Typing on: the count of "x" (after Backspace) waits, and "xy" skips it.
        monkeypatch.setattr(pane_filter, "TYPING_PAUSE", 3600.0)
        await pilot.press("backspace", "x")
        await wait_for(
            pilot,
            lambda: "filter: x" in screen_text(app),
            what="the first rows of 'x'",
            detail=lambda: screen_text(app),
        )
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: "filter: xy" in screen_text(app) and active(app).filter.idle,
            what="'xy' read and counted",
            detail=lambda: screen_text(app),
        )
        assert "x" not in counted


async def test_a_three_letter_filters_count_does_not_wait_for_a_pause(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """A term of three letters with many matches is counted in the trigram index, right
    after its first rows: the next keystroke narrows those matches (typing on must not
    skip it, as it skips the count of one or two letters)."""
    from tui.widgets import pane_filter

    plain = deck.registrants
    counted: list[str] = []

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        if q is None or q.text != "son":
            return view
        return CountedLater(view, lambda: counted.append(q.text))

    monkeypatch.setattr(deck, "registrants", registrants)
    monkeypatch.setattr(pane_filter, "TYPING_PAUSE", 3600.0)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        await pilot.press("slash", "s", "o", "n")
        await wait_for(
            pilot,
            lambda: counted == ["son"] and active(app).filter.idle,
            what="the count of 'son'",
            detail=lambda: screen_text(app),
        )


async def test_a_three_letter_filters_count_lets_its_rows_reach_the_terminal_first(
    make_app: MakeApp, deck: FakeDeck, monkeypatch: Any
) -> None:
    """The count of a longer term starts COUNT_SETTLE after its rows were painted (handed
    to the writer thread), not at once: the terminal reads and draws the frame without
    the count on the other core (issue 18). A keystroke meanwhile skips it."""
    import time

    from tui.widgets import pane_filter

    plain = deck.registrants
    counted: dict[str, float] = {}

    def registrants(q: Any = None) -> Any:
        view = plain(q) if q is not None else plain()
        if q is None or q.text != "son":
            return view
        return CountedLater(view, lambda: counted.setdefault("son", time.monotonic()))

    monkeypatch.setattr(deck, "registrants", registrants)
    monkeypatch.setattr(pane_filter, "TYPING_PAUSE", 3600.0)
    monkeypatch.setattr(pane_filter, "COUNT_SETTLE", 1.0)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        typed = time.monotonic()
        await pilot.press("slash", "s", "o", "n")
        await wait_for(
            pilot,
            lambda: "son" in counted and active(app).filter.idle,
            what="the count of 'son'",
            detail=lambda: screen_text(app),
        )
        assert counted["son"] - typed >= 1.0  # not right after its rows were painted
        # A keystroke before the count starts skips it.
        monkeypatch.setattr(pane_filter, "COUNT_SETTLE", 3600.0)
        counted.clear()
        await pilot.press("escape", "slash", "s", "o", "n")
        await wait_for(
            pilot,
            lambda: "filter: son" in screen_text(app),
            what="the first rows of 'son' again",
            detail=lambda: screen_text(app),
        )
        await pilot.press("s")
        await wait_for(
            pilot,
            lambda: "filter: sons" in screen_text(app) and active(app).filter.idle,
            what="'sons' read",
            detail=lambda: screen_text(app),
        )
        assert "son" not in counted


async def test_q_quits_at_once_when_nothing_downloads(make_app: MakeApp, deck: FakeDeck) -> None:
    deck.downloads_ = [DownloadProgress("r0", "Old.mp4", DownloadState.DONE)]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        # Until it has gone (no dialog in between); `wait_for` fails when the app exits.
        for _ in range(int(TIMEOUT / STEP)):
            if not app.is_running or isinstance(app.screen, ConfirmDialog):
                break
            await pilot.pause(STEP)
        assert not app.is_running


async def test_q_during_a_download_asks_first_with_cancel_focused(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    deck.downloads_ = [
        DownloadProgress(
            "r1", "Weekly [b]sync[/b].mp4", DownloadState.RUNNING, received=10, total=100
        ),
        DownloadProgress("r2", "Retro.mp4", DownloadState.QUEUED),
    ]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        assert isinstance(app.focused, Button) and app.focused.id == "cancel"
        text = screen_text(app)
        assert "2 downloads are not finished: Weekly [b]sync[/b].mp4, Retro.mp4." in text
        assert ".part" in text and "resumes" in text
        await pilot.press("q")  # a second q while asking changes nothing
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, ConfirmDialog)]) == 1
        await pilot.press("enter")  # Cancel
        await pilot.pause()
        assert app.is_running and not isinstance(current(app), ConfirmDialog)
        await pilot.press("q")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        assert not app.is_running


async def test_startup_warnings_are_notifications(make_app: MakeApp) -> None:
    app = make_app(warnings=("The config file /x/config.toml holds client secrets [b]x[/b].",))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert any("holds client secrets [b]x[/b]" in t for t in toasts(app))


async def test_letters_typed_in_the_shown_start_link_do_nothing(make_app: Any) -> None:
    """Once the link is shown (`v`), the person reads or selects it there: a word typed
    into it ("cover") must not copy the link, reload it or open a browser."""
    from textual.widgets import TextArea

    from tui.core.models import StartUrl

    app = make_app()
    opened: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.show_start_url(StartUrl("https://global.gotomeeting.com/s/1", refusal=None), "Sync")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartUrlDialog", what="dialog")
        dialog: Any = app.screen
        dialog.can_open = True
        dialog.action_open_browser = lambda: opened.append("open")
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        before = app.clipboard
        await pilot.press(*"cover")
        await pilot.pause()
        assert app.screen is dialog and app.clipboard == before and opened == []
        await pilot.press("tab")  # back on the buttons, the keys work again
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "https://global.gotomeeting.com/s/1"


def test_esc_and_a_digit_in_one_read_are_two_keys() -> None:
    """Textual read ESC 2 (one read over a slow link) as "™"; the app reads alt+2."""
    from textual._xterm_parser import XTermParser

    from tui.escape_digits import plain_escape_digits

    plain_escape_digits()
    for digit in "1234567890":
        parser = XTermParser()
        keys = [getattr(e, "key", None) for e in parser.feed(f"\x1b{digit}j")]
        with contextlib.suppress(Exception):  # the end of the input
            keys += [getattr(e, "key", None) for e in parser.feed("")]
        assert keys == [f"alt+{digit}", "j"]


async def test_esc_then_a_digit_closes_the_filter_and_switches_tab(make_app: MakeApp) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "slash", *"ga")
        pane = active(app)
        await wait_for(pilot, lambda: pane.filter_text == "ga", what="the filter")
        app.post_message(events.Key("alt+2", "2"))  # Esc and 2 in one read
        await wait_for(pilot, lambda: active(app).id != pane.id, what="the tab to change")
        assert pane.filter_text == "" and "™" not in screen_text(app)
        screen = app.screen
        assert isinstance(screen, MainScreen) and active(app) is screen.pane("meetings")


async def test_a_misspelt_keymap_id_is_an_error_naming_it(make_app: MakeApp) -> None:
    app = make_app(keymap={"aprove": "A", "deny": "D"})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "ErrorDialog" in type(app.screen).__name__, what="error")
        text = screen_text(app)
        assert "'aprove' (did you mean 'approve'?)" in text
        assert "Known ids:" in text and "deny" in text
        assert app.keymap == {"deny": "D"}  # the known one still applies


def test_every_binding_id_is_known() -> None:
    """The ids the help screen shows are the ones [keymap] accepts."""
    from tui.bindings import binding_ids, check_keymap

    ids = binding_ids()
    assert {"approve", "deny", "filter", "start-url", "confirm-cancel"} <= ids
    check_keymap(dict.fromkeys(ids, "x"))  # no error


async def test_a_theme_picked_in_the_palette_is_kept_for_the_next_start(
    make_app: MakeApp, tmp_path: Any
) -> None:
    from tui.core.settings.ui_state import remembered_theme

    state = tmp_path / "data" / "ui-state.json"
    app = make_app(ui_state=state)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.switch_theme("nord")
        await pilot.pause()
        assert app.theme == "nord"
    assert remembered_theme(state) == "nord"
    state.write_text("{not json", encoding="utf-8")
    assert remembered_theme(state) is None  # a corrupt file remembers nothing
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    app = make_app(ui_state=blocked / "ui-state.json")  # its folder is a file
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.switch_theme("nord")
        await pilot.pause()
        assert app.theme == "nord"
        assert any("could not be kept for the next start" in t for t in toasts(app))


async def test_vim_keys_in_help_and_dialogs(make_app: MakeApp) -> None:
    from textual.containers import VerticalScroll

    app = make_app()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("4", "question_mark")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpScreen", what="help")
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        # A scroll lands after the next refresh: wait for it, not for an idle guess.
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y, what="G: the end")
        await pilot.press("g")
        await wait_for(pilot, lambda: scroll.scroll_y == 0, what="g: the top")
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: scroll.scroll_y == 2, what="j j: two lines down")
        await pilot.press("escape")
        app.push_screen(ConfirmDialog("Cancel the session?", ["It ends for everyone."], "End it"))
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="dialog")
        first = app.focused
        await pilot.press("j")
        await wait_for(
            pilot,
            lambda: app.focused is not first and isinstance(app.focused, Button),
            what="j: the next button",
        )
        await pilot.press("k")
        await wait_for(pilot, lambda: app.focused is first, what="k: the first button again")


async def test_a_narrow_footer_keeps_refresh_and_help(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await show_tab(pilot, app, "registrants")
        footer = screen_lines(app)[-1]
        assert "r Refresh" in footer and "? Help" in footer, footer
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        footer = screen_lines(app)[-1]
        # With room to spare, the keys the footer otherwise leaves out are shown too.
        assert "v Status" in footer and "y Copy" in footer, footer


@pytest.mark.parametrize(
    ("width", "shown", "not_shown"), [(80, "-narrow", "-wide"), (150, "-wide", "-narrow")]
)
async def test_the_main_screen_has_its_width_class_before_the_first_resize(
    make_app: MakeApp, width: int, shown: str, not_shown: str
) -> None:
    """The breakpoint class is there when the screen is made, so the first Resize
    changes no class (Textual restyled every widget of the first frame for it)."""
    app = make_app()
    async with app.run_test(size=(width, 30)):
        fresh = MainScreen()
        assert fresh.has_class(shown) and not fresh.has_class(not_shown)
        assert app.screen.has_class(shown) and not app.screen.has_class(not_shown)


async def test_the_first_tabs_table_has_the_focus_from_the_start(make_app: MakeApp) -> None:
    """The screen focuses the first tab's table itself: Textual's first focusable
    widget, the tab bar, was focused and restyled before the first frame, then blurred
    and restyled again after it."""
    from textual import events

    blurs: list[events.Blur] = []
    watching = [True]

    def hook(message: object) -> None:
        if watching[0] and isinstance(message, events.Blur):
            blurs.append(message)

    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot, app)
        watching[0] = False
        assert isinstance(app.screen.focused, VirtualTable)
    assert blurs == [], "a widget was focused, then blurred, while the app started"


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_every_tab_stays_in_a_narrow_tab_bar(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    """#17.7: at 60x20 (and 80x24) each tab selected in turn shows its label in full, and
    no other tab is scrolled out of the bar: every tab's number is on it."""
    from textual.widgets import TabbedContent, Tabs

    from tui.widgets.panes import PANES, TAB_IDS

    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tabs, bar = screen.query_one(TabbedContent), screen.query_one(Tabs)
        for number, (tab, pane) in reversed(list(enumerate(zip(TAB_IDS, PANES, strict=True), 1))):
            await pilot.press(str(number))
            label = f"{number} {pane.SHORT_TITLE or pane.TITLE}"

            def shown(tab: str = tab, label: str = label) -> bool:
                line = screen_lines(app)[bar.region.y]
                numbers = all(f"{n} " in f"{line} " for n in range(1, len(TAB_IDS) + 1))
                return tabs.active == tab and label in line and numbers

            await wait_for(
                pilot,
                shown,
                what=f"{label!r} and every tab's number in the bar",
                detail=lambda: screen_lines(app)[bar.region.y],
            )


async def test_one_row_is_counted_in_the_singular(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4", "slash", *"person12", "enter")
        pane = active(app)
        await wait_for(pilot, lambda: pane.table.row_count == 1, what="one row")
        await wait_for(pilot, lambda: "1 registrant ·" in screen_text(app), what="the count")
        assert "1 registrants" not in screen_text(app)


async def test_a_failed_single_row_is_not_said_to_stay_marked(
    make_app: MakeApp, deck: FakeDeck
) -> None:
    from tui.core.deck.types import ActionPlan
    from tui.core.models import ActionOutcome, ActionResult
    from tui.core.providers.capabilities import ALLOWED, RegistrantAction
    from tui.screens.write_flows import WriteFlows

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        person = pane.table.row_at(0)
        assert person is not None
        plan = ActionPlan(
            RegistrantAction.APPROVE,
            person.provider,
            person.event_key,
            person.event_kind,
            "Town hall",
            deck.profile_name,
            (person,),
            ALLOWED,
        )
        failed = ActionResult("approve", (ActionOutcome(person.key, False, "Gone."),))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        flows = WriteFlows(screen)
        flows.tell_outcome(plan, failed, marked=False)
        await wait_for(pilot, lambda: "Gone." in screen_text(app), what="the result dialog")
        assert "stay marked" not in screen_text(app)
        await pilot.press("escape")
        flows.tell_outcome(plan, failed, marked=True)
        await wait_for(pilot, lambda: "They stay marked" in screen_text(app), what="marked")


async def test_the_palette_runs_any_key_of_the_screen(make_app: MakeApp) -> None:
    """Every key of the tab below is a palette command ("registrants: status"), titled
    `group: action` with its key in the help, and runs what the key runs."""
    from tui.commands import key_commands
    from tui.widgets.registrants_pane import RegistrantsPane

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        assert isinstance(pane, RegistrantsPane)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        titles = {title: help_text for title, help_text, _ in key_commands(screen)}
        assert titles["registrants: approve"].startswith("Key: a")
        assert "registrants: status" in titles and "everywhere: export csv" in titles
        assert "table: mark" in titles and "table: down" not in titles
        assert pane.status is None
        await pilot.press("ctrl+p", *"registrants: status")
        await wait_for(
            pilot,
            lambda: "registrants: status" in screen_text(app),
            what="the command",
            detail=lambda: screen_text(app),
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.status is not None, what="the status filter")
        assert pane.status is RegistrantStatus.PENDING


async def test_records_rank_above_commands_and_themes(make_app: MakeApp) -> None:
    """Textual's fuzzy scores run past 10: unscaled, any theme outranked every record."""
    from textual.command import CommandList

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"test")  # also a fuzzy match of "theme: solarized-light"
        await wait_for(
            pilot,
            lambda: "registrant: Person" in screen_text(app),
            what="the records",
            detail=lambda: screen_text(app),
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one(CommandList)
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("registrant: "), first
