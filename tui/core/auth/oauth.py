"""GoTo sign-in and tokens: the authorization-code flow (over SSH), refresh, status.

GoTo: `begin_login()` gives the authorize URL; the person opens it anywhere, signs in,
and pastes back the URL they were redirected to (or just the code);
`complete_login()` checks the state, exchanges the code (POST /oauth/token, Basic
client auth, form body), finds the organizer and account keys (`tui.core.auth.identity`:
today's token host sends none) and stores the tokens. Access tokens are refreshed
shortly before they expire and once after a 401. A refresh reply without a
`refresh_token` (today's host) keeps the one held; a rotated one is saved. A refused
refresh raises SessionExpired once: no request loop; after that the refused tokens send
no request at all (every call raises SessionExpired) until someone signs in again.

Zoom's Server-to-Server sign-in is in `tui.core.auth.zoom` (ZoomAuth); what both
share (the token source's base, the token answer, the status) is `tui.core.auth.source`.

`demo_sign_in()` runs the real GoTo exchange against the sandbox (whose authorize
page consents at once and redirects with a code).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from tui.core.auth.identity import complete as complete_identity
from tui.core.auth.source import (
    TOKEN_RESPONSE,
    AuthStatus,
    OAuthSource,
    TokenResponse,
    basic_auth,
    login_command,
    token_set_from,
)
from tui.core.auth.tokens import GOTO, GOTO_PENDING, TokenSet
from tui.core.errors import (
    MeetdeckError,
    NotSignedIn,
    RequestRejected,
    SessionExpired,
)
from tui.core.net.apilog import ApiLog
from tui.core.net.client import ApiClient
from tui.core.net.connection import Connection
from tui.core.net.retry import Sleep
from tui.core.settings.config import ProfileSettings

# Refresh this long before the access token's expiry (clock skew, slow requests).
GOTO_REFRESH_MARGIN = 120.0
# A printed authorize URL stays usable for this long (GoTo codes live minutes).
PENDING_LOGIN_TTL = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """One pending GoTo sign-in: the URL to open and the state to check."""

    url: str
    state: str = field(repr=False)


class GoToAuth(OAuthSource):
    """GoTo OAuth authorization-code flow with refresh; a TokenSource for ApiClient."""

    section = GOTO
    api_name = "goto_auth"
    label = "GoTo sign-in"
    # A refresh token the service refused: never sent again (no request loops).
    _dead_refresh: str | None = None

    @staticmethod
    def auth_base(profile: ProfileSettings) -> str:
        return profile.goto_auth_base

    def _more_clients(self, connection: Connection, log: ApiLog, sleep: Sleep) -> None:
        profile = self.profile
        self.admin = ApiClient(
            connection,
            api="goto_admin",
            label="GoTo Admin",
            base_url=f"{profile.goto_api_base}/admin/rest/v1",
            log=log,
            auth=self,
            rate=profile.goto_rate_limit,
            forbidden_means_admin=True,
            sleep=sleep,
        )
        self.identity = ApiClient(
            connection,
            api="goto_identity",
            label="GoTo Identity",
            base_url=f"{profile.goto_api_base}/identity/v1",
            log=log,
            auth=self,
            rate=profile.goto_rate_limit,
            sleep=sleep,
        )

    @property
    def configured(self) -> bool:
        return self.profile.has_goto

    def _client_auth(self) -> str:
        secret = self.profile.goto_client_secret
        if not self.profile.goto_client_id or secret is None:
            raise NotSignedIn(
                f"Profile {self.profile_name!r} has no GoTo app: set goto_client_id and "
                "goto_client_secret in config.toml.",
                provider="goto",
            )
        return basic_auth(self.profile.goto_client_id, secret.get_secret_value())

    def login_hint(self) -> str:
        """The command that signs in again."""
        return login_command("goto", self.profile_name, self.demo)

    # -- sign-in --------------------------------------------------------------------

    def begin_login(self) -> LoginRequest:
        """The authorize URL to open (anywhere) and the state to expect back."""
        self._client_auth()
        state = secrets.token_urlsafe(24)
        query = urlencode(
            {
                "client_id": self.profile.goto_client_id,
                "response_type": "code",
                "redirect_uri": self.profile.goto_redirect_uri,
                "state": state,
            }
        )
        return LoginRequest(
            url=f"{self.profile.goto_auth_base}/oauth/authorize?{query}", state=state
        )

    def remember_login(self, request: LoginRequest) -> None:
        """Keep a pending sign-in's state, so the code can be pasted in a later run."""
        self.store.put_raw(
            GOTO_PENDING,
            {"state": request.state, "url": request.url, "created": self._clock().isoformat()},
        )

    def pending_login(self) -> LoginRequest | None:
        """The pending sign-in of the last `remember_login`, if under 15 minutes old."""
        raw = self.store.get_raw(GOTO_PENDING)
        try:
            created = datetime.fromisoformat(str(raw["created"])) if raw else None
        except (KeyError, ValueError):
            return None
        if raw is None or created is None or self._clock() - created > PENDING_LOGIN_TTL:
            return None
        return LoginRequest(url=str(raw.get("url", "")), state=str(raw.get("state", "")))

    async def complete_login(self, pasted: str, request: LoginRequest) -> TokenSet:
        """Check the pasted redirect URL (or bare code), exchange it, store the tokens."""
        code = self.code_from(pasted, request)
        return await self.exchange_code(code)

    def code_from(self, pasted: str, request: LoginRequest) -> str:
        """The code in a pasted redirect URL or query string, state checked; or the bare code."""
        text = pasted.strip()
        if not text:
            raise RequestRejected(
                "Nothing was pasted. Paste the whole URL your browser ended on after signing in."
            )
        if "code=" not in text and "error=" not in text and "?" not in text:
            return text  # a bare code: there is no state to check
        query = parse_qs(urlsplit(text).query or text.lstrip("?"))
        if "error" in query:
            reason = query.get("error_description", query["error"])[0]
            raise RequestRejected(
                f"GoTo did not grant access ({reason[:120]}). Start again with {self.login_hint()}."
            )
        if query.get("state", [None])[0] != request.state:
            raise RequestRejected(
                "The pasted URL belongs to a different sign-in attempt (its state does not "
                f"match). Open the latest URL printed by {self.login_hint()} and paste again."
            )
        codes = query.get("code")
        if not codes or not codes[0]:
            raise RequestRejected(
                "The pasted URL has no code. Paste the whole URL your "
                "browser ended on after signing in."
            )
        return codes[0]

    async def exchange_code(self, code: str) -> TokenSet:
        """POST grant_type=authorization_code, find out who signed in, store both.

        Nothing is stored when GoTo does not say which organizer signed in
        (IdentityUnknown, see `tui.core.auth.identity`).
        """
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.profile.goto_redirect_uri,
        }
        try:
            body = await self._token_call(form)
        except RequestRejected as exc:
            raise RequestRejected(
                f"GoTo refused the sign-in code. {exc.sentence} A code works once and only "
                f"for minutes; run {self.login_hint()} again, and check goto_client_id, "
                "goto_client_secret and goto_redirect_uri.",
                provider="goto",
            ) from None
        self.store.remove(GOTO_PENDING)  # its code is spent, whatever follows
        tokens = await complete_identity(
            token_set_from(body, self._clock(), None),
            admin=self.admin,
            identity=self.identity,
            login_hint=self.login_hint(),
        )
        async with self._lock:
            self.store.put(GOTO, tokens)
            self._dead_refresh = None
        return tokens

    # -- TokenSource ----------------------------------------------------------------

    def tokens(self) -> TokenSet | None:
        """The stored tokens (no network)."""
        return self.store.get(GOTO)

    def require(self) -> TokenSet:
        """The stored tokens, or NotSignedIn saying how to sign in."""
        tokens = self.store.get(GOTO)
        if tokens is None:
            raise NotSignedIn(
                f"GoTo is not signed in for profile {self.profile_name!r}. "
                f"Run {self.login_hint()}.",
                provider="goto",
            )
        return tokens

    async def token(self) -> str:
        async with self._lock:
            tokens = self.require()
            if tokens.refresh_token and tokens.refresh_token == self._dead_refresh:
                # These tokens were refused (the access token rejected or expiring, the
                # refresh token refused): only a new sign-in helps, so send nothing.
                raise self.expired_error()
            if tokens.expires_within(GOTO_REFRESH_MARGIN, now=self._clock()):
                tokens = await self._refresh(tokens)
            return tokens.access_token

    async def after_unauthorized(self, rejected: str) -> str:
        async with self._lock:
            tokens = self.require()
            if tokens.access_token != rejected and not tokens.expires_within(
                GOTO_REFRESH_MARGIN, now=self._clock()
            ):
                return tokens.access_token  # someone refreshed meanwhile
            return (await self._refresh(tokens)).access_token

    def expired_error(self) -> MeetdeckError:
        return SessionExpired(
            f"The GoTo session of profile {self.profile_name!r} has ended (signed out, "
            f"revoked or expired). Sign in again with {self.login_hint()}.",
            provider="goto",
        )

    async def _refresh(self, tokens: TokenSet) -> TokenSet:
        """Refresh with the refresh token (caller holds the lock). Once per dead token."""
        if not tokens.refresh_token or tokens.refresh_token == self._dead_refresh:
            raise self.expired_error()
        form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        try:
            body = await self._token_call(form)
        except RequestRejected:
            # Another process (the TUI and a CLI sync) may have rotated it just now.
            stored = self.store.get(GOTO)
            if (
                stored is not None
                and stored.refresh_token != tokens.refresh_token
                and not (stored.expires_within(GOTO_REFRESH_MARGIN, now=self._clock()))
            ):
                return stored
            self._dead_refresh = tokens.refresh_token
            raise self.expired_error() from None
        fresh = token_set_from(body, self._clock(), tokens)
        self.store.put(GOTO, fresh)
        return fresh

    async def _token_call(self, form: dict[str, str]) -> TokenResponse:
        response = await self.oauth.request(
            "POST",
            "/oauth/token",
            form=form,
            authenticate=False,
            headers={"Authorization": self._client_auth()},
        )
        return self.oauth.validate(TOKEN_RESPONSE, self.oauth.decode(response), "POST /oauth/token")

    # -- status / logout --------------------------------------------------------------

    def status(self) -> AuthStatus:
        """Signed in or not, expiry, keys, admin flag (no network)."""
        tokens = self.store.get(GOTO)
        if tokens is None:
            return AuthStatus(provider="goto", configured=self.configured, signed_in=False)
        alive = not tokens.expires_within(0, now=self._clock())
        return AuthStatus(
            provider="goto",
            configured=self.configured,
            signed_in=alive or bool(tokens.refresh_token),
            expires_at=tokens.expires_at,
            organizer_key=tokens.organizer_key,
            account_key=tokens.account_key,
            email=tokens.email,
            is_admin=tokens.is_admin,
            can_refresh=bool(tokens.refresh_token),
        )

    def logout(self) -> bool:
        """Forget the GoTo tokens of this profile."""
        return self.store.remove(GOTO)


async def demo_sign_in(auth: GoToAuth) -> TokenSet:
    """Sign in to the sandbox through the real authorize -> 302 -> code -> token path.

    The sandbox's /oauth/authorize consents at once and redirects to
    redirect_uri?code=..&state=..; the redirect is not followed, its Location is read.
    """
    request = auth.begin_login()
    response = await auth.oauth.request("GET", request.url, authenticate=False, redirects=True)
    location = response.headers.get("Location")
    if not response.is_redirect or not location:
        raise RequestRejected(
            "The demo sandbox did not redirect from its sign-in page; restart `meetdeck --demo`.",
            provider="goto",
        )
    return await auth.complete_login(location, request)
