"""The plans of the event writes, as their confirmation says them (TUI dialog and shell
prompt alike): register someone, change a training's registration settings, create,
change or delete a meeting.

A plan is built by the Deck with no I/O. It carries whether the write is offered (its
`capability`), the words of its confirmation (`question`, `event_label`, `lines`,
`typed_hint`) and `confirm(...)`, the `Confirmation` the write gate checks. The checks
of what a form gathers are `tui.core.deck.form_checks` (re-exported here for the forms).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui.core.deck.form_checks import (
    GOTO_MEETING_TYPES,
    Person,
    draft_problems,
    parse_when,
    person_problems,
    zone_of,
)
from tui.core.deck.gate import Confirmation
from tui.core.display.cleaning import clean
from tui.core.models import (
    ActionResult,
    EventKind,
    Meeting,
    MeetingDraft,
    Provider,
    Registrant,
)
from tui.core.providers.capabilities import Capability

REGISTER = "register"
REGISTRATION_SETTINGS = "registration_settings"
CREATE_MEETING = "create_meeting"
UPDATE_MEETING = "update_meeting"
DELETE_MEETING = "delete_meeting"
MEETING_ACTIONS = (CREATE_MEETING, UPDATE_MEETING, DELETE_MEETING)
#: The audit target of a meeting not created yet.
NEW_MEETING = "new-meeting"


def _when(value: datetime, zone: str | None) -> str:
    try:
        local = value.astimezone(zone_of(zone))
    except ValueError:
        local = value
    return local.strftime("%Y-%m-%d %H:%M %Z")


# -- the plans -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistrationPlan:
    """Registering one person for one training, webinar or meeting, before it is sent.

    Attributes:
        provider: GoTo Training or Zoom.
        event_key: The training key, webinar or meeting ID.
        event_kind: What `event_key` is.
        event_title: Its title ("" when the cache does not know it).
        profile: The profile the write goes to.
        person: Who.
        capability: Whether it is offered, and if not, why.
        needs_approval: The event approves people by hand (None: not known).
    """

    provider: Provider
    event_key: str
    event_kind: EventKind
    event_title: str
    profile: str
    person: Person
    capability: Capability
    needs_approval: bool | None = None

    action = REGISTER

    @property
    def question(self) -> str:
        return "Register 1 person?"

    @property
    def event_label(self) -> str:
        """The event as the confirmation names it: its title and kind (provider)."""
        title = clean(self.event_title) if self.event_title else f"event {self.event_key}"
        return f"{title} ({self.provider.label} {self.event_kind.value})"

    @property
    def lines(self) -> tuple[str, ...]:
        """The person, then what their status will be."""
        if self.provider is Provider.ZOOM and self.person.approve:
            after = "Approved at once (auto_approve), even where the event approves by hand."
        elif self.provider is Provider.ZOOM and self.needs_approval:
            after = "They wait for approval (approve them later, or tick approve now)."
        elif self.provider is Provider.ZOOM and self.needs_approval is None:
            after = "Where the event approves people by hand, they wait for approval."
        elif self.provider is Provider.ZOOM:
            after = "Zoom approves them at once (this event needs no approval)."
        else:
            after = (
                "GoTo approves them at once unless the training needs approval or "
                "payment; the status is read back after."
            )
        return (self.person.label, after)

    @property
    def target_key(self) -> str:
        """The audit target: the address, in lower case (the person has no key yet)."""
        return self.person.email.strip().lower()

    def confirm(self) -> Confirmation:
        return Confirmation.of(self.profile, REGISTER, [self.target_key], event_key=self.event_key)


@dataclass(frozen=True, slots=True)
class Registered:
    """What registering did: the outcome, and the person as the service holds them."""

    result: ActionResult
    registrant: Registrant | None

    @property
    def sentence(self) -> str:
        r = self.registrant
        if r is None:
            outcome = self.result.outcomes[0] if self.result.outcomes else None
            return f"Not registered: {outcome.message if outcome else 'no answer.'}"
        return clean(f"Registered {r.name or r.email} <{r.email}> ({r.status.value}).")


@dataclass(frozen=True, slots=True)
class SettingsPlan:
    """A GoTo Training's registration settings, as they are to become.

    Attributes:
        training_key: Which training.
        title: Its name ("" when not cached).
        profile: The profile the write goes to.
        web_registration: People may register on its web page.
        confirmation_email: Registrants get a confirmation email.
        before: (web_registration, confirmation_email) as cached (None: not known).
        capability: Whether it is offered.
    """

    training_key: str
    title: str
    profile: str
    web_registration: bool
    confirmation_email: bool
    before: tuple[bool | None, bool | None]
    capability: Capability

    action = REGISTRATION_SETTINGS

    @property
    def question(self) -> str:
        return "Change the registration settings?"

    @property
    def event_label(self) -> str:
        title = clean(self.title) if self.title else f"training {self.training_key}"
        return f"{title} ({Provider.GOTO_TRAINING.label})"

    @property
    def lines(self) -> tuple[str, ...]:
        def word(value: bool | None) -> str:
            return "unknown" if value is None else ("on" if value else "off")

        web, mail = self.before
        found: tuple[str, ...] = (
            f"Web registration:   {word(web)} → {word(self.web_registration)}",
            f"Confirmation email: {word(mail)} → {word(self.confirmation_email)}",
        )
        if self.web_registration and not self.confirmation_email:
            # "The spec recommends disabling web registration when confirmation emails
            # are disabled" (docs/real-clouds.md).
            found += ("GoTo recommends turning web registration off when confirmation emails are.",)
        return found

    def confirm(self) -> Confirmation:
        return Confirmation.of(
            self.profile, REGISTRATION_SETTINGS, [self.training_key], event_key=self.training_key
        )


@dataclass(frozen=True, slots=True)
class MeetingPlan:
    """Creating, changing or deleting one meeting, before it is sent.

    Attributes:
        action: create_meeting, update_meeting or delete_meeting.
        provider: GoTo Meeting or Zoom.
        meeting_key: The meeting (None: a new one).
        subject: Its subject now (a new one: the draft's).
        profile: The profile the write goes to.
        draft: What it is to become (None for a delete).
        capability: Whether it is offered, and if not, why.
        organizer: Zoom: the user (id or email) a new meeting is for (None: the
            signed-in user).
        timezone: The zone its times are shown in.
        current: The meeting as cached (None: a new one, or not cached).
    """

    action: str
    provider: Provider
    meeting_key: str | None
    subject: str
    profile: str
    draft: MeetingDraft | None
    capability: Capability
    organizer: str | None = None
    timezone: str | None = None
    current: Meeting | None = None

    @property
    def target_key(self) -> str:
        return self.meeting_key or NEW_MEETING

    @property
    def needs_typed_name(self) -> bool:
        """A delete: the subject or the ID must be typed to confirm."""
        return self.action == DELETE_MEETING

    @property
    def typed_answers(self) -> tuple[str, ...]:
        """What may be typed to confirm a delete: the subject or the ID."""
        if not self.needs_typed_name:
            return ()
        return tuple(a for a in (self.subject.strip(), self.meeting_key or "") if a)

    @property
    def typed_hint(self) -> str:
        return (
            f"Deleting cannot be undone: type the meeting's subject or its ID "
            f"({self.meeting_key}) to confirm."
        )

    @property
    def verb(self) -> str:
        return {CREATE_MEETING: "Create", UPDATE_MEETING: "Change", DELETE_MEETING: "Delete"}[
            self.action
        ]

    @property
    def question(self) -> str:
        if self.action == CREATE_MEETING:
            return f"Create a {self.provider.label} meeting?"
        return f"{self.verb} this {self.provider.label} meeting?"

    @property
    def event_label(self) -> str:
        subject = clean(self.subject) if self.subject else "(no subject)"
        if self.meeting_key is None:
            return subject
        return f"{subject} (ID {self.meeting_key})"

    @property
    def lines(self) -> tuple[str, ...]:
        """What the meeting will be (or, for a delete, what goes)."""
        shown = self.draft
        if shown is None and self.current is not None:
            start, end = self.current.start, self.current.end
            return (f"Starts: {_when(start, self.timezone)}",) + (
                (f"Ends:   {_when(end, self.timezone)}",) if end is not None else ()
            )
        if shown is None:
            return ()
        zone = shown.timezone or self.timezone
        found = [
            f"Subject: {clean(shown.subject)}",
            f"Starts:  {_when(shown.start, zone)}",
            f"Ends:    {_when(shown.end, zone)} ({shown.duration_minutes} min)",
        ]
        if self.provider is Provider.GOTO_MEETING:
            found.append(
                f"Type:    {shown.meeting_type}; password "
                f"{'required' if shown.password_required else 'not required'}"
            )
        elif shown.timezone:
            found.append(f"Zone:    {shown.timezone}")
        if self.organizer:
            found.append(f"For:     {clean(self.organizer)}")
        return tuple(found)

    def confirm(self, typed_text: str | None = None) -> Confirmation:
        return Confirmation.of(
            self.profile,
            self.action,
            [self.target_key],
            event_key=self.meeting_key,
            typed_text=typed_text,
        )


@dataclass(frozen=True, slots=True)
class MeetingWritten:
    """What a meeting write did: the outcome, and the meeting as it now is (None: it
    was deleted, or the write failed)."""

    plan: MeetingPlan
    result: ActionResult
    meeting: Meeting | None

    @property
    def ok(self) -> bool:
        return bool(self.result.outcomes) and all(o.ok for o in self.result.outcomes)

    @property
    def sentence(self) -> str:
        if not self.ok:
            outcome = self.result.outcomes[0] if self.result.outcomes else None
            why = outcome.message if outcome is not None and outcome.message else "no answer."
            return clean(f"Not {self._past}: {why}")
        key = self.meeting.key if self.meeting is not None else self.plan.meeting_key
        subject = self.meeting.subject if self.meeting is not None else self.plan.subject
        return clean(f"Meeting {self._past}: {subject} (ID {key}, {self.plan.provider.label}).")

    @property
    def _past(self) -> str:
        return {CREATE_MEETING: "created", UPDATE_MEETING: "changed", DELETE_MEETING: "deleted"}[
            self.plan.action
        ]


__all__ = [
    "CREATE_MEETING",
    "DELETE_MEETING",
    "GOTO_MEETING_TYPES",
    "MEETING_ACTIONS",
    "NEW_MEETING",
    "REGISTER",
    "REGISTRATION_SETTINGS",
    "UPDATE_MEETING",
    "MeetingPlan",
    "MeetingWritten",
    "Person",
    "Registered",
    "RegistrationPlan",
    "SettingsPlan",
    "draft_problems",
    "parse_when",
    "person_problems",
    "zone_of",
]
