"""The checks of what a write's form gathers: who to register, a meeting's draft, a
time typed in a zone.

The TUI's forms (inline errors) and the command line (refusals) use the same checks,
so both say the same thing; the Deck checks a plan's answers with them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.core.display.cleaning import clean
from tui.core.models import MeetingDraft, Provider

#: GoTo Meeting's meeting types, as its API names them.
GOTO_MEETING_TYPES = ("scheduled", "recurring", "immediate")
#: The longest subject each provider takes (GoTo Meeting 100, Zoom 200).
MAX_SUBJECT = {Provider.GOTO_MEETING: 100, Provider.ZOOM: 200}
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")


# -- what the forms gather -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Who to register, as typed.

    Attributes:
        email: Their address (one registration per address).
        first_name: Given name.
        last_name: Surname (GoTo Training requires it; Zoom does not).
        approve: Zoom: approve at once where the event needs approval (`auto_approve`).
    """

    email: str
    first_name: str
    last_name: str = ""
    approve: bool = False

    @property
    def label(self) -> str:
        """ "First Last <email>" (cleaned: typed text may hold anything)."""
        name = " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)
        return clean(f"{name} <{self.email.strip()}>" if name else self.email.strip())


def person_problems(person: Person, provider: Provider) -> dict[str, str]:
    """What is wrong with `person` for `provider`, by field ("email", "first_name",
    "last_name"); empty when nothing is."""
    problems: dict[str, str] = {}
    email = person.email.strip()
    if not email:
        problems["email"] = "An email address is required."
    elif not _EMAIL.fullmatch(email) or len(email) > 128:
        problems["email"] = "This is not an email address (name@example.com)."
    if not person.first_name.strip():
        problems["first_name"] = "A first name is required."
    elif len(person.first_name.strip()) > 64:
        problems["first_name"] = "At most 64 characters."
    if provider is Provider.GOTO_TRAINING and not person.last_name.strip():
        problems["last_name"] = "GoTo Training requires a last name."
    elif len(person.last_name.strip()) > 64:
        problems["last_name"] = "At most 64 characters."
    return problems


def parse_when(text: str, zone: str | None) -> datetime:
    """An ISO date and time ("2031-03-04 09:30", "2031-03-04T09:30:00Z"); without an
    offset it is read in `zone` (the profile's or the meeting's time zone; UTC when
    none).

    Raises:
        ValueError: Not a date and time; the message says what is expected.
    """
    value = text.strip().replace(" ", "T", 1)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date and time (2031-03-04 09:30).") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone_of(zone))
    return parsed


def zone_of(name: str | None) -> ZoneInfo:
    """The time zone called `name` (UTC for None).

    Raises:
        ValueError: No such time zone.
    """
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name!r} is not a time zone (Europe/Berlin, America/New_York)."
        ) from None


def draft_problems(draft: MeetingDraft, provider: Provider) -> dict[str, str]:
    """What is wrong with `draft` for `provider`, by field ("subject", "end",
    "timezone", "meeting_type"); empty when nothing is."""
    problems: dict[str, str] = {}
    subject = draft.subject.strip()
    limit = MAX_SUBJECT.get(provider, 100)
    if not subject:
        problems["subject"] = "A subject is required."
    elif len(subject) > limit:
        problems["subject"] = f"At most {limit} characters ({provider.label})."
    if draft.end <= draft.start:
        problems["end"] = "The end must be after the start."
    elif (draft.end - draft.start).days >= 7:
        problems["end"] = "A meeting lasts less than a week."
    if draft.timezone is not None:
        try:
            zone_of(draft.timezone)
        except ValueError as exc:
            problems["timezone"] = str(exc)
    if provider is Provider.GOTO_MEETING and draft.meeting_type not in GOTO_MEETING_TYPES:
        problems["meeting_type"] = "The type is scheduled, recurring or immediate."
    return problems


__all__ = [
    "GOTO_MEETING_TYPES",
    "MAX_SUBJECT",
    "Person",
    "draft_problems",
    "parse_when",
    "person_problems",
    "zone_of",
]
