"""What the TUI remembers between runs: the theme last picked in the palette.

Kept apart from config.toml, which is the person's own file (comments, order) and is
never rewritten by meetdeck. A missing, unreadable or corrupt state file means "nothing
remembered": the config's theme applies. `--theme` beats both.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from tui.core.settings.paths import ensure_dir


def remembered_theme(path: Path) -> str | None:
    """The theme last picked, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    theme = data.get("theme") if isinstance(data, dict) else None
    return theme if isinstance(theme, str) and theme.strip() else None


def remember_theme(path: Path, theme: str) -> str | None:
    """Keep `theme` for the next start; returns a sentence when it could not be kept."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        ensure_dir(path.parent)
        temporary.write_text(json.dumps({"theme": theme}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        return f"The theme could not be kept for the next start ({path}: {reason})."
    return None
