"""Profile names: how a name given anywhere finds its `[profiles.NAME]` table.

The one rule, for the full settings loader (`tui.core.settings.config`) and the first frame and
`meetdeck lookup` (`tui.core.settings.quick`) alike: profile names match whatever their case.
`--profile prod`, `MEETDECK_PROFILE=PROD` and `MEETDECK_PROFILES__PROD__READ_ONLY=true`
all mean `[profiles.Prod]`, which keeps the name it has in the file. Environment keys
are case-insensitive (as pydantic-settings reads them), so the profile part of one
could not tell `Prod` from `prod`; a file with two tables whose names differ only in
case is therefore an error that names both. A profile only the environment defines
is named in lower case.

Dependency-free (no pydantic, no pathlib), as it is on `meetdeck lookup`'s path.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

#: Environment keys of one profile: MEETDECK_PROFILES__<NAME>__<FIELD>.
ENV_PROFILES = "MEETDECK_PROFILES__"


class AmbiguousProfiles(ValueError):
    """Two profile tables whose names differ only in case."""


def profile_key(name: str) -> str:
    """What a profile name is compared by (its case does not count)."""
    return name.lower()


def check_unambiguous(names: Iterable[str]) -> None:
    """Raise AmbiguousProfiles when two of `names` differ only in case."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(profile_key(name), name)
        if other != name:
            first, second = sorted((other, name))
            raise AmbiguousProfiles(
                f"config.toml has [profiles.{first}] and [profiles.{second}], whose names "
                "differ only in case; profile names match whatever their case (as "
                "environment keys do), so rename or merge one of them"
            )


def profile_tables(data: Mapping[str, Any]) -> dict[str, Any]:
    """The `[profiles.NAME]` tables of a parsed config.toml, checked unambiguous."""
    found = data.get("profiles")
    tables: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
    check_unambiguous(tables)
    return tables


def match_profile(name: str, names: Iterable[str]) -> str | None:
    """The configured name that `name` means (same name, any case), or None."""
    key = profile_key(name)
    return next((known for known in names if profile_key(known) == key), None)


def canonical_name(name: str, names: Iterable[str]) -> str:
    """`name` as configured when it matches a configured name, else `name` itself."""
    return match_profile(name, names) or name


def env_profile_names(env: Mapping[str, str]) -> set[str]:
    """Profile names (lower case) that MEETDECK_PROFILES__<NAME>__<FIELD> keys set."""
    names = set()
    for key in env:
        upper = key.upper()
        if upper.startswith(ENV_PROFILES):
            name, sep, _field = key[len(ENV_PROFILES) :].partition("__")
            if sep and name:
                names.add(profile_key(name))
    return names


def env_profile_values(name: str, env: Mapping[str, str]) -> dict[str, str]:
    """The environment's settings of profile `name`, any case: field (lower) -> value."""
    prefix = (ENV_PROFILES + name + "__").upper()
    return {
        key[len(prefix) :].lower(): value
        for key, value in env.items()
        if key.upper().startswith(prefix) and len(key) > len(prefix)
    }


def profile_names(tables: Mapping[str, Any], env: Mapping[str, str]) -> tuple[str, ...]:
    """Every configured profile, sorted: the file's names, then the environment's own."""
    names = set(tables)
    names.update(n for n in env_profile_names(env) if match_profile(n, tables) is None)
    return tuple(sorted(names))


def merge_by_profile(profiles: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """`profiles` (name -> settings) with every name as configured in `names`; settings
    given under several cases of one name are merged."""
    known = list(names)
    merged: dict[str, Any] = {}
    for name, values in profiles.items():
        canonical = match_profile(name, known) or match_profile(name, merged) or name
        if isinstance(values, dict) and isinstance(merged.get(canonical), dict):
            merged[canonical] = {**merged[canonical], **values}
        else:
            merged[canonical] = values
    return merged


def pick_profile(named: str | None, default: object, names: Iterable[str]) -> str | None:
    """Which profile is meant: `named` (--profile, MEETDECK_PROFILE) > `default`
    (default_profile) > the only one there is; as configured when it matches one.
    None when nothing says (no profile, or several and none chosen)."""
    known = list(names)
    if named:
        return canonical_name(named, known)
    if isinstance(default, str) and default:
        return canonical_name(default, known)
    if len(known) == 1:
        return known[0]
    return None
