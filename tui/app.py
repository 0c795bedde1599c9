"""The meetdeck Textual app and the one factory that builds it.

`build_app` is used by the CLI (`tui/cmd/tui.py`), the tests and the screenshot
script alike: it takes a Deck factory (profile name -> Deck), display options and a
clock, so tests can inject a fixed time and a Deck on a temporary cache.

Only what the first frame needs is imported here; dialogs, the help screen and the
meeting drill-down are imported when first opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType, Keymap
from textual.screen import Screen
from textual.worker import Worker, WorkerState

import tui
from tui.clipboard import clipboard_caveat, tmux_passthrough
from tui.core.errors import MeetdeckError
from tui.deck_session import DeckSession
from tui.escape_digits import escaped_digit, plain_escape_digits
from tui.preferences import Preferences
from tui.screens.download_flows import DownloadFlows, DownloadProgressed
from tui.screens.notifications import NoticeLog
from tui.screens.profile_flows import ProfileFlows
from tui.text import clean, shorten
from tui.ui_options import DeckFactory, StartView, UiOptions
from tui.widgets.formatting import Clock, TimeFormat, system_clock
from tui.widgets.safety_net import describe_error

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tui.core.deck.api import DeckApi
    from tui.core.deck.types import ListView
    from tui.core.models import Recording, StartUrl
    from tui.startup import GcPacer


def styles_dir() -> Path:
    """Where the stylesheets are: inside the installed package, else the repo's styles/."""
    packaged = Path(tui.__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(tui.__file__).resolve().parent.parent / "styles"


class MeetdeckApp(App[int]):
    """meetdeck: GoTo and Zoom administration in the terminal."""

    TITLE = "meetdeck"
    CSS_PATH = str(styles_dir() / "app.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", show=False, id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit-now"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True, id="palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True, id="ctrl-c"),
        Binding("o", "show_downloads", "Downloads", show=False, id="downloads"),
        Binding("N", "show_notifications", "Notifications", show=False, id="notifications"),
        Binding(
            "P",
            "switch_profile",
            "Profiles",
            show=False,
            id="profiles",
            tooltip="Switch to another profile (account): each with its accent and "
            "READ-ONLY marker",
        ),
    ]
    # Every screen gets -narrow below 100 columns: the detail panel folds away.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 - Textual API
    COMMANDS: ClassVar[set[Any]] = {
        lambda: _commands().DeckSearch,
        lambda: _commands().DeckCommands,
    }

    def __init__(
        self,
        deck_factory: DeckFactory,
        options: UiOptions | None = None,
        *,
        profile: str | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__()
        plain_escape_digits()
        self.options = options or UiOptions()
        self.start_profile = profile
        self.clock = clock
        self.session = DeckSession(self, deck_factory, self.options)
        """The open profile: its Deck, time format and relays (`tui/deck_session.py`)."""
        self.profiles = ProfileFlows(self, self.session, self.options.profiles, self._sync_on_start)
        """Opening another profile: `P` and the palette (`tui/screens/profile_flows.py`)."""
        self.downloads = DownloadFlows(self, self.options.download_dir, clock)
        """What the app saves in the download folder: recordings, CSV exports."""
        self._startup_error: MeetdeckError | None = None
        self._gc_pacer: GcPacer | None = None
        self._keymap_given: dict[str, str] = {}
        self.notice_log = NoticeLog(clock)
        """Every toast of this session, for the notifications screen (`N`)."""
        self.preferences = Preferences(self.options)
        """The keymap, theme and sorts the person chose (`tui/preferences.py`)."""
        from tui.widgets.column_choice import ColumnChoices

        self.column_choices = ColumnChoices(self.options.columns, self.options.columns_file)
        if self.options.theme in self.available_themes:
            self.theme = self.options.theme

    @property
    def deck(self) -> DeckApi:
        """The open profile's Deck (opened on mount)."""
        return self.session.deck

    @property
    def open_deck(self) -> DeckApi | None:
        """The Deck, or None before one is open."""
        return self.session.open_deck

    @property
    def deck_factory(self) -> DeckFactory:
        """Opens a profile's Deck (None: the default profile)."""
        return self.session.factory

    @property
    def time_format(self) -> TimeFormat:
        """How times show: the open profile's zone unless one is preferred (`t` cycles)."""
        return self.session.time_format

    @property
    def keymap(self) -> Mapping[str, str]:
        """Binding id -> keys, as given to `set_keymap` / `update_keymap`."""
        return self._keymap_given

    def _apply_keymap(self) -> None:
        """`[keymap]` from config.toml; a misspelt id is an error dialog, not ignored."""
        keymap, error = self.preferences.checked_keymap()
        if error is not None:
            self.call_after_refresh(self.show_error, error)
        self.set_keymap(keymap)

    def set_keymap(self, keymap: Keymap) -> None:
        super().set_keymap(keymap)
        self._keymap_given = dict(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        super().update_keymap(keymap)
        self._keymap_given = {**self._keymap_given, **keymap}

    @property
    def sorts(self) -> Mapping[str, tuple[str, bool]]:
        """Each tab's sort (by the pane's KIND): (sort name, descending)."""
        return self.preferences.sorts

    def remember_sort(self, tab: str, sort: str, descending: bool) -> None:
        """Keep a tab's sort for this session (other profiles too) and the next start."""
        problem = self.preferences.remember_sort(tab, sort, descending)
        if problem is not None:
            self.notify(clean(problem), title="Sort", severity="warning", markup=False)

    # -- lifecycle -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: open the start profile's Deck and show its cache at once."""
        from tui.screens.main import MainScreen

        try:
            self.session.open(self.start_profile)
        except MeetdeckError as error:
            self._startup_error = error
            return Screen()
        return MainScreen()

    def on_mount(self) -> None:
        # Whatever the first screen is, collection resumes once it is drawn.
        self.call_after_refresh(self._resume_gc)
        self._apply_keymap()
        if self.column_choices.error is not None:
            self.call_after_refresh(self.show_error, self.column_choices.error)
        if self.options.theme not in self.available_themes:
            self.notify(
                f"Unknown theme {self.options.theme!r}; using {self.theme}.",
                severity="warning",
                markup=False,
            )
        if self._startup_error is not None:
            self.show_error(self._startup_error)
            return
        self.session.relay()
        for warning in self.options.warnings:
            self.notify(warning, title="Config", severity="warning", markup=False, timeout=15)
        self._show_notice()
        if self.options.start is not None:
            self.call_after_refresh(self._open_start, self.options.start)
        self._sync_on_start()

    async def _open_start(self, start: StartView) -> None:
        from tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            await self.screen.open_start(start)

    def _show_notice(self) -> None:
        notice = self.deck.notice
        if notice:
            self.notify(notice, title="Cache rebuilt", severity="warning", markup=False, timeout=12)

    def _sync_on_start(self) -> None:
        if self.options.sync_on_start:
            self.call_after_refresh(self.screen.run_action, "sync_all")

    async def open_profile(self, profile: str | None) -> None:
        """Open `profile`'s Deck and show it, closing the previous one."""
        await self.profiles.open(profile)

    async def prepare_sync(self) -> None:
        """Before a refresh: in the demo, sign in to the sandbox (once)."""
        await self.session.prepare_sync()

    @on(DownloadProgressed)
    async def _download_progressed(self, event: DownloadProgressed) -> None:
        await self.downloads.progressed(event.progress)

    def _resume_gc(self) -> None:
        """After the first frame, collect garbage in the pauses (`tui.startup`)."""
        from tui.startup import TICK, resume_gc

        self._gc_pacer = resume_gc()
        if self._gc_pacer is not None:
            self.set_interval(TICK, self._gc_pacer.tick, name="gc-pacer")

    async def on_event(self, event: events.Event) -> None:
        if self._gc_pacer is not None and isinstance(event, events.InputEvent):
            self._gc_pacer.touch()
        if isinstance(event, events.Key) and not event.is_forwarded:
            digit = escaped_digit(event.key)
            if digit is not None:
                await self._escape_then(digit)
                return
        await super().on_event(event)

    async def _escape_then(self, key: str) -> None:
        """Esc, then `key`, as if they had come in two reads.

        The Esc runs its binding here and now (closing the filter, a dialog, going
        back), so that the focus it moves (queued on the app) is in place before `key`,
        posted after it, is handled. An Esc no binding takes goes to the focused widget
        as a key. (`_check_bindings` is how Textual runs a key's bindings; textual is
        pinned.)
        """
        ran = await self._check_bindings("escape", priority=True)
        if not ran:
            ran = await self._check_bindings("escape")
        if not ran:
            await super().on_event(events.Key("escape", "\x1b"))
        self.post_message(events.Key(key, key))

    async def on_unmount(self) -> None:
        from tui.startup import end_gc

        end_gc(self._gc_pacer)
        await self.session.close()

    # -- errors --------------------------------------------------------------------

    def show_error(self, error: BaseException) -> None:
        """An error dialog with a typed error's title and sentence."""
        from tui.screens.dialogs import ErrorDialog

        title, sentence = describe_error(error)
        self.push_screen(ErrorDialog(title, sentence))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The safety net for the app's own workers (screens forward theirs here)."""
        self.worker_state_changed(event.worker)

    def worker_state_changed(self, worker: Worker[Any]) -> None:
        """The one safety net: a failed worker becomes a toast, never a crash."""
        if worker.state is not WorkerState.ERROR:
            return
        title, sentence = describe_error(worker.error)
        self.notify(sentence, title=title, severity="error", markup=False, timeout=10)
        from tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.worker_failed()

    # -- actions -------------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, help_text

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(help_text(self.screen)))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast (the app's, a screen's, a widget's) passes the one cleaner.

        Toasts carry API text (an error sentence, a name just copied); whatever the
        caller built, no control character or escape sequence reaches the terminal.
        Each is kept for the notifications screen (`N`).
        """
        message, title = clean(message, multiline=True), clean(title)
        self.notice_log.add(title, message, severity, markup)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    async def action_show_notifications(self) -> None:
        """Past errors and notices, newest first, with their time."""
        from tui.screens.notifications import NotificationsScreen, notices_text

        if not isinstance(self.screen, NotificationsScreen):
            content = notices_text(self.notice_log.notices, self.time_format)
            await self.push_screen(NotificationsScreen(content))

    def copy_text(self, text: str, what: str, *, secret: bool = False) -> None:
        """Copy with OSC 52 (tmux-aware), toast it, and show it where copying may fail.

        Args:
            text: What to copy.
            what: What it is, for the toast ("email", "the host start link").
            secret: Never show `text` in the toast (a start URL); it is still shown for
                copying by hand where the terminal may drop the copy.
        """
        text = clean(text)
        self.copy_to_clipboard(text)
        if os.environ.get("TMUX") and self._driver is not None:
            import base64

            encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
            self._driver.write(tmux_passthrough(f"\x1b]52;c;{encoded}\a"))
        shown = "" if secret else f": {shorten(text, 60)}"
        self.notify(f"Copied {what}{shown}", markup=False, timeout=3)
        caveat = clipboard_caveat(os.environ)
        if caveat is not None:
            if secret:
                caveat += " This link signs whoever holds it in as the host: keep it private."
            from tui.screens.dialogs import CopyDialog

            self.push_screen(CopyDialog(text, caveat))

    # -- start links and downloads ----------------------------------------------------

    def show_start_url(self, start: StartUrl, what: str) -> None:
        """Offer a host start link (copy, open, show); it lives only in the dialog."""
        from datetime import UTC

        from tui.screens.start_url import StartUrlDialog

        # Expiry times come from the real clock (the Deck's), so compare with it.
        self.push_screen(
            StartUrlDialog(start, what, now=datetime.now(UTC), zone=self.time_format.zone)
        )

    def queue_downloads(self, recordings: Sequence[Recording]) -> None:
        """Queue recording downloads (progress: the downloads screen, `o`)."""
        self.downloads.queue(recordings)

    async def action_quit(self) -> None:
        """Quit; while a download runs or waits, ask first (Cancel has the focus)."""
        await self.downloads.quit(self.open_deck)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_profile":
            from tui.screens.main import MainScreen

            return isinstance(self.screen, MainScreen)
        return True

    async def action_switch_profile(self) -> None:
        """`P`: the profile switcher; the one picked opens as the palette opens it."""
        await self.profiles.choose()

    async def action_show_downloads(self) -> None:
        await self.downloads.show()

    def export_view(self, view: ListView[Any], kind: str) -> None:
        """Write the view (as filtered) to a CSV file in the download dir and say where."""
        self.downloads.export(view, kind)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("app: quit", "Quit meetdeck", self.action_quit)
        yield SystemCommand("app: help", "Show the keys", self.action_help)
        yield SystemCommand(
            "app: screenshot",
            "Save an SVG screenshot of the screen",
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )

    def switch_theme(self, name: str) -> None:
        """Change the theme (palette command), and keep it for the next start."""
        self.theme = name
        problem = self.preferences.remember_theme(name)
        if problem is not None:
            self.notify(clean(problem), title="Theme", severity="warning", markup=False)
        else:
            self.notify(f"Theme: {name}", markup=False, timeout=2)


def _commands() -> Any:
    import tui.commands

    return tui.commands


def build_app(
    deck_factory: DeckFactory,
    options: UiOptions | None = None,
    *,
    profile: str | None = None,
    clock: Clock = system_clock,
) -> MeetdeckApp:
    """Build the app: the CLI, the tests and the screenshot script all call this."""
    return MeetdeckApp(deck_factory, options, profile=profile, clock=clock)
