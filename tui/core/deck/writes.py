"""The Deck's writes: registrant approve / deny / cancel, creating a support session.

Every write goes through the Deck's `WriteGate` (read-only refusal, confirmation match,
audit intent before and result after). Only people the service confirmed are reported
as done, and only they change in the cache (one transaction, at once: no waiting for a
refresh). The start-up notice of writes whose result was never recorded is
`tui.core.deck.unfinished`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.core.audit import AuditTarget
from tui.core.deck.gate import Confirmation, WriteGate, join_notes
from tui.core.deck.offers import Offers
from tui.core.deck.start_links import StartLinks
from tui.core.deck.types import ActionPlan, CreatedSession
from tui.core.errors import MeetdeckError, NotSupported
from tui.core.models import (
    LIST_LAG,
    ActionOutcome,
    ActionResult,
    EventKind,
    Progress,
    Provider,
    Registrant,
    RegistrantStatus,
)
from tui.core.providers.capabilities import Capabilities, Capability, RegistrantAction
from tui.core.sync.fetch import CancelledHere, none_cancelled
from tui.core.sync.types import Scope, ScopeKind

if TYPE_CHECKING:
    from tui.core.providers.roles import (
        RegistrantCancels,
        RegistrantStatusWrites,
        SupportSessionCreation,
    )
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.store.writer import StoreWriter
    from tui.core.sync.engine import SyncEngine

#: What each confirmed action makes of a registrant in the cache (None: removed).
NEW_STATUS: dict[RegistrantAction, RegistrantStatus | None] = {
    RegistrantAction.APPROVE: RegistrantStatus.APPROVED,
    RegistrantAction.DENY: RegistrantStatus.DENIED,
    RegistrantAction.CANCEL: None,
}
CREATE_SESSION = "create_session"
_NEW = "new-session"


class Writes:
    """The write path: what is offered, the plan the dialog shows, and sending it.

    Args:
        store: The cache (event titles for plans and notices).
        gate: The one write gate (read-only check, confirmation, audit).
        providers: The adapters; None for a cache-only Deck (nothing is offered).
        engine: Applies confirmed outcomes to the cache; None for a cache-only Deck.
        links: Vets the start link of a new support session.
        profile_name: The profile plans and confirmations are for.
        keep: Holds a background task until it ends.
        cancels: The registrations cancelled here, from the audit log.
    """

    def __init__(
        self,
        store: Store,
        gate: WriteGate,
        providers: ProviderSet | None,
        engine: SyncEngine | None,
        links: StartLinks,
        *,
        profile_name: str,
        keep: Callable[[asyncio.Future[Any]], None],
        cancels: CancelledHere = none_cancelled,
    ) -> None:
        self._cancelled_here = cancels
        self._store = store
        self._gate = gate
        self._providers = providers
        self._engine = engine
        self._links = links
        self._profile_name = profile_name
        self._keep = keep
        self._offers = Offers(gate, providers)

    def capabilities(self, provider: Provider) -> Capabilities | None:
        """What `provider` can do in this profile (None: the profile lacks it)."""
        return self._offers.capabilities(provider)

    def offered(
        self,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        event: tuple[Provider, str] | None = None,
    ) -> Capability:
        """Everything `can` checks except read-only mode."""
        if not registrants:
            return Capability(False, "Select one or more registrants first.")
        events = {(r.provider, r.event_key) for r in registrants}
        if len(events) > 1:
            return Capability(
                False,
                f"The selection spans {len(events)} events; act on the "
                "registrants of one event at a time.",
            )
        if event is not None and events != {event}:
            return Capability(
                False,
                "The selected people are registered for another event "
                "than this one; act on the registrants of the event on "
                "screen only.",
            )
        if len({r.key for r in registrants}) != len(registrants):
            return Capability(False, "The selection names someone twice; select again.")
        gone = [r for r in registrants if r.status.withdrawn]
        if gone:
            who = (
                "1 of the selected people is"
                if len(gone) == 1
                else (f"{len(gone)} of the selected people are")
            )
            how = ", ".join(sorted({r.status_text for r in gone}))
            return Capability(
                False,
                f"{who} no longer registered ({how}); unmark them and {action.value} the others.",
            )
        return self._offers.ability(
            registrants[0].provider,
            f"{action.value} registrants there",
            lambda caps: caps.for_action(action),
        )

    def can(
        self,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> Capability:
        """Whether `action` is offered for this selection, and if not, the sentence why.

        Not offered: an empty selection, people of more than one event, people not of
        `event` (the event on screen, when given), a read-only profile, a provider
        without credentials, or a provider that cannot do it (GoTo Training approvals
        happen in its admin site: see `manage_url`).
        """
        refusal = self._offers.read_only_refusal()
        if refusal is not None:
            return refusal
        return self.offered(action, registrants, _event_of(event))

    def _event_title(
        self, provider: Provider, event_key: str, kind: EventKind, fallback: str | None
    ) -> str:
        event = self._store.event(event_key, provider)
        if event is not None:
            return event.title
        if kind is EventKind.MEETING:
            meeting = self._store.meeting(event_key, provider)
            if meeting is not None:
                return meeting.subject
        return fallback or ""

    def plan(
        self,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        event: Scope | None = None,
    ) -> ActionPlan:
        """What the confirmation dialog shows for `action` on `registrants` (no I/O).

        Args:
            action: approve, deny or cancel.
            registrants: Exactly who the action is for.
            event: The event on screen (`Scope.registrants(...)`): the plan is for that
                event, and is not offered when anyone in `registrants` is not
                registered for it. By default, the event of the registrants.

        The plan carries `capability`; when it is not allowed, show its reason instead
        of a confirmation. Raises nothing for a bad selection: `can` explains it.
        """
        people = tuple(registrants)
        if event is not None and event.event_key is not None:
            provider, event_key = event.provider, event.event_key
            kind = event.event_kind or (people[0].event_kind if people else EventKind.WEBINAR)
            fallback = next((r.event_title for r in people if r.event_key == event_key), None)
        elif people:
            first = people[0]
            provider, event_key, kind = first.provider, first.event_key, first.event_kind
            fallback = first.event_title
        else:
            provider, event_key, kind, fallback = Provider.ZOOM, "", EventKind.WEBINAR, None
        title = self._event_title(provider, event_key, kind, fallback) if event_key else ""
        capability = self.can(action, people, Scope.registrants(provider, kind, event_key))
        return ActionPlan(
            action, provider, event_key, kind, title, self._profile_name, people, capability
        )

    async def run(self, plan: ActionPlan, confirmation: Confirmation) -> ActionResult:
        """Send a confirmed registrant action; the per-person outcome comes back.

        Goes through the write gate: refused in read-only mode (ReadOnlyMode, nothing
        sent), refused when `confirmation` does not match the plan
        (ConfirmationMismatch) or when anyone in it is not registered for the plan's
        event (NotSupported; the write gate checks it again: WrongEvent), audit
        intent before and result after. Zoom calls go 30 people per request. Only
        people the service confirmed are `ok`; the cache is updated for them at once
        (approve -> approved, deny -> denied, cancel -> removed) in one transaction.
        Failed or unknown ones keep their cached status; running the same plan again
        is safe.

        Raises:
            ReadOnlyMode: The profile is read-only.
            ConfirmationMismatch: The confirmation is not for this plan.
            NotSupported: The provider cannot do this (see `can`).
            StorageError: The audit log cannot be written (nothing was sent).
        """
        self._gate.check_writable()
        # The plan names one event: anyone not registered for it is refused, nothing sent.
        offered = self.offered(plan.action, plan.registrants, (plan.provider, plan.event_key))
        if not offered:
            raise NotSupported(offered.reason, provider=plan.provider.value)
        people = list(plan.registrants)
        action = plan.action
        call = self._registrant_call(plan, people)
        result = await self._gate.run(
            provider=plan.provider.value,
            action=action.value,
            targets=[AuditTarget(r.key, _label(r), r.event_key) for r in people],
            confirmation=confirmation,
            call=call,
            event_key=plan.event_key,
        )
        # Anything the service did not answer for is not done.
        answered = {o.target_key for o in result.outcomes}
        missing = tuple(
            ActionOutcome(r.key, False, "No answer from the service; refresh to check.")
            for r in people
            if r.key not in answered
        )
        if missing:
            result = ActionResult(result.action, result.outcomes + missing, result.note)
        if result.succeeded:
            note = await self._update_cache(plan, result.succeeded)
            if note:
                result = ActionResult(result.action, result.outcomes, join_notes(result.note, note))
        return result

    def _registrant_call(
        self, plan: ActionPlan, people: list[Registrant]
    ) -> Callable[[Progress], Awaitable[ActionResult]]:
        """The provider call that sends `plan` (checked before the gate runs it)."""
        action = plan.action
        if plan.provider is Provider.ZOOM:
            zoom: RegistrantStatusWrites = self._offers.zoom()

            async def zoom_call(progress: Progress) -> ActionResult:
                if plan.event_kind is EventKind.MEETING:
                    return await zoom.set_meeting_registrant_status(
                        plan.event_key, action, people, progress
                    )
                return await zoom.set_webinar_registrant_status(
                    plan.event_key, action, people, progress
                )

            return zoom_call
        if plan.provider is Provider.GOTO_TRAINING and action is RegistrantAction.CANCEL:
            training: RegistrantCancels = self._offers.goto_training()

            async def training_call(progress: Progress) -> ActionResult:
                return await training.cancel_registrants(
                    plan.event_key, [r.key for r in people], progress=progress
                )

            return training_call
        if not self._offers.has_adapter(plan.provider):
            raise self._offers.missing(plan.provider)

        async def refused(progress: Progress) -> ActionResult:
            raise NotSupported(
                f"{plan.provider.label} cannot {action.value} registrants.",
                provider=plan.provider.value,
            )

        return refused

    async def _update_cache(self, plan: ActionPlan, keys: Sequence[str]) -> str:
        """Apply confirmed outcomes to the cache now; a sync in flight gets them re-applied."""
        engine = self._engine
        if engine is None:
            return ""
        scope = Scope.registrants(plan.provider, plan.event_kind, plan.event_key)
        status = NEW_STATUS[plan.action]
        wire = None
        if status is not None:
            wire = status.value if plan.provider is Provider.ZOOM else status.value.upper()

        lag = LIST_LAG.get(plan.provider)
        if plan.action is RegistrantAction.CANCEL and lag is not None:
            # The provider may list a cancelled registration for hours: the cache says
            # who was cancelled here, and when (as the audit log has it, so a refresh
            # says the same; see `keep_cancelled_here`), instead of dropping them until
            # a refresh brings them back.
            now = datetime.now(UTC)
            logged = await asyncio.to_thread(
                self._cancelled_here, plan.provider, plan.event_key, now - lag
            )
            when = {key: logged.get(key, now) for key in keys}

            def apply(writer: StoreWriter) -> int:
                return writer.mark_cancelled_here(scope.id, when)

        else:

            def apply(writer: StoreWriter) -> int:
                return writer.set_registrant_status(scope.id, keys, status, wire)

        try:
            await engine.write(apply)
        except MeetdeckError as exc:
            return (
                f"The action went through, but the cache could not be updated "
                f"({exc.sentence}) Refresh the registrants to see the new statuses."
            )
        running = engine.running(scope)
        if running is not None:
            # That sync fetched before the action landed: apply the outcome again after it.
            async def again() -> None:
                with contextlib.suppress(BaseException):
                    await asyncio.shield(running)
                with contextlib.suppress(MeetdeckError):
                    await engine.write(apply)

            self._keep(asyncio.ensure_future(again()))
        return ""

    async def create_support_session(self) -> CreatedSession:
        """Create a GoTo Assist (Seeit) session: a write, through the write gate.

        The audit log records the new session's uuid and support key, never its start
        URL. The new session is added to the cache's support sessions list.

        Raises:
            ReadOnlyMode: The profile is read-only (nothing sent).
            NotSupported: The profile has no GoTo Assist.
            MeetdeckError: The service refused or could not be reached (typed).
        """
        self._gate.check_writable()
        api: SupportSessionCreation = self._offers.goto_assist()
        caps = self.capabilities(Provider.GOTO_ASSIST)
        if caps is not None and not caps.create_session:
            raise NotSupported(caps.create_session.reason, provider=Provider.GOTO_ASSIST.value)
        created: list[CreatedSession] = []
        failure: list[MeetdeckError] = []

        async def call(progress: Progress) -> ActionResult:
            try:
                session, url = await api.create_session()
            except MeetdeckError as exc:
                failure.append(exc)
                raise
            start = self._links.vet(Provider.GOTO_ASSIST, url) if url is not None else None
            created.append(CreatedSession(session, start))
            # The uuid and support key are no secret; the start URL never goes in here.
            return ActionResult(
                CREATE_SESSION,
                (
                    ActionOutcome(
                        _NEW,
                        True,
                        f"created session {session.key} (support key {session.support_key})",
                    ),
                ),
            )

        await self._gate.run(
            provider=Provider.GOTO_ASSIST.value,
            action=CREATE_SESSION,
            targets=[AuditTarget(_NEW, "new support session")],
            confirmation=Confirmation.of(self._profile_name, CREATE_SESSION, [_NEW]),
            call=call,
        )
        if failure:
            raise failure[0]
        result = created[0]
        engine = self._engine
        if engine is not None:
            scope = Scope(ScopeKind.SUPPORT, Provider.GOTO_ASSIST).id

            def add(writer: StoreWriter) -> int:
                return writer.upsert(scope, Provider.GOTO_ASSIST.value, [result.session])

            with contextlib.suppress(MeetdeckError):
                await engine.write(add)
        return result


def _event_of(event: Scope | None) -> tuple[Provider, str] | None:
    if event is None or event.event_key is None:
        return None
    return event.provider, event.event_key


def _label(r: Registrant) -> str:
    return f"{r.name} <{r.email}>" if r.name else r.email


__all__ = ["CREATE_SESSION", "NEW_STATUS", "Writes"]
