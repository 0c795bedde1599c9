"""GoTo Meeting (G2M REST v1): the adapter (wire models: `goto_meeting_wire`).

Historical meeting keys are "meetingId:sessionId" (one row per session), since a
recurring meeting has many sessions under one meetingId; upcoming and scheduled
meetings use the meetingId. `attendees()` and `start_url()` accept either form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tui.core.downloads.target import DownloadTarget
from tui.core.errors import BadResponse, DownloadError, NotFound
from tui.core.models import (
    Attendee,
    Group,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Organizer,
    Recording,
    StartUrl,
)
from tui.core.net.client import ApiClient
from tui.core.providers.base import GOTO_HISTORY_WINDOW_DAYS, HistoricalMeetings
from tui.core.providers.capabilities import Capabilities, Capability
from tui.core.providers.goto_meeting_wire import (
    ATTENDEES,
    CREATED,
    GROUPS,
    MEETINGS,
    ORGANIZERS,
    START,
    P,
    attendee,
    group,
    meeting,
    meeting_body,
    organizer,
    recording,
    session_rows,
)
from tui.core.providers.wire import iso_z

_ADMIN_REASON = (
    "Other organizers' meetings need the GoTo admin role; sign in with an "
    "admin account to see them."
)


def windows(
    since: datetime, until: datetime, days: int = GOTO_HISTORY_WINDOW_DAYS
) -> list[tuple[datetime, datetime]]:
    """[since, until] cut into consecutive windows of at most `days` days."""
    out: list[tuple[datetime, datetime]] = []
    start = since
    step = timedelta(days=days)
    while start < until:
        end = min(start + step, until)
        out.append((start, end))
        start = end
    return out


class GoToMeeting:
    """The GoTo Meeting adapter (implements base.GoToMeetingApi)."""

    def __init__(
        self, api: ApiClient, *, is_admin: Callable[[], bool | None] = lambda: None
    ) -> None:
        self.api = api
        self._is_admin = is_admin
        self.organizer_of: Callable[[str], str | None] = lambda _meeting: None
        """The organizer key of a cached meeting (the Deck sets it): another
        organizer's recording is found again in that organizer's history."""

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            provider=P,
            approve=Capability(False, "GoTo Meeting has no registrants to approve."),
            deny=Capability(False, "GoTo Meeting has no registrants to deny."),
            cancel=Capability(False, "GoTo Meeting has no registrations to cancel."),
            other_organizers=Capability(False, _ADMIN_REASON)
            if self._is_admin() is False
            else Capability(True),
            edit_meetings=Capability(True),
        )

    async def organizers(self, *, email: str | None = None) -> list[Organizer]:
        params = {"email": email} if email else None
        return [
            organizer(w) for w in await self.api.fetch(ORGANIZERS, "/organizers", params=params)
        ]

    async def groups(self) -> list[Group]:
        return [group(w) for w in await self.api.fetch(GROUPS, "/groups")]

    async def upcoming_meetings(
        self, *, organizer_key: str | None = None, group_key: str | None = None
    ) -> list[Meeting]:
        path = _scoped("/upcomingMeetings", organizer_key, group_key)
        return [meeting(w, MeetingKind.UPCOMING) for w in await self.api.fetch(MEETINGS, path)]

    async def historical_meetings(
        self,
        since: datetime,
        until: datetime,
        *,
        organizer_key: str | None = None,
        group_key: str | None = None,
    ) -> HistoricalMeetings:
        path = _scoped("/historicalMeetings", organizer_key, group_key)
        seen: dict[tuple[str, str | None], Meeting] = {}
        recordings: dict[str, Recording] = {}
        for start, end in windows(since, until):
            params = {"startDate": iso_z(start), "endDate": iso_z(end)}
            for w in await self.api.fetch(MEETINGS, path, params=params):
                ident = (w.meetingId, w.sessionId)
                if ident in seen:
                    continue
                m = meeting(w, MeetingKind.HISTORICAL)
                seen[ident] = m
                rec = recording(w, m)
                if rec is not None:
                    recordings.setdefault(rec.key, rec)
        ordered = sorted(seen.values(), key=lambda m: m.start)
        return HistoricalMeetings(meetings=tuple(ordered), recordings=tuple(recordings.values()))

    async def meetings(self, *, organizer_key: str | None = None) -> list[Meeting]:
        path = f"/organizers/{organizer_key}/meetings" if organizer_key else "/meetings"
        ws = await self.api.fetch(MEETINGS, path, params={"scheduled": "true"})
        return [meeting(w, MeetingKind.UPCOMING) for w in ws]

    async def meeting(self, meeting_id: str) -> Meeting:
        meeting_id = meeting_id.split(":")[0]
        ws = await self.api.fetch(MEETINGS, f"/meetings/{meeting_id}")
        if not ws:
            raise NotFound(
                f"GoTo Meeting has no meeting {meeting_id}; it may have been "
                "deleted. Refresh the list.",
                provider=self.api.api,
            )
        return meeting(ws[0], MeetingKind.UPCOMING)

    async def attendees(
        self,
        meeting_id: str,
        /,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[Attendee]:
        """Attendees of a meeting, or of one session for a "meetingId:sessionId" key.

        `start`/`end` are the session's times from the historical report; they tie the
        attendee rows to the session (see `session_rows`).
        """
        mid, _, session_id = meeting_id.partition(":")
        ws = await self.api.fetch(ATTENDEES, f"/meetings/{mid}/attendees")
        if session_id:
            ws = session_rows(ws, session_id, start, end)
        return [attendee(w, meeting_id) for w in ws]

    async def start_url(self, meeting_id: str) -> StartUrl:
        mid = meeting_id.split(":")[0]
        w = await self.api.fetch(START, f"/meetings/{mid}/start")
        return StartUrl(url=w.hostURL)

    # -- writes: create, change, delete a meeting (never retried blindly) -------------

    async def create_meeting(self, draft: MeetingDraft) -> Meeting:
        """POST /meetings (for the signed-in organizer); the new meeting as listed."""
        response = await self.api.request("POST", "/meetings", json_body=meeting_body(draft))
        created = self.api.validate(CREATED, self.api.decode(response), "POST /meetings")
        if not created:
            raise BadResponse(
                "GoTo Meeting created a meeting but sent no meeting ID (POST /meetings). "
                "Refresh the meetings to find it.",
                field="meetingid",
                provider=P.value,
                endpoint="POST /meetings",
            )
        return Meeting(
            provider=P,
            key=created[0].meetingid,
            kind=MeetingKind.UPCOMING,
            subject=draft.subject,
            start=draft.start,
            end=draft.end,
            meeting_type=draft.meeting_type,
            join_url=created[0].joinURL,
            conference_call_info=created[0].conferenceCallInfo,
            password_required=draft.password_required,
        )

    async def update_meeting(self, meeting_id: str, draft: MeetingDraft) -> None:
        """PUT /meetings/{id}: every field is sent (GoTo requires them all)."""
        mid = meeting_id.split(":")[0]
        await self.api.request("PUT", f"/meetings/{mid}", json_body=meeting_body(draft))

    async def delete_meeting(self, meeting_id: str) -> None:
        """DELETE /meetings/{id}."""
        mid = meeting_id.split(":")[0]
        await self.api.request("DELETE", f"/meetings/{mid}")

    async def download_target(self, recording: Recording) -> DownloadTarget:
        """A fresh signed URL for a past meeting's recording (they expire in minutes).

        It comes from the historical-meetings report, asked again for the meeting's own
        time window; the GoTo token goes along only to GoTo's own API origin.
        """
        url = recording.download_url
        if recording.start is not None:
            since = recording.start - timedelta(minutes=5)
            until = (recording.end or recording.start) + timedelta(minutes=5)
            owner = self.organizer_of(recording.event_key)
            history = await (
                self.historical_meetings(since, until, organizer_key=owner)
                if owner
                else self.historical_meetings(since, until)
            )
            fresh = next((r for r in history.recordings if r.key == recording.key), None)
            if fresh is None:
                raise NotFound(
                    "GoTo Meeting no longer lists this recording; it may have "
                    "been deleted. Refresh the meetings.",
                    provider=recording.provider.value,
                )
            url = fresh.download_url or url
        if not url:
            raise DownloadError(
                "GoTo Meeting gave no download link for this recording. "
                "Refresh the meetings and try again.",
                provider=recording.provider.value,
            )
        headers: dict[str, str] = {}
        client = self.api
        if client.same_origin(url) and client.auth is not None:
            headers["Authorization"] = f"Bearer {await client.auth.token()}"
        return DownloadTarget(url=url, headers=headers, expected_size=recording.file_size)


def _scoped(suffix: str, organizer_key: str | None, group_key: str | None) -> str:
    if organizer_key:
        return f"/organizers/{organizer_key}{suffix}"
    if group_key:
        return f"/groups/{group_key}{suffix}"
    return suffix
