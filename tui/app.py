"""The meetdeck Textual app and the one factory that builds it.

`build_app` is used by the CLI (`tui/cmd/tui.py`), the tests and the screenshot
script alike: it takes a Deck factory (profile name -> Deck), display options and a
clock, so tests can inject a fixed time and a Deck on a temporary cache.

Only what the first frame needs is imported here; dialogs, the help screen and the
meeting drill-down are imported when first opened.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType, Keymap
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

import tui
from tui.clipboard import clipboard_caveat, tmux_passthrough
from tui.core.errors import MeetdeckError
from tui.text import clean, shorten
from tui.widgets.formatting import Clock, TimeFormat, system_clock
from tui.widgets.pane_types import StartView

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from tui.core.deck.api import DeckApi
    from tui.core.deck.types import ListView
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import Recording, StartUrl
    from tui.screens.notifications import Notice
    from tui.startup import GcPacer

#: How many notifications the app keeps for the notifications screen (`N`).
NOTICES_KEPT = 200

DeckFactory = Callable[[str | None], "DeckApi"]
"""Opens the Deck of a profile (None: the default profile)."""


def styles_dir() -> Path:
    """Where the stylesheets are: inside the installed package, else the repo's styles/."""
    packaged = Path(tui.__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(tui.__file__).resolve().parent.parent / "styles"


@dataclass(frozen=True)
class UiOptions:
    """Display settings the app needs (taken from Settings by the CLI).

    Attributes:
        theme: A Textual theme name.
        keymap: Binding id -> keys, applied with App.set_keymap.
        timezone: The preferred zone for displayed times (None: local).
        profile_zones: Each profile's own zone, for the `t` cycle.
        download_dir: Where `e` writes CSV files.
        sync_on_start: Refresh everything in the background after the first frame.
        mouse: False ignores the mouse (passed to App.run by the CLI).
        demo: The Deck talks to the embedded sandbox: sign in to it before syncing.
        warnings: Shown as notifications once the first screen is up (a config file
            that others can read, ...).
        ui_state: Where a theme picked in the palette and each tab's sort are kept
            for the next start (None: not kept).
        sorts: Each tab's sort remembered from the last run: tab -> (sort, descending).
        profiles: What the profile switcher shows of each profile: (accent,
            read-only), as the first frame read them.
        start: Where to open (`--view`, `--event`, `--status`, `--filter`).
        columns: `[columns]` as the config file has it: the columns each tab shows.
        columns_file: Where a column choice (`C`) is written (config.toml; the demo's
            own file with --demo); None: kept for the session only.
    """

    theme: str = "textual-dark"
    keymap: Mapping[str, str] = field(default_factory=dict)
    timezone: str | None = None
    profile_zones: Mapping[str, str | None] = field(default_factory=dict)
    download_dir: Path | None = None
    sync_on_start: bool = True
    mouse: bool = True
    demo: bool = False
    warnings: tuple[str, ...] = ()
    ui_state: Path | None = None
    sorts: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    profiles: Mapping[str, tuple[str | None, bool]] = field(default_factory=dict)
    start: StartView | None = None
    columns: object = None
    columns_file: Path | None = None


#: Textual reads ESC followed by a top-row key as the character macOS's Option key types
#: there (WezTerm sends ESC 2 for Option+2: "™"). Over a slow SSH link, Esc and then a
#: digit arrive in one read and look the same; in meetdeck they are Esc, then the digit.
OPTION_ROW = tuple(f"\x1b{key}" for key in "1234567890-=§")


def plain_escape_digits() -> None:
    """Make ESC + a top-row key reach the app as alt+KEY, not an Option-key character
    (`MeetdeckApp.on_event` turns alt+digit into Esc, then the digit). Textual is
    pinned, and the table this edits is checked by a test."""
    from textual import _ansi_sequences

    keys = cast("dict[str, object]", _ansi_sequences.ANSI_SEQUENCES_KEYS)
    for sequence in OPTION_ROW:
        keys.pop(sequence, None)


def escaped_digit(key: str) -> str | None:
    """The digit of "alt+1" (Esc and 1 in one read), else None."""
    if key.startswith("alt+") and len(key) == 5 and key[4].isdigit():
        return key[4]
    return None


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

    class DownloadProgressed(Message):
        """A download moved on; only the newest snapshot of each file is handled."""

        def __init__(self, progress: DownloadProgress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, MeetdeckApp.DownloadProgressed)
                and message.progress.key == self.progress.key
            )

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
        self.deck_factory = deck_factory
        self.start_profile = profile
        self.clock = clock
        self.time_format = TimeFormat()
        self._deck: DeckApi | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._unwatch_downloads: Callable[[], None] | None = None
        self._demo_signed_in = False
        self._startup_error: MeetdeckError | None = None
        self._gc_pacer: GcPacer | None = None
        self._keymap_given: dict[str, str] = {}
        self._notices: deque[Notice] = deque(maxlen=NOTICES_KEPT)
        self._sorts: dict[str, tuple[str, bool]] = dict(self.options.sorts)
        self._sort_warned = False
        from tui.widgets.column_choice import ColumnChoices

        self.column_choices = ColumnChoices(self.options.columns, self.options.columns_file)
        if self.options.theme in self.available_themes:
            self.theme = self.options.theme

    @property
    def deck(self) -> DeckApi:
        """The open profile's Deck (opened on mount)."""
        if self._deck is None:
            raise RuntimeError("the Deck is opened when the app mounts")
        return self._deck

    @property
    def open_deck(self) -> DeckApi | None:
        """The Deck, or None before one is open."""
        return self._deck

    @property
    def keymap(self) -> Mapping[str, str]:
        """Binding id -> keys, as given to `set_keymap` / `update_keymap`."""
        return self._keymap_given

    def _apply_keymap(self) -> None:
        """`[keymap]` from config.toml; a misspelt id is an error dialog, not ignored."""
        keymap = dict(self.options.keymap)
        if keymap:
            from tui.bindings import binding_ids, check_keymap

            known = binding_ids()
            try:
                check_keymap(keymap, known)
            except MeetdeckError as error:
                self.call_after_refresh(self.show_error, error)
                keymap = {name: keys for name, keys in keymap.items() if name in known}
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
        return self._sorts

    def remember_sort(self, tab: str, sort: str, descending: bool) -> None:
        """Keep a tab's sort for this session (other profiles too) and the next start."""
        self._sorts[tab] = (sort, descending)
        if self.options.ui_state is None:
            return
        from tui.core.settings.ui_state import remember_sorts

        problem = remember_sorts(self.options.ui_state, self._sorts)
        if problem is not None and not self._sort_warned:
            self._sort_warned = True  # once a session: the sort still works
            self.notify(clean(problem), title="Sort", severity="warning", markup=False)

    # -- lifecycle -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The first screen: open the start profile's Deck and show its cache at once."""
        from tui.screens.main import MainScreen

        try:
            self._use_deck(self.deck_factory(self.start_profile))
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
        self._subscribe_api_log()
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

    def _use_deck(self, deck: DeckApi) -> DeckApi | None:
        """Make `deck` current; returns the previous one (to close)."""
        old, self._deck = self._deck, deck
        self._demo_signed_in = False
        zone = self.options.profile_zones.get(deck.profile_name)
        self.time_format = TimeFormat.build(self.options.timezone, zone)
        return old

    def _sync_on_start(self) -> None:
        if self.options.sync_on_start:
            self.call_after_refresh(self.screen.run_action, "sync_all")

    async def open_profile(self, profile: str | None) -> None:
        """Open `profile`'s Deck and show it, closing the previous one."""
        try:
            deck = self.deck_factory(profile)
        except MeetdeckError as error:
            self.show_error(error)
            return
        old = self._use_deck(deck)
        self._subscribe_api_log()
        from tui.screens.main import MainScreen

        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            await self.switch_screen(MainScreen())
        else:
            await main.reset()
        if old is not None:
            self.run_worker(old.aclose(), group="close-deck", exit_on_error=False)
        self.notify(f"Switched to profile {clean(deck.profile_name)}.", markup=False)
        self._sync_on_start()

    async def prepare_sync(self) -> None:
        """Before a refresh: in the demo, sign in to the sandbox (once)."""
        if self.options.demo and not self._demo_signed_in:
            await self.deck.demo_sign_in()
            self._demo_signed_in = True

    def _subscribe_api_log(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._watch_downloads()
        from tui.widgets.api_log import ApiLogPanel

        def called(entry: object) -> None:
            # May run on any thread: post_message is thread-safe. Every screen's log
            # panel follows (the main screen's, under a dialog, too).
            for screen in self.screen_stack:
                screen.post_message(ApiLogPanel.Called(entry))

        # The Deck relays its calls from the moment it connects, which is after this.
        self._unsubscribe = self.deck.watch_api_calls(called)

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
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._unwatch_downloads is not None:
            self._unwatch_downloads()
        if self._deck is not None:
            try:
                await self._deck.aclose()
            except Exception:  # closing must never turn an exit into a traceback
                self.log.error("closing the deck failed")

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
        from tui.screens.notifications import Notice

        message, title = clean(message, multiline=True), clean(title)
        self._notices.append(Notice(self.clock(), title, message, severity, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def notices(self) -> tuple[Notice, ...]:
        """This session's notifications, oldest first."""
        return tuple(self._notices)

    async def action_show_notifications(self) -> None:
        """Past errors and notices, newest first, with their time."""
        from tui.screens.notifications import NotificationsScreen, notices_text

        if not isinstance(self.screen, NotificationsScreen):
            content = notices_text(self.notices, self.time_format)
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
        if recordings:
            self.run_worker(
                self._queue_downloads(list(recordings)), group="downloads", exit_on_error=False
            )

    async def _queue_downloads(self, recordings: list[Recording]) -> None:
        busy = [r for r in recordings if r.processing]
        if busy:
            # Nothing to fetch yet: said at once, and no request is made.
            names = busy[0].name if len(busy) == 1 else f"{len(busy)} recordings"
            self.notify(
                f"{clean(names)}: still processing on the service; download it when it "
                "is finished (r refreshes the list).",
                title="Recording not ready",
                severity="warning",
                markup=False,
                timeout=6,
            )
            recordings = [r for r in recordings if not r.processing]
            if not recordings:
                return
        await self.prepare_sync()
        await self.deck.connect()
        for recording in recordings:
            self.deck.download(recording, directory=self.options.download_dir)
        names = recordings[0].name if len(recordings) == 1 else f"{len(recordings)} recordings"
        self.notify(
            f"Downloading {clean(names)}. Press o to follow it.",
            title="Download",
            markup=False,
            timeout=5,
        )

    def _watch_downloads(self) -> None:
        if self._unwatch_downloads is not None:
            self._unwatch_downloads()
            self._unwatch_downloads = None
        if self._deck is not None:

            def progressed(progress: DownloadProgress) -> None:
                # Called on the event loop; widgets change only in the message handler.
                self.post_message(self.DownloadProgressed(progress))

            self._unwatch_downloads = self._deck.watch_downloads(progressed)

    async def on_meetdeck_app_download_progressed(self, event: DownloadProgressed) -> None:
        progress = event.progress
        state = str(progress.state)
        if state == "done":
            self.notify(
                f"Saved {clean(progress.filename)} to {clean(str(progress.path))}",
                title="Download",
                markup=False,
                timeout=8,
            )
        elif state == "failed":
            self.notify(
                f"{clean(progress.filename)}: {clean(progress.error)}",
                title="Download failed",
                severity="error",
                markup=False,
                timeout=10,
            )
        from tui.screens.downloads import DownloadsScreen

        for screen in self.screen_stack:
            if isinstance(screen, DownloadsScreen):
                await screen.download_progressed(progress)

    async def action_quit(self) -> None:
        """Quit; while a download runs or waits, ask first (Cancel has the focus)."""
        deck = self.open_deck
        unfinished = (
            [p for p in deck.downloads() if str(p.state) in ("queued", "running")]
            if deck is not None
            else []
        )
        if not unfinished:
            self.exit()
            return
        from tui.screens.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog) and self.screen.id == "confirm-quit":
            return  # already asking
        names = ", ".join(clean(p.filename) for p in unfinished[:3])
        more = f" and {len(unfinished) - 3:,} more" if len(unfinished) > 3 else ""
        count = "1 download is" if len(unfinished) == 1 else f"{len(unfinished):,} downloads are"
        lines = [
            f"{count} not finished: {names}{more}.",
            "Quitting stops it. The partial file (.part) is kept, and downloading the "
            "recording again resumes where it stopped.",
        ]

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        dialog = ConfirmDialog("Quit while downloading?", lines, "Quit")
        dialog.id = "confirm-quit"
        await self.push_screen(dialog, answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_profile":
            from tui.screens.main import MainScreen

            return isinstance(self.screen, MainScreen)
        return True

    async def action_switch_profile(self) -> None:
        """`P`: the profile switcher; the one picked opens as the palette opens it."""
        from tui.screens.main import MainScreen
        from tui.screens.profiles import ProfileEntry, ProfileSwitcher

        deck = self.open_deck
        if deck is None or not isinstance(self.screen, MainScreen):
            return
        entries = []
        for name in deck.profiles() or (deck.profile_name,):
            if name == deck.profile_name:
                entries.append(ProfileEntry(name, deck.accent, deck.read_only, current=True))
            else:
                accent, read_only = self.options.profiles.get(name, (None, False))
                entries.append(ProfileEntry(name, accent, read_only))

        def chosen(name: str | None) -> None:
            if name is not None:
                self.run_worker(self.open_profile(name), group="profile", exit_on_error=False)

        await self.push_screen(ProfileSwitcher(entries), chosen)

    async def action_show_downloads(self) -> None:
        from tui.screens.downloads import DownloadsScreen

        if not isinstance(self.screen, DownloadsScreen):
            await self.push_screen(DownloadsScreen())

    def export_view(self, view: ListView[Any], kind: str) -> None:
        """Write the view (as filtered) to a CSV file in the download dir and say where."""
        path = None
        if self.options.download_dir is not None:
            stamp = self.clock().strftime("%Y%m%d-%H%M%S")
            path = self.options.download_dir / f"{kind.replace(' ', '-')}-{stamp}.csv"
        try:
            rows = view.count()
            written = self.deck.export_csv(view, path)
        except MeetdeckError as error:
            self.show_error(error)
            return
        self.notify(f"Exported {rows:,} rows to {written}", title="Export", markup=False, timeout=8)

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
        problem = None
        if self.options.ui_state is not None:
            from tui.core.settings.ui_state import remember_theme

            problem = remember_theme(self.options.ui_state, name)
        if problem is not None:
            self.notify(clean(problem), title="Theme", severity="warning", markup=False)
        else:
            self.notify(f"Theme: {name}", markup=False, timeout=2)

    def now(self) -> datetime:
        """The app's clock (fixed in tests)."""
        return self.clock()


def describe_error(error: BaseException | None) -> tuple[str, str]:
    """(title, sentence) for any error: typed ones speak for themselves."""
    if isinstance(error, MeetdeckError):
        return error.title, error.sentence
    name = type(error).__name__ if error is not None else "Error"
    return "Unexpected error", f"Something failed inside meetdeck ({name}). Nothing was lost."


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
