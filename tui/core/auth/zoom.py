"""Zoom Server-to-Server OAuth: an account_credentials token, fetched on demand.

The token lives an hour and is renewed a few minutes before it runs out, or once
after a 401; there is no refresh token. It is cached in the profile's token file so
that several commands in a row do not each ask for one. Credentials Zoom refused are
not sent again for REFUSED_PAUSE seconds (every scope of a sync would ask in turn);
an explicit sign-in always asks.
"""

from __future__ import annotations

import time

from tui.core.auth.source import (
    TOKEN_RESPONSE,
    AuthStatus,
    OAuthSource,
    basic_auth,
    login_command,
    token_set_from,
)
from tui.core.auth.tokens import ZOOM, TokenSet
from tui.core.errors import MeetdeckError, NotSignedIn, RequestRejected, SessionExpired
from tui.core.settings.config import ProfileSettings

ZOOM_RENEW_MARGIN = 300.0
"""Seconds before a token's expiry at which a new one is asked for."""
REFUSED_PAUSE = 60.0
"""Seconds during which credentials Zoom refused are answered from memory."""


class ZoomAuth(OAuthSource):
    """Zoom Server-to-Server OAuth (account_credentials); a TokenSource."""

    section = ZOOM
    api_name = "zoom_auth"
    label = "Zoom sign-in"
    # The credentials Zoom last refused, when, and the error it caused.
    _refused: tuple[tuple[str, str], float, NotSignedIn] | None = None

    @staticmethod
    def auth_base(profile: ProfileSettings) -> str:
        return profile.zoom_auth_base

    @property
    def configured(self) -> bool:
        return self.profile.has_zoom

    def _credentials(self) -> tuple[str, str]:
        secret = self.profile.zoom_client_secret
        if not (self.profile.zoom_account_id and self.profile.zoom_client_id and secret):
            raise NotSignedIn(
                f"Profile {self.profile_name!r} has no Zoom app: set zoom_account_id, "
                "zoom_client_id and zoom_client_secret in config.toml.",
                provider="zoom",
            )
        return self.profile.zoom_account_id, basic_auth(
            self.profile.zoom_client_id, secret.get_secret_value()
        )

    async def sign_in(self) -> TokenSet:
        """Fetch a token now (checks the app credentials, even ones refused before)."""
        async with self._lock:
            self._refused = None
            return await self._fetch()

    async def token(self) -> str:
        async with self._lock:
            tokens = self.store.get(ZOOM)
            if tokens is None or tokens.expires_within(ZOOM_RENEW_MARGIN, now=self._clock()):
                tokens = await self._fetch()
            return tokens.access_token

    async def after_unauthorized(self, rejected: str) -> str:
        async with self._lock:
            tokens = self.store.get(ZOOM)
            if (
                tokens is not None
                and tokens.access_token != rejected
                and not (tokens.expires_within(ZOOM_RENEW_MARGIN, now=self._clock()))
            ):
                return tokens.access_token
            return (await self._fetch()).access_token

    def expired_error(self) -> MeetdeckError:
        return SessionExpired(
            f"Zoom refused a freshly issued token for profile {self.profile_name!r}. Check "
            "that the Server-to-Server app is activated and has the needed scopes, then run "
            f"{login_command('zoom', self.profile_name, self.demo)}.",
            provider="zoom",
        )

    async def _fetch(self) -> TokenSet:
        credentials = account_id, basic = self._credentials()
        refused = self._refused
        if (
            refused is not None
            and refused[0] == credentials
            and time.monotonic() - refused[1] < REFUSED_PAUSE
        ):
            raise NotSignedIn(refused[2].sentence, provider="zoom")
        try:
            response = await self.oauth.request(
                "POST",
                "/oauth/token",
                params={"grant_type": "account_credentials", "account_id": account_id},
                authenticate=False,
                headers={"Authorization": basic},
            )
        except RequestRejected as exc:
            error = NotSignedIn(
                f"Zoom refused the Server-to-Server credentials of profile "
                f"{self.profile_name!r}. {exc.sentence} Check zoom_account_id, zoom_client_id "
                "and zoom_client_secret, and that the app is activated.",
                provider="zoom",
            )
            self._refused = (credentials, time.monotonic(), error)
            raise error from None
        body = self.oauth.validate(TOKEN_RESPONSE, self.oauth.decode(response), "POST /oauth/token")
        tokens = token_set_from(body, self._clock(), None)
        self.store.put(ZOOM, tokens)
        return tokens

    def status(self) -> AuthStatus:
        tokens = self.store.get(ZOOM)
        alive = tokens is not None and not tokens.expires_within(0, now=self._clock())
        return AuthStatus(
            provider="zoom",
            configured=self.configured,
            signed_in=alive,
            expires_at=tokens.expires_at if tokens else None,
            account_key=self.profile.zoom_account_id,
            is_admin=None,
            can_refresh=self.configured,
        )

    def logout(self) -> bool:
        """Forget the cached Zoom token (a new one is fetched on the next call)."""
        return self.store.remove(ZOOM)
