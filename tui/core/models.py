"""Provider-neutral domain models.

The providers turn each API's wire format into these; the store persists them; the
Deck hands them to the UI and the CLI. They are plain frozen dataclasses (no pydantic)
so that the on-call `meetdeck lookup` path can read them from the cache without paying
for pydantic's import.

Every datetime here is timezone-aware (UTC unless the API said otherwise). Keys are
strings, whatever the API's type: GoTo keys are int64 in paths but strings in bodies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


class Provider(StrEnum):
    """Which cloud product a record came from."""

    GOTO_MEETING = "goto_meeting"
    GOTO_TRAINING = "goto_training"
    GOTO_ASSIST = "goto_assist"
    ZOOM = "zoom"

    @property
    def label(self) -> str:
        """A short human label, e.g. for a provider column."""
        return _PROVIDER_LABELS[self]


#: How long a provider may keep listing a registration after it was cancelled: GoTo
#: Training's registrant data "can take as long as two hours" (docs/real-clouds.md, #14.6).
LIST_LAG = {Provider.GOTO_TRAINING: timedelta(hours=2)}

_PROVIDER_LABELS = {
    Provider.GOTO_MEETING: "GoTo Meeting",
    Provider.GOTO_TRAINING: "GoTo Training",
    Provider.GOTO_ASSIST: "GoTo Assist",
    Provider.ZOOM: "Zoom",
}


class RegistrantStatus(StrEnum):
    """Registrant status, normalised across providers: one rule for GoTo and Zoom.

    GoTo Training says WAITING/APPROVED/DENIED, and UNREGISTERED (withdrew) or DELETED
    (withdrew and opted out) for people who left; Zoom says pending/approved/denied.
    A value no provider documents is OTHER: the person stays listed with the raw value
    (`Registrant.provider_status`), never failing the list. CANCELLED is a registration
    meetdeck itself cancelled while the provider still lists the person (its data lags).
    """

    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    UNREGISTERED = "unregistered"
    DELETED = "deleted"
    CANCELLED = "cancelled"
    OTHER = "other"

    @classmethod
    def from_provider(cls, value: str | None) -> RegistrantStatus:
        """Normalise a provider's status value (case-insensitive); never raises."""
        normalised = (value or "").strip().lower()
        return _PROVIDER_STATUSES.get(normalised, cls.OTHER)

    @property
    def waiting(self) -> bool:
        """Whether the person waits for a decision (only PENDING does)."""
        return self is RegistrantStatus.PENDING

    @property
    def withdrawn(self) -> bool:
        """Whether the person is no longer registered (left, or was cancelled)."""
        return self in _WITHDRAWN


_PROVIDER_STATUSES = {
    "waiting": RegistrantStatus.PENDING,
    "pending": RegistrantStatus.PENDING,
    "approved": RegistrantStatus.APPROVED,
    "denied": RegistrantStatus.DENIED,
    "unregistered": RegistrantStatus.UNREGISTERED,
    "deleted": RegistrantStatus.DELETED,
    "cancelled": RegistrantStatus.CANCELLED,
    "canceled": RegistrantStatus.CANCELLED,
}
_WITHDRAWN = frozenset(
    {RegistrantStatus.UNREGISTERED, RegistrantStatus.DELETED, RegistrantStatus.CANCELLED}
)


class MeetingKind(StrEnum):
    """Whether a meeting is still to come or already happened."""

    UPCOMING = "upcoming"
    HISTORICAL = "historical"


class EventKind(StrEnum):
    """What a registrant registered for."""

    TRAINING = "training"
    WEBINAR = "webinar"
    MEETING = "meeting"


@dataclass(frozen=True, slots=True)
class Organizer:
    """A host account: a GoTo organizer or a Zoom user."""

    provider: Provider
    key: str
    email: str
    first_name: str = ""
    last_name: str = ""
    group_key: str | None = None
    group_name: str | None = None
    status: str | None = None
    products: tuple[str, ...] = ()
    account_key: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Group:
    """A GoTo Meeting organizer group."""

    provider: Provider
    key: str
    name: str
    parent_key: str | None = None
    status: str | None = None
    num_organizers: int | None = None
    parent_name: str | None = None

    @property
    def top_level(self) -> bool:
        """No parent: GoTo gives a top-level group its own key as `parentKey`."""
        return self.parent_key is None or self.parent_key == self.key


