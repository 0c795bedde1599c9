"""SVG snapshots of every tab, the narrow layout, help, the palette and an error.

The data is the sandbox's (seed 5, anchored 2026-03-02) synced once per session; the
clock is fixed five minutes after that sync and times are shown in UTC, so the
snapshots are the same on every run. Regenerate on purpose only:
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from tests.support.app import pressing
from tui.app import MeetdeckApp
from tui.core.errors import NetworkUnreachable

MakeApp = Callable[..., MeetdeckApp]
WIDE = (120, 40)


def test_organizers_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """Organizers of GoTo and Zoom side by side, the third row highlighted, its detail
    panel on the right; the header shows the demo profile on its green accent, every
    provider signed in and the data's age (5m)."""
    assert snap_compare(real_app(), run_before=pressing("j", "j"), terminal_size=WIDE)


def test_groups_view(snap_compare: Any, real_app: MakeApp) -> None:
    """`v` in Organizers at 80x24: GoTo's groups with their parent, status and organizer
    count ("[red]Red Team" literal), the second row highlighted, and `v Organizers` in
    the footer to go back (the detail panel is folded away at this width)."""
    assert snap_compare(real_app(), run_before=pressing("v", "j"), terminal_size=(80, 24))


def test_meetings_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """Upcoming meetings of the next 30 days with the window in the status line and
    the first meeting's join URL in the detail panel."""
    assert snap_compare(real_app(), run_before=pressing("2"), terminal_size=WIDE)


def test_meetings_historical(snap_compare: Any, real_app: MakeApp) -> None:
    """Historical meetings of the last 90 days (`h`, `w`), with attendee counts."""
    assert snap_compare(real_app(), run_before=pressing("2", "h", "w", "w"), terminal_size=WIDE)


def test_events_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """GoTo Training trainings and Zoom webinars in one table with a provider column
    and registrant / pending counts."""
    assert snap_compare(real_app(), run_before=pressing("3"), terminal_size=WIDE)


def test_registrants_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """All registrants by name (names that open with markup or an escape sort by their
    first letter, not first); the highlighted registrant's custom questions in the
    detail panel."""
    assert snap_compare(real_app(), run_before=pressing("4", "j"), terminal_size=WIDE)


def test_hostile_names_shown_literally(snap_compare: Any, real_app: MakeApp) -> None:
    """Names made of escape sequences and markup, shown as text: never run, never
    styled, never a link."""
    press = ("4", "slash", *"escape", "enter")
    assert snap_compare(real_app(), run_before=pressing(*press), terminal_size=WIDE)


def test_registrants_pending_of_one_event(snap_compare: Any, real_app: MakeApp) -> None:
    """Drill-down from the big webinar (600 registrants) to its registrants, filtered
    to pending (`v`), two rows marked (space), the breadcrumb showing the way back."""
    press = ["3", *["j"] * 34, "enter", "v", "space", "space"]
    assert snap_compare(real_app(), run_before=pressing(*press), terminal_size=WIDE)


def test_recordings_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """Recordings with sizes and their event titles; the highlighted one is the first
    Zoom file (a GoTo Meeting file's detail shows a signed link that changes per run)."""
    assert snap_compare(real_app(), run_before=pressing("5", *["j"] * 4), terminal_size=WIDE)


def test_support_tab(snap_compare: Any, real_app: MakeApp) -> None:
    """GoTo Assist support sessions: status, technician, support key, notes."""
    assert snap_compare(real_app(), run_before=pressing("6"), terminal_size=WIDE)


def test_registrants_at_80x24(snap_compare: Any, real_app: MakeApp) -> None:
    """At 80x24 the detail panel folds away, tab titles shorten, columns drop by
    priority and the footer turns compact: nothing wraps."""
    assert snap_compare(real_app(), run_before=pressing("4"), terminal_size=(80, 24))


def test_filter_as_you_type(snap_compare: Any, real_app: MakeApp) -> None:
    """The `/` filter narrowed the registrants to those matching "garcia"."""
    assert snap_compare(
        real_app(), run_before=pressing("4", "slash", *"garcia", "enter"), terminal_size=WIDE
    )


def test_help_screen(snap_compare: Any, real_app: MakeApp) -> None:
    """The help screen (`?`) generated from the live bindings of the registrants tab,
    with each binding's id for `[keymap]`."""
    assert snap_compare(real_app(), run_before=pressing("4", "question_mark"), terminal_size=WIDE)


def test_column_chooser(snap_compare: Any, real_app: MakeApp) -> None:
    """`C` in Registrants at 80x24: the tab's columns with their boxes, Email just
    unchecked (`j`, space) and the table behind without it, showing the event and
    provider in its room."""
    press = ("4", "C", "j", "space")
    assert snap_compare(real_app(), run_before=pressing(*press), terminal_size=(80, 24))


def test_command_palette(snap_compare: Any, real_app: MakeApp) -> None:
    """The command palette searching the cache for "ada": people, meetings and
    events, titled `group: item`."""
    assert snap_compare(real_app(), run_before=pressing("ctrl+p", *"ada"), terminal_size=WIDE)


def test_error_dialog(snap_compare: Any, real_app: MakeApp) -> None:
    """A typed error from the Deck shown as a dialog: its title and its sentence."""

    async def fail(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, MeetdeckApp)
        app.show_error(
            NetworkUnreachable(
                "Cannot reach api.getgo.com. Check the network or the proxy; meetdeck keeps "
                "showing what it cached."
            )
        )

    assert snap_compare(real_app(), run_before=pressing(before=fail), terminal_size=WIDE)


def test_confirm_action_dialog(snap_compare: Any, real_app: MakeApp) -> None:
    """The confirmation before approving every pending registrant of the big webinar
    (`v`, `*`, `a`): the action and count, the event (Zoom webinar), the profile on its
    accent, the first five people and "and N more"; above ten people the count must be
    typed, so the Approve button is disabled and the count box has the focus."""
    press = ["3", *["j"] * 34, "enter", "v", "asterisk", "a"]
    assert snap_compare(real_app(), run_before=pressing(*press), terminal_size=WIDE)


def test_downloads_screen(snap_compare: Any, real_app: MakeApp) -> None:
    """The downloads screen (`o`) with three downloads as the Deck reports them: one
    running with its bar, size, speed and time left (a resumed one), one saved with its
    path, one failed with the reason. The snapshots are fixed values posted through the
    app's progress message, so speeds and times are the same on every run."""
    from tests.support.builders import fixed_downloads

    progress = fixed_downloads(failed=True)

    async def downloads(pilot: Pilot[Any]) -> None:
        from tui.screens.download_flows import DownloadProgressed
        from tui.screens.downloads import DownloadsScreen

        app: Any = pilot.app
        await app.push_screen(DownloadsScreen())
        for each in progress:
            app.post_message(DownloadProgressed(each))
        await pilot.pause()

    assert snap_compare(real_app(), run_before=pressing(before=downloads), terminal_size=WIDE)
