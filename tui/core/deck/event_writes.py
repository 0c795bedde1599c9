"""The Deck's writes on events themselves: register someone, and a training's
registration settings (meetings created, changed, deleted: `meeting_writes`).

Each goes through the Deck's one `WriteGate`, as the registrant actions do: read-only
refusal, the confirmation matched against the plan (a delete needs the meeting's
subject or ID typed), the audit intent on disk before the request and the outcome
after it. A typed error from the provider becomes a failed outcome with its sentence;
the cache changes only for what the service confirmed (a new registrant or meeting is
added at once, a deleted meeting removed, a changed one replaced).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.audit import AuditTarget
from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.deck.offers import Offers
from tui.core.deck.write_plans import (
    REGISTER,
    REGISTRATION_SETTINGS,
    Person,
    Registered,
    RegistrationPlan,
    SettingsPlan,
    person_problems,
)
from tui.core.errors import MeetdeckError, NotSupported
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    EventKind,
    Progress,
    Provider,
    Registrant,
    Training,
    Webinar,
)
from tui.core.providers.capabilities import Capabilities, Capability
from tui.core.sync.types import Scope, ScopeKind

if TYPE_CHECKING:
    from tui.core.providers.roles import (
        EventRegistration,
        TrainingRegistration,
    )
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.store.writer import StoreWriter
    from tui.core.sync.engine import SyncEngine

_REGISTERS = (Provider.GOTO_TRAINING, Provider.ZOOM)
_HAS_MEETINGS = (Provider.GOTO_MEETING, Provider.ZOOM)


class EventWrites:
    """Registering people, and a training's registration settings, through the write gate.

    Args:
        store: The cache (titles, current values for plans).
        gate: The one write gate.
        providers: The adapters; None for a cache-only Deck (nothing is offered).
        engine: Applies confirmed changes to the cache; None for a cache-only Deck.
        profile_name: The profile plans and confirmations are for.
    """

    def __init__(
        self,
        store: Store,
        gate: WriteGate,
        providers: ProviderSet | None,
        engine: SyncEngine | None,
        *,
        profile_name: str,
    ) -> None:
        self._store = store
        self._gate = gate
        self._providers = providers
        self._engine = engine
        self._profile = profile_name
        self._offers = Offers(gate, providers)

    # -- register ----------------------------------------------------------------------

    def plan_registration(self, event: Scope, person: Person) -> RegistrationPlan:
        """What the confirmation shows for registering `person` for `event` (no I/O).

        Args:
            event: The training, webinar or meeting (`Scope.registrants(...)`).
            person: Who, as typed; checked (email, names) into the plan's capability.
        """
        provider, key = event.provider, event.event_key or ""
        kind = event.event_kind or (
            EventKind.TRAINING if provider is Provider.GOTO_TRAINING else EventKind.WEBINAR
        )
        title, needs_approval = "", None
        found = self._store.event(key, provider)
        if found is not None:
            title = found.title
            if isinstance(found.source, Webinar) and found.source.approval_type is not None:
                needs_approval = found.source.approval_type == 1
        elif kind is EventKind.MEETING:
            meeting = self._store.meeting(key, provider)
            title = meeting.subject if meeting is not None else ""
        capability = self._offers.offered(provider, "register people", _registers)
        if capability and provider not in _REGISTERS:
            capability = Capability(False, f"{provider.label} has no registrants to add.")
        if capability and not key:
            capability = Capability(False, "Choose the training, webinar or meeting first.")
        if capability:
            problems = person_problems(person, provider)
            if problems:
                capability = Capability(False, " ".join(problems.values()))
        return RegistrationPlan(
            provider, key, kind, title, self._profile, person, capability, needs_approval
        )

    async def register(self, plan: RegistrationPlan, confirmation: Confirmation) -> Registered:
        """Register one person, through the write gate (audit before and after).

        GoTo Training: POST …/registrants, then the status is read back (approval is
        automatic unless the training needs approval or payment). Zoom: POST
        …/registrants with `auto_approve` as the plan's person says. The new registrant
        is added to the cache at once. A refusal by the service (already registered,
        registration closed) is a failed outcome with its sentence.

        Raises:
            ReadOnlyMode: The profile is read-only (nothing sent).
            ConfirmationMismatch: The confirmation is not for this plan.
            NotSupported: The plan is not offered (see its capability).
            StorageError: The audit log cannot be written (nothing was sent).
        """
        self._gate.check_writable()
        if not plan.capability:
            raise NotSupported(plan.capability.reason, provider=plan.provider.value)
        person = plan.person
        email, first, last = (
            person.email.strip(),
            person.first_name.strip(),
            person.last_name.strip(),
        )
        made: list[Registrant] = []
        if plan.provider is Provider.GOTO_TRAINING:
            training: TrainingRegistration = self._offers.goto_training()

            async def send() -> Registrant:
                return await training.register(
                    plan.event_key, email=email, given_name=first, surname=last
                )

        else:
            zoom: EventRegistration = self._offers.zoom()

            async def send() -> Registrant:
                return await zoom.register(
                    plan.event_key,
                    plan.event_kind,
                    email=email,
                    first_name=first,
                    last_name=last,
                    auto_approve=person.approve,
                )

        async def call(progress: Progress) -> ActionResult:
            registrant = await send()
            made.append(registrant)
            return ActionResult(
                REGISTER,
                (
                    ActionOutcome(
                        plan.target_key,
                        True,
                        f"registered as {registrant.key} ({registrant.status.value})",
                    ),
                ),
            )

        result = await self._gate.run(
            provider=plan.provider.value,
            action=REGISTER,
            targets=[AuditTarget(plan.target_key, person.label, plan.event_key)],
            confirmation=confirmation,
            call=call,
            event_key=plan.event_key,
        )
        registrant = made[0] if made else None
        if registrant is not None:
            scope = Scope.registrants(plan.provider, plan.event_kind, plan.event_key)
            note = await record_in_cache(
                self._engine,
                lambda w: w.upsert(scope.id, plan.provider.value, [registrant]),
                "the new registrant",
            )
            if note:
                result = ActionResult(result.action, result.outcomes, note)
        return Registered(result, registrant)

    # -- registration settings -----------------------------------------------------------

    def plan_registration_settings(
        self, training_key: str, *, web_registration: bool, confirmation_email: bool
    ) -> SettingsPlan:
        """See `Deck.plan_registration_settings`."""
        found = self._store.event(training_key, Provider.GOTO_TRAINING)
        source = found.source if found is not None else None
        before: tuple[bool | None, bool | None] = (None, None)
        if isinstance(source, Training):
            before = (source.web_registration, source.confirmation_email)
        capability = self._offers.offered(Provider.GOTO_TRAINING, "register people", _registers)
        if capability and found is None:
            capability = Capability(
                False, f"No GoTo Training training has the key {training_key} in this profile."
            )
        return SettingsPlan(
            training_key,
            found.title if found is not None else "",
            self._profile,
            web_registration,
            confirmation_email,
            before,
            capability,
        )

    async def update_registration_settings(
        self, plan: SettingsPlan, confirmation: Confirmation
    ) -> ActionResult:
        """PUT the training's registration settings, through the write gate; the cached
        training shows them at once.

        Raises:
            ReadOnlyMode, ConfirmationMismatch, NotSupported, StorageError: as `register`.
        """
        self._gate.check_writable()
        if not plan.capability:
            raise NotSupported(plan.capability.reason, provider=Provider.GOTO_TRAINING.value)
        training: TrainingRegistration = self._offers.goto_training()

        async def call(progress: Progress) -> ActionResult:
            await training.update_registration_settings(
                plan.training_key,
                disable_confirmation_email=not plan.confirmation_email,
                disable_web_registration=not plan.web_registration,
            )
            return ActionResult(
                REGISTRATION_SETTINGS,
                (
                    ActionOutcome(
                        plan.training_key,
                        True,
                        f"web registration {'on' if plan.web_registration else 'off'}, "
                        f"confirmation email {'on' if plan.confirmation_email else 'off'}",
                    ),
                ),
            )

        result = await self._gate.run(
            provider=Provider.GOTO_TRAINING.value,
            action=REGISTRATION_SETTINGS,
            targets=[AuditTarget(plan.training_key, plan.event_label)],
            confirmation=confirmation,
            call=call,
            event_key=plan.training_key,
        )
        found = self._store.event(plan.training_key, Provider.GOTO_TRAINING)
        if result.succeeded and found is not None and isinstance(found.source, Training):
            changed = dataclasses.replace(
                found.source,
                web_registration=plan.web_registration,
                confirmation_email=plan.confirmation_email,
            )
            scope = Scope(ScopeKind.EVENTS, Provider.GOTO_TRAINING).id
            note = await record_in_cache(
                self._engine,
                lambda w: w.upsert(scope, Provider.GOTO_TRAINING.value, [changed]),
                "the training's settings",
            )
            if note:
                result = ActionResult(result.action, result.outcomes, note)
        return result


async def record_in_cache(
    engine: SyncEngine | None, apply: Callable[[StoreWriter], int], what: str
) -> str:
    """Apply a confirmed change to the cache now; a note when that failed."""
    if engine is None:
        return ""
    try:
        await engine.write(apply)
    except MeetdeckError as exc:
        return (
            f"It went through, but the cache could not record {what} ({exc.sentence}) "
            "Refresh to see it."
        )
    return ""


def _registers(caps: Capabilities) -> Capability:
    return caps.register


__all__ = ["EventWrites", "record_in_cache"]
