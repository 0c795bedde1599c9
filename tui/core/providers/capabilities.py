"""What a provider can do, so the UI can offer an action or say why it is not offered.

Each adapter answers `capabilities()`; the Deck checks a write against them before it
offers the plan (`tui.core.deck.offers`), and the UI shows a refusal's sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tui.core.models import Provider


class RegistrantAction(StrEnum):
    """A write on registrants. Zoom spells them the same way in its API."""

    APPROVE = "approve"
    DENY = "deny"
    CANCEL = "cancel"


@dataclass(frozen=True, slots=True)
class Capability:
    """Whether an action is offered, and if not, the sentence that says why."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Capability(True)


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What one provider can do, so the UI can say why an action is not offered.

    Attributes:
        provider: The provider these describe.
        approve: Approve pending registrants.
        deny: Deny registrants.
        cancel: Cancel a registration (Zoom: revoke approval; G2T: delete it).
        register: Register a new person.
        manage_url: A link to the provider's own admin page for an event.
        start_url: Fetch a host start URL.
        download_recordings: Download recording files.
        create_session: Create a support session (GoTo Assist).
        other_organizers: See other organizers' data; needs the admin role on GoTo.
        edit_meetings: Create, change and delete meetings.
    """

    provider: Provider
    approve: Capability = ALLOWED
    deny: Capability = ALLOWED
    cancel: Capability = ALLOWED
    register: Capability = Capability(False, "This provider offers no registration.")
    manage_url: Capability = Capability(False, "This provider has no manage page link.")
    start_url: Capability = ALLOWED
    download_recordings: Capability = ALLOWED
    create_session: Capability = Capability(False, "Only GoTo Assist has support sessions.")
    other_organizers: Capability = ALLOWED
    edit_meetings: Capability = Capability(False, "This provider has no meetings to edit.")

    def for_action(self, action: RegistrantAction) -> Capability:
        """The capability of one registrant action."""
        return {
            RegistrantAction.APPROVE: self.approve,
            RegistrantAction.DENY: self.deny,
            RegistrantAction.CANCEL: self.cancel,
        }[action]


__all__ = ["ALLOWED", "Capabilities", "Capability", "RegistrantAction"]
