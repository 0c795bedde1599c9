"""What this profile may write, and the adapter that writes it.

Both write paths (`Writes`: registrant actions and support sessions; `EventWrites`:
registrations, registration settings, meetings) ask the same three questions in the
same order before a plan is offered: is the profile read-only, does it have the
provider's credentials, can that provider do it. When a plan is sent, they ask for the
adapter in the role the write needs, or the typed error that names the missing
credentials.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.errors import MeetdeckError, NotSupported
from tui.core.models import Provider
from tui.core.providers.capabilities import Capabilities, Capability

if TYPE_CHECKING:
    from tui.core.deck.gate import WriteGate
    from tui.core.providers.goto_assist import GoToAssist
    from tui.core.providers.goto_meeting import GoToMeeting
    from tui.core.providers.goto_training import GoToTraining
    from tui.core.providers.roles import MeetingWrites
    from tui.core.providers.session import ProviderSet
    from tui.core.providers.zoom import Zoom


class Offers:
    """The checks before a write is offered, and the adapters a write is sent through.

    Args:
        gate: The write gate (whether the profile is read-only, and its sentence).
        providers: The adapters; None for a cache-only Deck (nothing is offered).
    """

    def __init__(self, gate: WriteGate, providers: ProviderSet | None) -> None:
        self._gate = gate
        self._providers = providers

    def capabilities(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do in this profile (None: the profile lacks it)."""
        if self._providers is None:
            return None
        return self._providers.capabilities_of(provider)

    def read_only_refusal(self) -> Capability | None:
        """The refusal of a read-only profile, with the gate's sentence (None: writable)."""
        if self._gate.read_only:
            try:
                self._gate.check_writable()
            except MeetdeckError as exc:
                return Capability(False, exc.sentence)
        return None

    def ability(
        self, provider: Provider, what: str, pick: Callable[[Capabilities], Capability]
    ) -> Capability:
        """`pick` of the provider's capabilities, or why the profile cannot `what`."""
        caps = self.capabilities(provider)
        if caps is None:
            return Capability(
                False, f"This profile has no {provider.label} credentials, so it cannot {what}."
            )
        return pick(caps)

    def offered(
        self, provider: Provider, what: str, pick: Callable[[Capabilities], Capability]
    ) -> Capability:
        """Read-only mode, then the profile's credentials, then the provider's ability."""
        refusal = self.read_only_refusal()
        if refusal is not None:  # a Capability is falsy when refused: no `or` here
            return refusal
        return self.ability(provider, what, pick)

    def missing(self, provider: Provider) -> NotSupported:
        """The error of a write for a provider this profile has no credentials for."""
        return NotSupported(
            f"This profile has no {provider.label} credentials; add them to the profile to use it.",
            provider=provider.value,
        )

    def has_adapter(self, provider: Provider) -> bool:
        """True when the profile has `provider`'s credentials."""
        providers = self._providers
        if providers is None:
            return False
        return {
            Provider.GOTO_MEETING: providers.goto_meeting,
            Provider.GOTO_TRAINING: providers.goto_training,
            Provider.GOTO_ASSIST: providers.goto_assist,
            Provider.ZOOM: providers.zoom,
        }[provider] is not None

    # -- the adapters (or the error naming the missing credentials) -------------------

    def zoom(self) -> Zoom:
        """Zoom's adapter."""
        api = self._providers.zoom if self._providers is not None else None
        if api is None:
            raise self.missing(Provider.ZOOM)
        return api

    def goto_training(self) -> GoToTraining:
        """GoTo Training's adapter."""
        api = self._providers.goto_training if self._providers is not None else None
        if api is None:
            raise self.missing(Provider.GOTO_TRAINING)
        return api

    def goto_assist(self) -> GoToAssist:
        """GoTo Assist's adapter."""
        api = self._providers.goto_assist if self._providers is not None else None
        if api is None:
            raise self.missing(Provider.GOTO_ASSIST)
        return api

    def goto_meeting(self) -> GoToMeeting:
        """GoTo Meeting's adapter."""
        api = self._providers.goto_meeting if self._providers is not None else None
        if api is None:
            raise self.missing(Provider.GOTO_MEETING)
        return api

    def meeting_writes(self, provider: Provider) -> MeetingWrites:
        """The adapter that creates, changes and deletes `provider`'s meetings."""
        providers = self._providers
        api: MeetingWrites | None = None
        if providers is not None:
            api = providers.zoom if provider is Provider.ZOOM else providers.goto_meeting
        if api is None:
            raise self.missing(provider)
        return api


__all__ = ["Offers"]
