"""The Deck's actions: registrant approve / deny / cancel, start URLs, support sessions.

Every write goes through the Deck's `WriteGate` (read-only refusal, confirmation match,
audit intent before and result after). Only people the service confirmed are reported
as done, and only they change in the cache (one transaction, at once: no waiting for a
refresh). Start URLs are reads: fetched on demand and handed back, never stored, logged
or audited.

These functions are the bodies of `Deck` methods; call them through the Deck.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tui.core.audit import AuditTarget, UnfinishedWrite
from tui.core.deck.gate import Confirmation, join_notes
from tui.core.deck.links import link_policy, vetted
from tui.core.deck.types import ActionPlan, CreatedSession, UnfinishedNotice
from tui.core.errors import MeetdeckError, NotFound, NotSupported
from tui.core.models import (
    ActionOutcome,
    ActionResult,
    EventKind,
    Progress,
    Provider,
    Registrant,
    RegistrantStatus,
    StartUrl,
)
from tui.core.providers.base import Capability, RegistrantAction
from tui.core.sync.types import Scope, ScopeKind

if TYPE_CHECKING:
    from tui.core.deck.actions_mixin import DeckActions as Deck
    from tui.core.store.writer import StoreWriter

#: What each confirmed action makes of a registrant in the cache (None: removed).
NEW_STATUS: dict[RegistrantAction, RegistrantStatus | None] = {
    RegistrantAction.APPROVE: RegistrantStatus.APPROVED,
    RegistrantAction.DENY: RegistrantStatus.DENIED,
    RegistrantAction.CANCEL: None,
}
#: Zoom documents start URLs of regular users as valid for two hours.
ZOOM_START_URL_LIFETIME = timedelta(hours=2)
ZOOM_START_URL_NOTE = ("Zoom start URLs of regular users expire about two hours after they "
                       "are fetched; fetch a new one after that.")
CREATE_SESSION = "create_session"
_NEW = "new-session"


def _adapter(deck: Deck, provider: Provider) -> Any:
    providers = deck.providers
    if providers is None:
        return None
    return {
        Provider.GOTO_MEETING: providers.goto_meeting,
        Provider.GOTO_TRAINING: providers.goto_training,
        Provider.GOTO_ASSIST: providers.goto_assist,
        Provider.ZOOM: providers.zoom,
    }[provider]


def _need(deck: Deck, provider: Provider) -> Any:
    api = _adapter(deck, provider)
    if api is None:
        raise NotSupported(f"This profile has no {provider.label} credentials; add them to "
                           "the profile to use it.", provider=provider.value)
    return api


def _offered(deck: Deck, action: RegistrantAction, registrants: Sequence[Registrant],
             event: tuple[Provider, str] | None = None) -> Capability:
    """Everything `can` checks except read-only mode."""
    if not registrants:
        return Capability(False, "Select one or more registrants first.")
    events = {(r.provider, r.event_key) for r in registrants}
    if len(events) > 1:
        return Capability(False, f"The selection spans {len(events)} events; act on the "
                                 "registrants of one event at a time.")
    if event is not None and events != {event}:
        return Capability(False, "The selected people are registered for another event "
                                 "than this one; act on the registrants of the event on "
                                 "screen only.")
    if len({r.key for r in registrants}) != len(registrants):
        return Capability(False, "The selection names someone twice; select again.")
    provider = registrants[0].provider
    caps = deck.capabilities(provider)
    if caps is None:
        return Capability(False, f"This profile has no {provider.label} credentials, so "
                                 f"it cannot {action.value} registrants there.")
    return caps.for_action(action)


def can(deck: Deck, action: RegistrantAction, registrants: Sequence[Registrant],
        event: Scope | None = None) -> Capability:
    """See `Deck.can`."""
    if deck.read_only:
        try:
            deck.gate.check_writable()
        except MeetdeckError as exc:
            return Capability(False, exc.sentence)
    return _offered(deck, action, registrants, _event_of(event))


def _event_of(event: Scope | None) -> tuple[Provider, str] | None:
    if event is None or event.event_key is None:
        return None
    return event.provider, event.event_key


def _event_title(deck: Deck, provider: Provider, event_key: str, kind: EventKind,
                 fallback: str | None) -> str:
    event = deck.store.event(event_key, provider)
    if event is not None:
        return event.title
    if kind is EventKind.MEETING:
        meeting = deck.store.meeting(event_key, provider)
        if meeting is not None:
            return meeting.subject
    return fallback or ""


def plan(deck: Deck, action: RegistrantAction, registrants: Sequence[Registrant],
         event: Scope | None = None) -> ActionPlan:
    """See `Deck.plan_registrant_action`."""
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
    title = _event_title(deck, provider, event_key, kind, fallback) if event_key else ""
    capability = can(deck, action, people, Scope.registrants(provider, kind, event_key))
    return ActionPlan(action, provider, event_key, kind, title, deck.profile_name, people,
                      capability)


def _label(r: Registrant) -> str:
    return f"{r.name} <{r.email}>" if r.name else r.email


async def run(deck: Deck, plan: ActionPlan, confirmation: Confirmation) -> ActionResult:
    """See `Deck.run_registrant_action`."""
    deck.gate.check_writable()
    # The plan names one event: anyone not registered for it is refused, nothing sent.
    offered = _offered(deck, plan.action, plan.registrants, (plan.provider, plan.event_key))
    if not offered:
        raise NotSupported(offered.reason, provider=plan.provider.value)
    api = _need(deck, plan.provider)
    people = list(plan.registrants)
    action = plan.action

    async def call(progress: Progress) -> ActionResult:
        if plan.provider is Provider.ZOOM:
            if plan.event_kind is EventKind.MEETING:
                return await api.set_meeting_registrant_status(  # type: ignore[no-any-return]
                    plan.event_key, action, people, progress)
            return await api.set_webinar_registrant_status(  # type: ignore[no-any-return]
                plan.event_key, action, people, progress)
        if plan.provider is Provider.GOTO_TRAINING and action is RegistrantAction.CANCEL:
            return await api.cancel_registrants(  # type: ignore[no-any-return]
                plan.event_key, [r.key for r in people], progress=progress)
        raise NotSupported(f"{plan.provider.label} cannot {action.value} registrants.",
                           provider=plan.provider.value)

    result = await deck.gate.run(
        provider=plan.provider.value, action=action.value,
        targets=[AuditTarget(r.key, _label(r), r.event_key) for r in people],
        confirmation=confirmation, call=call, event_key=plan.event_key)
    # Anything the service did not answer for is not done.
    answered = {o.target_key for o in result.outcomes}
    missing = tuple(ActionOutcome(r.key, False, "No answer from the service; refresh to check.")
                    for r in people if r.key not in answered)
    if missing:
        result = ActionResult(result.action, result.outcomes + missing, result.note)
    if result.succeeded:
        note = await _update_cache(deck, plan, result.succeeded)
        if note:
            result = ActionResult(result.action, result.outcomes, join_notes(result.note, note))
    return result


async def _update_cache(deck: Deck, plan: ActionPlan, keys: Sequence[str]) -> str:
    """Apply confirmed outcomes to the cache now; a sync in flight gets them re-applied."""
    engine = deck.engine
    if engine is None:
        return ""
    scope = Scope.registrants(plan.provider, plan.event_kind, plan.event_key)
    status = NEW_STATUS[plan.action]
    wire = None
    if status is not None:
        wire = status.value if plan.provider is Provider.ZOOM else status.value.upper()

    def apply(writer: StoreWriter) -> int:
        return writer.set_registrant_status(scope.id, keys, status, wire)

    try:
        await engine.write(apply)
    except MeetdeckError as exc:
        return (f"The action went through, but the cache could not be updated ({exc.sentence}) "
                "Refresh the registrants to see the new statuses.")
    running = engine.running(scope)
    if running is not None:
        # That sync fetched before the action landed: apply the outcome again after it.
        async def again() -> None:
            with contextlib.suppress(BaseException):
                await asyncio.shield(running)
            with contextlib.suppress(MeetdeckError):
                await engine.write(apply)

        deck.keep(asyncio.ensure_future(again()))
    return ""


async def unfinished_writes(deck: Deck) -> list[UnfinishedNotice]:
    """See `Deck.unfinished_writes`."""
    # The whole log is read: off the event loop, so a long one never delays a frame.
    try:
        writes = await asyncio.to_thread(deck.gate.audit.unfinished,
                                         profile=deck.profile_name)
    except OSError:
        return []  # unreadable: `meetdeck audit` says why, start-up goes on
    return [_notice(deck, write) for write in writes if not write.reviewed]


def _notice(deck: Deck, write: UnfinishedWrite) -> UnfinishedNotice:
    try:
        provider = Provider(write.provider)
    except ValueError:
        return UnfinishedNotice(write, "", None)
    if not write.event:
        return UnfinishedNotice(write, "", None)
    event = deck.store.event(write.event, provider)
    if event is not None:
        return UnfinishedNotice(write, event.title, Scope.registrants(
            provider, event.kind, write.event))
    meeting = deck.store.meeting(write.event, provider)
    if meeting is not None:
        return UnfinishedNotice(write, meeting.subject, Scope.registrants(
            provider, EventKind.MEETING, write.event))
    return UnfinishedNotice(write, "", None)


def settle_unfinished(deck: Deck, notice: UnfinishedNotice) -> None:
    """See `Deck.settle_unfinished`."""
    deck.gate.audit.reviewed(notice.write, note=(
        "outcome unknown; the person was told at start-up"
        + (" and the event was refreshed" if notice.scope is not None else "")))


async def manage_url(deck: Deck, event_key: str) -> StartUrl:
    """See `Deck.manage_url`."""
    api = _need(deck, Provider.GOTO_TRAINING)
    url: StartUrl = await api.manage_url(event_key)
    return _vet(deck, Provider.GOTO_TRAINING, url)


def _vet(deck: Deck, provider: Provider, start: StartUrl) -> StartUrl:
    """`start` judged by the link policy of `provider` in this profile."""
    providers = deck.providers
    if providers is None:
        return start  # nothing to judge it by: it stays unvetted, never opened
    return vetted(start, link_policy(provider, providers.profile, demo=providers.demo))


def _meeting_provider(deck: Deck, key: str, provider: Provider | None) -> Provider:
    if provider is not None:
        return provider
    cached = deck.store.meeting(key)
    if cached is not None:
        return cached.provider
    configured = [p for p in (Provider.GOTO_MEETING, Provider.ZOOM) if _adapter(deck, p)]
    if len(configured) == 1:
        return configured[0]
    raise NotFound(f"Meeting {key} is not in the cache, so its provider is unknown. Refresh "
                   "the meetings and try again.")


async def start_url(deck: Deck, kind: str, key: str, provider: Provider | None) -> StartUrl:
    """See `Deck.start_url`. The link comes back vetted (`StartUrl.refusal`)."""
    if kind == "meeting":
        which = _meeting_provider(deck, key, provider)
        if which is Provider.ZOOM:
            url = _zoom_lifetime(await _need(deck, Provider.ZOOM).start_url(key))
        elif which is Provider.GOTO_MEETING:
            url = await _need(deck, Provider.GOTO_MEETING).start_url(key)
        else:
            raise NotSupported(f"{which.label} has no meetings to start.")
    elif kind == "webinar":
        which = Provider.ZOOM
        url = _zoom_lifetime(await _need(deck, which).start_url(key, webinar=True))
    elif kind == "training":
        which = Provider.GOTO_TRAINING
        url = await _need(deck, which).start_url(key)
    elif kind == "support_session":
        which = Provider.GOTO_ASSIST
        url = await _need(deck, which).start_url(key)
    else:
        raise ValueError(f"unknown start URL kind {kind!r}")
    return _vet(deck, which, url)


def _zoom_lifetime(url: StartUrl) -> StartUrl:
    return StartUrl(url.url, datetime.now(UTC) + ZOOM_START_URL_LIFETIME, ZOOM_START_URL_NOTE)


async def create_support_session(deck: Deck) -> CreatedSession:
    """See `Deck.create_support_session`."""
    deck.gate.check_writable()
    api = _need(deck, Provider.GOTO_ASSIST)
    caps = deck.capabilities(Provider.GOTO_ASSIST)
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
        start = _vet(deck, Provider.GOTO_ASSIST, url) if url is not None else None
        created.append(CreatedSession(session, start))
        # The uuid and support key are no secret; the start URL never goes in here.
        return ActionResult(CREATE_SESSION, (ActionOutcome(
            _NEW, True, f"created session {session.key} (support key {session.support_key})"),))

    await deck.gate.run(
        provider=Provider.GOTO_ASSIST.value, action=CREATE_SESSION,
        targets=[AuditTarget(_NEW, "new support session")],
        confirmation=Confirmation.of(deck.profile_name, CREATE_SESSION, [_NEW]), call=call)
    if failure:
        raise failure[0]
    result = created[0]
    engine = deck.engine
    if engine is not None:
        scope = Scope(ScopeKind.SUPPORT, Provider.GOTO_ASSIST).id

        def add(writer: StoreWriter) -> int:
            return writer.upsert(scope, Provider.GOTO_ASSIST.value, [result.session])

        with contextlib.suppress(MeetdeckError):
            await engine.write(add)
    return result
