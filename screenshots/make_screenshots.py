"""Regenerate screenshots/*.svg from the demo sandbox.

Usage (from the repository root)::

    .venv/bin/python screenshots/make_screenshots.py

It starts the sandbox with the fixed seed and anchor the snapshot tests use, syncs a
cache with pinned clocks, and builds the app with `tui.app.build_app` exactly as the
CLI does, so the pictures are the same on every run. It never touches your real
config or cache: everything lives in a temporary folder.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"


@dataclass(frozen=True)
class Shot:
    """One picture: a file name, the keys that lead there, the terminal size."""

    name: str
    keys: Sequence[str]
    size: tuple[int, int] = (120, 40)
    before: Callable[[object], object] | None = None


def _show_outage(app: object) -> None:
    from tui.core.errors import NetworkUnreachable

    shown: Any = app
    shown.show_error(
        NetworkUnreachable(
            "Cannot reach api.getgo.com. Check the network or the proxy; meetdeck keeps "
            "showing what it cached."
        )
    )


async def _show_downloads(app: object) -> None:
    """The downloads screen with fixed progress (real speeds change on every run)."""
    from tests.support.builders import fixed_downloads
    from tui.screens.download_flows import DownloadProgressed
    from tui.screens.downloads import DownloadsScreen

    shown: Any = app
    await shown.push_screen(DownloadsScreen())
    for progress in fixed_downloads(failed=False):
        shown.post_message(DownloadProgressed(progress))


SHOTS = [
    Shot("organizers", ["j", "j"]),
    Shot("meetings", ["2"]),
    Shot("meetings-historical", ["2", "h", "w", "w"]),
    Shot("trainings-webinars", ["3"]),
    Shot("registrants", ["3", *["j"] * 34, "enter", "v", "space", "space"]),
    Shot("recordings", ["5"]),
    Shot("support-sessions", ["6"]),
    Shot("registrants-80x24", ["4"], size=(80, 24)),
    Shot("help", ["4", "question_mark"]),
    Shot("palette", ["ctrl+p", *"ada"]),
    Shot("error", [], before=_show_outage),
    Shot("confirm-approve", ["3", *["j"] * 34, "enter", "v", "asterisk", "a"]),
    Shot("downloads", [], before=_show_downloads),
    # The event-write forms (new: the lead generates their pictures).
    Shot("register-form", ["3", "n", *"ana@example.com", "enter", *"Ana", "enter", *"Silva"]),
    Shot("registration-settings", ["3", "E"]),
    Shot("meeting-form", ["2", "n", *"Weekly sync", "enter", *"2031-03-04 09:30"]),
    Shot("meeting-delete", ["2", "X"]),
]


async def _take(shot: Shot, make_app: Callable[[], object]) -> str:
    app = make_app()
    from tests.support.app import settle, steady_cursors

    async with app.run_test(size=shot.size) as pilot:  # type: ignore[attr-defined]
        await settle(pilot, app)  # type: ignore[arg-type]
        if shot.before is not None:
            done = shot.before(app)
            if inspect.isawaitable(done):
                await done
            await settle(pilot, app)  # type: ignore[arg-type]
        await pilot.press(*shot.keys)
        await settle(pilot, app)  # type: ignore[arg-type]
        steady_cursors(app)  # type: ignore[arg-type]
        await pilot.pause()
        svg = str(app.export_screenshot(title=f"meetdeck: {shot.name}"))  # type: ignore[attr-defined]
    return stable_ids(svg)


#: Rich names an SVG's styles and clip paths after a hash of what it draws, and that
#: hash takes in the random id Rich gives each hyperlink's style: a picture with links
#: (the recordings' download links) got new names on every run.
_UNIQUE_ID = re.compile(r"terminal-\d+")


def stable_ids(svg: str) -> str:
    """The SVG with Rich's per-run name replaced by a hash of the picture without it."""
    content = _UNIQUE_ID.sub("terminal", svg)
    return _UNIQUE_ID.sub(f"terminal-{zlib.adler32(content.encode('utf-8'))}", svg)


def main() -> int:
    # As the snapshot tests run (tests/tui/conftest.py): an indeterminate progress bar
    # drawn where the clock put it made the downloads picture differ run to run.
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="meetdeck-shots-") as tmp:
        base = Path(tmp)
        for name in ("CONFIG", "DATA", "CACHE", "DOWNLOAD"):
            os.environ[f"MEETDECK_{name}_DIR"] = str(base / "env" / name.lower())
        from tests.support.demo import deck_factory, fixed_clock, synced_demo
        from tui.app import build_app
        from tui.ui_options import UiOptions

        with synced_demo(base / "template") as cache:
            for number, shot in enumerate(SHOTS):

                def make(number: int = number) -> object:
                    paths = cache.install(base / f"home-{number}")
                    return build_app(
                        deck_factory(paths, cache.base_url),
                        UiOptions(sync_on_start=False, timezone="UTC"),
                        clock=fixed_clock,
                    )

                svg = asyncio.run(_take(shot, make))
                target = OUT / f"{shot.name}.svg"
                target.write_text(svg, encoding="utf-8")
                print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
