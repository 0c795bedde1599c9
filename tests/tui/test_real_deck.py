"""Pilot tests on the real Deck: a cache synced from the sandbox, real SQLite, real HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.support.app import active, quiet, settle, show_tab
from tests.support.control import Control
from tests.support.demo import unreachable_url
from tests.support.screen import notices, screen_lines, screen_text, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp

MakeApp = Callable[..., MeetdeckApp]
HOSTILE = "[@click=app.quit]x"


def rows_of(pane: Any) -> list[Any]:
    """Every row the pane's table shows, in order."""
    source = pane.table.source
    assert source is not None
    return list(source.rows(0, pane.table.row_count))


async def test_every_tab_shows_cached_rows_at_once(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        counts = {}
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
            pane = active(app)
            counts[pane.KIND] = pane.table.row_count
        assert all(counts[k] > 0 for k in ("organizers", "events", "registrants")), counts
        assert counts["meetings"] > 0 and counts["recordings"] > 0, counts
        assert "data 5m ago" in screen_lines(app)[0]


async def test_api_outage_shows_the_cache_and_says_so(real_app: MakeApp) -> None:
    app = real_app(base_url=unreachable_url())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "registrants")
        before = active(app).table.row_count
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        pane = active(app)
        assert pane.table.row_count == before > 0
        header = screen_lines(app)[0]
        assert "OFFLINE" in header, header
        assert any("Network unreachable" in t or "unreachable" in t.lower() for t in toasts(app)), (
            toasts(app)
        )
        assert "Showing cached data" in " ".join(toasts(app))


