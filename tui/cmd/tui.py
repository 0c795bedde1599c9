"""`meetdeck` (no command) and `meetdeck --demo`: open the full-screen console.

Everything heavy (textual, the settings, the Deck) is imported inside `run`. With
`--demo` the embedded sandbox starts on an ephemeral loopback port, the app opens a
Deck on the demo profile, shows the cache at once and syncs in the background.
"""

from __future__ import annotations

import argparse
from typing import Any


def run(args: argparse.Namespace) -> int:
    """Run the TUI; the exit code is the app's return code (0 normally)."""
    return run_tui(args)


def run_tui(args: argparse.Namespace, *, sandbox_config: Any = None) -> int:
    """Build the app with `tui.app.build_app` and run it until the person quits.

    Args:
        args: The parsed command line (profile, demo, read_only, theme, seed, ...).
        sandbox_config: For tests: a SandboxConfig to use with `--demo`.
    """
    from tui.app import UiOptions, build_app
    from tui.core.config import demo_profile, load_settings
    from tui.core.paths import DEMO_PROFILE, resolve_paths
    from tui.core.service import Deck

    paths = resolve_paths()
    settings = load_settings(paths, overrides={"profile": getattr(args, "profile", None)})
    read_only = bool(getattr(args, "read_only", False)) or settings.read_only
    sandbox = None
    if getattr(args, "demo", False):
        from tui.sandbox.server import SandboxConfig, start_background

        config = sandbox_config or SandboxConfig(
            port=0, seed=getattr(args, "seed", 1),
            registrants=getattr(args, "registrants", 500),
        )
        sandbox = start_background(config)
        demo = demo_profile(sandbox.base_url)
        # Tokens of an earlier demo belong to that run's sandbox; this one is new.
        paths.token_file(DEMO_PROFILE, demo=True).unlink(missing_ok=True)

        def factory(name: str | None) -> Deck:
            return Deck.open(paths, DEMO_PROFILE, demo, http=settings.http, demo=True,
                             read_only=read_only, profiles=(DEMO_PROFILE,))

        start: str | None = DEMO_PROFILE
        zones: dict[str, str | None] = {DEMO_PROFILE: None}
    else:
        start, _ = settings.active_profile()  # a ConfigError explains what to set
        names = tuple(sorted(settings.profiles))

        def factory(name: str | None) -> Deck:
            chosen = name or start
            assert chosen is not None
            return Deck.open(paths, chosen, settings.profiles[chosen], http=settings.http,
                             read_only=read_only, profiles=names)

        zones = {n: p.timezone for n, p in settings.profiles.items()}

    options = UiOptions(
        theme=getattr(args, "theme", None) or settings.theme,
        keymap=dict(settings.keymap),
        timezone=settings.timezone,
        profile_zones=zones,
        download_dir=paths.download_dir,
        mouse=settings.mouse,
        demo=sandbox is not None,
    )
    app = build_app(factory, options, profile=start)
    try:
        app.run(mouse=options.mouse)
    finally:
        if sandbox is not None:
            sandbox.stop()
    if app.return_code is not None:
        # The Deck is closed and files are flushed; skip the garbage collector's sweep of
        # the whole heap at interpreter exit, which otherwise delays the quit by ~0.3 s.
        import gc

        gc.freeze()
    return app.return_code or 0
