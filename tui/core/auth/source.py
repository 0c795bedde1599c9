"""What GoTo's and Zoom's sign-ins share: a token source's base, the token answer, the status.

`OAuthSource` holds the profile, the token store, a clock and an `ApiClient` on the
provider's OAuth host; `GoToAuth` (`tui.core.auth.oauth`, authorization code) and
`ZoomAuth` (`tui.core.auth.zoom`, Server-to-Server) build on it. Both token endpoints
answer in one shape (`TokenResponse`), which `token_set_from` turns into the `TokenSet`
the token store keeps; `basic_auth` is how both send the app's credentials.
`AuthStatus` is what `meetdeck auth status` shows of either.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from tui.core.auth.tokens import TokenSet, TokenStore, utcnow
from tui.core.net.apilog import ApiLog
from tui.core.net.client import ApiClient
from tui.core.net.connection import Connection
from tui.core.net.retry import Sleep
from tui.core.settings.config import ProfileSettings

MAX_TOKEN_LIFETIME = 366 * 86400
"""Seconds; a longer `expires_in` is taken as a year (and cannot overflow a date)."""

Clock = Callable[[], datetime]


class TokenResponse(BaseModel):
    """An OAuth token response (GoTo old/new host, Zoom). Unknown fields ignored."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    access_token: str
    expires_in: int = 3600
    token_type: str = "Bearer"  # noqa: S105 (a scheme name)
    refresh_token: str | None = None
    scope: str | None = None
    organizer_key: str | None = None
    account_key: str | None = None
    email: str | None = None
    principal: str | None = None
    firstName: str | None = None
    lastName: str | None = None


TOKEN_RESPONSE = TypeAdapter(TokenResponse)


@dataclass(frozen=True, slots=True)
class AuthStatus:
    """What `meetdeck auth status` shows for one provider of one profile."""

    provider: str
    configured: bool
    signed_in: bool
    expires_at: datetime | None = None
    organizer_key: str | None = None
    account_key: str | None = None
    email: str | None = None
    is_admin: bool | None = None
    can_refresh: bool = False


def basic_auth(client_id: str, secret: str) -> str:
    raw = f"{client_id}:{secret}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def login_command(provider: str, profile: str, demo: bool) -> str:
    return "`meetdeck --demo`" if demo else f"`meetdeck auth login {provider} --profile {profile}`"


def token_set_from(body: TokenResponse, now: datetime, previous: TokenSet | None) -> TokenSet:
    name = " ".join(p for p in (body.firstName, body.lastName) if p) or None
    return TokenSet(
        access_token=body.access_token,
        expires_at=now + timedelta(seconds=min(max(body.expires_in, 0), MAX_TOKEN_LIFETIME)),
        refresh_token=body.refresh_token or (previous.refresh_token if previous else None),
        token_type=body.token_type,
        scope=body.scope,
        organizer_key=body.organizer_key or (previous.organizer_key if previous else None),
        account_key=body.account_key or (previous.account_key if previous else None),
        email=body.email or body.principal or (previous.email if previous else None),
        name=name or (previous.name if previous else None),
        is_admin=previous.is_admin if previous else None,
        obtained_at=now,
    )


class OAuthSource:
    """What both clouds' token sources share: the profile, the token store, a clock,
    and an ApiClient for the provider's OAuth endpoints."""

    section: ClassVar[str]
    api_name: ClassVar[str]
    label: ClassVar[str]

    def __init__(
        self,
        *,
        profile_name: str,
        profile: ProfileSettings,
        store: TokenStore,
        connection: Connection,
        log: ApiLog,
        demo: bool = False,
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.profile_name = profile_name
        self.profile = profile
        self.store = store
        self.demo = demo
        self._clock = clock
        self._lock = asyncio.Lock()
        self.oauth = ApiClient(
            connection,
            api=self.api_name,
            label=self.label,
            base_url=self.auth_base(profile),
            log=log,
            sleep=sleep,
        )
        self._more_clients(connection, log, sleep)

    def _more_clients(self, connection: Connection, log: ApiLog, sleep: Sleep) -> None:
        """Other clients a provider's sign-in needs (GoTo: its admin API)."""

    @staticmethod
    def auth_base(profile: ProfileSettings) -> str:
        """The provider's OAuth base URL in `profile`."""
        raise NotImplementedError


def describe(status: AuthStatus) -> dict[str, Any]:
    """A plain dict of a status (for JSON output)."""
    return {
        "provider": status.provider,
        "configured": status.configured,
        "signed_in": status.signed_in,
        "expires_at": status.expires_at.isoformat() if status.expires_at else None,
        "organizer_key": status.organizer_key,
        "account_key": status.account_key,
        "email": status.email,
        "is_admin": status.is_admin,
    }
