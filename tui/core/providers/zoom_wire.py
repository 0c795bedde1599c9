"""Zoom wire models (field names as in Zoom's API; unknown fields ignored), and what
each becomes in the domain.

Ids arrive as int64 (meetings, webinars) or strings (users, registrants, files); all
become strings. Registrant lists and similar pages carry `next_page_token`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import Field, TypeAdapter

from tui.core.models import (
    EventKind,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    Webinar,
)
from tui.core.providers.wire import (
    LenientInt,
    OptDatetime,
    RawText,
    Wire,
    later,
    text,
)

P = Provider.ZOOM


class ZUser(Wire):
    # "The API does not return this value for users with the `pending` status."
    id: str | None = None
    email: str = ""
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    type: LenientInt = None
    role_id: str | None = None


class ZSettings(Wire):
    approval_type: LenientInt = None
    registration_type: LenientInt = None


class ZEvent(Wire):
    """Webinars and meetings, in lists and by id."""

    id: str
    uuid: str | None = None
    topic: str = ""
    start_time: OptDatetime = None
    duration: LenientInt = None
    timezone: str | None = None
    host_id: str | None = None
    host_email: str | None = None
    join_url: str | None = None
    registration_url: str | None = None
    agenda: str | None = None
    type: LenientInt = None
    status: str | None = None
    settings: ZSettings | None = None


class ZQuestion(Wire):
    title: str = ""
    value: str = ""


class ZRegistrant(Wire):
    id: str
    email: str = ""
    first_name: str = ""
    last_name: str | None = None
    status: RawText = ""
    create_time: OptDatetime = None
    join_url: str | None = None
    custom_questions: list[ZQuestion] = Field(default_factory=list)
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    phone: str | None = None
    org: str | None = None
    job_title: str | None = None
    industry: str | None = None
    comments: str | None = None
    no_of_employees: str | None = None
    purchasing_time_frame: str | None = None
    role_in_purchase_process: str | None = None


class ZFile(Wire):
    id: str | None = None
    meeting_id: str | None = None
    recording_start: OptDatetime = None
    recording_end: OptDatetime = None
    file_type: str | None = None
    file_extension: str | None = None
    file_size: LenientInt = None
    download_url: str | None = None
    play_url: str | None = None
    status: str | None = None
    recording_type: str | None = None
    deleted_time: str | None = None


class ZRecordingMeeting(Wire):
    id: str
    uuid: str | None = None
    topic: str = ""
    start_time: OptDatetime = None
    recording_files: list[ZFile] = Field(default_factory=list)


class ZPage(Wire):
    next_page_token: str | None = None
    total_records: LenientInt = None


class ZUsersPage(ZPage):
    users: list[ZUser] = Field(default_factory=list)


class ZWebinarsPage(ZPage):
    webinars: list[ZEvent] = Field(default_factory=list)


class ZMeetingsPage(ZPage):
    meetings: list[ZEvent] = Field(default_factory=list)


class ZRegistrantsPage(ZPage):
    registrants: list[ZRegistrant] = Field(default_factory=list)


class ZRecordingsPage(ZPage):
    meetings: list[ZRecordingMeeting] = Field(default_factory=list)


class ZStart(Wire):
    start_url: str | None = None


class ZRegistered(Wire):
    """The answer to POST …/registrants (no join URL while the person waits)."""

    registrant_id: str
    id: str | None = None
    join_url: str | None = None
    topic: str | None = None


#: Registrant fields kept in Registrant.extra (strings, shown in the detail view), in
#: the order the cache's plain values name them (`tui.core.store.packing.PLAIN_EXTRA`).
EXTRA_FIELDS = (
    "address",
    "city",
    "state",
    "zip",
    "country",
    "phone",
    "org",
    "job_title",
    "industry",
    "comments",
    "no_of_employees",
    "purchasing_time_frame",
    "role_in_purchase_process",
)


EVENT = TypeAdapter(ZEvent)
REGISTRANT = TypeAdapter(ZRegistrant)
RECORDING_MEETING = TypeAdapter(ZRecordingMeeting)
START = TypeAdapter(ZStart)
REGISTERED = TypeAdapter(ZRegistered)


def meeting_fields(draft: MeetingDraft) -> dict[str, Any]:
    """The body of POST /users/{id}/meetings and PATCH /meetings/{id}: a scheduled
    meeting, its start in UTC ("yyyy-MM-ddTHH:mm:ssZ"), minutes, and its time zone."""
    body: dict[str, Any] = {
        "topic": draft.subject,
        "type": 2,
        "start_time": draft.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": draft.duration_minutes,
    }
    if draft.timezone:
        body["timezone"] = draft.timezone
    return body


def organizer(w: ZUser, status: str | None = None) -> Organizer:
    """A domain Organizer, keyed by id (by e-mail for a pending user, who has none)."""
    return Organizer(
        provider=P,
        key=w.id or w.email,
        email=w.email,
        first_name=text(w.first_name),
        last_name=text(w.last_name),
        status=w.status or status,
    )


def webinar(w: ZEvent) -> Webinar:
    return Webinar(
        provider=P,
        key=w.id,
        topic=w.topic,
        start=w.start_time,
        duration_minutes=w.duration,
        timezone=w.timezone,
        host_key=w.host_id,
        host_email=w.host_email,
        join_url=w.join_url,
        registration_url=w.registration_url,
        approval_type=w.settings.approval_type if w.settings else None,
        agenda=text(w.agenda),
    )


def meeting(w: ZEvent, settings: ZSettings | None = None, *, live: bool = False) -> Meeting:
    """A domain Meeting; `settings` (from GET /meetings/{id}) stand in for a list item's.
    A `live` meeting (listed by `type=live`) is upcoming even past its planned end."""
    start = w.start_time or datetime.fromtimestamp(0, UTC)
    end = later(start, w.duration) if w.start_time and w.duration else None
    settings = settings if settings is not None else w.settings
    approval = settings.approval_type if settings else None
    over = end is not None and end < datetime.now(UTC) and not live
    kind = MeetingKind.HISTORICAL if over else MeetingKind.UPCOMING
    return Meeting(
        provider=P,
        key=w.id,
        kind=kind,
        subject=w.topic,
        start=start,
        end=end,
        organizer_key=w.host_id,
        organizer_email=w.host_email,
        meeting_type=str(w.type) if w.type is not None else None,
        status=w.status,
        join_url=w.join_url,
        duration_minutes=w.duration,
        timezone=w.timezone,
        has_registration=approval in (0, 1),
        live=live,
    )


def registrant(
    w: ZRegistrant,
    event_key: str,
    kind: EventKind,
    status: str | None,
    event_title: str | None = None,
) -> Registrant:
    """A domain registrant; a status no spec documents is kept raw (never fails the list)."""
    raw = w.status or status or ""
    normalised = RegistrantStatus.from_provider(raw)
    extra = {k: str(v) for k in EXTRA_FIELDS if (v := getattr(w, k))}
    return Registrant(
        provider=P,
        key=w.id,
        event_key=event_key,
        event_kind=kind,
        email=w.email,
        first_name=w.first_name,
        last_name=text(w.last_name),
        status=normalised,
        provider_status=raw,
        registered_at=w.create_time,
        join_url=w.join_url,
        event_title=event_title,
        custom_questions=tuple((q.title, q.value) for q in w.custom_questions),
        extra=extra,
    )


def processing(f: ZFile) -> bool:
    """A file Zoom is still processing: its status says so, or it has no size and no
    end yet (ZoomNet issue 99: `file_size` 0, `recording_end` "")."""
    status = (f.status or "").lower()
    return (status not in ("", "completed")) or (not f.file_size and f.recording_end is None)


def recordings_of(w: ZRecordingMeeting) -> list[Recording]:
    out = []
    for f in w.recording_files:
        if not f.id or f.deleted_time:
            continue
        busy = processing(f)
        label = (f.recording_type or f.file_type or "file").replace("_", " ")
        out.append(
            Recording(
                provider=P,
                key=f.id,
                event_key=w.id,
                name=f"{w.topic} ({label})",
                start=f.recording_start,
                end=f.recording_end,
                file_size=f.file_size,
                file_type=f.file_type,
                file_extension=(f.file_extension or "").lower() or None,
                download_url=f.download_url,
                play_url=f.play_url,
                event_title=w.topic,
                status="processing" if busy else None,
            )
        )
    return out
