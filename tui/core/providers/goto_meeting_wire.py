"""GoTo Meeting (G2M REST v1) wire models, and what each becomes in the domain.

Field names are the spec's (camelCase); unknown fields are ignored and odd values read
tolerantly (`tui.core.providers.wire`). Historical meeting keys are
"meetingId:sessionId" (one row per session).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field, TypeAdapter

from tui.core.models import (
    Attendee,
    Group,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
)
from tui.core.providers.wire import LenientInt, OptDatetime, UtcDatetime, Wire, iso_z, text

P = Provider.GOTO_MEETING


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


ORGANIZERS = TypeAdapter(list[G2MOrganizer])
GROUPS = TypeAdapter(list[G2MGroup])
MEETINGS = TypeAdapter(list[G2MMeeting])
ATTENDEES = TypeAdapter(list[G2MAttendee])
START = TypeAdapter(G2MStartUrl)
CREATED = TypeAdapter(list[G2MCreated])
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


__all__ = [
    "ATTENDEES",
    "CREATED",
    "GROUPS",
    "MAX_SUBJECT",
    "MEETINGS",
    "MEETING_TYPES",
    "ORGANIZERS",
    "START",
    "G2MAttendee",
    "G2MCreated",
    "G2MGroup",
    "G2MMeeting",
    "G2MOrganizer",
    "G2MRecording",
    "G2MStartUrl",
    "P",
    "attendee",
    "group",
    "meeting",
    "meeting_body",
    "organizer",
    "recording",
    "session_rows",
]
