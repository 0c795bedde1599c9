"""GoTo Assist Seeit (v1): wire models and the adapter.

Times are epoch milliseconds. The session list is paged Spring-style
(`{content, links, page{size, number, totalElements, totalPages}}`, page 0 first).
Right after `POST /sessions`, `GET /sessions/{uuid}` may answer 409 ("not
consistent yet"), so that read is retried briefly.

The API's host is not confirmed (docs/real-clouds.md, "Host (#14.8)"): it has its own
setting, `seeit_api_base`. A 404 from the collection `/sessions`, which always exists,
means there is no Seeit API at that base; so does a 404 for one session when `/sessions`
answers 404 too. Both are a ConfigError that names the setting, not "not found".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Collection, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import Field, TypeAdapter

from tui.core.errors import ConfigError, MeetdeckError, NotFound, RequestRejected
from tui.core.models import Provider, StartUrl, SupportSession
from tui.core.net.apilog import redact_path
from tui.core.net.client import ApiClient
from tui.core.providers.capabilities import Capabilities, Capability
from tui.core.providers.wire import OptEpochMs, Wire, text

P = Provider.GOTO_ASSIST
_NOT_REGISTRATION = Capability(False, "GoTo Assist sessions have no registrants.")


class SeeitSession(Wire):
    uuid: str
    supportKey: str
    startUrl: str | None = None


class SeeitDetails(Wire):
    uuid: str
    supportKey: str
    sessionStatus: str
    sessionCreateTime: OptEpochMs = None
    sessionStartTime: OptEpochMs = None
    sessionJoinTime: OptEpochMs = None
    sessionEndTime: OptEpochMs = None
    technicianEmail: str | None = None
    sessionNotes: str | None = None
    sessionRecorded: bool | None = None
    sessionDataStatus: str | None = None
    startUrl: str | None = None


class SeeitPageInfo(Wire):
    size: int = 0
    number: int = 0
    totalElements: int = 0
    totalPages: int = 0


class SeeitPage(Wire):
    content: list[SeeitDetails] = Field(default_factory=list)
    page: SeeitPageInfo = Field(default_factory=SeeitPageInfo)


_PAGE = TypeAdapter(SeeitPage)
_DETAILS = TypeAdapter(SeeitDetails)
_CREATED = TypeAdapter(SeeitSession)


def support_session(w: SeeitDetails) -> SupportSession:
    return SupportSession(
        provider=P,
        key=w.uuid,
        support_key=w.supportKey,
        status=w.sessionStatus,
        created=w.sessionCreateTime or datetime.fromtimestamp(0, UTC),
        started=w.sessionStartTime,
        joined=w.sessionJoinTime,
        ended=w.sessionEndTime,
        technician_email=w.technicianEmail,
        notes=text(w.sessionNotes),
        recorded=w.sessionRecorded,
        data_status=w.sessionDataStatus,
    )


def _ms(value: datetime) -> int:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


class GoToAssist:
    """The GoTo Assist Seeit adapter (implements base.GoToAssistApi)."""

    def __init__(
        self,
        api: ApiClient,
        *,
        consistency_wait: float = 0.25,
        profile_name: str | None = None,
    ) -> None:
        self.api = api
        self._wait = consistency_wait
        self._profile_name = profile_name
        self._capabilities = Capabilities(
            provider=P,
            approve=_NOT_REGISTRATION,
            deny=_NOT_REGISTRATION,
            cancel=_NOT_REGISTRATION,
            download_recordings=Capability(
                False, "GoTo Assist session data is not a recording meetdeck can download."
            ),
            create_session=Capability(True),
        )

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        accept: Collection[int] = (),
    ) -> httpx.Response:
        """`api.request`, with a 404 that means "no Seeit API here" told apart."""
        try:
            return await self.api.request(method, path, params=params, accept=accept)
        except NotFound as exc:
            if path == "/sessions" or await self._base_missing():
                raise self._missing_base(exc.endpoint or f"{method} {path}") from None
            raise

    async def _base_missing(self) -> bool:
        """True when the collection `/sessions` answers 404 too (asked once, on a 404)."""
        try:
            probe = await self.api.request(
                "GET", "/sessions", params={"page": 0, "size": 1}, accept=(404,)
            )
        except MeetdeckError:  # the probe only qualifies the first error
            return False
        return probe.status_code == 404

    def _missing_base(self, endpoint: str) -> ConfigError:
        where = f"profile {self._profile_name!r}" if self._profile_name else "your profile"
        return ConfigError(
            f"GoTo Assist answered 404 for {endpoint}: there is no Seeit API at "
            f"{self.api.base_url}. Check seeit_api_base in {where} in config.toml (the "
            "public Seeit spec names https://api.citrixonline.com/seeit/v1).",
            provider=P.value,
            endpoint=endpoint,
        )

    async def session_pages(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[list[SupportSession]]:
        params: dict[str, str | int] = {"size": page_size, "sort": "sessionCreateTime,asc"}
        if since is not None:
            params["startTime"] = _ms(since)
        if until is not None:
            params["endTime"] = _ms(until)
        number = 0
        while True:
            query = {**params, "page": number}
            response = await self._request("GET", "/sessions", params=query)
            endpoint = f"GET {redact_path(str(response.request.url))}"
            page = self.api.validate(_PAGE, self.api.decode(response), endpoint)
            if page.content:
                yield [support_session(w) for w in page.content]
            number += 1
            if not page.content or number >= page.page.totalPages:
                return

    async def sessions(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[SupportSession]:
        out: list[SupportSession] = []
        async for page in self.session_pages(since=since, until=until):
            out.extend(page)
        return out

    async def session(self, uuid: str) -> SupportSession:
        path = f"/sessions/{uuid}"
        for attempt in range(6):
            response = await self._request("GET", path, accept=(409,))
            if response.status_code != 409:
                data = self.api.decode(response)
                return support_session(self.api.validate(_DETAILS, data, f"GET {path}"))
            await asyncio.sleep(self._wait * (2**attempt))
        raise RequestRejected(
            "GoTo Assist is still setting up this session. Try again in a few seconds.",
            provider=P.value,
            endpoint=f"GET {path}",
        )

    async def start_url(self, uuid: str) -> StartUrl:
        """The technician's start URL of a session (valid until it is finished)."""
        path = f"/sessions/{uuid}"
        response = await self._request("GET", path)
        details = self.api.validate(_DETAILS, self.api.decode(response), f"GET {path}")
        if not details.startUrl:
            raise RequestRejected(
                "GoTo Assist gives no start URL for this session: it has "
                "finished. Create a new session instead.",
                provider=P.value,
                endpoint=f"GET {path}",
            )
        return StartUrl(
            url=details.startUrl, note="Valid until the session is finished (GoTo Assist)"
        )

    async def create_session(self) -> tuple[SupportSession, StartUrl | None]:
        response = await self._request("POST", "/sessions")
        created = self.api.validate(_CREATED, self.api.decode(response), "POST /sessions")
        session = SupportSession(
            provider=P,
            key=created.uuid,
            support_key=created.supportKey,
            status="CREATED",
            created=datetime.now(UTC),
        )
        return session, StartUrl(url=created.startUrl) if created.startUrl else None
