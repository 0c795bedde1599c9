"""The Deck's meeting writes: create, change or delete a GoTo Meeting or Zoom meeting.

Each goes through the Deck's one `WriteGate`, as every write does: read-only refusal,
the confirmation matched against the plan (a delete needs the meeting's subject or ID
typed), the audit intent on disk before the request and the outcome after it. The
cache gets the new or changed meeting at once, or loses the deleted one.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from tui.core.audit import AuditTarget
from tui.core.deck.event_writes import record_in_cache
from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.deck.offers import Offers
from tui.core.deck.write_plans import (
    CREATE_MEETING,
    DELETE_MEETING,
    MEETING_ACTIONS,
    UPDATE_MEETING,
    MeetingPlan,
    MeetingWritten,
    draft_problems,
)
from tui.core.errors import NotSupported
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    Meeting,
    MeetingDraft,
    MeetingKind,
    Progress,
    Provider,
)
from tui.core.providers.capabilities import Capabilities, Capability
from tui.core.sync.types import Scope, ScopeKind

if TYPE_CHECKING:
    from tui.core.providers.roles import HostedMeetingCreation
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine

_HAS_MEETINGS = (Provider.GOTO_MEETING, Provider.ZOOM)


class MeetingChanges:
    """Meetings created, changed and deleted, through the write gate.

    Args:
        store: The cache (the meeting as it is, for plans).
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
        self._engine = engine
        self._profile = profile_name
        self._offers = Offers(gate, providers)

    def plan_meeting(
        self,
        action: str,
        provider: Provider | None = None,
        *,
        meeting_key: str | None = None,
        draft: MeetingDraft | None = None,
        organizer: str | None = None,
        timezone: str | None = None,
    ) -> MeetingPlan:
        """What the confirmation shows for creating, changing or deleting a meeting.

        Args:
            action: create_meeting, update_meeting or delete_meeting.
            provider: GoTo Meeting or Zoom (default: the cached meeting's; GoTo Meeting
                for a new one).
            meeting_key: The meeting to change or delete (an upcoming one, cached).
            draft: What it is to be (create, update).
            organizer: Zoom: the user a new meeting is for (id or email).
            timezone: The zone to show times in (default: the draft's or meeting's).
        """
        if action not in MEETING_ACTIONS:
            raise ValueError(f"unknown meeting write {action!r}")
        current = self._store.meeting(meeting_key, provider) if meeting_key else None
        if provider is None:
            provider = current.provider if current is not None else Provider.GOTO_MEETING
        subject = draft.subject if draft is not None else ""
        if current is not None and action != CREATE_MEETING:
            subject = current.subject
        capability = self._offers.offered(provider, "create or change meetings", _edits_meetings)
        if capability and provider not in _HAS_MEETINGS:
            capability = Capability(False, f"{provider.label} has no meetings.")
        if capability and action != CREATE_MEETING:
            if not meeting_key:
                capability = Capability(False, "Choose the meeting first.")
            elif current is None:
                capability = Capability(
                    False,
                    f"No {provider.label} meeting has the ID {meeting_key} in this profile; "
                    "refresh the meetings (meetdeck sync --scope meetings) and try again.",
                )
            elif current.kind is MeetingKind.HISTORICAL:
                capability = Capability(False, "A past meeting cannot be changed or deleted.")
        if capability and action != DELETE_MEETING:
            if draft is None:
                capability = Capability(False, "Say what the meeting is to be.")
            else:
                problems = draft_problems(draft, provider)
                if problems:
                    capability = Capability(False, " ".join(problems.values()))
        if capability and organizer and provider is not Provider.ZOOM:
            capability = Capability(
                False,
                "GoTo Meeting creates meetings for the signed-in organizer only; "
                "leave out --organizer.",
            )
        zone = timezone or (draft.timezone if draft is not None else None)
        if zone is None and current is not None:
            zone = current.timezone
        return MeetingPlan(
            action,
            provider,
            meeting_key if action != CREATE_MEETING else None,
            subject,
            self._profile,
            draft if action != DELETE_MEETING else None,
            capability,
            organizer if action == CREATE_MEETING else None,
            zone,
            current,
        )

    async def write_meeting(self, plan: MeetingPlan, confirmation: Confirmation) -> MeetingWritten:
        """Create, change or delete a meeting, through the write gate. A delete needs the
        meeting's subject or ID typed (`plan.confirm(typed_text)`). The cache gets the
        new or changed meeting at once, or loses the deleted one.

        Raises:
            ReadOnlyMode, ConfirmationMismatch, NotSupported, StorageError: as `register`.
        """
        self._gate.check_writable()
        if not plan.capability:
            raise NotSupported(plan.capability.reason, provider=plan.provider.value)
        api = self._offers.meeting_writes(plan.provider)
        hosts: HostedMeetingCreation | None = self._offers.zoom() if plan.organizer else None
        after: list[Meeting | None] = []
        draft, key = plan.draft, plan.meeting_key

        async def call(progress: Progress) -> ActionResult:
            if plan.action == CREATE_MEETING and draft is not None:
                if hosts is not None and plan.organizer:
                    made = await hosts.create_meeting(draft, plan.organizer)
                else:
                    made = await api.create_meeting(draft)
                after.append(made)
                message = f"created meeting {made.key}"
            elif plan.action == UPDATE_MEETING and draft is not None and key is not None:
                await api.update_meeting(key, draft)
                after.append(_changed(plan.current, draft, plan.provider, key))
                message = "changed"
            elif key is not None:
                await api.delete_meeting(key)
                after.append(None)
                message = "deleted"
            else:  # the plan's capability refuses these
                raise NotSupported("Nothing to send.", provider=plan.provider.value)
            return ActionResult(plan.action, (ActionOutcome(plan.target_key, True, message),))

        result = await self._gate.run(
            provider=plan.provider.value,
            action=plan.action,
            targets=[AuditTarget(plan.target_key, plan.event_label)],
            confirmation=confirmation,
            call=call,
            event_key=plan.meeting_key,
            typed_answers=plan.typed_answers,
        )
        meeting = after[0] if after else None
        if result.succeeded:
            note = await self._cache_meeting(plan, meeting)
            if note:
                result = ActionResult(result.action, result.outcomes, note)
        return MeetingWritten(plan, result, meeting)

    async def _cache_meeting(self, plan: MeetingPlan, meeting: Meeting | None) -> str:
        scope = Scope(ScopeKind.MEETINGS, plan.provider).id
        if plan.action == DELETE_MEETING and plan.meeting_key is not None:
            key = plan.meeting_key
            return await record_in_cache(
                self._engine,
                lambda w: w.remove(Meeting, plan.provider.value, [key]),
                "the deleted meeting",
            )
        if meeting is None:
            return ""
        return await record_in_cache(
            self._engine, lambda w: w.upsert(scope, plan.provider.value, [meeting]), "the meeting"
        )


def _edits_meetings(caps: Capabilities) -> Capability:
    return caps.edit_meetings


def _changed(current: Meeting | None, draft: MeetingDraft, provider: Provider, key: str) -> Meeting:
    """The cached meeting with what the update sent."""
    base = current or Meeting(
        provider=provider, key=key, kind=MeetingKind.UPCOMING, subject="", start=draft.start
    )
    fields: dict[str, object] = {
        "subject": draft.subject,
        "start": draft.start,
        "end": draft.end,
        "duration_minutes": draft.duration_minutes,
    }
    if provider is Provider.GOTO_MEETING:
        fields.update(meeting_type=draft.meeting_type, password_required=draft.password_required)
    elif draft.timezone:
        fields["timezone"] = draft.timezone
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


__all__ = ["MeetingChanges"]
