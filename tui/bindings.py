"""Every key binding id meetdeck defines, to check `[keymap]` in config.toml.

Textual ignores a keymap entry whose id no binding has, so a misspelt id (`aprove =
"A"`) would silently do nothing. The ids are read from the BINDINGS of the app and of
every screen and widget class under `tui/` (all of their modules are imported first:
dialogs load lazily), and an unknown id is an error that names it, the closest known
ids and the full list, as an unknown config key is.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.dom import DOMNode

from tui.core.errors import ConfigError


def binding_ids() -> frozenset[str]:
    """The id of every binding meetdeck's app, screens and widgets define."""
    import tui.screens
    import tui.widgets

    for package in (tui.screens, tui.widgets):
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    importlib.import_module("tui.app")
    ids: set[str] = set()
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("tui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return frozenset(ids)


def _subclasses(cls: type) -> Iterable[type]:
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        yield sub
        yield from _subclasses(sub)


def check_keymap(keymap: Mapping[str, str], known: Iterable[str] | None = None) -> None:
    """Raise ConfigError when `keymap` names an id no binding has."""
    ids = sorted(known if known is not None else binding_ids())
    unknown = [name for name in keymap if name not in ids]
    if not unknown:
        return
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, ids, n=2)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        parts.append(f"{name!r}{hint}")
    raise ConfigError(
        f"[keymap] in config.toml names {len(unknown)} binding id(s) meetdeck does not "
        f"have: {', '.join(parts)}. Those keys were not changed; fix the names (the help "
        f"screen, ?, shows each key's id). Known ids: {', '.join(ids)}."
    )
