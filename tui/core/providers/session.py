"""One profile's connections: HTTP clients, auth managers and the four adapters.

Usage::

    providers = ProviderSet.for_profile("work", profile, paths, settings.http)
    async with providers:
        if providers.goto_meeting is not None:
            meetings = await providers.goto_meeting.upcoming_meetings()
        if providers.zoom is not None:
            async for page in providers.zoom.webinar_registrant_pages("123"):
                store.save(page)

`goto_meeting`, `goto_training`, `goto_assist` and `zoom` are None when the profile
has no credentials for that cloud. One httpx.AsyncClient serves all GoTo APIs of the
profile and one serves Zoom; each API has its own client-side rate limiter.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING

import httpx

from tui.core.auth.oauth import GoToAuth, demo_sign_in
from tui.core.auth.source import AuthStatus
from tui.core.auth.tokens import TokenSet, TokenStore
from tui.core.auth.zoom import ZoomAuth
from tui.core.errors import MeetdeckError, NotSignedIn
from tui.core.models import Provider
from tui.core.net.apilog import ApiLog
from tui.core.net.client import ApiClient
from tui.core.net.connection import Connection
from tui.core.net.limits import Pace
from tui.core.net.retry import Sleep
from tui.core.providers.capabilities import Capabilities
from tui.core.providers.zoom import Zoom
from tui.core.settings.config import HttpSettings, ProfileSettings
from tui.core.settings.paths import Paths

if TYPE_CHECKING:
    from tui.core.providers.goto_assist import GoToAssist
    from tui.core.providers.goto_meeting import GoToMeeting
    from tui.core.providers.goto_training import GoToTraining


class ProviderSet:
    """The adapters of one profile, sharing auth managers and HTTP pools."""

    def __init__(
        self,
        *,
        profile_name: str,
        profile: ProfileSettings,
        demo: bool,
        store: TokenStore,
        api_log: ApiLog,
        goto_auth: GoToAuth | None,
        zoom_auth: ZoomAuth | None,
        connections: list[Connection],
        goto_meeting: GoToMeeting | None = None,
        goto_training: GoToTraining | None = None,
        goto_assist: GoToAssist | None = None,
        zoom: Zoom | None = None,
    ) -> None:
        self.profile_name = profile_name
        self.profile = profile
        self.demo = demo
        self.store = store
        self.api_log = api_log
        self.goto_auth = goto_auth
        self.zoom_auth = zoom_auth
        self.goto_meeting = goto_meeting
        self.goto_training = goto_training
        self.goto_assist = goto_assist
        self.zoom = zoom
        self._connections = connections

    @classmethod
    def for_profile(
        cls,
        name: str,
        profile: ProfileSettings,
        paths: Paths,
        http: HttpSettings | None = None,
        *,
        demo: bool = False,
        api_log: ApiLog | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> ProviderSet:
        """Build everything for one profile; opens no socket until the first call.

        Args:
            name: Profile name (token file name).
            profile: Its settings.
            paths: Resolved directories (token file, API log).
            http: Timeouts, concurrency, retries.
            demo: Use the demo token folder (`meetdeck --demo`).
            api_log: A shared log; one writing to `paths.api_log` by default.
            transport: An httpx transport (tests: ASGI or mock).
            sleep: Backoff sleep (tests make it instant).
            clock: The current time, for daily-limit resets (tests pin it).
        """
        http = http or HttpSettings()
        log = api_log or ApiLog(paths.api_log)
        store = TokenStore(paths.token_file(name, demo=demo))
        connections: list[Connection] = []
        goto_auth = zoom_auth = None
        meeting: GoToMeeting | None = None
        training: GoToTraining | None = None
        assist: GoToAssist | None = None
        zoom: Zoom | None = None
        if profile.has_goto:
            # Imported here: a Zoom-only profile's commands never load the GoTo adapters
            # and their wire models (~25 ms of CPU at the start of `meetdeck sync`).
            from tui.core.providers.goto_assist import GoToAssist
            from tui.core.providers.goto_meeting import GoToMeeting
            from tui.core.providers.goto_training import GoToTraining

            conn = Connection(http, transport=transport)
            connections.append(conn)
            goto_auth = GoToAuth(
                profile_name=name,
                profile=profile,
                store=store,
                connection=conn,
                log=log,
                demo=demo,
                sleep=sleep,
            )
            base = profile.goto_api_base
            hint = f"Sign in with an admin account: {goto_auth.login_hint()}."

            def client(api: str, label: str, base_url: str) -> ApiClient:
                return ApiClient(
                    conn,
                    api=api,
                    label=label,
                    base_url=base_url,
                    log=log,
                    auth=goto_auth,
                    rate=profile.goto_rate_limit,
                    forbidden_means_admin=True,
                    admin_hint=hint,
                    sleep=sleep,
                )

            auth = goto_auth
            meeting = GoToMeeting(
                client("goto_meeting", "GoTo Meeting", f"{base}/G2M/rest"),
                is_admin=lambda: _is_admin(auth),
            )
            training = GoToTraining(
                client("goto_training", "GoTo Training", f"{base}/G2T/rest"),
                organizer_key=lambda: _organizer_key(auth),
                account_key=lambda: _identity(auth).account_key,
            )
            assist = GoToAssist(
                client("goto_assist", "GoTo Assist", profile.seeit_api_base),
                profile_name=name,
            )
        if profile.has_zoom:
            conn = Connection(http, transport=transport)
            connections.append(conn)
            zoom_auth = ZoomAuth(
                profile_name=name,
                profile=profile,
                store=store,
                connection=conn,
                log=log,
                demo=demo,
                sleep=sleep,
            )
            buckets = {name: Pace(rate) for name, rate in profile.zoom_rates().items()}
            zoom_api = ApiClient(
                conn,
                api="zoom",
                label="Zoom",
                base_url=profile.zoom_api_base,
                log=log,
                auth=zoom_auth,
                buckets=buckets,
                sleep=sleep,
                clock=clock,
            )
            auth_host = httpx.URL(profile.zoom_auth_base).host
            zoom = Zoom(zoom_api, trusted_hosts=(auth_host,))
        return cls(
            profile_name=name,
            profile=profile,
            demo=demo,
            store=store,
            api_log=log,
            goto_auth=goto_auth,
            zoom_auth=zoom_auth,
            connections=connections,
            goto_meeting=meeting,
            goto_training=training,
            goto_assist=assist,
            zoom=zoom,
        )

    def goto_admin(self) -> bool | None:
        """True when the GoTo sign-in has the admin role (the whole account is synced),
        False for a plain organizer, None when unknown or not signed in."""
        return _is_admin(self.goto_auth) if self.goto_auth is not None else None

    def capabilities(self) -> dict[Provider, Capabilities]:
        """What each configured provider can do."""
        found = {provider: self.capabilities_of(provider) for provider in Provider}
        return {provider: can for provider, can in found.items() if can is not None}

    def capabilities_of(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do (None: not configured), asking its adapter alone: the
        key bar asks for the row's provider at every draw, and GoTo Meeting's answer
        reads the sign-in's token file (~0.1 ms each, three times a drill-down)."""
        adapter = {
            Provider.GOTO_MEETING: self.goto_meeting,
            Provider.GOTO_TRAINING: self.goto_training,
            Provider.GOTO_ASSIST: self.goto_assist,
            Provider.ZOOM: self.zoom,
        }[provider]
        return adapter.capabilities if adapter is not None else None

    def auth_status(self) -> list[AuthStatus]:
        """Sign-in state per configured cloud (no network)."""
        return [a.status() for a in (self.goto_auth, self.zoom_auth) if a is not None]

    async def demo_sign_in(self) -> None:
        """For `--demo`: sign in to the sandbox's GoTo if not yet; Zoom signs in on demand."""
        if self.goto_auth is not None and self.goto_auth.tokens() is None:
            await demo_sign_in(self.goto_auth)

    async def aclose(self) -> None:
        """Close the HTTP pools and the log file."""
        for conn in self._connections:
            await conn.aclose()
        self.api_log.close()

    async def __aenter__(self) -> ProviderSet:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _identity(auth: GoToAuth) -> TokenSet:
    return auth.require()


def _is_admin(auth: GoToAuth) -> bool | None:
    """The admin flag of the sign-in; None when unknown (signed out, unreadable file)."""
    try:
        tokens = auth.tokens()
    except MeetdeckError:
        return None
    return tokens.is_admin if tokens else None


def _organizer_key(auth: GoToAuth) -> str:
    key = auth.require().organizer_key
    if not key:
        raise NotSignedIn(
            "GoTo did not tell meetdeck the organizer key of this sign-in, which GoTo "
            f"Training needs. Sign in again with {auth.login_hint()}.",
            provider="goto",
        )
    return key
