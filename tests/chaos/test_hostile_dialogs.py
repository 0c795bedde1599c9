"""Every dialog and screen, and the toasts, with the whole hostile corpus in their text.

The app runs on the real Deck over a cache synced through the hostile transport; each
dialog of `tui/screens` is pushed with hostile text where it shows API text (names,
event titles, error sentences, outcome messages, the start link and its note, file
names and download errors), and for each one the rendered screen must be literal and
the bytes the app would write to the terminal must hold no escape sequence and no C1
control from the data (`tests.support.hostile.assert_literal`). The start link is also revealed
with `v`, which puts it in a TextArea. A last check lists the screen classes of
`tui/screens` so that a new dialog without a hostile test fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

import tui.screens
from tests.support.app import SIZE, active, key_of, settle, show_tab
from tests.support.chaos import CHAOS, PROFILE, SyncedCache, tally
from tests.support.decks import open_deck
from tests.support.hostile import CORPUS, assert_literal, sync_hostile
from tests.support.screen import screen_text, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.audit import UnfinishedWrite
from tui.core.deck.facade import Deck
from tui.core.deck.types import UnfinishedNotice
from tui.core.downloads.queue import DownloadProgress, DownloadState
from tui.core.errors import MeetdeckError
from tui.core.models import ActionOutcome, ActionResult, Provider, StartUrl
from tui.core.settings.paths import Paths
from tui.text import literal
from tui.ui_options import UiOptions

#: Every corpus string in one text (newlines kept: multi-line fields see them too).
ALL = "\n".join(CORPUS.values())
#: The corpus without the 10,000-character name, for one-line fields.
SHORT = " | ".join(v for k, v in CORPUS.items() if k != "long-10k")
#: Escape sequences, put last in a start link: revealed, it shows its last two rows.
ESCAPES = "".join(
    CORPUS[k]
    for k in (
        "osc0-title",
        "osc2-title",
        "osc52-st",
        "dcs-tmux",
        "c1-osc-dcs",
        "csi-modes",
        "osc52-clipboard",
        "osc8-link",
        "ansi",
        "csi-8bit",
        "controls",
    )
)


@pytest.fixture(scope="module")
def hostile_paths(
    synced_shared: SyncedCache, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Paths, str]:
    paths, used = sync_hostile(synced_shared.base_url, tmp_path_factory.mktemp("dialogs"))
    assert set(used) == set(CORPUS)
    return paths, synced_shared.base_url


def hostile_app(paths: Paths, base_url: str, tmp_path: Path) -> MeetdeckApp:
    def factory(name: str | None) -> Deck:
        return open_deck(base_url, paths, CHAOS)

    return build_app(
        factory,
        UiOptions(sync_on_start=False, timezone="UTC", download_dir=tmp_path / "dl"),
        profile=PROFILE,
    )


class Seen:
    """The screen classes checked, and the text they showed."""

    def __init__(self, app: MeetdeckApp) -> None:
        self.app = app
        self.classes: set[str] = set()
        self.text = ""

    def check(self, where: str) -> None:
        assert_literal(self.app, where)
        self.classes.add(type(self.app.screen).__name__)
        self.text += screen_text(self.app)


async def wait_for_screen(pilot: Any, app: MeetdeckApp, name: str) -> None:
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == name,
        what=f"the {name}",
        detail=lambda: screen_text(app),
    )
    assert type(app.screen).__name__ == name, screen_text(app)


async def close(pilot: Any, app: MeetdeckApp) -> None:
    await pilot.press("escape")
    await settle(pilot, app)


def screen_classes() -> set[str]:
    """The Screen subclasses defined in tui/screens (the main screen and the screens it
    is built on aside: the other hostile tests cover what it shows)."""
    from tui.screens.main import MainScreen

    found = set()
    for module_info in pkgutil.iter_modules(tui.screens.__path__):
        module = importlib.import_module(f"tui.screens.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                found.add(name)
    return found - {base.__name__ for base in MainScreen.__mro__}


async def test_every_dialog_shows_hostile_text_literally(
    hostile_paths: tuple[Paths, str], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tui.screens.confirm import ActionResultDialog, ConfirmActionDialog, ConfirmDialog
    from tui.screens.dialogs import CopyDialog, ErrorDialog, WindowDialog
    from tui.screens.downloads import DownloadsScreen
    from tui.screens.event_forms import (
        DeleteMeetingDialog,
        MeetingFormDialog,
        RegisterDialog,
        RegistrationSettingsDialog,
    )
    from tui.screens.meeting import MeetingScreen
    from tui.screens.unfinished import UnfinishedWritesDialog

    paths, base_url = hostile_paths
    app = hostile_app(paths, base_url, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        seen = Seen(app)
        # A meeting's drill-down, with a hostile trail above the cached one.
        pane = await show_tab(pilot, app, "meetings")
        meeting = pane.table.cursor_value
        assert meeting is not None
        await app.push_screen(MeetingScreen(meeting, trail=(SHORT,)))
        await settle(pilot, app)
        seen.check("meeting screen")
        await close(pilot, app)

        # The confirmation of an action on hostile registrants, and its outcome.
        pane = await show_tab(pilot, app, "registrants")
        people = [
            row
            for i in range(min(pane.table.row_count, 12))
            if (row := pane.table.row_at(i)) is not None
        ]
        plan = app.deck.plan_registrant_action("approve", people)
        await app.push_screen(ConfirmActionDialog(plan, "red"))
        await settle(pilot, app)
        seen.check("confirm action")
        await close(pilot, app)
        result = ActionResult(
            "approve",
            tuple(
                ActionOutcome(person.key, False, text)
                for person, text in zip(people, [*CORPUS.values()] * 2, strict=False)
            ),
            note=ALL,
        )
        await app.push_screen(ActionResultDialog(plan, result))
        await settle(pilot, app)
        seen.check("action result")
        await close(pilot, app)
        await app.push_screen(ConfirmDialog(SHORT, [SHORT, literal(ALL, multiline=True)], "Go"))
        await settle(pilot, app)
        seen.check("confirm")
        await close(pilot, app)

        # Errors: the dialog, and the safety net's toast for a failed worker.
        app.show_error(MeetdeckError(ALL))
        await settle(pilot, app)
        seen.check("error dialog")
        await close(pilot, app)
        await app.push_screen(ErrorDialog(SHORT, ALL))
        await settle(pilot, app)
        seen.check("error dialog, raw")
        await close(pilot, app)

        async def fail() -> None:
            raise MeetdeckError(SHORT)

        app.run_worker(fail(), group="hostile", exit_on_error=False)
        await wait_for(
            pilot, lambda: toasts(app), what="the safety net's toast, once the worker has failed"
        )
        assert any("PWNED" in toast for toast in toasts(app)), toasts(app)
        seen.check("error toast")

        # Text to copy by hand, and the host start link (shown with `v`).
        await app.push_screen(CopyDialog(ALL, SHORT))
        await settle(pilot, app)
        seen.check("copy dialog")
        await close(pilot, app)
        app.show_start_url(StartUrl(SHORT + ESCAPES, note=CORPUS["markup-click"]), SHORT)
        await wait_for_screen(pilot, app, "StartUrlDialog")
        seen.check("start link")
        await pilot.press(key_of(app, "start-show"))
        await settle(pilot, app)
        seen.check("start link shown")
        assert "\u241b]0;PWNED" in screen_text(app)  # the link itself, made visible
        await close(pilot, app)
        await app.push_screen(WindowDialog(datetime.now(UTC)))
        await settle(pilot, app)
        seen.check("window dialog")
        await close(pilot, app)

        # The event-write forms: a hostile event, meeting and typed text.
        await app.push_screen(RegisterDialog(Provider.ZOOM, SHORT))
        await settle(pilot, app)
        # Typed text (not API text): markup stays literal, the inline errors too.
        for field in ("email", "first_name", "last_name"):
            app.screen.query_one(f"#{field}", Input).value = CORPUS["markup-click"]
        await settle(pilot, app)
        seen.check("register form")
        await close(pilot, app)
        await app.push_screen(RegistrationSettingsDialog(ALL, True, None))
        await settle(pilot, app)
        seen.check("registration settings")
        await close(pilot, app)
        await app.push_screen(MeetingFormDialog(Provider.ZOOM, "UTC", UTC, meeting))
        await settle(pilot, app)
        app.screen.query_one("#timezone", Input).value = CORPUS["markup-click"]
        await settle(pilot, app)
        seen.check("meeting form")
        await close(pilot, app)
        deletion = app.deck.plan_meeting(
            "delete_meeting", meeting.provider, meeting_key=meeting.key
        )
        await app.push_screen(DeleteMeetingDialog(replace(deletion, subject=ALL)))
        await settle(pilot, app)
        app.screen.query_one("#typed", Input).value = CORPUS["markup-click"]
        await settle(pilot, app)
        seen.check("delete meeting")
        await close(pilot, app)

        # Downloads: a hostile file name, path and error.
        await app.push_screen(DownloadsScreen())
        await settle(pilot, app)
        downloads = app.screen
        assert isinstance(downloads, DownloadsScreen)
        for index, text in enumerate(CORPUS.values()):
            state = DownloadState.FAILED if index % 2 else DownloadState.DONE
            await downloads.download_progressed(
                DownloadProgress(
                    f"k{index}", text, state, 10, 20, path=Path("/tmp") / SHORT[:60], error=text
                )
            )
        await settle(pilot, app)
        seen.check("downloads")
        await close(pilot, app)

        # Writes that may not have finished: hostile event titles, events and profiles.
        notices = [
            UnfinishedNotice(
                UnfinishedWrite(
                    f"w{index}",
                    datetime.now(UTC),
                    text,
                    "zoom",
                    "approve",
                    text,
                    147,
                    60,
                    0,
                    reviewed=False,
                ),
                text,
                None,
            )
            for index, text in enumerate(CORPUS.values())
        ]
        await app.push_screen(UnfinishedWritesDialog(notices))
        await settle(pilot, app)
        seen.check("unfinished writes")
        await close(pilot, app)

        # The notifications screen: the toasts so far, the hostile error's among them.
        await pilot.press(key_of(app, "notifications"))
        await wait_for_screen(pilot, app, "NotificationsScreen")
        seen.check("notifications")
        assert "PWNED" in screen_text(app)
        await close(pilot, app)

        # The profile switcher: hostile profile names (config.toml is the person's,
        # but a name is still shown literally) and accents that are no colour.
        from tui.screens.profiles import ProfileEntry, ProfileSwitcher

        entries = [
            ProfileEntry(text[:200], text, bool(index % 2), current=index == 0)
            for index, text in enumerate(CORPUS.values())
        ]
        await app.push_screen(ProfileSwitcher(entries))
        await settle(pilot, app)
        seen.check("profile switcher")
        await close(pilot, app)

        # The column chooser: its titles are meetdeck's own, yet shown literally too.
        from tui.screens.columns import ColumnChooser
        from tui.widgets.virtual_table import Column

        columns = [
            Column(f"c{index}", text[:60], lambda row, fmt: "")
            for index, text in enumerate(CORPUS.values())
        ]
        chooser = ColumnChooser(next(iter(CORPUS.values())), columns, ["c0"], lambda ids: None)
        await app.push_screen(chooser)
        await settle(pilot, app)
        seen.check("column chooser")
        await close(pilot, app)

        # Help over the registrants of hostile names.
        await pilot.press(key_of(app, "help"))
        await wait_for_screen(pilot, app, "HelpScreen")
        seen.check("help")
        await close(pilot, app)
        assert type(active(app)).__name__ == "RegistrantsPane"

    for shown in (
        "[@click=app.quit]x",
        "\u241b]0;PWNED title",
        "\u241bPtmux;",
        "\u241b[?1049h",
        "\ufffd0;C1 title",
    ):
        assert shown in seen.text, shown
    missing = screen_classes() - seen.classes
    assert not missing, f"dialogs without a hostile-text check: {sorted(missing)}"
    tally(request, "hostile-dialogs", len(seen.classes) * len(CORPUS))


def test_the_dialog_list_is_complete() -> None:
    """The check above compares against this list; it must find the known dialogs."""
    assert {
        "StartUrlDialog",
        "CopyDialog",
        "ErrorDialog",
        "ConfirmDialog",
        "ConfirmActionDialog",
        "ActionResultDialog",
        "MeetingScreen",
        "DownloadsScreen",
        "HelpScreen",
        "NotificationsScreen",
        "WindowDialog",
    } <= screen_classes()
