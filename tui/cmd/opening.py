"""The Deck a command works on: the profile's, or the demo's embedded sandbox.

`meetdeck sync`, `download`, `approve`, `deny` and `cancel` open their Deck the same
way: settings from config.toml and the environment, the profile named by --profile (or
the default one), read-only when --read-only, the config's `read_only` or the profile's
says so. With --demo the sandbox starts here, its old demo tokens are forgotten, and the
demo's cache lives apart from every real profile's.
"""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.deck.facade import Deck
    from tui.core.settings.paths import Paths


@dataclass(frozen=True, slots=True)
class CommandDeck:
    """A command's Deck, and what it was opened for."""

    deck: Deck
    profile: str
    demo: bool
    paths: Paths


def open_command_deck(
    args: argparse.Namespace, stack: ExitStack, *, quiet_sandbox: bool = False
) -> CommandDeck:
    """Open the Deck of `args` (the demo's sandbox is stopped when `stack` closes).

    Args:
        args: The parsed command line (--demo, --profile, --read-only, --seed, ...).
        stack: Holds the demo sandbox, so it outlives the command's work.
        quiet_sandbox: Silence the embedded sandbox's complaints about a request cut
            short (a download interrupted on purpose).
    """
    from tui.core.deck.from_profile import open_profile
    from tui.core.settings.config import demo_profile, load_settings
    from tui.core.settings.paths import DEMO_PROFILE, resolve_paths

    paths = resolve_paths()
    demo = bool(getattr(args, "demo", False))
    if demo:
        from tui.cmd.demo import start_demo_sandbox

        if quiet_sandbox:
            import logging

            logging.getLogger("asyncio").setLevel(logging.ERROR)
        settings = load_settings(paths)
        handle = stack.enter_context(start_demo_sandbox(paths, args))
        name, profile = DEMO_PROFILE, demo_profile(handle.base_url)
        profiles: list[str] = []
    else:
        settings = load_settings(paths, overrides={"profile": getattr(args, "profile", None)})
        name, profile = settings.active_profile()
        profiles = sorted(settings.profiles)
    from tui.cmd.output import say_converting

    say_converting(paths.cache_db(name, demo=demo))
    deck = open_profile(
        paths,
        name,
        profile,
        http=settings.http,
        demo=demo,
        private_files=settings.private_files,
        read_only=bool(getattr(args, "read_only", False)) or settings.read_only,
        profiles=profiles,
    )
    return CommandDeck(deck, name, demo, paths)


def refused_read_only(opened: CommandDeck, command: str, *, dry_run: bool, hint: str = "") -> bool:
    """A write command on a read-only Deck: close it, say so on stderr and return True
    (the command exits 2, nothing sent). A dry run is let through: it sends nothing."""
    if dry_run or not opened.deck.read_only:
        return False
    import asyncio
    import sys

    from tui.core.display.cleaning import clean

    asyncio.run(opened.deck.aclose())
    print(
        clean(
            f"{command}: profile {opened.profile} is read-only (--read-only, the config's "
            f"read_only or the profile's), so nothing was sent.{hint}"
        ),
        file=sys.stderr,
    )
    return True
