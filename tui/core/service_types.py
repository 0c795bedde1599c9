"""The record types of the Deck's read API: list views, details and provider health.

Re-exported by `tui.core.service`; import them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, TypeVar

from tui.core.errors import MeetdeckError
from tui.core.models import (
    Attendee,
    Meeting,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    SupportSession,
    TrainingSession,
)
from tui.core.store.views import Event

T = TypeVar("T")


class ListView(Protocol[T]):
    """A filtered, sorted slice of one entity, paged from SQL.

    A view is cheap: it holds the query, not the rows. Build a new one when the
    query changes; call `rows` for what is on screen.
    """

    @property
    def fetched_at(self) -> datetime | None:
        """When the oldest scope behind these rows was synced (None: never)."""
        ...

    @property
    def sort_columns(self) -> tuple[str, ...]:
        """The `ViewQuery.sort` values this view accepts."""
        ...

    def count(self) -> int:
        """How many rows match (an indexed COUNT)."""
        ...

    def rows(self, offset: int, limit: int) -> list[T]:
        """The rows at [offset, offset+limit) in the view's order."""
        ...

    def index_of(self, key: str) -> int | None:
        """The position of the row with `key`, or None if it is not in the view."""
        ...


@dataclass(frozen=True, slots=True)
class MeetingDetail:
    """A meeting with what belongs to it (attendees of a past meeting, recordings)."""

    meeting: Meeting
    attendees: tuple[Attendee, ...] = ()
    recordings: tuple[Recording, ...] = ()


@dataclass(frozen=True, slots=True)
class EventDetail:
    """A training or webinar with its past sessions, attendance and registrant counts.

    Attributes:
        event: The row as the events pane shows it.
        sessions: Past training sessions (GoTo Training).
        attendance: Attendees by session key.
        recordings: Recordings of the event.
        counts: Registrants by status, as cached.
    """

    event: Event
    sessions: tuple[TrainingSession, ...] = ()
    attendance: dict[str, tuple[Attendee, ...]] = field(default_factory=dict)
    recordings: tuple[Recording, ...] = ()
    counts: dict[RegistrantStatus, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RegistrantDetail:
    """A registrant (its custom questions are on the model) and the event it is for."""

    registrant: Registrant
    event: Event | None = None


@dataclass(frozen=True, slots=True)
class OrganizerDetail:
    """An organizer with their cached upcoming meetings and events."""

    organizer: Organizer
    meetings: tuple[Meeting, ...] = ()
    events: tuple[Event, ...] = ()


Detail = MeetingDetail | EventDetail | RegistrantDetail | OrganizerDetail | SupportSession


@dataclass(frozen=True, slots=True)
class ProviderHealth:
    """How one provider is doing, for the header and the status screen.

    Attributes:
        provider: Which one.
        configured: The profile has credentials for it.
        signed_in: A token is stored (it may still be refused).
        last_success: When a scope of this provider last synced.
        last_error: The most recent typed error, if the last attempt failed.
        offline: The last attempt could not reach the service at all.
    """

    provider: Provider
    configured: bool
    signed_in: bool
    last_success: datetime | None = None
    last_error: MeetdeckError | None = None
    offline: bool = False
