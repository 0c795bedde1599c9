"""Choose a tab's columns (`C`, `[columns]` in config.toml; issue 17 item 7): the table
follows at once at 60x20 and 80x24, the choice is written back (comments kept) and
read at the next start, a corrupt or unwritable config is never overwritten, the demo
keeps its own file, and a misspelt id is a config error naming it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import active, key_of, press, settle
from tests.support.demo import paths_in
from tests.support.screen import current, screen_lines, screen_text, toasts
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.cmd.tui import ui_options
from tui.core.settings.columns import columns_table
from tui.screens.columns import ColumnChooser
from tui.screens.main import MainScreen
from tui.startup import first_frame_settings
from tui.widgets.column_choice import TAB_COLUMNS, tab_of
from tui.widgets.panes import PANES

MakeApp = Callable[..., MeetdeckApp]

CONFIG = """\
# my meetdeck
theme = "textual-dark"  # the default, said out loud

[profiles.work]  # the production account
read_only = true

[keymap]
approve = "A"  # never by mistake
"""


def header(app: MeetdeckApp) -> str:
    """The active table's title line, as drawn."""
    table = active(app).table
    return screen_lines(app)[table.region.y]


def shown_keys(app: MeetdeckApp) -> list[str]:
    """The columns of the tab's table (under the chooser too)."""
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    return [column.key for column in main.active_pane.table.columns]


async def open_chooser(pilot: Any, app: MeetdeckApp) -> ColumnChooser:
    await press(pilot, app, "columns")
    await wait_for(pilot, lambda: isinstance(current(app), ColumnChooser), what="the chooser")
    chooser = current(app)
    assert isinstance(chooser, ColumnChooser)
    return chooser


async def flip(pilot: Any, app: MeetdeckApp, chooser: ColumnChooser, key: str) -> None:
    """Move to the column `key` with j/k and press space."""
    target = [c.key for c in chooser.columns].index(key)
    here = chooser.options.highlighted or 0
    await pilot.press(*(["j"] * (target - here) if target > here else ["k"] * (here - target)))
    await pilot.press("space")
    await settle(pilot, app)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_chooser_hides_and_shows_a_column(
    real_app: MakeApp, size: tuple[int, int]
) -> None:
    app = real_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await press(pilot, app, "tab-registrants")
        assert "Email" in header(app)
        chooser = await open_chooser(pilot, app)
        assert "[x] Email" in screen_text(app)
        await flip(pilot, app, chooser, "email")
        # The table behind the dialog follows at once.
        assert "email" not in shown_keys(app)
        assert "[ ] Email" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(current(app), ColumnChooser), what="close")
        line = header(app)
        assert "Email" not in line and "Name" in line and "Status" in line
        if size == (60, 20):
            assert "Event" in line  # the room Email took shows the event now
        rows = screen_lines(app)[active(app).table.region.y + 1 :][:5]
        assert not any("@" in row for row in rows)
        # And back.
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Email" in header(app)


async def test_the_last_column_stays_and_esc_puts_back(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, app, "tab-recordings")
        before = shown_keys(app)
        chooser = await open_chooser(pilot, app)
        for key in [c.key for c in TAB_COLUMNS["recordings"]][1:]:
            await flip(pilot, app, chooser, key)
        assert shown_keys(app) == ["start"]
        await flip(pilot, app, chooser, "start")
        assert shown_keys(app) == ["start"]  # one column always stays
        assert "At least one column stays shown." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert shown_keys(app) == before  # Esc put every column back
        assert app.column_choices.chosen == {}


