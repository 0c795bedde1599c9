"""Writes from the TUI on the real Deck and a sandbox of its own: approve / deny /
cancel through the confirmation dialog, read-only mode, GoTo Training's admin site,
start links, recording downloads and support sessions.

These tests change the sandbox, so the module starts its own small one (40
registrants in the big webinar) instead of sharing the session's; each test still gets
a fresh copy of the synced cache. What was sent is read back from the sandbox's
request log and state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.app import active, show_tab
from tests.support.control import Control
from tests.support.demo import DemoCache, deck_factory, fixed_clock, synced_demo
from tests.support.screen import notices, screen_lines, screen_text, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.deck.facade import Deck
from tui.core.models import Provider
from tui.screens.main import MainScreen
from tui.ui_options import UiOptions
from tui.widgets.pane import EntityPane

MakeApp = Callable[..., MeetdeckApp]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCache]:
    with synced_demo(tmp_path_factory.mktemp("actions"), registrants=40) as cache:
        yield cache


@pytest.fixture
def make_app(sandbox: DemoCache, tmp_path: Any) -> MakeApp:
    def make(*, read_only: bool = False) -> MeetdeckApp:
        paths = sandbox.install(tmp_path / "home")
        factory = deck_factory(paths, sandbox.base_url, read_only=read_only)
        options = UiOptions(
            sync_on_start=False, timezone="UTC", download_dir=tmp_path / "downloads"
        )
        return build_app(factory, options, clock=fixed_clock)

    return make


@pytest.fixture
def control(sandbox: DemoCache) -> Control:
    return Control(sandbox.base_url)


def main(app: MeetdeckApp) -> MainScreen:
    screen = app.screen_stack[0] if not isinstance(app.screen, MainScreen) else app.screen
    assert isinstance(screen, MainScreen)
    return screen


def rows(pane: EntityPane[Any]) -> list[Any]:
    return [pane.table.row_at(i) for i in range(pane.table.row_count)]


async def open_event(pilot: Any, app: MeetdeckApp, pick: Callable[[Any], bool]) -> EntityPane[Any]:
    """Tab 3, the first event `pick` accepts, Enter: its registrants pane."""
    await show_tab(pilot, app, "events")
    events = active(app)
    events.table.cursor_row = next(i for i, row in enumerate(rows(events)) if pick(row))
    await pilot.press("enter")
    await pilot.pause()
    pane = active(app)
    assert pane.KIND == "registrants"
    return pane


def zoom_webinar_with_pending(minimum: int, total_at_most: int = 10**9) -> Callable[[Any], bool]:
    def pick(row: Any) -> bool:
        return (
            row.provider is Provider.ZOOM
            and str(row.kind) == "webinar"
            and (row.pending or 0) >= minimum
            and (row.registrants or 0) <= total_at_most
        )

    return pick


async def settle(app: MeetdeckApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_mark_and_approve_three_through_the_dialog(
    make_app: MakeApp, control: Control
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(pilot, app, zoom_webinar_with_pending(3, total_at_most=30))
        await pilot.press("v")  # pending only
        await pilot.pause()
        targets = [row.key for row in rows(pane)[:3]]
        event_key = rows(pane)[0].event_key
        before = control.statuses(event_key)
        assert all(before[key] == "pending" for key in targets)
        await pilot.press("space", "space", "space", "a")
        await pilot.pause()
        text = screen_text(app)
        assert "Approve 3 registrants?" in text
        assert "Profile:  demo" in text and "(Zoom webinar)" in text
        assert rows(pane)[0].email in text
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("tab", "enter")  # the Approve button
        await settle(app, pilot)
        after = control.statuses(event_key)
        assert {k for k in after if after[k] != before[k]} == set(targets)
        assert all(after[key] == "approved" for key in targets)
        # The table changed at once (pending view: they left it), marks are gone.
        assert not set(targets) & {row.key for row in rows(pane)}
        assert pane.table.mark_count == 0
        assert any("3 registrants approved" in t for t in toasts(app)), toasts(app)


async def test_a_full_audit_disk_after_the_intent_is_said_not_hidden(
    make_app: MakeApp, control: Control
) -> None:
    """The disk fills once the intent is on it: the approve went out, so the screen
    says the change was sent and the audit log could not record its result (never
    "no write was sent"), and the table shows the new statuses."""
    import errno
    import os

    def full(fd: int, data: memoryview) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(pilot, app, zoom_webinar_with_pending(2, total_at_most=30))
        await pilot.press("v")  # pending only
        await pilot.pause()
        targets = [row.key for row in rows(pane)[:2]]
        event_key = rows(pane)[0].event_key
        deck = app.deck
        assert isinstance(deck, Deck)
        audit = deck.gate.audit
        real_write = audit.write

        def intent_then_full(fd: int, data: memoryview) -> int:
            audit.write = full
            return real_write(fd, data)

        audit.write = intent_then_full
        await pilot.press("space", "space", "a")
        await pilot.pause()
        await pilot.press("tab", "enter")  # the Approve button
        await settle(app, pilot)
        after = control.statuses(event_key)
        assert all(after[key] == "approved" for key in targets)
        shown = " ".join([screen_text(app), *toasts(app)])
        assert "The change was sent; the audit log could not record its result" in shown
        assert "no write was sent" not in shown
        assert not set(targets) & {row.key for row in rows(pane)}


async def test_enter_in_the_dialog_cancels_and_sends_nothing(
    make_app: MakeApp, control: Control
) -> None:
    from textual.widgets import Button

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(pilot, app, zoom_webinar_with_pending(1))
        seq = control.mark()
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmActionDialog"
        # A cancel's buttons say what they do: keep it, or cancel the registration.
        labels = [str(b.label) for b in app.screen.query("Button").results(Button)]
        assert labels == ["Keep", "Cancel 1 registration"]
        assert isinstance(app.focused, Button) and str(app.focused.label) == "Keep"
        await pilot.press("enter")  # Keep has the focus
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert control.writes_since(seq) == []
        assert pane.table.row_count == len(rows(pane)) > 0
        assert any("nothing was sent" in t for t in toasts(app))


async def test_more_than_ten_needs_the_typed_count(make_app: MakeApp, control: Control) -> None:
    from textual.widgets import Button

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(pilot, app, zoom_webinar_with_pending(11))
        await pilot.press("v", "asterisk")  # every pending registrant of the view
        await pilot.pause()
        targets = [row.key for row in rows(pane)]
        event_key = rows(pane)[0].event_key
        count = len(targets)
        assert count > 10 and pane.table.mark_count == count
        seq = control.mark()
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        confirm: Any = dialog.query_one("#confirm", Button)
        assert confirm.disabled and f"type {count} to confirm" in screen_text(app)
        # The count box has the focus: typing goes there, a bare Enter sends nothing.
        assert app.focused is not None and app.focused.id == "typed-count"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and f"nothing is not {count}" in screen_text(app)
        await pilot.press("escape")  # changes nothing
        await pilot.pause()
        assert app.screen is not dialog and control.writes_since(seq) == []
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        confirm = dialog.query_one("#confirm", Button)
        await pilot.press(*str(count + 1), "enter")
        await pilot.pause()
        assert confirm.disabled and app.screen is dialog
        assert f"{count + 1} is not {count}" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", *str(count))
        await pilot.pause()
        assert not confirm.disabled
        assert control.writes_since(seq) == []  # typing sent nothing
        await pilot.press("enter")  # the typed count, then Enter: the confirmation
        await settle(app, pilot)
        after = control.statuses(event_key)
        assert all(after[key] == "approved" for key in targets)
        writes = control.writes_since(seq)
        assert writes and all(w.startswith("PUT ") for w in writes)
        assert pane.table.row_count == 0  # none pending any more
        assert pane.table.mark_count == 0


async def test_partial_failure_lists_who_failed_and_keeps_them_marked(
    make_app: MakeApp, control: Control, sandbox: DemoCache
) -> None:
    app = make_app()
    big = str(control.state()["zoom"]["big_webinar_id"])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(pilot, app, lambda row: row.key == big)
        await pilot.press("asterisk")
        await pilot.pause()
        people = rows(pane)
        assert len(people) > 30  # two requests of 30 at most
        # The first request fails; the second goes through.
        control.fault(
            error_status=503, remaining=1, match={"method": "PUT", "path": "registrants/status"}
        )
        try:
            await pilot.press("d")
            await pilot.pause()
            await pilot.press(*str(len(people)), "enter")  # the typed count confirms
            await settle(app, pilot)
        finally:
            control.clear()
        after = control.statuses(big)
        denied = {row.key for row in people[30:]}
        assert {k for k in denied if after[k] == "denied"} == denied
        assert all(
            after[row.key] != "denied" or row.status.value == "denied" for row in people[:30]
        )
        assert type(app.screen).__name__ == "ActionResultDialog"
        text = screen_text(app)
        assert f"{len(denied)} of {len(people)} registrants denied" in text
        assert people[0].email in text
        # Only the failed ones stay marked; the cache already says who was denied.
        assert pane.table.mark_count == 30
        by_key = {row.key: row for row in rows(pane)}
        assert all(by_key[key].status.value == "denied" for key in denied)


async def test_goto_training_approval_points_to_the_admin_site(
    make_app: MakeApp, control: Control
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        pane = await open_event(
            pilot,
            app,
            lambda row: row.provider is Provider.GOTO_TRAINING and (row.registrants or 0) > 0,
        )
        seq = control.mark()
        assert "Approve" not in screen_lines(app)[-1]  # not offered in the footer
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any(
            "approvals happen in its admin site" in t and "Press m" in t for t in toasts(app)
        ), toasts(app)
        await pilot.press("m")
        await settle(app, pilot)
        assert app.clipboard.startswith("http")
        assert control.writes_since(seq) == []
        assert pane.table.row_count > 0


async def test_read_only_hides_and_refuses_writes(make_app: MakeApp, control: Control) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_event(pilot, app, zoom_webinar_with_pending(1))
        footer = screen_lines(app)[-1]
        assert "Approve" not in footer and "Deny" not in footer and "Mark" in footer
        seq = control.mark()
        for key in ("a", "d", "x"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
        await show_tab(pilot, app, "support")
        assert "New session" not in screen_lines(app)[-1]
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        # Every refusal of the session, also one whose toast has timed out by now (four
        # keys and a tab switch apart on a loaded machine).
        refusals = [t for t in notices(app) if t.startswith("Read-only:")]
        assert len(refusals) == 4 and all("read-only" in t for t in refusals), notices(app)
        assert control.writes_since(seq) == []


async def test_start_link_of_a_zoom_meeting_stays_out_of_toasts_and_logs(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "meetings")
        pane = active(app)
        pane.table.cursor_row = next(
            i for i, row in enumerate(rows(pane)) if row.provider is Provider.ZOOM
        )
        await pilot.press("s")
        await settle(app, pilot)
        dialog: Any = app.screen
        assert type(dialog).__name__ == "StartUrlDialog"
        url = dialog._start.url
        text = screen_text(app)
        assert "signs whoever holds it in as the host" in text
        assert "Expires at" in text
        assert url not in text  # shown only when asked
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == url
        await pilot.press("v")
        await pilot.pause()
        assert url[:40] in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert all(url not in n.message and url not in n.title for n in app._notifications)

        log = app.deck.api_log()
        assert log is not None
        entries = repr(log.recent(500))
        assert "/zoom/v2/meetings/" in entries and url not in entries
        deck = app.deck
        assert isinstance(deck, Deck)
        log_file = deck.paths.api_log
        assert not log_file.exists() or url not in log_file.read_text(encoding="utf-8")


async def test_download_a_recording_and_follow_it(make_app: MakeApp, tmp_path: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "recordings")
        pane = active(app)
        recording: Any = pane.table.cursor_value
        await pilot.press("D")
        await settle(app, pilot)

        def finished() -> list[Any]:
            return [p for p in app.deck.downloads() if str(p.state) in ("done", "failed")]

        await wait_for(pilot, finished, what="the download to end")
        done = finished()
        assert [str(p.state) for p in done] == ["done"], done
        await pilot.press("o")
        await pilot.pause()
        assert type(app.screen).__name__ == "DownloadsScreen"
        text = screen_text(app)
        assert "saved" in text and "100%" in text, text
        assert done[0].path is not None and done[0].path.parent == tmp_path / "downloads"
        assert done[0].path.stat().st_size > 0
        assert recording.key == done[0].key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_new_support_session_is_confirmed_then_offers_its_link(
    make_app: MakeApp, control: Control
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "support")
        pane = active(app)
        before = pane.table.row_count
        sessions = control.state()["goto"]["counts"]["seeit_sessions"]
        await pilot.press("n")
        await pilot.pause()
        assert "Create a GoTo Assist support session?" in screen_text(app)
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "StartUrlDialog"
        assert "support session" in screen_text(app)
        assert control.state()["goto"]["counts"]["seeit_sessions"] == sessions + 1
        assert pane.table.row_count == before + 1


def webinars_with_registrants(app: MeetdeckApp) -> list[Any]:
    return [
        row
        for row in rows(active(app))
        if row.provider is Provider.ZOOM
        and str(row.kind) == "webinar"
        and (row.registrants or 0) > 0
    ]


async def test_marks_stay_with_their_event_and_never_reach_another(
    make_app: MakeApp, control: Control
) -> None:
    """Issue 12: a mark made in one event is not carried into the next one. Leaving the
    event puts its marks away (coming back brings them back), the other event's status
    line says nothing is marked, and `x` there offers to cancel its own highlighted
    person, naming that event; nothing is sent."""
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "events")
        first, second = webinars_with_registrants(app)[:2]
        pane = await open_event(pilot, app, lambda row: row.key == first.key)
        marked = pane.table.cursor_value
        assert marked is not None
        await pilot.press("space")
        await pilot.pause()
        assert pane.table.mark_count == 1
        await pilot.press("backspace")
        await pilot.pause()
        pane = await open_event(pilot, app, lambda row: row.key == second.key)
        status = screen_lines(app)[4]
        assert second.title[:10] in status and "marked" not in status, status
        assert pane.table.mark_count == 0
        shown = pane.table.cursor_value
        assert shown is not None
        assert shown is not None and shown.event_key == second.key
        seq = control.mark()
        await pilot.press("x")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmActionDialog"
        dialog = screen_text(app)
        assert "1 registrant" in dialog and shown.email[:20] in dialog
        assert marked.email[:20] not in dialog
        assert app.screen.plan.event_key == second.key  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        pane = await open_event(pilot, app, lambda row: row.key == first.key)
        assert pane.table.marked_keys() == [marked.key]
        assert "1 marked" in screen_lines(app)[4]
        assert control.writes_since(seq) == []


async def test_the_mark_count_is_never_cut_off_by_a_long_event_name(
    make_app: MakeApp,
) -> None:
    """At 80 columns, the status line of an event with a long name still shows how many
    people are marked (it comes first)."""
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await show_tab(pilot, app, "events")
        longest = max(webinars_with_registrants(app), key=lambda row: len(row.title))
        assert len(longest.title) > 40, longest.title
        await open_event(pilot, app, lambda row: row.key == longest.key)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert "2 marked" in screen_lines(app)[4], screen_lines(app)[:6]


async def test_failed_people_stay_marked_in_their_event_when_another_is_shown(
    make_app: MakeApp, control: Control
) -> None:
    """An action's outcome that comes back after the person moved on to another event
    marks the failed people in the event they were marked in, not in the one on screen."""
    from tui.core.models import ActionOutcome, ActionResult, EventKind
    from tui.core.sync.types import Scope
    from tui.widgets.registrants_pane import RegistrantsPane

    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "events")
        first, second = webinars_with_registrants(app)[:2]
        pane = await open_event(pilot, app, lambda row: row.key == first.key)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        people = pane.table.marked_rows()
        plan = app.deck.plan_registrant_action(
            "deny", people, Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, first.key)
        )
        result = ActionResult(
            "deny",
            (
                ActionOutcome(people[0].key, True, "done"),
                ActionOutcome(people[1].key, False, "refused"),
            ),
        )
        await pilot.press("backspace")
        await pilot.pause()
        pane = await open_event(pilot, app, lambda row: row.key == second.key)
        assert isinstance(pane, RegistrantsPane)
        pane.post_message(
            RegistrantsPane.ActionDone(plan, result, marked=True, view=(Provider.ZOOM, first.key))
        )
        await settle(app, pilot)
        assert pane.table.mark_count == 0
        await pilot.press("escape")  # the dialog listing who failed
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        pane = await open_event(pilot, app, lambda row: row.key == first.key)
        assert pane.table.marked_keys() == [people[1].key]


async def test_a_recording_still_processing_shows_so_and_is_not_downloaded(
    make_app: MakeApp, control: Control
) -> None:
    """The Recordings tab shows "processing" for a file Zoom has not finished; `D` on it
    says it is not ready yet and sends no request."""
    app = make_app()
    busy_id = control.state()["zoom"]["processing_file_id"]
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await show_tab(pilot, app, "recordings")
        pane = active(app)
        table = pane.table
        assert table.move_to_key(busy_id)
        await settle(app, pilot)
        assert table.cursor_value is not None and table.cursor_value.key == busy_id
        line = next(x for x in screen_lines(app) if "processing" in x)
        assert "Just ended" in line
        seq = control.mark()
        await pilot.press("D")
        await settle(app, pilot)
        await wait_for(pilot, lambda: any("not ready" in t for t in toasts(app)), what="a toast")
        assert any("still processing" in t for t in toasts(app))
        assert not app.deck.downloads()
        assert not [r for r in control.requests_since(seq) if "/rec/download/" in r["path"]]
