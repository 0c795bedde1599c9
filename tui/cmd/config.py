"""`meetdeck config`: the resolved paths and the active profile, secrets masked."""

from __future__ import annotations

import argparse

from pydantic import SecretStr

from tui.core.settings.config import ProfileSettings, demo_profile, load_settings
from tui.core.settings.paths import DEMO_PROFILE, resolve_paths


def run(args: argparse.Namespace) -> int:
    paths = resolve_paths()
    settings = load_settings(paths, overrides={"profile": args.profile})
    print("Paths")
    exists = "" if paths.config_file.exists() else "  (not created yet)"
    print(f"  config file   {paths.config_file}{exists}")
    print(f"  data dir      {paths.data_dir}  (tokens, audit log, API log)")
    print(f"  cache dir     {paths.cache_dir}  (SQLite)")
    print(f"  download dir  {paths.download_dir}")
    print()
    if args.demo:
        name, profile = DEMO_PROFILE, demo_profile("http://127.0.0.1:0")
    else:
        names = ", ".join(sorted(settings.profiles)) or "none"
        print(f"Profiles: {names}")
        active = settings.active_profile_name()
        if active is None or active not in settings.profiles:
            print(
                "Active profile: none. Add [profiles.NAME] to the config file, "
                "or run `meetdeck --demo`."
            )
            return 0 if active is None else 2
        name, profile = active, settings.profiles[active]
    print(f"Active profile: {name}")
    read_only = profile.read_only or settings.read_only or args.read_only
    for line in describe_profile(profile, read_only=read_only):
        print(f"  {line}")
    return 0


def describe_profile(profile: ProfileSettings, *, read_only: bool) -> list[str]:
    """One line per setting, secrets shown as set/unset only."""
    lines = []
    for field_name in ProfileSettings.model_fields:
        value = getattr(profile, field_name)
        if field_name == "read_only":
            value = read_only
        if isinstance(value, SecretStr):
            shown = "******** (set)"
        elif value is None:
            shown = "-"
        else:
            shown = str(value)
        lines.append(f"{field_name:<20} {shown}")
    return lines
