"""What the first frame needs from the settings, read without pydantic.

`meetdeck lookup` and the TUI's first frame need only the profile's name (to find its
cache), the theme and a few display choices. Validating the whole config with
pydantic-settings costs more than that frame, so these are read here with tomllib and
the environment, best effort; the full `load_settings` runs right after the first frame
and is what decides (an invalid file is reported then, and writes wait for it).
"""

from __future__ import annotations

import os

from tui.core.paths import check_profile_name

# typing and pathlib cost more than `meetdeck lookup`'s query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from tui.core.paths import Paths


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
    if not any(isinstance(t, dict) and any(k.endswith("_secret") and v for k, v in t.items())
               for t in tables):
        return None
    return (f"The config file {path} holds client secrets and can be read by other users. "
            f"Run `chmod 600 {path}` (and rotate the secrets if you did not expect this).")


def choose_profile(flag: str | None, data: Mapping[str, Any],
                   env: Mapping[str, str] | None = None) -> str:
    """--profile > MEETDECK_PROFILE > default_profile > the only profile (as Settings)."""
    environ = os.environ if env is None else env
    name = flag or environ.get("MEETDECK_PROFILE", "").strip()
    if not name:
        default = data.get("default_profile")
        found = data.get("profiles")
        profiles: Mapping[str, Any] = found if isinstance(found, dict) else {}
        if isinstance(default, str) and default:
            name = default
        elif len(profiles) == 1:
            name = next(iter(profiles))
        elif profiles:
            raise ProfileChoiceError(
                f"Several profiles exist ({', '.join(sorted(profiles))}); choose one with "
                "--profile NAME, MEETDECK_PROFILE, or default_profile in config.toml.")
        else:
            raise ProfileChoiceError(
                "No profile is configured. Add a [profiles.NAME] table to config.toml "
                "(see `meetdeck config`), or try `meetdeck --demo`.")
    try:
        return check_profile_name(name)
    except ValueError as exc:
        raise ProfileChoiceError(str(exc)) from None


class FirstFrame:
    """Best-effort display settings for the first frame (validated right after it)."""

    __slots__ = ("accent", "keymap", "mouse", "profile", "profile_names", "profile_zones",
                 "read_only", "theme", "timezone")

    def __init__(self, profile: str, data: Mapping[str, Any],
                 env: Mapping[str, str] | None = None) -> None:
        environ = os.environ if env is None else env
        profiles = data.get("profiles")
        tables: Mapping[str, Any] = profiles if isinstance(profiles, dict) else {}
        table = tables.get(profile)
        mine: Mapping[str, Any] = table if isinstance(table, dict) else {}
        self.profile = profile
        self.profile_names = tuple(sorted(tables))
        self.profile_zones = {
            name: t.get("timezone") if isinstance(t, dict) else None
            for name, t in tables.items()
        }
        self.theme = _text(environ.get("MEETDECK_THEME") or data.get("theme"), "textual-dark")
        self.timezone = _text(environ.get("MEETDECK_TIMEZONE") or data.get("timezone"), "") or None
        self.mouse = _flag(environ.get("MEETDECK_MOUSE", data.get("mouse")), default=True)
        keymap = data.get("keymap")
        self.keymap = {str(k): str(v) for k, v in keymap.items()} if isinstance(
            keymap, dict) else {}
        prefix = f"MEETDECK_PROFILES__{profile.upper()}__"
        self.accent = _text(environ.get(prefix + "ACCENT") or mine.get("accent"), "") or None
        self.read_only = (
            _flag(environ.get("MEETDECK_READ_ONLY", data.get("read_only")), default=False)
            or _flag(environ.get(prefix + "READ_ONLY", mine.get("read_only")), default=False)
        )


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
