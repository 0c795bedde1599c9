"""Where meetdeck keeps its files.

Config (TOML), data (tokens, audit log, API log), cache (SQLite) and downloads come
from platformdirs, each overridable by environment so tests never touch a user's
files. Nothing is created here at import or at resolution: directories are made when
something is first written into them (`ensure_dir`).

This module is on the fast path of `meetdeck lookup` and the first frame: it imports
neither pydantic nor textual.
"""

from __future__ import annotations

import os
import sys

# Neither `re` nor `pathlib` (nor `typing`) is imported at run time: each costs more than
# `meetdeck lookup`'s query. `Path` is imported where a `Paths` is built.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

APP_NAME = "meetdeck"
DEMO_PROFILE = "demo"

_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARS = _ALNUM | frozenset("_.-")


def check_profile_name(name: str) -> str:
    """Return `name` if it is usable as a profile (and file) name, else raise ValueError."""
    # A letter or digit, then up to 63 letters, digits, '.', '_' or '-'.
    if not (0 < len(name) <= 64 and name[0] in _ALNUM and _NAME_CHARS.issuperset(name)):
        raise ValueError(
            f"profile name {name!r} is not allowed: use letters, digits, '.', '_' or '-' "
            "(at most 64 characters, starting with a letter or digit)"
        )
    return name


class Paths:
    """The resolved directories; files are derived from them.

    A plain class rather than a dataclass: this module is on `meetdeck lookup`'s path,
    and importing `dataclasses` costs more than the whole lookup query.
    """

    __slots__ = ("cache_dir", "config_dir", "data_dir", "download_dir")

    def __init__(
        self, config_dir: Path, data_dir: Path, cache_dir: Path, download_dir: Path
    ) -> None:
        self.config_dir = config_dir
        self.data_dir = data_dir
        self.cache_dir = cache_dir
        self.download_dir = download_dir

    def __repr__(self) -> str:
        return (
            f"Paths(config_dir={self.config_dir!r}, data_dir={self.data_dir!r}, "
            f"cache_dir={self.cache_dir!r}, download_dir={self.download_dir!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paths):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self.__slots__))

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def demo_config_file(self) -> Path:
        """The demo's own settings file (the columns chosen in `meetdeck --demo`), so
        the demo never writes to a person's config.toml."""
        return self.config_dir / "demo-config.toml"

    @property
    def audit_log(self) -> Path:
        return self.data_dir / "audit.jsonl"

    @property
    def api_log(self) -> Path:
        return self.data_dir / "api.log"

    @property
    def ui_state(self) -> Path:
        """What the TUI remembers between runs (the theme picked in the palette)."""
        return self.data_dir / "ui-state.json"

    def token_file(self, profile: str, *, demo: bool = False) -> Path:
        """One token file per profile; the demo's live apart from real profiles."""
        folder = self.data_dir / ("demo-tokens" if demo else "tokens")
        return folder / f"{check_profile_name(profile)}.json"

    def cache_db(self, profile: str, *, demo: bool = False) -> Path:
        """One SQLite file per profile; the demo's never mixes with a real one."""
        return self.cache_dir.joinpath(*_cache_parts(profile, demo))


def _cache_parts(profile: str, demo: bool) -> tuple[str, str]:
    return ("demo" if demo else "profiles", f"{check_profile_name(profile)}.sqlite3")


def _folder_text(var: str, xdg: str, home_part: str, environ: Mapping[str, str]) -> str | None:
    """A folder as `resolve_paths` finds it, as text; None where platformdirs must say.

    MEETDECK_*_DIR first; on Linux, the XDG folder the way platformdirs finds it
    ($XDG_*_HOME when absolute, else ~/.cache or ~/.config; a test holds the two in
    agreement). Other systems, Android and a relative or missing HOME: None.
    """
    value = environ.get(var, "").strip()
    if value:
        return os.path.expanduser(value)
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or ("ANDROID_DATA" in environ):
        return None
    base, home = environ.get(xdg, ""), environ.get("HOME", "")
    if os.path.isabs(base):
        return os.path.join(base, APP_NAME)
    if os.path.isabs(home):
        return os.path.join(home.rstrip("/") + "/" + home_part, APP_NAME)
    return None


def cache_db_file(
    profile: str, *, demo: bool = False, env: Mapping[str, str] | None = None
) -> str | None:
    """`resolve_paths().cache_db(...)` as text, without pathlib or platformdirs.

    For `meetdeck lookup`, which needs no other path and whose whole run costs less
    than importing those two; None means "ask `resolve_paths`".
    """
    environ = os.environ if env is None else env
    folder = _folder_text("MEETDECK_CACHE_DIR", "XDG_CACHE_HOME", ".cache", environ)
    return None if folder is None else os.path.join(folder, *_cache_parts(profile, demo))


def config_file_text(env: Mapping[str, str] | None = None) -> str | None:
    """`resolve_paths().config_file` as text, as `cache_db_file` does; None: ask it."""
    environ = os.environ if env is None else env
    folder = _folder_text("MEETDECK_CONFIG_DIR", "XDG_CONFIG_HOME", ".config", environ)
    return None if folder is None else os.path.join(folder, "config.toml")


def resolve_paths(env: Mapping[str, str] | None = None) -> Paths:
    """Resolve the directories from the environment, falling back to platformdirs."""
    from pathlib import Path

    environ = os.environ if env is None else env

    def pick(var: str, default: str) -> Path:
        value = environ.get(var, "").strip()
        return Path(value).expanduser() if value else Path(default)

    # platformdirs is imported lazily: resolving overrides alone needs none of it.
    overrides = (
        "MEETDECK_CONFIG_DIR",
        "MEETDECK_DATA_DIR",
        "MEETDECK_CACHE_DIR",
        "MEETDECK_DOWNLOAD_DIR",
    )
    if all(environ.get(var, "").strip() for var in overrides):
        return Paths(*(Path(environ[var]).expanduser() for var in overrides))

    import platformdirs

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    downloads = Path(platformdirs.user_downloads_dir()) / APP_NAME
    return Paths(
        config_dir=pick("MEETDECK_CONFIG_DIR", dirs.user_config_dir),
        data_dir=pick("MEETDECK_DATA_DIR", dirs.user_data_dir),
        cache_dir=pick("MEETDECK_CACHE_DIR", dirs.user_cache_dir),
        download_dir=pick("MEETDECK_DOWNLOAD_DIR", str(downloads)),
    )


def ensure_dir(path: Path, *, private: bool = True) -> Path:
    """Create `path` (and parents) if missing; private directories are mode 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o755)
    return path
