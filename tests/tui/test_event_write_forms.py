"""Event writes from the TUI on the real Deck and a sandbox of its own: register
someone, a training's registration settings, a meeting created, changed and deleted.

Keyboard only: the form opens on a key, checks as it is typed, the confirmation has
Cancel focused, a delete needs the subject or ID typed. The sandbox's request log and
state say what was sent; the audit log says what was recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.widgets import Button, Input

from tests.support.app import active
from tests.support.control import Control
from tests.support.demo import DemoCache, deck_factory, fixed_clock, paths_in, synced_demo
from tests.support.remote import remote_get
from tests.support.screen import screen_text, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.models import MeetingKind, Provider
from tui.ui_options import UiOptions
from tui.widgets.meetings_pane import MeetingsPane
from tui.widgets.pane import EntityPane

MakeApp = Callable[..., MeetdeckApp]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCache]:
    with synced_demo(tmp_path_factory.mktemp("event-writes"), registrants=40) as cache:
        yield cache


@pytest.fixture
def audit(sandbox: DemoCache, tmp_path: Any) -> Callable[[], list[dict[str, Any]]]:
    """The audit log of the app `make_app` builds."""

    def read() -> list[dict[str, Any]]:
        path = paths_in(tmp_path / "home").audit_log
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    return read


@pytest.fixture
def make_app(sandbox: DemoCache, tmp_path: Any) -> MakeApp:
    def make(*, read_only: bool = False) -> MeetdeckApp:
        paths = sandbox.install(tmp_path / "home")
        factory = deck_factory(paths, sandbox.base_url, read_only=read_only)
        options = UiOptions(sync_on_start=False, timezone="UTC", download_dir=tmp_path / "dl")
        return build_app(factory, options, clock=fixed_clock)

    return make


@pytest.fixture
def control(sandbox: DemoCache) -> Control:
    return Control(sandbox.base_url)


def rows(pane: EntityPane[Any]) -> list[Any]:
    return [pane.table.row_at(i) for i in range(pane.table.row_count)]


async def settle(app: MeetdeckApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def showing(pilot: Any, app: MeetdeckApp, screen: str, text: str = "") -> None:
    """Let the app run until `screen` is on top (and shows `text`): a form or a
    confirmation opens once what it needs has been read, not at the next idle."""

    def shown() -> bool:
        return type(app.screen).__name__ == screen and text in screen_text(app)

    await wait_for(pilot, shown, what=f"{screen} {text!r}".strip(), detail=lambda: screen_text(app))


async def type_into(pilot: Any, text: str) -> None:
    """Type `text` key by key into the focused field."""
    await pilot.press(*text)


async def highlight(pilot: Any, app: MeetdeckApp, tab: str, pick: Callable[[Any], bool]) -> Any:
    await pilot.press(tab)
    await pilot.pause()
    pane = active(app)
    index = next(i for i, row in enumerate(rows(pane)) if pick(row))
    pane.table.cursor_row = index
    await pilot.pause()
    return rows(pane)[index]


async def test_register_someone_for_a_zoom_webinar(
    make_app: MakeApp, control: Control, audit: Callable[[], list[dict[str, Any]]]
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        event = await highlight(
            pilot, app, "3", lambda r: r.provider is Provider.ZOOM and str(r.kind) == "webinar"
        )
        await pilot.press("n")
        await showing(pilot, app, "RegisterDialog")
        assert app.focused is not None and app.focused.id == "email"
        await type_into(pilot, "nobody")
        assert "not an email address" in screen_text(app)  # inline, as it is typed
        await type_into(pilot, "@example.com")
        assert "not an email address" not in screen_text(app)
        await pilot.press("enter")  # to the next field
        await type_into(pilot, "Zoe")
        await pilot.press("enter", "enter")  # last name left empty (optional on Zoom)
        await pilot.press("space")  # approve at once
        mark = control.mark()
        await pilot.press("tab", "tab", "enter")  # Next
        await showing(pilot, app, "ConfirmDialog", "Register 1 person?")
        text = screen_text(app)
        assert "Register 1 person?" in text and "Zoe <nobody@example.com>" in text
        assert "Approved at once" in text
        assert app.focused is not None and app.focused.id == "cancel"
        assert control.writes_since(mark) == []  # nothing before the confirmation
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        assert control.writes_since(mark) == [f"POST /zoom/v2/webinars/{event.key}/registrants"]
        assert any("Registered Zoe <nobody@example.com> (approved)" in t for t in toasts(app))
    assert [a["phase"] for a in audit() if a["action"] == "register"] == ["intent", "result"]


async def test_cancel_on_the_confirmation_sends_nothing(
    make_app: MakeApp, control: Control
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        await highlight(pilot, app, "3", lambda r: r.provider is Provider.ZOOM)
        await pilot.press("n")
        await showing(pilot, app, "RegisterDialog")
        dialog = app.screen
        dialog.query_one("#email", Input).value = "x@example.com"
        dialog.query_one("#first_name", Input).value = "X"
        dialog.query_one("#next", Button).press()
        await showing(pilot, app, "ConfirmDialog", "Register 1 person?")
        mark = control.mark()
        await pilot.press("enter")  # Enter out of habit: Cancel has the focus
        await settle(app, pilot)
        assert control.writes_since(mark) == []
        assert any("nothing was sent" in t for t in toasts(app))


async def test_registration_settings_of_a_training(make_app: MakeApp, control: Control) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        training = await highlight(pilot, app, "3", lambda r: r.provider is Provider.GOTO_TRAINING)
        web = training.source.web_registration
        await pilot.press("E")
        await showing(pilot, app, "RegistrationSettingsDialog")
        await pilot.press("space")  # web registration flips
        mark = control.mark()
        await pilot.press("tab", "tab", "tab", "enter")  # Next
        await showing(pilot, app, "ConfirmDialog", "Change the registration settings?")
        assert f"{'on' if web else 'off'} → {'off' if web else 'on'}" in screen_text(app)
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        sent = control.writes_since(mark)
        assert len(sent) == 1 and sent[0].startswith("PUT ") and training.key in sent[0]
        owner = training.organizer_key
        remote = await remote_get(
            control.base_url, f"/G2T/rest/organizers/{owner}/trainings/{training.key}", goto=True
        )
        assert remote.json()["registrationSettings"]["disableWebRegistration"] is bool(web)
        shown = active(app).table.cursor_value
        assert shown is not None and shown.source.web_registration is not web


def disabled(button: Button) -> bool:
    return bool(button.disabled)


def upcoming_zoom(row: Any) -> bool:
    return row.provider is Provider.ZOOM and row.kind is MeetingKind.UPCOMING


async def test_create_change_and_delete_a_zoom_meeting(
    make_app: MakeApp, control: Control, audit: Callable[[], list[dict[str, Any]]]
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        await highlight(pilot, app, "2", upcoming_zoom)
        await pilot.press("n")
        await showing(pilot, app, "MeetingFormDialog")
        await type_into(pilot, "Pilot")
        await pilot.press("enter")
        await type_into(pilot, "2031-03-04 09:30")
        await pilot.press("enter")
        await type_into(pilot, "2031-03-04 09:00")
        assert "end must be after the start" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await type_into(pilot, "10:15")
        assert "end must be after" not in screen_text(app)
        mark = control.mark()
        app.screen.query_one("#next", Button).press()
        await showing(pilot, app, "ConfirmDialog", "Create a Zoom meeting?")
        assert "(45 min)" in screen_text(app)
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        (created,) = control.writes_since(mark)
        assert created.startswith("POST /zoom/v2/users/")
        pane = active(app)
        assert isinstance(pane, MeetingsPane)
        # The new meeting is years ahead: a window around it.
        pane.use_custom_window((datetime(2031, 3, 1, tzinfo=UTC), datetime(2031, 4, 1, tzinfo=UTC)))
        await settle(app, pilot)
        made = next(r for r in rows(pane) if r.subject == "Pilot")
        remote = (await remote_get(control.base_url, f"/zoom/v2/meetings/{made.key}")).json()
        assert (remote["start_time"], remote["duration"]) == ("2031-03-04T09:30:00Z", 45)
        # Change it: the form comes filled in.
        pane.table.move_to_key(made.key)
        await pilot.pause()
        await pilot.press("c")
        await showing(pilot, app, "MeetingFormDialog")
        assert app.screen.query_one("#subject", Input).value == "Pilot"
        await pilot.press("end")  # the field's text is selected on focus
        await type_into(pilot, " moved")
        app.screen.query_one("#next", Button).press()
        await showing(pilot, app, "ConfirmDialog")
        await pilot.press("tab", "enter")
        await settle(app, pilot)
        remote = (await remote_get(control.base_url, f"/zoom/v2/meetings/{made.key}")).json()
        assert remote["topic"] == "Pilot moved"
        # Delete it: Cancel focused, the button waits for the subject or the ID.
        pane.table.move_to_key(made.key)
        await pilot.pause()
        await pilot.press("X")
        await showing(pilot, app, "DeleteMeetingDialog")
        assert app.focused is not None and app.focused.id == "cancel"
        delete = app.screen.query_one("#confirm", Button)
        await pilot.press("shift+tab")  # the typed box
        await type_into(pilot, "Pilot")
        assert disabled(delete)
        await type_into(pilot, " moved")
        assert not disabled(delete)
        await pilot.press("enter", "enter")  # Enter moves to Delete; Enter on it deletes
        await settle(app, pilot)
        gone = await remote_get(control.base_url, f"/zoom/v2/meetings/{made.key}")
        assert gone.status_code == 404
        assert made.key not in {r.key for r in rows(active(app))}
    actions = [(a["action"], a["phase"]) for a in audit() if "meeting" in a["action"]]
    assert actions == [
        ("create_meeting", "intent"),
        ("create_meeting", "result"),
        ("update_meeting", "intent"),
        ("update_meeting", "result"),
        ("delete_meeting", "intent"),
        ("delete_meeting", "result"),
    ]


async def test_read_only_refuses_the_forms(make_app: MakeApp, control: Control) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        mark = control.mark()
        await highlight(pilot, app, "2", upcoming_zoom)
        await pilot.press("n", "X")
        await pilot.press("3", "n", "E")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert any("read-only" in t for t in toasts(app))
        assert control.writes_since(mark) == []
