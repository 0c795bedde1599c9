"""`meetdeck` (no command) and `meetdeck --demo`: open the full-screen console.

Everything heavy (textual, the settings, the Deck) is imported inside `run`. With
`--demo` the embedded sandbox starts on an ephemeral loopback port, the app opens a
Deck on the demo profile, shows the cache at once and syncs in the background.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from tui.core.settings.paths import Paths
    from tui.core.settings.quick import FirstFrame
    from tui.ui_options import UiOptions


def run(args: argparse.Namespace) -> int:
    """Run the TUI; the exit code is the app's return code (0 normally)."""
    return run_tui(args)


def run_tui(args: argparse.Namespace, *, sandbox_config: Any = None) -> int:
    """Build the app with `tui.app.build_app` and run it until the person quits.

    The first frame shows the cache: the profile's name and display settings are read
    cheaply (`tui.startup.first_frame_settings`), and the Deck opens only its SQLite
    file. Validating the settings, importing httpx and pydantic, building the providers
    and (with --demo) starting the sandbox happen in `Deck.connect`, in a thread, right
    after that frame.

    Args:
        args: The parsed command line (profile, demo, read_only, theme, seed, ...).
        sandbox_config: For tests: a SandboxConfig to use with `--demo`.
    """
    from tui.core.settings.paths import DEMO_PROFILE, resolve_paths
    from tui.startup import (
        cache_generated_code,
        end_generated_code,
        first_frame_settings,
        skip_exit_sweep,
        tune_process,
    )

    tune_process()  # before textual loads
    paths = resolve_paths()
    cache_generated_code(paths.cache_dir)  # before any dataclass is defined
    from tui.app import build_app
    from tui.core.deck.facade import Deck
    from tui.core.deck.from_profile import open_profile_lazily

    demo = bool(getattr(args, "demo", False))
    read_only_flag = bool(getattr(args, "read_only", False))
    started = _Started()
    frame = first_frame_settings(paths, args)

    def factory(name: str | None) -> Deck:
        # Each profile shows its own accent and read-only state (plus --read-only).
        shown = frame if demo or not name else frame.of(name)
        chosen = DEMO_PROFILE if demo else shown.profile
        return open_profile_lazily(
            paths,
            chosen,
            lambda store: _connect(started, args, paths, store, chosen, demo, sandbox_config),
            demo=demo,
            read_only=read_only_flag or shown.read_only,
            accent=shown.accent,
            profiles=frame.profile_names,
        )

    _convert_first(paths, DEMO_PROFILE if demo else frame.profile, demo)
    options = ui_options(paths, args, frame, demo)
    app = build_app(factory, options, profile=frame.profile)
    from tui.terminal import ending_signals

    try:
        # SIGTERM and SIGHUP quit as `q` does: the driver gives the terminal back.
        with ending_signals(_exit_app(app)):
            app.run(mouse=options.mouse)
    finally:
        started.stop()
        end_generated_code()  # when the app ended before its first frame
    if app.return_code is not None:
        skip_exit_sweep()
    return app.return_code or 0


def _convert_first(paths: Paths, profile: str, demo: bool) -> None:
    """A cache of an older schema is converted before the app takes the screen, with a
    line that says so (a big one takes minutes, which the app would spend before its
    first frame, showing nothing)."""
    from tui.cmd.output import say_converting

    path = paths.cache_db(profile, demo=demo)
    if say_converting(path):
        from tui.core.store.db import Store

        Store.open(path, profile).close()


def ui_options(paths: Paths, args: argparse.Namespace, frame: FirstFrame, demo: bool) -> UiOptions:
    """The display settings of this run, from the first frame's settings and the flags."""
    from tui.core.settings.columns import columns_table
    from tui.core.settings.quick import exposed_config
    from tui.core.settings.ui_state import remembered_sorts, remembered_theme
    from tui.ui_options import StartView, UiOptions

    start = StartView(
        view=getattr(args, "view", None),
        event=getattr(args, "event", None),
        status=getattr(args, "status", None),
        filter=getattr(args, "filter", None),
    )
    read_only_flag = bool(getattr(args, "read_only", False))
    # The demo keeps its columns in its own file: it never writes a person's config.
    columns, columns_file, problem = frame.columns, paths.config_file, None
    if demo:
        columns_file = paths.demo_config_file
        columns, problem = columns_table(columns_file)
    profiles = {
        name: (frame.of(name).accent, read_only_flag or frame.of(name).read_only)
        for name in frame.profile_names
    }
    return UiOptions(
        # --theme, else the theme last picked in the palette, else the config's.
        theme=getattr(args, "theme", None) or remembered_theme(paths.ui_state) or frame.theme,
        keymap=dict(frame.keymap),
        timezone=frame.timezone,
        profile_zones=frame.profile_zones,
        download_dir=paths.download_dir,
        mouse=frame.mouse,
        demo=demo,
        warnings=tuple(w for w in (exposed_config(paths.config_file), problem) if w),
        ui_state=paths.ui_state,
        sorts=remembered_sorts(paths.ui_state),
        profiles=profiles,
        start=start if start != StartView() else None,
        columns=columns,
        columns_file=columns_file,
    )


def _exit_app(app: Any) -> Callable[[int], None]:
    """The TUI's answer to SIGTERM and SIGHUP: exit with 128 + the signal's number.

    Python runs the handler in the main thread, where the app's event loop runs; the
    exit is queued on that loop rather than run in the middle of whatever the handler
    interrupted. Before the loop starts or after it ends, the signal does what Ctrl+C
    does.
    """
    import asyncio
    from functools import partial

    from tui.terminal import interrupt

    def on_signal(signum: int) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            interrupt(signum)
            return
        loop.call_soon_threadsafe(partial(app.exit, return_code=128 + signum))

    return on_signal


class _Started:
    """What `_connect` started and the app must stop at exit (the demo's sandbox)."""

    def __init__(self) -> None:
        self.settings: Any = None
        self.sandbox: Any = None

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def _connect(
    started: _Started,
    args: argparse.Namespace,
    paths: Any,
    store: Any,
    profile: str,
    demo: bool,
    sandbox_config: Any,
) -> Any:
    """Runs in a thread after the first frame: validate settings, build the providers."""
    from tui.core.deck.connection import DeckConnection
    from tui.core.settings.config import demo_profile, load_settings

    if started.settings is None:
        overrides = {"profile": None if demo else getattr(args, "profile", None)}
        started.settings = load_settings(paths, overrides=overrides)
    settings = started.settings
    if demo:
        if started.sandbox is None:
            from tui.cmd.demo import start_demo_sandbox

            started.sandbox = start_demo_sandbox(paths, args, sandbox_config)
        profile_settings = demo_profile(started.sandbox.base_url)
    else:
        profile_settings = settings.named_profile(profile)
    connection = DeckConnection.build(
        store,
        paths,
        profile,
        profile_settings,
        http=settings.http,
        demo=demo,
        private_files=settings.private_files,
    )
    connection.read_only = connection.read_only or settings.read_only
    return connection
