"""Settings: command-line flags > environment (`MEETDECK_*`) > config.toml > defaults.

The file is `config.toml` in the config dir. Unknown or misspelt keys are an error that
names the key and where it came from. Secrets are `SecretStr` and never printed.

Example::

    default_profile = "work"
    theme = "textual-dark"

    [profiles.work]
    goto_client_id = "..."
    goto_client_secret = "..."
    zoom_account_id = "..."
    zoom_client_id = "..."
    zoom_client_secret = "..."
    read_only = true

    [keymap]
    approve = "A"

    [columns]
    registrants = ["name", "email", "status", "event"]
"""

from __future__ import annotations

import contextvars
import ipaddress
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from tui.core.errors import ConfigError
from tui.core.settings.paths import DEMO_PROFILE, Paths, check_profile_name, resolve_paths
from tui.core.settings.profiles import (
    AmbiguousProfiles,
    check_unambiguous,
    match_profile,
    merge_by_profile,
    pick_profile,
    profile_tables,
)

#: Zoom's per-second limits by plan, per rate category (Light, Medium, Heavy): Pro
#: 30/20/10, Business and up 80/60/40 (docs/real-clouds.md, "Per-second limits by plan").
ZOOM_PLAN_RATES: dict[str, tuple[float, float, float]] = {
    "pro": (30.0, 20.0, 10.0),
    "business": (80.0, 60.0, 40.0),
    "business_plus": (80.0, 60.0, 40.0),
    "enterprise": (80.0, 60.0, 40.0),
    "education": (80.0, 60.0, 40.0),
}


