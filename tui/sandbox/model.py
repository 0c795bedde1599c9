"""The sandbox's in-memory entities (GoTo Meeting, Training, Assist Seeit and Zoom)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

#: GoTo's keys are int64s drawn from this range: above 2**53, JavaScript-unsafe on purpose.
INT64_LOW = 10**17
INT64_HIGH = 9 * 10**18


@dataclass(slots=True)
class FileSpec:
    """A downloadable file: its bytes are generated on demand from the id and size."""

    file_id: str
    size: int
    kind: str  # mp4, m4a, txt, vtt, json, csv, zip
    name: str
    html: bool = False  # an HTML error page where a file is expected


@dataclass(slots=True)
class Organizer:
    """A GoTo organizer (G2M, G2T and Seeit share them)."""

    key: int
    email: str
    first_name: str
    last_name: str
    group_key: int
    status: str
    products: list[str]
    max_attendees: int
    locale: str
    admin: bool = False


@dataclass(slots=True)
class Group:
    key: int
    name: str
    parent_key: int
    status: str = "active"


@dataclass(slots=True)
class Meeting:
    """A G2M meeting; `upcoming` meetings are listed by the upcoming calls."""

    id: int
    organizer_key: int
    subject: str
    meeting_type: str
    password_required: bool
    conference_call_info: str
    start: datetime
    end: datetime
    create_time: datetime
    status: str = "INACTIVE"
    upcoming: bool = False
    coorganizer_keys: list[str] = field(default_factory=list)
    max_participants: int = 250


@dataclass(slots=True)
class MeetingSession:
    """One held instance of a G2M meeting (a historical meeting).

    `id` is the `sessionId` of the historical-meeting reports; `instance_key` is the
    `meetingInstanceKey` the attendee reports carry. The spec types them as two fields
    and documents no mapping, so the sandbox keeps them distinct.
    """

    id: int
    meeting_id: int
    start: datetime
    end: datetime
    num_attendees: int
    instance_key: int = 0
    recording: FileSpec | None = None
    ongoing: bool = False
    attendees_deleted: bool = False


@dataclass(slots=True)
class G2TRegistrant:
    key: int
    email: str
    given_name: str
    surname: str
    status: str
    registration_date: datetime


@dataclass(slots=True)
class TrainingSession:
    key: int
    start: datetime
    end: datetime
    attendee_keys: list[int]


@dataclass(slots=True)
class TrainingRecording:
    id: int
    name: str
    description: str
    start: datetime
    end: datetime
    file: FileSpec


@dataclass(slots=True)
class Training:
    key: int
    training_id: str
    name: str
    description: str
    time_zone: str
    times: list[tuple[datetime, datetime]]
    organizer_keys: list[int]
    disable_confirmation_email: bool = False
    disable_web_registration: bool = False
    registrants: dict[int, G2TRegistrant] = field(default_factory=dict)
    deleted: dict[int, tuple[G2TRegistrant, datetime]] = field(default_factory=dict)
    """Registrants deleted while lists lag (`registrant_lag_s`), with when."""
    sessions: list[TrainingSession] = field(default_factory=list)
    recordings: list[TrainingRecording] = field(default_factory=list)


@dataclass(slots=True)
class SeeitSession:
    uuid: str
    support_key: str
    status: str
    create_ms: int
    technician_email: str
    owner_key: int
    start_ms: int | None = None
    join_ms: int | None = None
    end_ms: int | None = None
    recorded: bool = False
    notes: str | None = None
    data_status: str = "NO_DATA"
    data_file: FileSpec | None = None
    photo_count: int = 0
    photo_notes_count: int = 0


@dataclass(slots=True)
class ZoomUser:
    id: str
    email: str
    first_name: str
    last_name: str
    type: int
    status: str
    pmi: int
    timezone: str
    dept: str
    created_at: datetime
    last_login: datetime
    role_id: str
    language: str = "en-US"
    job_title: str = ""
    company: str = ""
    webinar: bool = True
    """Has the webinar feature; without it `GET /users/{id}/webinars` answers 3161."""


@dataclass(slots=True)
class ZoomRecordingFile:
    id: str
    file_type: str
    file_extension: str
    recording_type: str
    start: datetime
    end: datetime
    file: FileSpec
    processing: bool = False
    """Still being processed: listed with `status: processing`, no end, type or size."""


@dataclass(slots=True)
class ZoomRecording:
    uuid: str
    meeting_id: int
    start: datetime
    duration: int
    passcode: str
    files: list[ZoomRecordingFile]


@dataclass(slots=True)
class ZoomEvent:
    """A Zoom meeting or webinar (`webinar` tells which)."""

    id: int
    uuid: str
    host_id: str
    topic: str
    agenda: str
    type: int
    start: datetime
    duration: int
    timezone: str
    created_at: datetime
    password: str
    webinar: bool
    approval_type: int = 2  # 0 automatic, 1 manual, 2 no registration
    status: str = "waiting"
    registrants: RegistrantTable | None = None
    recording: ZoomRecording | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)


ZOOM_STATUSES = ("pending", "approved", "denied", "cancelled")
"""Status codes of `RegistrantTable.status` (index = code)."""


class RegistrantTable:
    """Zoom registrants of one event, stored column-wise so 100k of them stay cheap.

    Wire dicts are built per page by `zoom_views`; the id and e-mail indexes are built
    on first use.
    """

    __slots__ = (
        "_by_email",
        "_by_id",
        "created",
        "emails",
        "event_id",
        "firsts",
        "ids",
        "lasts",
        "status",
    )

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        self.ids: list[str] = []
        self.firsts: list[str] = []
        self.lasts: list[str] = []
        self.emails: list[str] = []
        self.created: list[int] = []  # epoch seconds
        self.status = bytearray()
        self._by_id: dict[str, int] | None = None
        self._by_email: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, rid: str, first: str, last: str, email: str, created: int, status: int) -> int:
        """Append a registrant and return its index."""
        self.ids.append(rid)
        self.firsts.append(first)
        self.lasts.append(last)
        self.emails.append(email)
        self.created.append(created)
        self.status.append(status)
        index = len(self.ids) - 1
        if self._by_id is not None:
            self._by_id[rid] = index
        if self._by_email is not None:
            self._by_email[email.lower()] = index
        return index

    def index_of(self, rid: str) -> int | None:
        if self._by_id is None:
            self._by_id = {r: i for i, r in enumerate(self.ids)}
        return self._by_id.get(rid)

    def index_of_email(self, email: str) -> int | None:
        if self._by_email is None:
            self._by_email = {e.lower(): i for i, e in enumerate(self.emails)}
        return self._by_email.get(email.lower())

    def count(self, code: int) -> int:
        return self.status.count(code)

    def page(self, code: int, start: int, size: int) -> tuple[list[int], int | None]:
        """Indexes of the next `size` registrants with status `code` from `start`.

        Returns the indexes and where the following page starts (None at the end).
        """
        found: list[int] = []
        status = self.status
        pos = start
        while len(found) < size:
            pos = status.find(code, pos)
            if pos < 0:
                return found, None
            found.append(pos)
            pos += 1
        return found, (pos if status.find(code, pos) >= 0 else None)

    def nth(self, code: int, n: int) -> int:
        """Position to start scanning for the n-th (0-based) registrant with `code`."""
        pos = 0
        for _ in range(n):
            pos = self.status.find(code, pos)
            if pos < 0:
                return len(self.status)
            pos += 1
        return pos
