"""Sort by any column (`<` `>` `I`, a click on a title), kept per tab and across runs;
open where you need to be (`--view`, `--event`, `--status`, `--filter`); the profile
switcher (`P`). Pilot tests on the real Deck (the synced demo cache) and the FakeDeck."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.app import active, show_tab
from tests.support.fakedeck import NOW, FakeDeck
from tests.support.screen import notices, screen_lines, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.models import RegistrantStatus
from tui.core.settings.ui_state import remember_theme, remembered_sorts, remembered_theme
from tui.screens.main import MainScreen
from tui.screens.profiles import ProfileSwitcher
from tui.ui_options import StartView, UiOptions

MakeApp = Callable[..., MeetdeckApp]


def header(app: MeetdeckApp) -> str:
    """The active table's title line."""
    table = active(app).table
    return screen_lines(app)[table.region.y]


def shown(app: MeetdeckApp, column: str) -> list[Any]:
    """One field of every row of the active table, in the table's order."""
    table = active(app).table
    return [getattr(table.row_at(i), column) for i in range(table.row_count)]


async def test_keys_cycle_the_sort_and_reverse_it_keeping_the_cursor(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(220, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        assert "Name \u25b2" in header(app)
        await pilot.press("j", "j", "j")
        kept = pane.table.cursor_key
        await pilot.press("greater_than_sign")
        emails = shown(app, "email")
        assert emails == sorted(emails) and emails != shown(app, "email")[::-1]
        assert "Email \u25b2" in header(app) and "Name \u25b2" not in header(app)
        assert pane.table.cursor_key == kept  # the same person, wherever they went
        assert "by Email \u25b2" in screen_lines(app)[pane.region.y]
        await pilot.press("I")
        assert shown(app, "email") == emails[::-1]
        assert "Email \u25bc" in header(app)
        assert pane.table.cursor_key == kept
        # `>` goes on to Status (ties by name), `<` comes back to Email ascending.
        await pilot.press("greater_than_sign")
        statuses = [(r.status.value, r.name.casefold()) for r in shown_rows(app)]
        assert [s for s, _ in statuses] == sorted(s for s, _ in statuses)
        await pilot.press("less_than_sign")
        assert shown(app, "email") == emails
        assert any("Sorted by Email" in t for t in toasts(app))


def shown_rows(app: MeetdeckApp) -> list[Any]:
    table = active(app).table
    return [table.row_at(i) for i in range(table.row_count)]


async def test_a_click_on_a_title_sorts_by_it_and_again_reverses(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(220, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        table = active(app).table
        line = header(app)
        x = line.index("Registered")
        await pilot.click(offset=(x + 1, table.region.y))
        times = shown(app, "registered_at")
        assert times == sorted(times) and "Registered \u25b2" in header(app)
        await pilot.click(offset=(x + 1, table.region.y))
        assert shown(app, "registered_at") == times[::-1]
        assert "Registered \u25bc" in header(app)
        # A column the cache cannot order says so, and the order stays.
        await pilot.click(offset=(header(app).index("Provider") + 1, table.region.y))
        assert any("The Provider column cannot be sorted" in t for t in toasts(app))
        assert shown(app, "registered_at") == times[::-1]


async def test_each_tab_keeps_its_sort_through_tabs_drills_and_runs(
    real_app: MakeApp, tmp_path: Path
) -> None:
    state = tmp_path / "ui-state.json"
    assert remember_theme(state, "nord") is None  # kept beside the sorts
    app = real_app(ui_state=state)
    async with app.run_test(size=(220, 40)) as pilot:
        await pilot.press("4", "greater_than_sign", "I")
        await pilot.press("3")
        # the events tab has its own order
        await wait_for(pilot, lambda: "Start \u25b2" in header(app), what="events by start")
        await pilot.press("enter")  # into the first event's registrants
        await wait_for(pilot, lambda: active(app).scope is not None, what="the drill-down")
        await wait_for(pilot, lambda: "Email \u25bc" in header(app), what="by email, down")
        emails = shown(app, "email")
        assert emails == sorted(emails, reverse=True)
        await pilot.press("backspace", "4")
        await wait_for(pilot, lambda: "Email \u25bc" in header(app), what="by email, down")
    assert remembered_sorts(state) == {"registrants": ("email", True)}
    assert remembered_theme(state) == "nord"

    again = real_app(ui_state=state, sorts=remembered_sorts(state))
    async with again.run_test(size=(220, 40)) as pilot:
        await pilot.press("4")
        await wait_for(pilot, lambda: "Email \u25bc" in header(again), what="the kept sort")
        emails = shown(again, "email")
        assert emails == sorted(emails, reverse=True)


async def test_start_on_an_events_registrants_with_status_and_filter(real_app: MakeApp) -> None:
    probe = real_app()
    async with probe.run_test(size=(220, 40)) as pilot:
        await pilot.press("3")
        event = active(probe).table.cursor_value
        assert event is not None
    app = real_app(start=StartView(event=event.key, status="approved", filter="a"))
    async with app.run_test(size=(220, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen)
                and app.screen.active_pane.KIND == "registrants"
                and active(app).scope is not None
            ),
            what="the event's registrants",
        )
        pane: Any = active(app)
        assert pane.scope.event_key == event.key and pane.status is RegistrantStatus.APPROVED
        assert pane.filter_text == "a"
        rows = shown_rows(app)
        assert rows and all(
            r.event_key == event.key and r.status is RegistrantStatus.APPROVED for r in rows
        )
        # The breadcrumb names the event (a long title is cut at the screen's edge).
        assert event.title[:40] in screen_lines(app)[1]
        await pilot.press("escape", "backspace")  # clear the filter, then back
        assert active(app).KIND == "events" and active(app).table.cursor_key == event.key


async def test_start_on_a_tab_and_on_an_event_not_cached(real_app: MakeApp) -> None:
    app = real_app(start=StartView(view="recordings"))
    async with app.run_test(size=(220, 40)) as pilot:
        await wait_for(pilot, lambda: active(app).KIND == "recordings", what="the recordings")
    app = real_app(start=StartView(event="999000111"))
    async with app.run_test(size=(220, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: active(app).KIND == "registrants", what="registrants")
        assert active(app).table.row_count == 0
        assert any("no training or webinar 999000111" in t for t in toasts(app))


async def test_the_profile_switcher_lists_marks_and_opens(make_app: MakeApp) -> None:
    app = make_app(profiles={"work": ("red", True)})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("P")
        assert isinstance(app.screen, ProfileSwitcher)
        lines = "\n".join(screen_lines(app))
        assert "demo" in lines and "(open now)" in lines
        work_line = next(line for line in screen_lines(app) if " work " in line)
        assert "READ-ONLY" in work_line
        entries = app.screen.entries
        assert [(e.name, e.current) for e in entries] == [("demo", True), ("work", False)]
        options = app.screen.query_one("#profiles")
        assert options.highlighted == 0  # type: ignore[attr-defined]
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("P", "j", "enter")
        await wait_for(pilot, lambda: app.deck.profile_name == "work", what="the switch")
        assert app.opened_profiles[-1] == "work"  # type: ignore[attr-defined]
        assert "READ-ONLY" in screen_lines(app)[0]


async def test_a_profile_slow_to_open_leaves_the_screen_live(deck: FakeDeck) -> None:
    """A profile whose cache takes long to open (an older meetdeck's, converted first)
    is opened off the screen's thread: a toast says so, keys still work on the profile
    open now, a second pick is refused while the first opens, and the switch happens
    when the open ends."""
    release = threading.Event()

    def factory(profile: str | None) -> Any:
        if profile == "work":
            release.wait(timeout=30)  # before: the whole screen waited here
            return FakeDeck(profile_name="work", accent="red")
        return deck

    options = UiOptions(sync_on_start=False, timezone="UTC", profiles={"work": ("red", False)})
    app = build_app(factory, options, clock=lambda: NOW)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("P", "j", "enter")
        await wait_for(
            pilot,
            lambda: any("Opening profile work" in n for n in notices(app)),
            what="the toast of a slow open",
            timeout=20,
        )
        assert app.deck.profile_name == "demo"
        await pilot.press("4")  # the open profile answers keys
        await wait_for(pilot, lambda: active(app).KIND == "registrants", what="the tab")
        await app.open_profile("work")
        assert any("Still opening profile work" in n for n in notices(app))
        release.set()
        await wait_for(pilot, lambda: app.deck.profile_name == "work", what="the switch")
        await wait_for(pilot, lambda: "work" in screen_lines(app)[0], what="the new header")