def with_parent_names(groups: list[Group]) -> list[Group]:
    """`groups` with each subgroup's `parent_name` read from the list itself (a parent
    the list does not hold leaves it None)."""
    names = {g.key: g.name for g in groups}
    return [
        g if g.top_level else dataclasses.replace(g, parent_name=names.get(g.parent_key or ""))
        for g in groups
    ]


@dataclass(frozen=True, slots=True)
class Meeting:
    """A GoTo or Zoom meeting, upcoming or historical."""

    provider: Provider
    key: str
    kind: MeetingKind
    subject: str
    start: datetime
    end: datetime | None = None
    organizer_key: str | None = None
    organizer_email: str | None = None
    organizer_name: str | None = None
    meeting_type: str | None = None
    status: str | None = None
    join_url: str | None = None
    conference_call_info: str | None = None
    password_required: bool | None = None
    num_attendees: int | None = None
    duration_minutes: int | None = None
    session_key: str | None = None
    timezone: str | None = None
    has_registration: bool = False
    live: bool = False
    """Going on now (GoTo Meeting: status ACTIVE; Zoom: listed by `type=live`)."""


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone who attended a historical meeting or a training session."""

    provider: Provider
    event_key: str
    name: str
    email: str | None = None
    join_time: datetime | None = None
    leave_time: datetime | None = None
    duration_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class Training:
    """A GoTo Training training (one or more sessions)."""

    provider: Provider
    key: str
    name: str
    description: str = ""
    timezone: str | None = None
    times: tuple[tuple[datetime, datetime], ...] = ()
    organizer_keys: tuple[str, ...] = ()
    organizer_names: tuple[str, ...] = ()
    training_id: str | None = None
    registration_url: str | None = None
    # Registration settings (None: GoTo did not say): people may register on the web
    # page; registrants get a confirmation email.
    web_registration: bool | None = None
    confirmation_email: bool | None = None

    @property
    def start(self) -> datetime | None:
        return self.times[0][0] if self.times else None


@dataclass(frozen=True, slots=True)
class TrainingSession:
    """One past session of a training, with its attendance count."""

    provider: Provider
    key: str
    training_key: str
    training_name: str
    start: datetime
    end: datetime | None = None
    attendance_count: int | None = None
    duration_minutes: int | None = None
    organizer_key: str | None = None


@dataclass(frozen=True, slots=True)
class Webinar:
    """A Zoom webinar."""

    provider: Provider
    key: str
    topic: str
    start: datetime | None
    duration_minutes: int | None = None
    timezone: str | None = None
    host_key: str | None = None
    host_email: str | None = None
    join_url: str | None = None
    registration_url: str | None = None
    approval_type: int | None = None
    agenda: str = ""


@dataclass(frozen=True, slots=True)
class Registrant:
    """A person registered for a training, webinar or meeting."""

    provider: Provider
    key: str
    event_key: str
    event_kind: EventKind
    email: str
    first_name: str
    last_name: str
    status: RegistrantStatus
    provider_status: str
    registered_at: datetime | None = None
    join_url: str | None = None
    event_title: str | None = None
    custom_questions: tuple[tuple[str, str], ...] = ()
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=True)
    cancelled_here: datetime | None = None
    """When meetdeck cancelled this registration, while the provider may still list the
    person (status CANCELLED; `provider_status` is what the provider last said)."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def status_text(self) -> str:
        """The status as a person reads it: the provider's own value when meetdeck does
        not know it, "cancelled here" for a cancellation the provider has not caught up
        with, else the normalised status."""
        if self.status is RegistrantStatus.OTHER:
            return self.provider_status.strip() or "(none)"
        if self.status is RegistrantStatus.CANCELLED and self.cancelled_here is not None:
            return "cancelled here"
        return self.status.value


