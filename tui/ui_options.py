"""What the app is given: the display options, where to open, and the Deck factory.

The CLI builds them from the settings (`tui/cmd/tui.py`), the tests and the screenshot
script by hand; `tui.app.build_app` takes both. Plain data, no Textual: the CLI gathers
them before the UI loads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi

DeckFactory = Callable[[str | None], "DeckApi"]
"""Opens the Deck of a profile (None: the default profile)."""


@dataclass(frozen=True)
class StartView:
    """Where the app opens (`meetdeck --view registrants --event ID --status pending
    --filter TEXT`); every field is optional.

    Attributes:
        view: A tab id ("registrants"); None: the tab the other fields need, else the
            first.
        event: A training or webinar ID: its registrants, as Enter on it shows them.
        status: A registrant status value ("pending"): the registrants' status filter.
        filter: The '/' filter of the tab opened.
    """

    view: str | None = None
    event: str | None = None
    status: str | None = None
    filter: str | None = None


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