async def test_a_sort_by_a_hidden_column_falls_back_and_comes_back(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await press(pilot, app, "tab-registrants", "sort-next")
        assert "Email \u25b2" in header(app)
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
        # The rows are in the tab's default order (by name) while Email is hidden.
        assert "Name \u25b2" in header(app) and "Email" not in header(app)
        pane = active(app)
        rows = [pane.table.row_at(i) for i in range(min(40, pane.table.row_count))]
        names = [row.name.casefold() for row in rows if row is not None]
        assert pane.view is not None and pane.view.sort == "name"
        assert names[0] <= names[-1]
        assert active(app).sort == "email"  # kept for when the column comes back
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Email \u25b2" in header(app)


def options_for(paths: Any, *, demo: bool = False) -> dict[str, Any]:
    """The column options the CLI gives the app for these paths (`meetdeck` or
    `meetdeck --demo`)."""
    args = argparse.Namespace(profile=None, demo=demo, read_only=False, theme=None)
    options = ui_options(paths, args, first_frame_settings(paths, args), demo)
    return {"columns": options.columns, "columns_file": options.columns_file}


async def test_a_choice_survives_a_restart_and_keeps_the_comments(
    real_app: MakeApp, tmp_path: Path
) -> None:
    paths = paths_in(tmp_path / "me")
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text(CONFIG, encoding="utf-8")
    app = real_app(**options_for(paths))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, app, "tab-registrants")
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await flip(pilot, app, chooser, "registered")
        await pilot.press("enter")
        await settle(pilot, app)
        assert any("kept in" in t and "config.toml" in t for t in toasts(app))
    text = paths.config_file.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)  # every comment and key as it was
    assert '[columns]\nregistrants = ["name", "status", "event", "provider", "key"]' in text

    again = real_app(**options_for(paths))
    async with again.run_test(size=(80, 24)) as pilot:
        await press(pilot, again, "tab-registrants")
        assert shown_keys(again) == ["name", "status", "event", "provider", "key"]
        assert "Email" not in header(again) and "Registered" not in header(again)


async def test_the_demo_keeps_its_choice_in_its_own_file(real_app: MakeApp, tmp_path: Path) -> None:
    paths = paths_in(tmp_path / "me")
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text(CONFIG, encoding="utf-8")
    app = real_app(**options_for(paths, demo=True))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, app, "tab-organizers")
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
    assert paths.config_file.read_text(encoding="utf-8") == CONFIG  # never touched
    assert columns_table(paths.demo_config_file)[0] == {
        "organizers": ["name", "provider", "group", "status", "key"]
    }
    assert options_for(paths, demo=True)["columns"] == {
        "organizers": ["name", "provider", "group", "status", "key"]
    }
    assert options_for(paths)["columns"] is None  # the real config has no choice


async def test_a_corrupt_or_unwritable_config_is_not_overwritten(
    real_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    app = real_app(columns_file=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, app, "tab-registrants")
        # The person breaks the file in an editor while meetdeck runs.
        broken = CONFIG + "[columns\nregistrants = [\n"
        path.write_text(broken, encoding="utf-8")
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
        assert path.read_text(encoding="utf-8") == broken  # not overwritten
        assert "email" not in shown_keys(app)  # the choice holds for this session
        said = " ".join(toasts(app))
        assert "Columns not saved" in said and "for this session only" in said
        assert "is not valid TOML" in said and "so it was not changed" in said
        assert not list(tmp_path.glob(".config.toml.*"))  # no temporary left

    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    app = real_app(columns_file=blocked / "config.toml")  # its folder is a file
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, app, "tab-registrants")
        chooser = await open_chooser(pilot, app)
        await flip(pilot, app, chooser, "email")
        await pilot.press("enter")
        await settle(pilot, app)
        assert "email" not in shown_keys(app)
        assert any("Not a directory" in t for t in toasts(app))


async def test_an_unknown_column_id_is_a_config_error_naming_it(make_app: MakeApp) -> None:
    app = make_app(
        columns={"registrants": ["name", "emial"], "regsitrants": ["name"], "organizers": ["name"]}
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "ErrorDialog" in type(app.screen).__name__, what="error")
        assert "Configuration problem" in screen_text(app)
        text = current(app).sentence
        assert "'emial' (did you mean 'email'?)" in text
        assert "known ids of registrants: name, email, status, registered, event" in text
        assert "unknown tab 'regsitrants' (did you mean 'registrants'?)" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert shown_keys(app) == ["name"]  # the valid tab still applies
        await press(pilot, app, "tab-registrants")
        assert "email" in shown_keys(app)  # the misspelt one shows every column


async def test_the_key_is_in_help_the_palette_and_the_keymap(make_app: MakeApp) -> None:
    app = make_app(keymap={"columns": "f7"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await press(pilot, app, "tab-meetings")
        assert key_of(app, "columns") == "f7"
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert "Choose columns" in screen_text(app) and "columns" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        await pilot.press(*"choose columns")
        await settle(pilot, app)
        assert "view: choose columns" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(current(app), ColumnChooser), what="chooser")
        assert "Columns of Meetings" in screen_text(app)


def test_every_tab_has_a_column_id() -> None:
    """Each pane's columns (and the groups view's) map to a `[columns]` id."""
    assert {tab_of(pane.COLUMNS) for pane in PANES} | {"groups"} == set(TAB_COLUMNS)
