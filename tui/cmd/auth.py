"""`meetdeck auth login|status|logout`: sign in to GoTo or Zoom, check, sign out.

GoTo sign-in works over SSH: the authorize URL is printed, opened in any browser,
and the URL the browser ends on (or just its code) is pasted back, at the prompt or
later with `--code`. Nothing secret is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy imports happen inside run()
    from tui.core.auth.oauth import LoginRequest
    from tui.core.auth.source import AuthStatus
    from tui.core.providers.session import ProviderSet

_LABELS = {"goto": "GoTo", "zoom": "Zoom"}


def run(args: argparse.Namespace) -> int:
    from tui.core.errors import ConfigError
    from tui.core.settings.config import demo_profile, load_settings
    from tui.core.settings.paths import DEMO_PROFILE, resolve_paths

    paths = resolve_paths()
    settings = load_settings(paths, overrides={"profile": args.profile})
    command = args.auth_command
    if args.demo:
        if command == "login":
            print("The demo signs in to its sandbox by itself: run `meetdeck --demo`.")
            return 0
        profiles = {DEMO_PROFILE: demo_profile("http://127.0.0.1:8765")}
    elif command == "status" and not args.profile:
        profiles = dict(settings.profiles)
        if not profiles:
            print(
                "No profile is configured. Add [profiles.NAME] to "
                f"{paths.config_file}, or try `meetdeck --demo`."
            )
            return 0
    else:
        name, profile = settings.active_profile()
        profiles = {name: profile}

    from tui.core.providers.session import ProviderSet

    sets = {
        name: ProviderSet.for_profile(name, profile, paths, settings.http, demo=args.demo)
        for name, profile in profiles.items()
    }
    try:
        if command == "status":
            code = 0
            for name, providers in sets.items():
                try:
                    _print_status(name, providers.auth_status())
                except ConfigError as exc:
                    print(f"{name}\n  {exc.sentence}")
                    code = 2
            return code
        ((name, providers),) = sets.items()
        if command == "logout":
            return _logout(name, providers, args.provider)
        return _login(name, providers, args.provider, args.code)
    finally:
        for providers in sets.values():
            providers.api_log.close()


def _login(name: str, providers: ProviderSet, provider: str, code: str | None) -> int:
    """Prompt (synchronously) where needed, then run the exchange."""
    from tui.core.errors import ConfigError

    request: LoginRequest | None = None
    if provider == "zoom":
        if providers.zoom_auth is None:
            raise ConfigError(
                f"Profile {name!r} has no Zoom app: set zoom_account_id, "
                "zoom_client_id and zoom_client_secret in config.toml."
            )
    else:
        auth = providers.goto_auth
        if auth is None:
            raise ConfigError(
                f"Profile {name!r} has no GoTo app: set goto_client_id and "
                "goto_client_secret in config.toml."
            )
        if code:
            # The state of the URL printed by an earlier run; a bare code needs none.
            request = auth.pending_login() or auth.begin_login()
        else:
            request = auth.begin_login()
            auth.remember_login(request)
            print(
                "1. Open this URL in any browser (it can be on another machine) and sign "
                "in to GoTo:\n"
            )
            print(f"   {request.url}\n")
            print(
                "2. Your browser then goes to a page that may not load. Copy the whole "
                "URL from its address bar and paste it here (or just the code= value)."
            )
            print(
                "   No terminal at hand? Run later: "
                f"meetdeck auth login goto --profile {name} --code 'URL'\n"
            )
            try:
                code = input("Redirected URL or code: ")
            except EOFError:
                print("\nNothing pasted; the sign-in stays open for 15 minutes.")
                asyncio.run(providers.aclose())
                return 1
    return asyncio.run(_exchange(name, providers, request, code or ""))


async def _exchange(
    name: str, providers: ProviderSet, request: LoginRequest | None, code: str
) -> int:
    try:
        if request is None:
            assert providers.zoom_auth is not None
            tokens = await providers.zoom_auth.sign_in()
            print(
                f"Zoom: signed in for profile {name} (token valid until "
                f"{_when(tokens.expires_at)}; renewed automatically)."
            )
            return 0
        assert providers.goto_auth is not None
        tokens = await providers.goto_auth.complete_login(code, request)
        admin = {True: "yes", False: "no", None: "unknown"}[tokens.is_admin]
        who = tokens.email or tokens.name or "unknown user"
        print(
            f"GoTo: signed in as {who} for profile {name} (organizer key "
            f"{tokens.organizer_key or '-'}, account key {tokens.account_key or '-'}, "
            f"admin: {admin})."
        )
        return 0
    finally:
        await providers.aclose()


def _logout(name: str, providers: ProviderSet, provider: str | None) -> int:
    removed = []
    for key, auth in (("goto", providers.goto_auth), ("zoom", providers.zoom_auth)):
        if provider in (None, key) and auth is not None and auth.logout():
            removed.append(_LABELS[key])
    if provider is None:
        providers.store.remove(None)
    if removed:
        print(f"Signed out of {' and '.join(removed)} for profile {name}; tokens removed.")
    else:
        print(f"No stored tokens to remove for profile {name}.")
    return 0


def _print_status(name: str, statuses: list[AuthStatus]) -> None:
    print(name)
    if not statuses:
        print("  no GoTo or Zoom credentials in this profile")
    for status in statuses:
        label = _LABELS[status.provider]
        if not status.configured:
            print(f"  {label:<5} not configured")
            continue
        if not status.signed_in:
            hint = (
                "a token is fetched on first use"
                if status.provider == "zoom"
                else f"run `meetdeck auth login goto --profile {name}`"
            )
            print(f"  {label:<5} not signed in ({hint})")
            continue
        parts = [f"signed in, token until {_when(status.expires_at)}"]
        if status.can_refresh:
            parts.append("renews automatically")
        if status.email:
            parts.append(status.email)
        if status.organizer_key:
            parts.append(f"organizer {status.organizer_key}")
        if status.account_key:
            parts.append(f"account {status.account_key}")
        if status.is_admin is not None:
            parts.append("admin" if status.is_admin else "not admin")
        print(f"  {label:<5} " + ", ".join(parts))
    sys.stdout.flush()


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M %Z") if value else "-"
