"""GoTo Assist Seeit (v1): wire models and the adapter.

Times are epoch milliseconds. The session list is paged Spring-style
(`{content, links, page{size, number, totalElements, totalPages}}`, page 0 first).
Right after `POST /sessions`, `GET /sessions/{uuid}` may answer 409 ("not
consistent yet"), so that read is retried briefly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from pydantic import Field, TypeAdapter

from tui.core.errors import RequestRejected
from tui.core.models import Provider, StartUrl, SupportSession
from tui.core.net.client import ApiClient
from tui.core.providers.base import Capabilities, Capability
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

    def __init__(self, api: ApiClient, *, consistency_wait: float = 0.25) -> None:
        self.api = api
        self._wait = consistency_wait
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
            page = await self.api.fetch(_PAGE, "/sessions", params={**params, "page": number})
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
            response = await self.api.request("GET", path, accept=(409,))
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
        response = await self.api.request("GET", path)
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
        response = await self.api.request("POST", "/sessions")
        created = self.api.validate(_CREATED, self.api.decode(response), "POST /sessions")
        session = SupportSession(
            provider=P,
            key=created.uuid,
            support_key=created.supportKey,
            status="CREATED",
            created=datetime.now(UTC),
        )
        return session, StartUrl(url=created.startUrl) if created.startUrl else None
