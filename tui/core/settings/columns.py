"""`[columns]` in config.toml: which columns each tab shows, checked and written back.

    [columns]
    registrants = ["name", "email", "status", "event"]

Each key is a tab, each value the ids of the columns it shows (in any order: the
table keeps its own). The tabs and their column ids are the UI's (`tui/widgets/
column_choice.py` hands them in as `known`), so a misspelt id is a `ConfigError` that
names it and the known ids, as a misspelt `[keymap]` id is.

Writing back (`save_columns`) keeps the person's file as they wrote it: tomlkit edits
the one key and leaves comments, order and every other key alone; the new text is
checked to parse to the same settings before it replaces the old, through a private
temporary file renamed over it (a symlinked config.toml is written where it points). A
file that does not parse, or cannot be written, is left as it was and the caller gets
the sentence that says why.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tui.core.errors import ConfigError
from tui.core.settings.paths import ensure_dir

# Checking the table is on the first frame's path: what only writing needs (tomllib,
# tempfile, tomlkit) is imported when a choice is written.
if TYPE_CHECKING:
    from pathlib import Path

ColumnChoice = dict[str, tuple[str, ...]]
"""Tab id -> the ids of the columns it shows."""


def _hint(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=2)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def check_columns(
    raw: object, known: Mapping[str, Sequence[str]]
) -> tuple[ColumnChoice, ConfigError | None]:
    """The valid part of a `[columns]` table, and an error naming every problem.

    Args:
        raw: The table as read from the file (anything: it is checked here).
        known: Each tab's column ids, in the table's order.

    Returns:
        The tabs whose lists are valid (the others show every column), and a
        ConfigError that names each unknown tab or column id with the known ids, or
        None when the whole table is valid.
    """
    if raw is None:
        return {}, None
    if not isinstance(raw, Mapping):
        return {}, ConfigError(
            "[columns] in config.toml must be a table of lists, e.g. "
            '[columns] then registrants = ["name", "email"]; every column is shown.'
        )
    chosen: ColumnChoice = {}
    problems: list[str] = []
    tabs = list(known)
    for tab, value in raw.items():
        if tab not in known:
            problems.append(
                f"unknown tab {tab!r}{_hint(str(tab), tabs)}; known tabs: {', '.join(tabs)}"
            )
            continue
        ids = list(known[tab])
        if not isinstance(value, Sequence) or isinstance(value, str):
            problems.append(f"{tab} must be a list of column ids, e.g. {tab} = {ids[:2]!r}")
            continue
        unknown = [item for item in value if not isinstance(item, str) or item not in ids]
        if unknown:
            names = ", ".join(f"{item!r}{_hint(str(item), ids)}" for item in unknown)
            problems.append(
                f"{tab} names column id(s) it does not have: {names}; "
                f"known ids of {tab}: {', '.join(ids)}"
            )
            continue
        if not value:
            problems.append(f"{tab} lists no column; at least one stays shown ({', '.join(ids)})")
            continue
        chosen[tab] = tuple(item for item in ids if item in value)
    if not problems:
        return chosen, None
    return chosen, ConfigError(
        f"[columns] in config.toml: {'; '.join(problems)}. Those tabs show every column; "
        "fix the names (C in a tab lists its columns)."
    )


def columns_table(path: Path) -> tuple[object, str | None]:
    """The raw `[columns]` table of the file at `path` (None when it has none), and a
    sentence when the file could not be read (then nothing is chosen)."""
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        return None, f"The column choices in {path} could not be read ({reason})."
    return data.get("columns"), None


def save_columns(path: Path, tab: str, ids: Sequence[str] | None) -> str | None:
    """Keep `tab`'s columns in `[columns]` of the file at `path` (None: every column,
    its key removed); returns a sentence when the file was left as it was."""
    import tomllib

    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    target = path.resolve() if path.is_symlink() else path
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return f"{path} could not be read ({reason}), so it was not changed."
    try:
        before = tomllib.loads(text)
        document = tomlkit.parse(text)
    except (tomllib.TOMLDecodeError, TOMLKitError, ValueError) as exc:
        return (
            f"{path} is not valid TOML ({exc}), so it was not changed. Fix the file "
            "(or move it aside) and choose the columns again."
        )
    if not _set_columns(document, tab, ids):
        return f"{path} has a columns key that is not a table, so it was not changed."
    new_text = tomlkit.dumps(document)
    # The edit must change that one list and nothing else, or the file stays as it was.
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = {}
    wanted = {**before, "columns": {**before.get("columns", {}), tab: list(ids or ())}}
    if ids is None:
        wanted["columns"].pop(tab, None)
        if "columns" not in after:
            wanted.pop("columns")
    if after != wanted:
        return f"{path} could not be edited safely, so it was not changed."
    return _replace(target, new_text)


def _set_columns(document: Any, tab: str, ids: Sequence[str] | None) -> bool:
    """Set (or, for None, remove) `tab` in the document's [columns]; False when its
    `columns` key is not a table."""
    import tomlkit

    table = document.get("columns")
    if table is None:
        if ids is not None:
            document["columns"] = tomlkit.table()
            document["columns"][tab] = list(ids)
        return True
    if not isinstance(table, dict):
        return False
    if ids is None:
        table.pop(tab, None)
    else:
        table[tab] = list(ids)
    return True


def _replace(target: Path, text: str) -> str | None:
    """Write `text` to a private temporary file beside `target`, then rename it over
    `target`; the OS's reason (as a sentence) when that failed, `target` untouched."""
    import tempfile

    temporary: str | None = None
    try:
        ensure_dir(target.parent)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:  # mkstemp: mode 0600
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
    except OSError as exc:
        return f"{target} could not be written ({exc.strerror or exc}), so it was not changed."
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