def is_loopback_host(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Refuse a base URL that is not HTTPS, unless it points at this machine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError(
            f"{url!r} is plain HTTP to a remote host; meetdeck only sends credentials over "
            "HTTPS (plain http is allowed for loopback hosts: localhost, 127.0.0.0/8, ::1)"
        )
    return url.rstrip("/")


class ProfileSettings(BaseModel):
    """One account: GoTo and/or Zoom credentials and how to treat them."""

    model_config = ConfigDict(extra="forbid")

    goto_client_id: str | None = None
    """OAuth client id of your GoTo developer app (authorization-code flow)."""
    goto_client_secret: SecretStr | None = None
    """OAuth client secret of your GoTo developer app."""
    goto_redirect_uri: str = "https://localhost/meetdeck/callback"
    """Redirect URI registered with the GoTo app; you paste back where it sends you."""
    goto_api_base: str = "https://api.getgo.com"
    """GoTo API base URL (G2M, G2T, the Admin API and SCIM's /identity live under it)."""
    goto_auth_base: str = "https://authentication.logmeininc.com"
    """GoTo OAuth base URL (/oauth/authorize, /oauth/token)."""
    seeit_api_base: str = "https://api.citrixonline.com/seeit/v1"
    """GoTo Assist Seeit API base URL (`/sessions` lives under it). The default is the
    host of the only public Seeit spec; GoTo has not published a newer one."""
    zoom_account_id: str | None = None
    """Zoom Server-to-Server OAuth app: account id."""
    zoom_client_id: str | None = None
    """Zoom Server-to-Server OAuth app: client id."""
    zoom_client_secret: SecretStr | None = None
    """Zoom Server-to-Server OAuth app: client secret."""
    zoom_api_base: str = "https://api.zoom.us/v2"
    """Zoom REST API base URL."""
    zoom_auth_base: str = "https://zoom.us"
    """Zoom OAuth base URL (/oauth/token)."""
    read_only: bool = False
    """Refuse every write (approve, deny, cancel, create) for this profile."""
    timezone: str | None = None
    """IANA time zone shown for this profile's times, e.g. "Europe/Berlin"."""
    accent: str | None = None
    """Accent colour of this profile in the header, e.g. "red" for production."""
    history_days: int = Field(default=90, ge=1, le=3650)
    """How far back a sync fetches past meetings, Zoom recordings and support sessions
    (days). Choosing a longer window in the Meetings tab fetches the rest of it."""
    goto_rate_limit: float = Field(default=10.0, gt=0)
    """Requests per second meetdeck allows itself per GoTo API."""
    zoom_plan: str = "pro"
    """The Zoom account's plan, which sets its per-second limits: "pro" (Light 30,
    Medium 20, Heavy 10 requests per second), or "business", "business_plus",
    "enterprise", "education" (80, 60, 40). Zoom counts them per account, for every
    app on it; meetdeck slows down further when Zoom's rate headers say less."""
    zoom_rate_limit: float | None = Field(default=None, gt=0)
    """Requests per second meetdeck allows itself for Zoom's Medium calls (Light 1.5x,
    Heavy 0.5x) instead of what `zoom_plan` allows: lower, to leave room for the
    account's other apps."""

    @field_validator("zoom_plan", mode="before")
    @classmethod
    def _known_plan(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        plan = value.strip().lower().replace("-", "_").replace(" ", "_").replace("+", "_plus")
        if plan not in ZOOM_PLAN_RATES:
            raise ValueError(
                f"unknown Zoom plan {value!r}; use one of {', '.join(ZOOM_PLAN_RATES)}"
            )
        return plan

    def zoom_rates(self) -> dict[str, float]:
        """Requests per second per Zoom rate bucket ("light", "default" for Medium,
        "heavy"): the plan's, or `zoom_rate_limit`'s when set."""
        if self.zoom_rate_limit is not None:
            medium = self.zoom_rate_limit
            return {"light": medium * 1.5, "default": medium, "heavy": medium / 2}
        light, medium, heavy = ZOOM_PLAN_RATES[self.zoom_plan]
        return {"light": light, "default": medium, "heavy": heavy}

    @field_validator(
        "goto_api_base", "goto_auth_base", "seeit_api_base", "zoom_api_base", "zoom_auth_base"
    )
    @classmethod
    def _https_or_loopback(cls, value: str) -> str:
        return check_base_url(value)

    @property
    def has_goto(self) -> bool:
        return bool(self.goto_client_id and self.goto_client_secret)

    @property
    def has_zoom(self) -> bool:
        return bool(self.zoom_account_id and self.zoom_client_id and self.zoom_client_secret)


class HttpSettings(BaseModel):
    """Timeouts, concurrency and retries of the API clients."""

    model_config = ConfigDict(extra="forbid")

    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    max_concurrency: int = Field(default=6, ge=1, le=64)
    max_retries: int = Field(default=4, ge=0, le=10)
    max_backoff: float = Field(default=30.0, gt=0)
    request_deadline: float = Field(default=120.0, gt=0)
    """The longest one API request may take, from sending it to the last byte of its
    answer, in seconds (a server trickling a byte now and then never trips read_timeout)."""
    max_body_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    """The largest API answer meetdeck reads, in bytes (decompressed); reading stops
    past it and the request fails with a sentence saying so. Recording downloads are
    streamed to disk and not bound by it."""


class Settings(BaseSettings):
    """Everything configurable. See the module docstring for the file layout."""

    model_config = SettingsConfigDict(
        env_prefix="MEETDECK_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    profile: str | None = None
    """The active profile (`--profile`, MEETDECK_PROFILE); defaults to default_profile."""
    default_profile: str | None = None
    """The profile used when none is named."""
    profiles: dict[str, ProfileSettings] = Field(default_factory=dict)
    """Accounts by name: [profiles.NAME]."""
    theme: str = "textual-dark"
    """A Textual theme name (textual-dark, textual-light, ansi-dark, ansi-light, nord, ...)."""
    mouse: bool = True
    """Set to false to ignore the mouse entirely."""
    timezone: str | None = None
    """Default time zone for displayed times (IANA name); local time when unset."""
    read_only: bool = False
    """Refuse every write, whatever the profile says (also `--read-only`)."""
    private_files: bool = True
    """Recordings and exports are readable by you alone (files 0600, a new folder 0700);
    set false to let your umask decide (a folder shared with your team)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Key remapping by binding id, e.g. approve = "A"."""
    columns: dict[str, list[str]] = Field(default_factory=dict)
    """The columns each tab shows, by tab and column id, e.g. registrants = ["name",
    "email", "status"]; `C` in a tab chooses them and writes this table back. The ids
    are the TUI's and are checked when it starts (tui/core/settings/columns.py)."""
    http: HttpSettings = Field(default_factory=HttpSettings)
    """HTTP client tuning."""

    @field_validator("profiles")
    @classmethod
    def _profile_names(cls, value: dict[str, ProfileSettings]) -> dict[str, ProfileSettings]:
        for name in value:
            check_profile_name(name)
        check_unambiguous(value)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        file_data = _FILE_DATA.get() or {}
        return (
            init_settings,
            _ProfilesAsInFile(settings_cls, env_settings, file_data),
            _FileSource(settings_cls, file_data),
        )

    def active_profile_name(self) -> str | None:
        """`profile` > `default_profile` > the only profile there is (as configured,
        whatever the case it was given in; see `tui.core.settings.profiles`)."""
        return pick_profile(self.profile, self.default_profile, self.profiles)

    def active_profile(self) -> tuple[str, ProfileSettings]:
        """The selected profile, or a ConfigError that says how to choose one."""
        name = self.active_profile_name()
        if name is None:
            if not self.profiles:
                raise ConfigError(
                    "No profile is configured. Add a [profiles.NAME] table to config.toml "
                    "(see `meetdeck config`), or try `meetdeck --demo`."
                )
            raise ConfigError(
                f"Several profiles exist ({', '.join(sorted(self.profiles))}); choose one "
                "with --profile NAME, MEETDECK_PROFILE, or default_profile in config.toml."
            )
        return name, self.named_profile(name)

    def named_profile(self, name: str) -> ProfileSettings:
        """The profile called `name` (any case), or a ConfigError listing the ones there are."""
        found = match_profile(name, self.profiles)
        if found is None:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise ConfigError(f"Profile {name!r} is not in config.toml (profiles: {known}).")
        return self.profiles[found]


class _FileSource(PydanticBaseSettingsSource):
    """Hands pydantic-settings the already parsed TOML file."""

    def __init__(self, settings_cls: type[BaseSettings], data: dict[str, Any]) -> None:
        super().__init__(settings_cls)
        self._data = data

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self._data)


class _ProfilesAsInFile(PydanticBaseSettingsSource):
    """The environment, its profile names matched to the file's (any case): environment
    keys are case-insensitive, so MEETDECK_PROFILES__PROD__READ_ONLY is [profiles.Prod]'s."""

    def __init__(
        self,
        settings_cls: type[BaseSettings],
        env: PydanticBaseSettingsSource,
        file_data: dict[str, Any],
    ) -> None:
        super().__init__(settings_cls)
        self._env = env
        found = file_data.get("profiles")
        self._names = list(found) if isinstance(found, dict) else []

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._env.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        data = dict(self._env())
        profiles = data.get("profiles")
        if isinstance(profiles, dict):
            data["profiles"] = merge_by_profile(profiles, self._names)
        return data


# The parsed file travels to settings_customise_sources through a context variable,
# so that one Settings class serves every config path (tests use many).
_FILE_DATA: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "meetdeck_config_file_data", default=None
)


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse config.toml; a missing file is empty, a broken one a ConfigError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text. Save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML ({exc}). Fix the file, or move it aside to start over."
        ) from None


