"""Zoom (REST v2, Server-to-Server OAuth): the adapter (wire models and what each
becomes: `zoom_wire`; listings page by page: `zoom_paging`).

Registrant lists default to `status=approved` on Zoom's side, so every status is
asked for, the three side by side; pages of 300 follow `next_page_token`. Status
updates go 30 registrants per call, and only a 2xx marks anyone done. Start URLs (in
GET /meetings/{id}) are returned on demand only and never put in a domain Meeting.

Meeting registration: the meetings list (GET /users/{userId}/meetings) carries no
`settings`, so whether a meeting takes registrants is read from GET /meetings/{id}
(`settings.approval_type`: 0 automatic, 1 manual approval, 2 no registration). Only
scheduled meetings and recurring meetings with a fixed time (types 2 and 8) can take
registration, so only those are asked about, a few at a time (LIGHT bucket). The
registrants endpoint is not tried blindly instead: the spec documents no error code
for "registration is not enabled" (its 3000 "Cannot access meeting info" would hide
real access problems), while `approval_type` is documented.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import TypeAdapter

from tui.core.downloads.target import DownloadTarget
from tui.core.errors import (
    BadResponse,
    MeetdeckError,
    NetworkUnreachable,
    NotFound,
    NotSignedIn,
    RateLimited,
    SessionExpired,
)
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    EventKind,
    Meeting,
    MeetingDraft,
    Organizer,
    Progress,
    Recording,
    Registrant,
    RegistrantStatus,
    StartUrl,
    Webinar,
    no_progress,
)
from tui.core.net.client import ApiClient
from tui.core.providers.base import ZOOM_PAGE_SIZE, ZOOM_STATUS_CHUNK
from tui.core.providers.capabilities import Capabilities, Capability, RegistrantAction
from tui.core.providers.zoom_paging import pages, user_pages
from tui.core.providers.zoom_registrants import listed
from tui.core.providers.zoom_wire import (
    EVENT,
    RECORDING_MEETING,
    REGISTERED,
    REGISTRANT,
    START,
    P,
    ZEvent,
    ZMeetingsPage,
    ZRecordingsPage,
    ZSettings,
    ZUsersPage,
    ZWebinarsPage,
    meeting,
    meeting_fields,
    organizer,
    recordings_of,
    registrant,
    webinar,
)

USER_STATUSES = ("active", "inactive", "pending")
# Meeting types that can take registration: scheduled, recurring with a fixed time.
REGISTRATION_TYPES = frozenset({2, 8})
# GET /meetings/{id} calls in flight at once while listing (the HTTP layer rate-limits).
DETAIL_CONCURRENCY = 4


class Zoom:
    """The Zoom adapter (implements base.ZoomApi)."""

    def __init__(self, api: ApiClient, *, trusted_hosts: Sequence[str] = ()) -> None:
        self.api = api
        self._trusted = tuple(h.lower() for h in trusted_hosts)
        self._capabilities = Capabilities(
            provider=P, register=Capability(True), edit_meetings=Capability(True)
        )

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    async def users(self) -> list[Organizer]:
        """Every user: active, inactive and pending (Zoom lists only active ones unless
        asked). A user with neither id nor e-mail cannot be named and is left out."""
        out: dict[str, Organizer] = {}
        for status in USER_STATUSES:
            async for users in pages(
                self.api,
                TypeAdapter(ZUsersPage),
                "/users",
                {"page_size": ZOOM_PAGE_SIZE, "status": status},
                lambda page: page.users,
                lambda user: user.id or user.email,
            ):
                for user in users:
                    if user.id or user.email:
                        out.setdefault(user.id or user.email, organizer(user, status))
        return list(out.values())

    async def webinars(self, user_id: str = "me") -> list[Webinar]:
        out: list[Webinar] = []
        async for page in user_pages(
            self.api,
            TypeAdapter(ZWebinarsPage),
            user_id,
            "webinars",
            {"page_size": ZOOM_PAGE_SIZE},
            lambda page: page.webinars,
            lambda w: w.id,
        ):
            out.extend(webinar(w) for w in page)
        return out

    async def webinar(self, webinar_id: str) -> Webinar:
        return webinar(await self.api.fetch(EVENT, f"/webinars/{webinar_id}", bucket="light"))

    # -- registrants ------------------------------------------------------------------

    def registrant_rows(
        self, kind: EventKind, event_key: str, *, event_title: str | None = None
    ) -> AsyncIterator[list[Any]]:
        """A webinar's or meeting's registrants of every status as the pages of
        `webinar_registrant_pages`, each a `PlainRegistrants`: each registrant as its
        plain values where it can be (a sync stages them without a record per person)."""
        return listed(self.api, kind, event_key, ZOOM_PAGE_SIZE, event_title, plain=True)

    def webinar_registrant_pages(
        self, webinar_id: str, *, page_size: int = ZOOM_PAGE_SIZE, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        return listed(self.api, EventKind.WEBINAR, webinar_id, page_size, event_title)

    def meeting_registrant_pages(
        self, meeting_id: str, *, page_size: int = ZOOM_PAGE_SIZE, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        return listed(self.api, EventKind.MEETING, meeting_id, page_size, event_title)

    async def webinar_registrants(self, webinar_id: str) -> list[Registrant]:
        return [r async for page in self.webinar_registrant_pages(webinar_id) for r in page]

    async def meeting_registrants(self, meeting_id: str) -> list[Registrant]:
        return [r async for page in self.meeting_registrant_pages(meeting_id) for r in page]

    async def webinar_registrant(self, webinar_id: str, registrant_id: str) -> Registrant:
        path = f"/webinars/{webinar_id}/registrants/{registrant_id}"
        w = await self.api.fetch(REGISTRANT, path, bucket="light")
        return registrant(w, webinar_id, EventKind.WEBINAR, None)

    async def meeting_registrant(self, meeting_id: str, registrant_id: str) -> Registrant:
        path = f"/meetings/{meeting_id}/registrants/{registrant_id}"
        w = await self.api.fetch(REGISTRANT, path, bucket="light")
        return registrant(w, meeting_id, EventKind.MEETING, None)

    async def set_webinar_registrant_status(
        self,
        webinar_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult:
        return await self._set_status(
            f"/webinars/{webinar_id}/registrants/status", action, registrants, progress
        )

    async def set_meeting_registrant_status(
        self,
        meeting_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult:
        return await self._set_status(
            f"/meetings/{meeting_id}/registrants/status", action, registrants, progress
        )

    async def _set_status(
        self,
        path: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress,
    ) -> ActionResult:
        """PUT in chunks of 30; a 2xx confirms a chunk, anything else fails it. Each
        chunk's outcomes go to `progress` before the next chunk is sent."""
        people = list(registrants)
        outcomes: list[ActionOutcome] = []
        for start in range(0, len(people), ZOOM_STATUS_CHUNK):
            chunk = people[start : start + ZOOM_STATUS_CHUNK]
            body = {
                "action": action.value,
                "registrants": [{"id": r.key, "email": r.email} for r in chunk],
            }
            try:
                await self.api.request("PUT", path, json_body=body)
            except (NetworkUnreachable, RateLimited, SessionExpired, NotSignedIn) as exc:
                # Unconfirmed: this chunk may or may not have been applied; stop here.
                prefix = "Unknown" if isinstance(exc, NetworkUnreachable) else "Failed"
                done = [ActionOutcome(r.key, False, f"{prefix}: {exc.sentence}") for r in chunk]
                done += [
                    ActionOutcome(
                        r.key, False, f"Not attempted: an earlier call failed. {exc.sentence}"
                    )
                    for r in people[start + ZOOM_STATUS_CHUNK :]
                ]
                outcomes.extend(done)
                progress(done)
                break
            except MeetdeckError as exc:
                done = [ActionOutcome(r.key, False, exc.sentence) for r in chunk]
            else:
                done = [ActionOutcome(r.key, True) for r in chunk]
            outcomes.extend(done)
            progress(done)
        return ActionResult(action=action.value, outcomes=tuple(outcomes))

    # -- meetings ---------------------------------------------------------------------

    async def meetings(self, user_id: str = "me") -> list[Meeting]:
        """A user's scheduled meetings, with `has_registration` read from each meeting
        that can take registration (types 2 and 8; see the module docstring), and those
        going on now marked `live` (`type=live`: "all the ongoing meetings"; one the
        scheduled list lacks is added)."""
        listed: list[ZEvent] = []
        live: set[str] = set()
        for kind in ("scheduled", "live"):
            async for page in user_pages(
                self.api,
                TypeAdapter(ZMeetingsPage),
                user_id,
                "meetings",
                {"page_size": ZOOM_PAGE_SIZE, "type": kind},
                lambda page: page.meetings,
                lambda m: f"{m.id}:{m.uuid or ''}",
            ):
                if kind == "scheduled":
                    listed.extend(page)
                    continue
                known = {m.id for m in listed}
                live.update(m.id for m in page)
                listed.extend(m for m in page if m.id not in known)
        candidates = list(dict.fromkeys(m.id for m in listed if m.type in REGISTRATION_TYPES))
        settings = await self._settings_of(candidates)
        # A candidate that answers 404 was deleted since the list was read: left out.
        return [
            meeting(m, settings.get(m.id), live=m.id in live)
            for m in listed
            if m.id not in settings or settings[m.id] is not None
        ]

    async def _settings_of(self, meeting_ids: list[str]) -> dict[str, ZSettings | None]:
        """`settings` of each meeting by GET /meetings/{id} (None: deleted meanwhile).

        A few workers share the ids; the first other error cancels the rest and is
        raised (the scope fails and keeps its previous rows).
        """
        found: dict[str, ZSettings | None] = {}
        pending = iter(meeting_ids)

        async def worker() -> None:
            for meeting_id in pending:
                try:
                    detail = await self.api.fetch(EVENT, f"/meetings/{meeting_id}", bucket="light")
                except NotFound:
                    found[meeting_id] = None
                else:
                    found[meeting_id] = detail.settings or ZSettings()

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(DETAIL_CONCURRENCY, len(meeting_ids))):
                    group.create_task(worker())
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return found

    async def meeting(self, meeting_id: str) -> Meeting:
        return meeting(await self.api.fetch(EVENT, f"/meetings/{meeting_id}", bucket="light"))

    async def start_url(self, meeting_id: str, *, webinar: bool = False) -> StartUrl:
        path = f"/webinars/{meeting_id}" if webinar else f"/meetings/{meeting_id}"
        w = await self.api.fetch(START, path, bucket="light")
        if not w.start_url:
            raise BadResponse(
                f"Zoom sent no start URL for GET {path} (field 'start_url'). "
                "Only the host's account can start it.",
                field="start_url",
                provider=P.value,
                endpoint=f"GET {path}",
            )
        return StartUrl(url=w.start_url)

    # -- recordings -------------------------------------------------------------------

    async def recordings(
        self,
        user_id: str = "me",
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Recording]:
        until = until or datetime.now(UTC)
        since = since or until - timedelta(days=30)
        out: dict[str, Recording] = {}
        start = since
        while start < until:  # Zoom answers at most a month per query
            end = min(start + timedelta(days=30), until)
            params = {
                "page_size": ZOOM_PAGE_SIZE,
                "from": start.date().isoformat(),
                "to": end.date().isoformat(),
            }
            async for page in user_pages(
                self.api,
                TypeAdapter(ZRecordingsPage),
                user_id,
                "recordings",
                params,
                lambda page: page.meetings,
                lambda m: m.uuid or m.id,
            ):
                for m in page:
                    for rec in recordings_of(m):
                        out.setdefault(rec.key, rec)
            start = end
        return list(out.values())

    async def meeting_recordings(self, meeting_id: str) -> list[Recording]:
        w = await self.api.fetch(RECORDING_MEETING, f"/meetings/{meeting_id}/recordings")
        return recordings_of(w)

    def trusted(self, url: str) -> bool:
        """Zoom's own hosts may receive the Zoom token (its downloads need it)."""
        if self.api.same_origin(url):
            return True
        target = httpx.URL(url)
        host = target.host.lower()
        return target.scheme == "https" and any(
            host == h or host.endswith("." + h) for h in self._trusted
        )

    async def download_target(self, recording: Recording) -> DownloadTarget:
        if not recording.download_url:
            raise BadResponse(
                "Zoom listed this recording without a download URL (field "
                "'download_url'). Refresh the recordings and try again.",
                field="download_url",
                provider=P.value,
            )
        headers: dict[str, str] = {}
        if self.trusted(recording.download_url) and self.api.auth is not None:
            headers["Authorization"] = f"Bearer {await self.api.auth.token()}"
        return DownloadTarget(
            url=recording.download_url, headers=headers, expected_size=recording.file_size
        )

    # -- writes beyond status updates: register someone, create / change / delete a meeting

    async def register(
        self,
        event_key: str,
        kind: EventKind,
        *,
        email: str,
        first_name: str,
        last_name: str,
        auto_approve: bool = False,
    ) -> Registrant:
        """POST /meetings|webinars/{id}/registrants; the new registrant as Zoom holds it.

        Zoom answers with the registrant's id; its status is read back (a light GET), as
        a pending registrant of a manual-approval event gets no join URL. If that read
        fails, the person is taken as pending without a join URL, approved with one.
        """
        base = "/webinars" if kind is EventKind.WEBINAR else "/meetings"
        path = f"{base}/{event_key}/registrants"
        body = {
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "auto_approve": auto_approve,
        }
        response = await self.api.request("POST", path, json_body=body)
        created = self.api.validate(REGISTERED, self.api.decode(response), f"POST {path}")
        try:
            if kind is EventKind.WEBINAR:
                return await self.webinar_registrant(event_key, created.registrant_id)
            return await self.meeting_registrant(event_key, created.registrant_id)
        except MeetdeckError:
            status = RegistrantStatus.APPROVED if created.join_url else RegistrantStatus.PENDING
            return Registrant(
                provider=P,
                key=created.registrant_id,
                event_key=event_key,
                event_kind=kind,
                email=email,
                first_name=first_name,
                last_name=last_name,
                status=status,
                provider_status=status.value,
                join_url=created.join_url,
            )

    async def create_meeting(self, draft: MeetingDraft, user_id: str = "me") -> Meeting:
        """POST /users/{userId}/meetings (a scheduled meeting); the new meeting."""
        path = f"/users/{user_id}/meetings"
        response = await self.api.request("POST", path, json_body=meeting_fields(draft))
        return meeting(self.api.validate(EVENT, self.api.decode(response), f"POST {path}"))

    async def update_meeting(self, meeting_id: str, draft: MeetingDraft) -> None:
        """PATCH /meetings/{meetingId} with the topic, start, duration and time zone."""
        await self.api.request("PATCH", f"/meetings/{meeting_id}", json_body=meeting_fields(draft))

    async def delete_meeting(self, meeting_id: str) -> None:
        """DELETE /meetings/{meetingId}."""
        await self.api.request("DELETE", f"/meetings/{meeting_id}")