async def test_markup_named_registrant_is_literal_and_harmless(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("4", "slash", *"click=app", "enter")
        pane = active(app)
        await wait_for(
            pilot,
            lambda: (
                pane.filter_text == "click=app"
                and app.focused is pane.table
                and pane.table.row_count > 0
            ),
            what="the filtered rows",
        )
        assert pane.table.row_count > 0
        row: Any = pane.table.cursor_value
        assert row.first_name == HOSTILE
        text = screen_text(app)
        assert HOSTILE in text
        region = pane.table.region
        await pilot.click(offset=(region.x + 5, region.y + 1))
        await pilot.press("enter", "y")
        await pilot.pause()
        assert app.is_running
        assert app.clipboard == row.email


async def test_refresh_on_the_sandbox_keeps_the_cursor(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "events")
        events = active(app)
        biggest = max(
            range(events.table.row_count),
            key=lambda i: getattr(events.table.row_at(i), "registrants", 0) or 0,
        )
        events.table.cursor_row = biggest
        await pilot.press("enter")
        await pilot.pause()
        pane = active(app)
        assert pane.KIND == "registrants" and pane.table.row_count >= 600
        await pilot.press(*["j"] * 25)
        key = pane.table.cursor_key
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not [t for t in toasts(app) if "rror" in t], toasts(app)
        assert pane.table.cursor_key == key
        assert app.focused is pane.table


async def test_palette_finds_rows_through_the_search_index(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        from tui.commands import SEARCH_LIMIT

        hits = app.deck.search("Trudy", limit=SEARCH_LIMIT)  # as many as the palette asks
        assert hits
        target = next(h for h in hits if h.kind == "registrant")
        await pilot.press("ctrl+p", *"Trudy")
        await wait_for(
            pilot,
            lambda: "registrant: " in screen_text(app),
            what="the palette's hits",
            detail=lambda: screen_text(app),
        )
        assert "registrant: " in screen_text(app)
        # Pick the hit for `target` (the palette lists hits as `in_order` puts them).
        from tui.commands import in_order

        index = in_order(hits, "Trudy").index(target)
        await pilot.press(*["down"] * index, "enter")
        await wait_for(
            pilot,
            lambda: active(app).table.cursor_key == target.key,
            what="the cursor on the picked registrant",
        )
        pane = active(app)
        assert pane.KIND == "registrants"
        assert pane.table.cursor_key == target.key


async def test_api_log_shows_calls_without_secrets(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("3", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        from tui.widgets.api_log import ApiLogPanel

        panel = app.screen.query_one(ApiLogPanel)

        def zoom_calls() -> bool:
            return any(
                " 200 GET " in str(line) and "/zoom/v2/" in str(line) for line in panel.lines
            )

        # Calls reach the panel in batches (at most every 0.15 s), after the refresh.
        await wait_for(pilot, zoom_calls, what="the refresh's Zoom calls in the API log")
        joined = "\n".join(str(line) for line in panel.lines).lower()
        for secret in ("bearer", "access_token", "client_secret", "demo-zoom-secret", "?"):
            assert secret not in joined
        # New calls are appended live while the log is shown.
        before = len(panel.lines)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: len(panel.lines) > before, what="the new calls in the log")
        await pilot.press("l")
        await pilot.pause()
        assert not panel.display


async def test_meeting_drill_down_fetches_attendees(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("2", "h", "w", "w")
        await pilot.pause()
        pane = active(app)
        rows: list[Any] = [pane.table.row_at(i) for i in range(pane.table.row_count)]
        target = next(
            i
            for i, row in enumerate(rows)
            if row.provider.value == "goto_meeting" and row.num_attendees
        )
        pane.table.cursor_row = target
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "MeetingScreen"
        await app.workers.wait_for_complete()
        await pilot.pause()
        from tui.widgets.virtual_table import VirtualTable

        attendees = app.screen.query_one(VirtualTable)
        assert attendees.row_count > 0, toasts(app)
        assert f"Attendees ({attendees.row_count})" in screen_text(app)
        await pilot.press("backspace")
        await pilot.pause()
        assert active(app).KIND == "meetings"


async def test_f_fetches_a_trainings_sessions(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "events")
        pane = active(app)
        rows: list[Any] = [pane.table.row_at(i) for i in range(pane.table.row_count)]
        pane.table.cursor_row = next(i for i, row in enumerate(rows) if str(row.kind) == "training")
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await wait_for(
            pilot,
            lambda: "Sessions (" in screen_text(app),
            what="the training's sessions",
            detail=lambda: toasts(app),
        )
        shown: Any = pane.detail.shown
        assert shown is not None and shown.sessions, toasts(app)
        assert "Sessions (" in screen_text(app)


async def test_a_zoom_daily_limit_is_one_toast_naming_the_api(
    real_app: MakeApp, demo_cache: Any
) -> None:
    """Every webinar's registrants stop on the same daily limit: one sentence, once,
    saying until when and that the cache is shown; the cached rows stay."""
    control = Control(demo_cache.base_url)
    control.daily_limit(method="GET", path=r"^/zoom/v2/webinars/\d+/registrants$")
    app = real_app()
    try:
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await show_tab(pilot, app, "registrants")
            before = active(app).table.row_count
            await pilot.press("R")
            await wait_for(
                pilot,
                lambda: any("daily limit" in t for t in notices(app)),
                what="the daily-limit toast",
                detail=lambda: notices(app),
            )
            await wait_for(pilot, lambda: quiet(app), what="the sync to end")
            said = [t for t in notices(app) if "daily limit" in t]
            assert len(said) == 1, notices(app)
            # Until the sandbox's next midnight (its clock runs on its anchor's day).
            sentence = re.compile(
                r"Zoom's daily limit for GET /webinars/\{id\}/registrants is used up until "
                r"\d\d:\d\d UTC; showing cached data\."
            )
            assert len(sentence.findall(said[0])) == 1, said
            assert "Showing cached data" not in said[0]
            assert active(app).table.row_count == before > 0
    finally:
        control.clear()


async def test_v_shows_who_withdrew_from_a_training(real_app: MakeApp) -> None:
    """#14.1: GoTo Training's UNREGISTERED people are listed and have a filter of their own."""
    app = real_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("4", "v", "v", "v", "v")  # all -> pending -> ... -> unregistered
        pane: Any = active(app)
        await wait_for(
            pilot,
            lambda: pane.status is not None and pane.status.value == "unregistered",
            what="the unregistered filter",
        )
        await wait_for(pilot, lambda: pane.table.row_count > 0, what="the unregistered rows")
        rows = [pane.table.row_at(i) for i in range(pane.table.row_count)]
        assert {r.provider_status for r in rows} == {"UNREGISTERED"}
        assert HOSTILE in {r.first_name for r in rows}
        text = screen_text(app)
        lines = screen_lines(app)
        assert "status: unregistered" in text
        # Names sort from their first letter: the hostile one is among them, not first.
        assert any("unregistered" in line and "[@click=app.quit]x" in line for line in lines)


async def test_groups_drill_to_their_organizers_and_meetings_and_back(real_app: MakeApp) -> None:
    """`v` in Organizers lists the GoTo groups; Enter on one shows its organizers and
    (tab 2) their upcoming meetings; Backspace, then Esc, go back to the groups."""
    app = real_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("v")
        await settle(pilot, app)
        pane = active(app)
        assert pane.kind_words()[0] == "groups" and pane.table.row_count == 6
        text = screen_text(app)
        assert "[red]Red Team" in text and "Acme Corp" in text and "6 groups" in text
        row: Any = pane.table.cursor_value
        while row.name != "Acme Corp":  # the admin's own group: its meetings are cached
            await pilot.press("down")
            row = pane.table.cursor_value
        assert row.num_organizers == 1 and row.top_level
        await pilot.press("enter")
        await settle(pilot, app)
        assert active(app) is pane and pane.kind_words()[0] == "organizers"
        assert [o.name for o in rows_of(pane)] == ["Ada Admin"]
        assert "Groups \u203a Acme Corp \u203a Organizers" in screen_lines(app)[1]
        await pilot.press("2")
        await settle(pilot, app)
        meetings = active(app)
        assert meetings.KIND == "meetings" and meetings.table.row_count > 0
        rows = rows_of(meetings)
        assert {m.organizer_name for m in rows} == {"Ada Admin"}
        assert rows[0].live and rows[0].subject == "Ongoing: all-day war room"
        assert "Groups \u203a Acme Corp \u203a Meetings" in screen_lines(app)[1]
        await pilot.press("backspace")
        await settle(pilot, app)
        assert active(app) is pane and pane.kind_words()[0] == "groups"
        back: Any = pane.table.cursor_value
        assert back.name == "Acme Corp"  # back where it was
        assert meetings.scope is None
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert pane.kind_words()[0] == "groups" and pane.table.row_count == 6
        await pilot.press("v")
        await settle(pilot, app)
        assert pane.kind_words()[0] == "organizers" and pane.table.row_count > 6


async def test_meetings_going_on_now_come_first_marked_live(real_app: MakeApp) -> None:
    """The GoTo war room (ACTIVE) and the Zoom bridge (type=live) started before now:
    the upcoming meetings list them first, marked LIVE, on a narrow terminal too."""
    app = real_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot, app)
        pane = active(app)
        first = rows_of(pane)[:3]
        assert {m.subject for m in first[:2]} == {
            "Ongoing: all-day war room",
            "Live now: on-call bridge",
        }
        assert all(m.live for m in first[:2]) and not first[2].live
        lines = screen_lines(app)
        table = [line for line in lines if "\u25cf LIVE" in line]
        assert len(table) == 2, lines
        assert any("Ongoing: all" in line for line in table), table
