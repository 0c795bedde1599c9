"""Clipboard helpers: where an OSC 52 copy may not arrive, and tmux's passthrough.

The app copies with OSC 52 (`App.copy_to_clipboard`), which works over SSH without a
clipboard tool; inside tmux it also writes the sequence through tmux's passthrough.
Where a terminal is known to drop such copies, the app shows the text to copy by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping


def clipboard_caveat(env: Mapping[str, str]) -> str | None:
    """Why an OSC 52 copy may not reach the clipboard here (None: it should)."""
    if env.get("TERM_PROGRAM") == "Apple_Terminal":
        return "macOS Terminal ignores clipboard requests from programs (OSC 52)."
    if env.get("TERM") == "linux":
        return "The Linux console has no clipboard."
    if env.get("VTE_VERSION"):
        return "This terminal (VTE-based) may ignore clipboard requests (OSC 52)."
    if env.get("TMUX") and not _tmux_forwards_clipboard():
        return (
            "tmux drops clipboard requests unless `set -g set-clipboard on` "
            "(or `allow-passthrough on`) is in your tmux.conf."
        )
    return None


def _tmux_forwards_clipboard() -> bool:
    tmux = shutil.which("tmux")
    if tmux is None:
        return False
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [
                tmux,
                "show-options",
                "-gv",
                "set-clipboard",
                ";",
                "show-options",
                "-gv",
                "allow-passthrough",
            ],
            capture_output=True,
            text=True,
            timeout=1,
            check=False,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return False
    return "on" in out or "all" in out


def tmux_passthrough(sequence: str) -> str:
    """Wrap an escape sequence in tmux's DCS passthrough (inner ESCs doubled)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
