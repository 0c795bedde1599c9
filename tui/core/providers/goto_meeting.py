"""GoTo Meeting (G2M REST v1): wire models and the adapter.

Historical meeting keys are "meetingId:sessionId" (one row per session), since a
recurring meeting has many sessions under one meetingId; upcoming and scheduled
meetings use the meetingId. `attendees()` and `start_url()` accept either form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from pydantic import Field, TypeAdapter

from tui.core.downloads.target import DownloadTarget
from tui.core.errors import BadResponse, DownloadError, NotFound
from tui.core.models import (
    Attendee,
    Group,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    StartUrl,
)
from tui.core.net.client import ApiClient
from tui.core.providers.base import GOTO_HISTORY_WINDOW_DAYS, HistoricalMeetings
from tui.core.providers.capabilities import Capabilities, Capability
from tui.core.providers.wire import LenientInt, OptDatetime, UtcDatetime, Wire, iso_z, text

P = Provider.GOTO_MEETING
_ADMIN_REASON = (
    "Other organizers' meetings need the GoTo admin role; sign in with an "
    "admin account to see them."
)


class G2MOrganizer(Wire):
    organizerKey: str
    email: str = ""
    firstName: str | None = None
    lastName: str | None = None
    groupId: str | None = None
    groupName: str | None = None
    status: str | None = None
    products: list[str] = Field(default_factory=list)
    maxNumAttendeesAllowed: LenientInt = None


class G2MGroup(Wire):
    groupkey: str
    groupName: str = ""
    parentKey: str | None = None
    status: str | None = None
    numOrganizers: LenientInt = None


class G2MRecording(Wire):
    recordingId: str
    recordingName: str | None = None
    downloadUrl: str | None = None
    fileSize: LenientInt = None
    shareUrl: str | None = None


class G2MMeeting(Wire):
    """Upcoming, historical, scheduled and by-id meetings share these fields."""

    meetingId: str
    sessionId: str | None = None
    subject: str | None = None
    startTime: UtcDatetime
    endTime: OptDatetime = None
    status: str | None = None
    meetingType: str | None = None
    passwordRequired: bool | None = None
    conferenceCallInfo: str | None = None
    organizerKey: str | None = None
    accountKey: str | None = None
    email: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    duration: LenientInt = None
    numAttendees: LenientInt = None
    joinURL: str | None = None
    recording: G2MRecording | None = None


class G2MAttendee(Wire):
    attendeeName: str | None = None
    attendeeEmail: str | None = None
    joinTime: OptDatetime = None
    leaveTime: OptDatetime = None
    duration: LenientInt = None
    meetingId: str | None = None
    meetingInstanceKey: str | None = None
    # The meeting instance's own start and end (not the attendee's).
    startTime: OptDatetime = None
    endTime: OptDatetime = None


class G2MStartUrl(Wire):
    hostURL: str


class G2MCreated(Wire):
    meetingid: str
    joinURL: str | None = None
    conferenceCallInfo: str | None = None


_ORGANIZERS = TypeAdapter(list[G2MOrganizer])
_GROUPS = TypeAdapter(list[G2MGroup])
_MEETINGS = TypeAdapter(list[G2MMeeting])
_ATTENDEES = TypeAdapter(list[G2MAttendee])
_START = TypeAdapter(G2MStartUrl)
_CREATED = TypeAdapter(list[G2MCreated])
#: GoTo Meeting's meeting types (`meetingtype`).
MEETING_TYPES = ("scheduled", "recurring", "immediate")
#: The longest subject GoTo Meeting takes.
MAX_SUBJECT = 100


def meeting_body(draft: MeetingDraft) -> dict[str, object]:
    """The body of POST /meetings and PUT /meetings/{id} (every field is required)."""
    return {
        # "The characters '>' and '<' have to be replaced with the corresponding html
        # character code" (the spec's `subject`).
        "subject": draft.subject.replace("<", "&lt;").replace(">", "&gt;"),
        "starttime": iso_z(draft.start),
        "endtime": iso_z(draft.end),
        "passwordrequired": draft.password_required,
        "conferencecallinfo": "Hybrid",
        "timezonekey": "",  # deprecated: "Must be provided and set to empty string"
        "meetingtype": draft.meeting_type,
    }


def organizer(w: G2MOrganizer) -> Organizer:
    return Organizer(
        provider=P,
        key=w.organizerKey,
        email=w.email,
        first_name=text(w.firstName),
        last_name=text(w.lastName),
        group_key=w.groupId,
        group_name=w.groupName,
        status=w.status,
        products=tuple(w.products),
    )


def group(w: G2MGroup) -> Group:
    return Group(
        provider=P,
        key=w.groupkey,
        name=w.groupName,
        parent_key=w.parentKey,
        status=w.status,
        num_organizers=w.numOrganizers,
    )


def meeting(w: G2MMeeting, kind: MeetingKind) -> Meeting:
    key = (
        f"{w.meetingId}:{w.sessionId}"
        if kind is MeetingKind.HISTORICAL and w.sessionId
        else w.meetingId
    )
    name = " ".join(p for p in (w.firstName, w.lastName) if p) or None
    return Meeting(
        provider=P,
        key=key,
        kind=kind,
        subject=text(w.subject),
        start=w.startTime,
        end=w.endTime,
        organizer_key=w.organizerKey,
        organizer_email=w.email,
        organizer_name=name,
        meeting_type=w.meetingType,
        status=w.status,
        join_url=w.joinURL,
        conference_call_info=w.conferenceCallInfo,
        password_required=w.passwordRequired,
        num_attendees=w.numAttendees,
        duration_minutes=w.duration,
        session_key=w.sessionId,
        # An ongoing meeting is listed as upcoming with status ACTIVE (the spec's enum:
        # ACTIVE | INACTIVE); the historical report leaves it out until it ends.
        live=kind is MeetingKind.UPCOMING and (w.status or "").upper() == "ACTIVE",
    )


def recording(w: G2MMeeting, m: Meeting) -> Recording | None:
    r = w.recording
    if r is None:
        return None
    return Recording(
        provider=P,
        key=r.recordingId,
        event_key=m.key,
        name=text(r.recordingName) or m.subject,
        start=w.startTime,
        end=w.endTime,
        file_size=r.fileSize,
        file_type="MP4",
        file_extension="mp4",
        download_url=r.downloadUrl,
        share_url=r.shareUrl,
        event_title=m.subject,
    )


def attendee(w: G2MAttendee, event_key: str) -> Attendee:
    seconds = None
    if w.joinTime and w.leaveTime:
        seconds = int((w.leaveTime - w.joinTime).total_seconds())
    elif w.duration is not None:
        seconds = w.duration * 60
    return Attendee(
        provider=P,
        event_key=event_key,
        name=text(w.attendeeName),
        email=w.attendeeEmail,
        join_time=w.joinTime,
        leave_time=w.leaveTime,
        duration_seconds=seconds,
    )


_SAME_INSTANT = timedelta(minutes=1)


def session_rows(
    ws: list[G2MAttendee], session_id: str, start: datetime | None, end: datetime | None
) -> list[G2MAttendee]:
    """The rows of `/meetings/{id}/attendees` (every session of the meeting) that belong
    to one session.

    The historical report names a session by `sessionId`; attendee rows name it by
    `meetingInstanceKey`, a different key the spec does not map to it. So, in order:
    rows whose `meetingInstanceKey` equals the session id (a service that makes them
    equal); rows of the instance whose own `startTime` is the session's start (to the
    minute); rows whose `joinTime` falls inside the session. Without the session's
    times, or with rows that carry no time at all, every row is kept: an attendee is
    never dropped because the two keys differ.
    """
    same_key = [w for w in ws if w.meetingInstanceKey == session_id]
    if same_key or start is None:
        return same_key or list(ws)
    same_start = [
        w for w in ws if w.startTime is not None and abs(w.startTime - start) <= _SAME_INSTANT
    ]
    if same_start:
        return same_start
    joined = [
        w
        for w in ws
        if w.joinTime is not None
        and start - _SAME_INSTANT <= w.joinTime
        and (end is None or w.joinTime <= end)
    ]
    if joined or any(w.startTime or w.joinTime for w in ws):
        return joined  # the other rows carry times of other sessions
    return list(ws)


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
            organizer(w) for w in await self.api.fetch(_ORGANIZERS, "/organizers", params=params)
        ]

    async def groups(self) -> list[Group]:
        return [group(w) for w in await self.api.fetch(_GROUPS, "/groups")]

    async def upcoming_meetings(
        self, *, organizer_key: str | None = None, group_key: str | None = None
    ) -> list[Meeting]:
        path = _scoped("/upcomingMeetings", organizer_key, group_key)
        return [meeting(w, MeetingKind.UPCOMING) for w in await self.api.fetch(_MEETINGS, path)]

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
            for w in await self.api.fetch(_MEETINGS, path, params=params):
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
        ws = await self.api.fetch(_MEETINGS, path, params={"scheduled": "true"})
        return [meeting(w, MeetingKind.UPCOMING) for w in ws]

    async def meeting(self, meeting_id: str) -> Meeting:
        meeting_id = meeting_id.split(":")[0]
        ws = await self.api.fetch(_MEETINGS, f"/meetings/{meeting_id}")
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
        ws = await self.api.fetch(_ATTENDEES, f"/meetings/{mid}/attendees")
        if session_id:
            ws = session_rows(ws, session_id, start, end)
        return [attendee(w, meeting_id) for w in ws]

    async def start_url(self, meeting_id: str) -> StartUrl:
        mid = meeting_id.split(":")[0]
        w = await self.api.fetch(_START, f"/meetings/{mid}/start")
        return StartUrl(url=w.hostURL)

    # -- writes: create, change, delete a meeting (never retried blindly) -------------

    async def create_meeting(self, draft: MeetingDraft) -> Meeting:
        """POST /meetings (for the signed-in organizer); the new meeting as listed."""
        response = await self.api.request("POST", "/meetings", json_body=meeting_body(draft))
        created = self.api.validate(_CREATED, self.api.decode(response), "POST /meetings")
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
