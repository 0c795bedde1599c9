"""The compiled methods that `dataclasses` and `namedtuple` generate, kept between runs.

Before its first frame the TUI defines some sixty dataclasses (the domain records, the
Deck's and the sync's types, the widgets' state) and Textual and Rich a hundred
namedtuples. Both write each class's methods (`__init__`, `__repr__`, `__eq__`, ...)
as source text and compile it: about 0.25 ms a method, a seventh of the start-up's
CPU. The text is the same on every run, so the compiled code is kept in one file in
the cache directory and read back on the next: 3.5 ms for the 900 kB the TUI's run
keeps, and the CPU to the first frame went from 353 to 307 ms.

`CodeCache.install` routes the `exec` of `dataclasses` and the `eval` of `collections`
through the cache: a text seen before runs its stored code object, any other is
compiled exactly as the built-in would (no inherited `__future__` flags), runs and is
remembered. The key is the whole source text and the file is per interpreter version
(`sys.hexversion`), so a stale entry can never run for a changed text.
A missing, unreadable or foreign file is an empty cache; a failed save is ignored. The
file is the person's own, private (0600), next to the SQLite cache: as trusted as the
bytecode Python keeps in `__pycache__`.

Only `meetdeck` (the TUI) installs it (`tui.startup.cache_generated_code`), until its
first frame; tests and the other commands compile as usual.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from types import CodeType, ModuleType
    from typing import Any

__all__ = ["MAX_ENTRIES", "CodeCache"]

MAX_ENTRIES = 4000
"""More entries than this in the file (code from many old versions): keep this run's."""

_EXEC = builtins.exec
_EVAL = builtins.eval
# Both modules look `exec`/`eval` up as globals: a module attribute of that name wins
# over the built-in, for those two modules only.
_ROUTES = (("dataclasses", "exec"), ("collections", "eval"))


def file_name() -> str:
    """The cache file's name for this interpreter: compiled code is version-specific,
    so the name has the exact version (a new interpreter starts a new file)."""
    return f"generated-code.{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"


class CodeCache:
    """Compiled code by (mode, source text), read from and saved to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored: dict[tuple[str, str], CodeType] = _read(path)
        self._used: dict[tuple[str, str], CodeType] = {}
        self._unsaved = False
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._stored)

    def code(self, source: str, mode: str) -> CodeType:
        """The compiled `source` ("exec" or "eval"), from the file or compiled now."""
        key = (mode, source)
        found = self._stored.get(key)
        if found is None:
            # dont_inherit: compiled as `exec(text)` in dataclasses would be, without
            # this module's `from __future__ import annotations`.
            found = compile(source, "<string>", mode, dont_inherit=True)
            self._stored[key] = found
            self._unsaved = True
            self.misses += 1
        else:
            self.hits += 1
        self._used[key] = found
        return found

    def exec(
        self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /
    ) -> None:
        """`exec`, with a source text's compiled code from the cache."""
        if isinstance(source, str):
            source = self.code(source, "exec")
        _EXEC(source, globals, locals)

    def eval(
        self, source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /
    ) -> Any:
        """`eval`, with a source text's compiled code from the cache."""
        if isinstance(source, str):
            source = self.code(source, "eval")
        return _EVAL(source, globals, locals)

    def install(self) -> None:
        """Route `dataclasses`' exec and `collections`' eval through this cache."""
        for module, name in _ROUTES:
            setattr(_module(module), name, getattr(self, name))

    @staticmethod
    def uninstall() -> None:
        """Back to the built-ins."""
        for module, name in _ROUTES:
            found = _module(module)
            if name in vars(found):
                delattr(found, name)

    def save(self) -> bool:
        """Write the file if this run compiled something new; True when written."""
        if not self._unsaved:
            return False
        # A file grown past MAX_ENTRIES (texts of old versions) keeps only this run's.
        keep = dict(self._stored) if len(self._stored) <= MAX_ENTRIES else dict(self._used)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                marshal.dump(keep, out)
            os.replace(temporary, self.path)
        except (OSError, ValueError):  # a full or read-only disk: next run compiles
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return False
        self._unsaved = False
        return True


def _module(name: str) -> ModuleType:
    __import__(name)
    return sys.modules[name]


def _read(path: Path) -> dict[tuple[str, str], CodeType]:
    """The file's entries; empty when it is missing, unreadable or not ours."""
    try:
        # One read, then loads: `marshal.load` on a file reads it object by object
        # (24 ms against 3.5 ms for the same 900 kB).
        loaded = marshal.loads(path.read_bytes())  # noqa: S302 - our own file, as __pycache__
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    code_type = type(_read.__code__)
    return {
        key: value
        for key, value in loaded.items()
        if isinstance(key, tuple)
        and len(key) == 2
        and key[0] in ("exec", "eval")
        and isinstance(key[1], str)
        and isinstance(value, code_type)
    }