def load_settings(
    paths: Paths | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Load settings with flags (`overrides`) > environment > file > defaults.

    Raises ConfigError naming the offending key and where it came from.
    """
    paths = paths or resolve_paths()
    file_data = read_config_file(paths.config_file)
    try:
        profile_tables(file_data)
    except AmbiguousProfiles as exc:
        raise ConfigError(f"{exc} ({paths.config_file}).") from None
    init = {k: v for k, v in (overrides or {}).items() if v is not None}
    token = _FILE_DATA.set(file_data)
    try:
        return Settings(**init)
    except ValidationError as exc:
        raise _explain(exc, file_data, paths.config_file) from None
    finally:
        _FILE_DATA.reset(token)


def _explain(exc: ValidationError, file_data: dict[str, Any], path: Path) -> ConfigError:
    problems = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        dotted = ".".join(loc)
        source = (
            f"in {path}"
            if _has_key(file_data, loc)
            else (f"from the environment (MEETDECK_{'__'.join(loc).upper()}) or the command line")
        )
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown key {dotted!r} {source}; check its spelling")
        else:
            problems.append(f"{dotted!r} {source}: {error['msg']}")
    return ConfigError("; ".join(problems) + ".")


def _has_key(data: Any, loc: list[str]) -> bool:
    for part in loc:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def demo_profile(base_url: str) -> ProfileSettings:
    """The profile `meetdeck --demo` uses against its embedded sandbox."""
    return ProfileSettings(
        goto_client_id="demo-admin",
        goto_client_secret=SecretStr("demo-admin-secret"),
        goto_api_base=base_url,
        goto_auth_base=base_url,
        goto_redirect_uri=f"{base_url}/_sandbox/callback",
        seeit_api_base=f"{base_url}/seeit/v1",
        zoom_account_id="demo-account",
        zoom_client_id="demo-zoom",
        zoom_client_secret=SecretStr("demo-zoom-secret"),
        zoom_api_base=f"{base_url}/zoom/v2",
        zoom_auth_base=f"{base_url}/zoom",
        accent="green",
    )


__all__ = [
    "DEMO_PROFILE",
    "ZOOM_PLAN_RATES",
    "HttpSettings",
    "ProfileSettings",
    "Settings",
    "check_base_url",
    "demo_profile",
    "is_loopback_host",
    "load_settings",
    "read_config_file",
]
