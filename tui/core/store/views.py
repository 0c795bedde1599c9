"""What a pane asks the store for, and the read-side records the store answers with.

`ViewQuery` is a pane's question (filter, sort, scope); `Event` puts GoTo trainings and
Zoom webinars side by side; `SearchHit` is one answer of the global search; `SyncStamp`
says how old one sync scope's data is. All of it is light to import (no pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui.core.models import (
    EventKind,
    MeetingKind,
    Provider,
    RegistrantStatus,
    Training,
    Webinar,
)
from tui.core.store.hits import SEARCH_KINDS, SearchKind

__all__ = ["ALL", "SEARCH_KINDS", "Event", "SearchHit", "SearchKind", "SyncStamp", "ViewQuery"]


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """What a pane asks for: a filtered, sorted slice of one entity.

    Every field narrows the rows; the defaults ask for everything in the default order.

    Attributes:
        text: The '/' filter: a case- and accent-insensitive substring over the row's
            visible columns (names, email, subject or title, event title).
        status: Registrants only: one status.
        sort: A column name the entity knows (see `sort_columns` of each view);
            None is the entity's default order.
        descending: Reverse the sort.
        organizer_key: Meetings and events of one organizer / host.
        group_key: Organizers of one GoTo group, and meetings of its organizers.
        live: Meetings only: those going on now (True) or the others (False). An
            upcoming view that leaves it None lists the live ones first, whatever
            their start (see `Store.meetings`).
        event_key: Registrants or recordings of one training, webinar or meeting.
        provider: Rows of one provider.
        kind: Meetings only: upcoming or historical.
        since: Rows starting at or after this time (meetings, events, recordings,
            support sessions; registrants by registration time).
        until: Rows starting before this time.
    """

    text: str = ""
    status: RegistrantStatus | None = None
    sort: str | None = None
    descending: bool = False
    organizer_key: str | None = None
    group_key: str | None = None
    event_key: str | None = None
    provider: Provider | None = None
    kind: MeetingKind | None = None
    since: datetime | None = None
    until: datetime | None = None
    live: bool | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A training (GoTo Training) or a webinar (Zoom), shown side by side.

    Attributes:
        provider: Where it lives.
        key: The training key or webinar id.
        kind: EventKind.TRAINING or EventKind.WEBINAR.
        title: Training name or webinar topic.
        start: First start time, if any.
        organizer: The organizer's or host's name or email ("" when unknown).
        organizer_key: The organizer key / host id.
        timezone: The event's time zone name, if the API gave one.
        registrants: How many registrants the cache holds (None: never synced).
        pending: How many of them wait for approval (None: never synced).
        source: The full Training or Webinar.
    """

    provider: Provider
    key: str
    kind: EventKind
    title: str
    start: datetime | None
    organizer: str
    organizer_key: str | None
    timezone: str | None
    registrants: int | None
    pending: int | None
    source: Training | Webinar


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One answer of the global search (command palette, `meetdeck lookup`).

    Attributes:
        kind: "registrant", "organizer", "meeting", "training", "webinar",
            "recording" or "support_session".
        key: The entity's key (registrant key, organizer key, meeting key, ...).
        title: The main line: a person's name, a subject or title.
        subtitle: The second line: email, event title, start time.
        provider: Where it lives.
        event_key: For a registrant: the event it registered for; for a recording:
            the meeting or training it is of.
        event_title: That event's title, when known.
        status: For a registrant: its status; for others a provider status or None.
        fetched_at: When the row's scope was last synced.
    """

    kind: SearchKind
    key: str
    title: str
    subtitle: str
    provider: Provider
    event_key: str | None = None
    event_title: str | None = None
    status: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncStamp:
    """How fresh one sync scope is.

    Attributes:
        scope: The scope id, e.g. "registrants:zoom:81234567".
        fetched_at: When the scope last synced successfully (None: never).
        items: How many rows that sync stored.
        error_title: The title of the last failure, if the last attempt failed.
        error: The sentence of the last failure.
        error_at: When that failure happened.
        note: What the last successful sync left out (users skipped), if anything.
    """

    scope: str
    fetched_at: datetime | None
    items: int = 0
    error_title: str | None = None
    error: str | None = None
    error_at: datetime | None = None
    note: str | None = None

    @property
    def failed(self) -> bool:
        """True when the most recent attempt failed (the data may still be there)."""
        return self.error_at is not None and (
            self.fetched_at is None or self.error_at >= self.fetched_at
        )


#: The query that asks for everything in the default order.
ALL = ViewQuery()
