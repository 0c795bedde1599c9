"""GoTo Training wire models (field names as in the G2T REST v1 spec; unknown fields
ignored) and the domain records made from them.

Keys arrive as int64 or as strings of them; all become strings. A registrant's status
is GoTo's word for it (`RegistrantStatus.from_provider`); its registration settings
say "disabled", so the domain record turns them round.
"""

from __future__ import annotations

from pydantic import Field

from tui.core.models import (
    Attendee,
    EventKind,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    Training,
    TrainingSession,
)
from tui.core.providers.wire import (
    LenientInt,
    OptDatetime,
    RawText,
    UtcDatetime,
    Wire,
    text,
)

P = Provider.GOTO_TRAINING


class G2TOrganizer(Wire):
    organizerKey: str
    email: str = ""
    givenName: str | None = None
    surname: str | None = None


class G2TTimes(Wire):
    startDate: UtcDatetime
    endDate: UtcDatetime


class G2TRegistrationSettings(Wire):
    disableConfirmationEmail: bool | None = None
    disableWebRegistration: bool | None = None


class G2TTraining(Wire):
    trainingKey: str
    trainingId: str | None = None
    name: str = ""
    description: str | None = None
    timeZone: str | None = None
    times: list[G2TTimes] = Field(default_factory=list)
    organizers: list[G2TOrganizer] = Field(default_factory=list)
    registrationSettings: G2TRegistrationSettings | None = None
    registrationUrl: str | None = None


class G2TRegistrant(Wire):
    registrantKey: str
    email: str = ""
    givenName: str | None = None
    surname: str | None = None
    status: RawText = ""
    registrationDate: OptDatetime = None
    joinUrl: str | None = None


class G2TRegistrantCreated(Wire):
    registrantKey: str
    joinUrl: str | None = None


class G2TSession(Wire):
    sessionKey: str
    trainingKey: str | None = None
    trainingName: str = ""
    sessionStartTime: UtcDatetime
    sessionEndTime: OptDatetime = None
    attendanceCount: LenientInt = None
    duration: LenientInt = None
    organizers: list[G2TOrganizer] = Field(default_factory=list)


class G2TInSession(Wire):
    joinTime: OptDatetime = None
    leaveTime: OptDatetime = None


class G2TAttendee(Wire):
    givenName: str | None = None
    surname: str | None = None
    email: str | None = None
    timeInSession: LenientInt = None
    inSessionTimes: list[G2TInSession] = Field(default_factory=list)


class G2TRecording(Wire):
    recordingId: str
    name: str = ""
    description: str | None = None
    registrationUrl: str | None = None
    downloadUrl: str | None = None
    startDate: OptDatetime = None
    endDate: OptDatetime = None
    fileSize: LenientInt = None


class G2TRecordings(Wire):
    trainingKey: str | None = None
    recordingList: list[G2TRecording] = Field(default_factory=list)


class G2THostUrl(Wire):
    hostURL: str


def training(w: G2TTraining) -> Training:
    settings = w.registrationSettings
    return Training(
        provider=P,
        key=w.trainingKey,
        name=w.name,
        description=text(w.description),
        timezone=w.timeZone,
        times=tuple((t.startDate, t.endDate) for t in w.times),
        organizer_keys=tuple(o.organizerKey for o in w.organizers),
        organizer_names=tuple(
            " ".join(p for p in (o.givenName, o.surname) if p) or o.email for o in w.organizers
        ),
        training_id=w.trainingId,
        registration_url=w.registrationUrl,
        web_registration=enabled(settings.disableWebRegistration) if settings else None,
        confirmation_email=enabled(settings.disableConfirmationEmail) if settings else None,
    )


def enabled(disabled: bool | None) -> bool | None:
    return None if disabled is None else not disabled


def registrant(w: G2TRegistrant, training_key: str) -> Registrant:
    """A domain registrant; a status no spec documents is kept raw (never fails the list)."""
    status = RegistrantStatus.from_provider(w.status)
    return Registrant(
        provider=P,
        key=w.registrantKey,
        event_key=training_key,
        event_kind=EventKind.TRAINING,
        email=w.email,
        first_name=text(w.givenName),
        last_name=text(w.surname),
        status=status,
        provider_status=w.status,
        registered_at=w.registrationDate,
        join_url=w.joinUrl,
    )


def session(w: G2TSession, training_key: str | None) -> TrainingSession:
    return TrainingSession(
        provider=P,
        key=w.sessionKey,
        training_key=training_key or text(w.trainingKey),
        training_name=w.trainingName,
        start=w.sessionStartTime,
        end=w.sessionEndTime,
        attendance_count=w.attendanceCount,
        duration_minutes=w.duration,
        organizer_key=w.organizers[0].organizerKey if w.organizers else None,
    )


def attendee(w: G2TAttendee, session_key: str) -> Attendee:
    joins = [t.joinTime for t in w.inSessionTimes if t.joinTime]
    leaves = [t.leaveTime for t in w.inSessionTimes if t.leaveTime]
    name = " ".join(p for p in (w.givenName, w.surname) if p)
    return Attendee(
        provider=P,
        event_key=session_key,
        name=name,
        email=w.email,
        join_time=min(joins) if joins else None,
        leave_time=max(leaves) if leaves else None,
        duration_seconds=w.timeInSession,
    )


def recording(w: G2TRecording, training_key: str) -> Recording:
    return Recording(
        provider=P,
        key=w.recordingId,
        event_key=training_key,
        name=w.name,
        start=w.startDate,
        end=w.endDate,
        file_size=w.fileSize,
        file_type="MP4",
        file_extension="mp4",
        download_url=w.downloadUrl,
        share_url=w.registrationUrl,
    )
