"""What the first frame needs from the settings, read without pydantic.

`meetdeck lookup` and the TUI's first frame need only the profile's name (to find its
cache), the theme and a few display choices. Validating the whole config with
pydantic-settings costs more than that frame, so these are read here with tomllib and
the environment, best effort; the full `load_settings` runs right after the first frame
and is what decides (an invalid file is reported then, and writes wait for it).
"""

from __future__ import annotations

import os

from tui.core.settings.paths import check_profile_name
from tui.core.settings.profiles import (
    AmbiguousProfiles,
    env_profile_values,
    match_profile,
    pick_profile,
    profile_names,
    profile_tables,
)

# typing and pathlib cost more than `meetdeck lookup`'s query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from tui.core.settings.paths import Paths


class ProfileChoiceError(Exception):
    """No profile could be chosen; the message says how to choose one."""


def read_raw_config(path: str | Path) -> dict[str, Any]:
    """config.toml as plain data; a missing file is empty.

    Raises OSError, UnicodeDecodeError or tomllib.TOMLDecodeError for a broken file.
    """
    try:
        with open(path, encoding="utf-8") as fh:  # a str path spares lookup pathlib
            text = fh.read()
    except FileNotFoundError:
        return {}
    import tomllib  # only when needed: it costs a few milliseconds

    return tomllib.loads(text)


def exposed_config(path: str | Path) -> str | None:
    """A warning when config.toml holds a client secret and others may read it, else None.

    One stat when the file is private (the usual case); the file is read only when
    group or others have access. The token store refuses such a file; a config file is
    the user's own, so meetdeck warns and goes on.
    """
    try:
        mode = os.stat(path).st_mode
        if not mode & 0o077:
            return None
        data = read_raw_config(path)
    except (OSError, ValueError):
        return None
    profiles = data.get("profiles")
    tables = profiles.values() if isinstance(profiles, dict) else ()
    if not any(
        isinstance(t, dict) and any(k.endswith("_secret") and v for k, v in t.items())
        for t in tables
    ):
        return None
    return (
        f"The config file {path} holds client secrets and can be read by other users. "
        f"Run `chmod 600 {path}` (and rotate the secrets if you did not expect this)."
    )


def _meetdeck_env(env: Mapping[str, str] | None) -> dict[str, str]:
    """The MEETDECK_* environment, keys in upper case (they are case-insensitive, as
    pydantic-settings reads them)."""
    environ = os.environ if env is None else env
    return {key.upper(): value for key, value in environ.items() if key[:9].upper() == "MEETDECK_"}


def choose_profile(
    flag: str | None, data: Mapping[str, Any], env: Mapping[str, str] | None = None
) -> str:
    """--profile > MEETDECK_PROFILE > default_profile > the only profile (as Settings),
    named as configured whatever its case (`tui.core.settings.profiles`)."""
    environ = _meetdeck_env(env)
    try:
        tables = profile_tables(data)
    except AmbiguousProfiles as exc:
        raise ProfileChoiceError(f"{exc}.") from None
    names = profile_names(tables, environ)
    named = flag or environ.get("MEETDECK_PROFILE", "").strip()
    name = pick_profile(named, data.get("default_profile"), names)
    if name is None:
        if names:
            raise ProfileChoiceError(
                f"Several profiles exist ({', '.join(names)}); choose one with "
                "--profile NAME, MEETDECK_PROFILE, or default_profile in config.toml."
            )
        raise ProfileChoiceError(
            "No profile is configured. Add a [profiles.NAME] table to config.toml "
            "(see `meetdeck config`), or try `meetdeck --demo`."
        )
    try:
        return check_profile_name(name)
    except ValueError as exc:
        raise ProfileChoiceError(str(exc)) from None


class FirstFrame:
    """Best-effort display settings for the first frame (validated right after it)."""

    __slots__ = (
        "_data",
        "_env",
        "accent",
        "columns",
        "keymap",
        "mouse",
        "profile",
        "profile_names",
        "profile_zones",
        "read_only",
        "theme",
        "timezone",
    )

    def __init__(
        self, profile: str, data: Mapping[str, Any], env: Mapping[str, str] | None = None
    ) -> None:
        environ = _meetdeck_env(env)
        self._data, self._env = data, environ
        profiles = data.get("profiles")
        tables: Mapping[str, Any] = profiles if isinstance(profiles, dict) else {}
        self.profile_names = profile_names(tables, environ)
        self.profile = match_profile(profile, self.profile_names) or profile
        self.profile_zones = {
            name: _text(self._own(name, "timezone"), "") or None for name in self.profile_names
        }
        self.theme = _text(environ.get("MEETDECK_THEME") or data.get("theme"), "textual-dark")
        self.timezone = _text(environ.get("MEETDECK_TIMEZONE") or data.get("timezone"), "") or None
        self.mouse = _flag(environ.get("MEETDECK_MOUSE", data.get("mouse")), default=True)
        keymap = data.get("keymap")
        self.keymap = (
            {str(k): str(v) for k, v in keymap.items()} if isinstance(keymap, dict) else {}
        )
        self.columns: object = data.get("columns")
        """`[columns]` as the file has it (checked by the TUI against its tabs)."""
        self.accent = _text(self._own(profile, "accent"), "") or None
        self.read_only = _flag(
            environ.get("MEETDECK_READ_ONLY", data.get("read_only")), default=False
        ) or _flag(self._own(profile, "read_only"), default=False)

    def _own(self, profile: str, key: str) -> object:
        """One setting of `profile`: the environment's, else its table's (any case)."""
        value = env_profile_values(profile, self._env).get(key)
        if value:
            return value
        profiles = self._data.get("profiles")
        tables: Mapping[str, Any] = profiles if isinstance(profiles, dict) else {}
        table = tables.get(match_profile(profile, tables) or profile)
        return table.get(key) if isinstance(table, dict) else None

    def of(self, profile: str) -> FirstFrame:
        """The same settings, for another profile (a profile switch)."""
        if profile == self.profile:
            return self
        return FirstFrame(profile, self._data, self._env)


def first_frame(paths: Paths, profile_flag: str | None) -> FirstFrame | None:
    """The first frame's settings, or None when only the full loader can say what's wrong."""
    try:
        data = read_raw_config(paths.config_file)
        return FirstFrame(choose_profile(profile_flag, data), data)
    except (OSError, ValueError, ProfileChoiceError):  # TOMLDecodeError is a ValueError
        return None


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def _flag(value: object, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
    return default