@dataclass(frozen=True, slots=True)
class Recording:
    """A downloadable recording of a training, a meeting or a Zoom meeting file."""

    provider: Provider
    key: str
    event_key: str
    name: str
    start: datetime | None = None
    end: datetime | None = None
    file_size: int | None = None
    file_type: str | None = None
    file_extension: str | None = None
    download_url: str | None = None
    play_url: str | None = None
    share_url: str | None = None
    checksum: str | None = None
    event_title: str | None = None
    status: str | None = None
    """"processing" while the service is still making the file (nothing to download
    yet); None when it is ready."""

    @property
    def processing(self) -> bool:
        """True while the service is still processing the file: not offered for download."""
        return self.status == "processing"

    @property
    def no_size_reason(self) -> str | None:
        """Why the size is unknown (None: it is known, or the file is still processing)."""
        if self.file_size is not None or self.processing:
            return None
        return _NO_SIZE.get(self.provider, f"{self.provider.label} gave no size for this file")


#: Providers whose recording lists carry no size at all (docs/real-clouds.md): GoTo
#: Training's `Recording` has no size field, only the download's 302 leads to the file.
_NO_SIZE = {
    Provider.GOTO_TRAINING: "GoTo Training's recording list gives no file size; "
    "the download shows it",
}


@dataclass(frozen=True, slots=True)
class SupportSession:
    """A GoTo Assist (Seeit) remote support session."""

    provider: Provider
    key: str
    support_key: str
    status: str
    created: datetime
    started: datetime | None = None
    joined: datetime | None = None
    ended: datetime | None = None
    technician_email: str | None = None
    notes: str = ""
    recorded: bool | None = None
    data_status: str | None = None


#: A start link nobody checked is not opened in a browser.
NOT_VETTED = "meetdeck did not check where this link leads, so it does not open it."


@dataclass(frozen=True, slots=True)
class StartUrl:
    """A host start URL, fetched on demand. Never cached, never logged."""

    url: str = field(repr=False)
    expires_at: datetime | None = None
    note: str | None = None
    refusal: str | None = NOT_VETTED
    """Why a browser must not be sent to `url` (None: it may); see `tui.core.deck.links`."""

    def __str__(self) -> str:  # keep the secret out of accidental f-strings
        return "StartUrl(<hidden>)"


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """The result of a write for one target (a registrant, a session)."""

    target_key: str
    ok: bool
    message: str = ""


@dataclass(frozen=True, slots=True)
class ActionResult:
    """Per-target outcomes of one batch action."""

    action: str
    outcomes: tuple[ActionOutcome, ...]
    note: str = ""  # e.g. the cache could not be updated; the outcomes stand

    @property
    def succeeded(self) -> tuple[str, ...]:
        return tuple(o.target_key for o in self.outcomes if o.ok)

    @property
    def failed(self) -> tuple[ActionOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)


#: Called by a batch write with the outcomes of each part as it returns (a Zoom chunk, a
#: GoTo Training cancel), so that they are recorded before the next part goes out.
Progress = Callable[[Sequence[ActionOutcome]], None]


def no_progress(outcomes: Sequence[ActionOutcome]) -> None:
    """A `Progress` for callers that record nothing per part."""


@dataclass(frozen=True, slots=True)
class MeetingDraft:
    """A meeting to create, or what a meeting should become (the form's and the
    command's answer; the provider sends what it takes).

    Attributes:
        subject: The subject (GoTo) or topic (Zoom).
        start: When it starts (an aware time).
        end: When it ends (Zoom is sent the minutes between the two).
        timezone: The IANA zone the times were given in (Zoom keeps it with the meeting).
        meeting_type: GoTo Meeting's type: scheduled, recurring or immediate.
        password_required: GoTo Meeting: joining needs the meeting's password.
    """

    subject: str
    start: datetime
    end: datetime
    timezone: str | None = None
    meeting_type: str = "scheduled"
    password_required: bool = False

    @property
    def duration_minutes(self) -> int:
        """Whole minutes from start to end (at least 1)."""
        return max(1, round((self.end - self.start).total_seconds() / 60))
