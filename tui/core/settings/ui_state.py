"""What the TUI remembers between runs: the theme last picked in the palette, and the
sort of each tab.

Kept apart from config.toml, which is the person's own file (comments, order): the
only thing meetdeck writes there is a column choice (`C`), one key edited in place
(tui/core/settings/columns.py). A missing, unreadable or corrupt state file means "nothing
remembered": the config's theme and each tab's default order apply. `--theme` beats
both. Each change rewrites the whole (small) file atomically, keeping what it does not
change.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from tui.core.settings.paths import ensure_dir


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _update(path: Path, key: str, value: object) -> str | None:
    """Set `key` in the state file; the OS's reason when it could not be written."""
    data = _read(path)
    data[key] = value
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        ensure_dir(path.parent)
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return exc.strerror or str(exc)
    return None


def remembered_theme(path: Path) -> str | None:
    """The theme last picked, or None."""
    theme = _read(path).get("theme")
    return theme if isinstance(theme, str) and theme.strip() else None


def remember_theme(path: Path, theme: str) -> str | None:
    """Keep `theme` for the next start; returns a sentence when it could not be kept."""
    reason = _update(path, "theme", theme)
    if reason is None:
        return None
    return f"The theme could not be kept for the next start ({path}: {reason})."


def remembered_sorts(path: Path) -> dict[str, tuple[str, bool]]:
    """Each tab's last sort: tab -> (sort name, descending); odd entries are left out."""
    sorts = _read(path).get("sorts")
    if not isinstance(sorts, dict):
        return {}
    found: dict[str, tuple[str, bool]] = {}
    for tab, value in sorts.items():
        if (
            isinstance(value, list)
            and len(value) == 2
            and isinstance(value[0], str)
            and isinstance(value[1], bool)
        ):
            found[str(tab)] = (value[0], value[1])
    return found


def remember_sorts(path: Path, sorts: dict[str, tuple[str, bool]]) -> str | None:
    """Keep each tab's sort for the next start; a sentence when it could not be kept."""
    reason = _update(path, "sorts", {tab: [name, desc] for tab, (name, desc) in sorts.items()})
    if reason is None:
        return None
    return f"The sort could not be kept for the next start ({path}: {reason})."
