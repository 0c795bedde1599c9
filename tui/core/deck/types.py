"""The record types of the Deck's read API: list views, details and provider health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, TypeVar

from tui.core.audit import UnfinishedWrite
from tui.core.deck.gate import Confirmation
from tui.core.display.cleaning import clean
from tui.core.errors import MeetdeckError
from tui.core.models import (
    ActionResult,
    Attendee,
    EventKind,
    Meeting,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    StartUrl,
    SupportSession,
    TrainingSession,
)
from tui.core.providers.capabilities import Capability, RegistrantAction
from tui.core.store.views import Event
from tui.core.sync.types import Scope

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

    @property
    def sort(self) -> str:
        """The sort in effect: `ViewQuery.sort`, or the default (the first of
        `sort_columns`) when that is None or unknown; "" for a view with no sorts."""
        ...

    def count(self) -> int:
        """How many rows match (an indexed COUNT)."""
        ...

    def rows(self, offset: int, limit: int) -> list[T]:
        """The rows at [offset, offset+limit) in the view's order."""
        ...

    @property
    def quick_to_count(self) -> bool:
        """Whether `count` is an index lookup (else it scans: a one-letter filter)."""
        ...

    def head(self, limit: int) -> list[T]:
        """The first `limit` rows without counting the matches first."""
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
    attendees_fetched_at: datetime | None = None  # None: never fetched (`refresh_detail`)


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
    sessions_fetched_at: datetime | None = None  # None: never fetched (`refresh_detail`)


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
        skipped: Notes of scopes whose last sync left users out, each naming its scope
            ("Zoom events: 1 user skipped: ana@x cannot host webinars (3161)").
        limited: Scopes only an admin may sync, refused while the provider's other
            scopes synced (a plain organizer's view: "GoTo Meeting organizers: Needs
            the admin role"); not an error.
        own_only: The sign-in is a plain GoTo organizer's: only their own meetings and
            trainings are synced (an admin's covers the whole account).
        history_from: GoTo Meeting: where the history the cache holds starts (it runs
            to now without a gap); None when none is held.
    """

    provider: Provider
    configured: bool
    signed_in: bool
    last_success: datetime | None = None
    last_error: MeetdeckError | None = None
    offline: bool = False
    skipped: tuple[str, ...] = ()
    limited: tuple[str, ...] = ()
    own_only: bool = False
    history_from: datetime | None = None


# -- actions (issue 6) --------------------------------------------------------------

#: How many people the confirmation dialog names before "and N more".
PREVIEW_PEOPLE = 5

_VERBS = {"approve": "Approve", "deny": "Deny", "cancel": "Cancel the registration of"}
_DONE = {"approve": "approved", "deny": "denied", "cancel": "cancelled"}


def people(count: int) -> str:
    """ "1 registrant" or "N registrants"."""
    return "1 registrant" if count == 1 else f"{count:,} registrants"


@dataclass(frozen=True, slots=True)
class UnfinishedNotice:
    """A write of this profile whose result was never recorded, as the start-up notice
    shows it (see `Deck.unfinished_writes`).

    Attributes:
        write: What the audit log holds: the action, its people per state.
        event_title: The event's title ("" when the cache does not know it).
        scope: The registrants scope to refresh to see where things stand (None: the
            write had no event, or its event is not in the cache).
    """

    write: UnfinishedWrite
    event_title: str
    scope: Scope | None


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """A registrant action as the confirmation dialog shows it, before anything is sent.

    Build it with `Deck.plan_registrant_action`; show `summary`, `preview` and, when
    `needs_typed_count`, ask the person to type `count`; then hand
    `plan.confirm(typed_count)` to `Deck.run_registrant_action(plan, confirmation)`.

    Attributes:
        action: approve, deny or cancel.
        provider: Whose registrants these are.
        event_key: The one training, webinar or meeting they registered for.
        event_kind: What `event_key` is.
        event_title: Its title ("" when the cache does not know it).
        profile: The profile the write goes to (shown: actions are per account).
        registrants: Exactly who the action targets.
        capability: Whether the action is offered, with the reason when it is not.
    """

    action: RegistrantAction
    provider: Provider
    event_key: str
    event_kind: EventKind
    event_title: str
    profile: str
    registrants: tuple[Registrant, ...]
    capability: Capability

    @property
    def count(self) -> int:
        """How many people the action targets."""
        return len(self.registrants)

    @property
    def target_keys(self) -> tuple[str, ...]:
        """The registrant keys, in the order shown."""
        return tuple(r.key for r in self.registrants)

    @property
    def preview(self) -> tuple[str, ...]:
        """The first few people as "Name <email>" (API text: render as plain text)."""
        return tuple(
            f"{r.name} <{r.email}>" if r.name else r.email
            for r in self.registrants[:PREVIEW_PEOPLE]
        )

    @property
    def more(self) -> int:
        """How many people `preview` leaves out."""
        return max(self.count - PREVIEW_PEOPLE, 0)

    @property
    def needs_typed_count(self) -> bool:
        """True when the person must type the count to confirm (more than 10 people)."""
        return Confirmation.needs_typed_count(self.count)

    @property
    def summary(self) -> str:
        """One sentence for the dialog, e.g. "Approve 35 registrants of “Town hall”"."""
        people = "1 registrant" if self.count == 1 else f"{self.count} registrants"
        title = f"“{self.event_title}”" if self.event_title else f"event {self.event_key}"
        return (
            f"{self.action.value.capitalize()} {people} of {title} "
            f"({self.provider.label}, profile {self.profile})"
        )

    # The confirmation's words, the same in the TUI's dialog and at the shell's prompt.

    @property
    def verb(self) -> str:
        """ "Approve", "Deny" or "Cancel the registration of"."""
        return _VERBS.get(self.action.value, self.action.value.capitalize())

    @property
    def past(self) -> str:
        """ "approved", "denied" or "cancelled"."""
        return _DONE.get(self.action.value, "done")

    @property
    def question(self) -> str:
        """The confirmation's title, e.g. "Approve 3 registrants?"."""
        return f"{self.verb} {people(self.count)}?"

    @property
    def event_label(self) -> str:
        """The event as the confirmation names it: its title and kind (provider)."""
        title = clean(self.event_title) if self.event_title else f"event {self.event_key}"
        return f"{title} ({self.provider.label} {self.event_kind.value})"

    @property
    def people_lines(self) -> tuple[str, ...]:
        """The first people, cleaned, then "and N more"."""
        lines = tuple(clean(person) for person in self.preview)
        return lines + ((f"and {self.more:,} more",) if self.more else ())

    @property
    def go_label(self) -> str:
        """The button (and prompt) that goes ahead: "Approve 3", "Cancel 51 registrations"."""
        if self.action is RegistrantAction.CANCEL:
            noun = "registration" if self.count == 1 else "registrations"
            return f"Cancel {self.count:,} {noun}"
        return f"{self.verb} {self.count:,}"

    @property
    def back_label(self) -> str:
        """The button that changes nothing ("Keep" when the action itself is a cancel)."""
        return "Keep" if self.action is RegistrantAction.CANCEL else "Cancel"

    @property
    def typed_hint(self) -> str:
        """What to do when the count must be typed."""
        return f"This changes {self.count:,} people: type {self.count} to confirm."

    def result_sentence(self, result: ActionResult) -> str:
        """What happened, counting only what the service confirmed."""
        ok = len(result.succeeded)
        if ok == self.count:
            return f"{people(ok).capitalize()} {self.past} ({self.event_label})."
        if ok == 0:
            return f"Nothing was {self.past}: the service confirmed none of {people(self.count)}."
        return (
            f"{ok:,} of {people(self.count)} {self.past}, as the service confirmed; "
            f"{self.count - ok:,} were not."
        )

    def confirm(self, typed_count: int | None = None) -> Confirmation:
        """The confirmation for exactly this plan (pass what the person typed, if asked)."""
        return Confirmation.of(
            self.profile,
            self.action.value,
            self.target_keys,
            event_key=self.event_key,
            typed_count=typed_count,
        )


@dataclass(frozen=True, slots=True)
class CreatedSession:
    """A support session just created, and its start URL (never stored or logged)."""

    session: SupportSession
    start_url: StartUrl | None


#: What `Deck.start_url` accepts as `kind`.
StartKind = Literal["meeting", "training", "webinar", "support_session"]
