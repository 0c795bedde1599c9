"""On-demand scopes for a detail view: training sessions with attendance, meeting attendees.

The sync scopes fill lists; the rows a detail view adds (a training's past sessions and
who attended each, a past GoTo meeting's attendees) are fetched only when someone opens
that detail. Each lands in its own scope, `detail:<provider>:<key>`, swapped in one
transaction like any sync scope, so `Deck.detail` reads it with its age and a failed
fetch leaves the previous rows in place.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from tui.core.errors import NotSupported
from tui.core.models import Attendee, MeetingKind, Provider, TrainingSession

if TYPE_CHECKING:
    from tui.core.deck.actions_mixin import DeckActions as Deck
    from tui.core.store.writer import StoreWriter

#: Attendance reports fetched at once for one training (the HTTP layer rate-limits too).
ATTENDANCE_CONCURRENCY = 4


def detail_scope(provider: Provider, key: str) -> str:
    """The scope id holding the on-demand rows of one training or meeting."""
    return f"detail:{provider.value}:{key}"


async def refresh_detail(deck: Deck, kind: str, key: str, provider: Provider | None) -> int:
    """Fetch and store the related rows of one entity; returns how many were stored.

    Kinds without on-demand rows (webinars, registrants, organizers, upcoming meetings,
    support sessions) store nothing and return 0.
    """
    store = deck.store
    rows: list[Any]
    if kind in ("training", "event"):
        event = store.event(key, provider)
        which = event.provider if event is not None else provider
        if which is not Provider.GOTO_TRAINING:
            return 0
        rows = await _training_rows(deck, key)
        which_provider = Provider.GOTO_TRAINING
    elif kind == "meeting":
        meeting = store.meeting(key, provider)
        if meeting is None or meeting.provider is not Provider.GOTO_MEETING \
                or meeting.kind is not MeetingKind.HISTORICAL:
            return 0
        api = _api(deck, Provider.GOTO_MEETING)
        rows = list(await api.attendees(meeting.key))
        which_provider = Provider.GOTO_MEETING
    else:
        return 0
    engine = deck.engine
    if engine is None:
        raise NotSupported("This view of the cache cannot fetch; open the profile.")
    scope = detail_scope(which_provider, key)

    def swap(writer: StoreWriter) -> int:
        with writer.replace(scope, which_provider.value) as batch:
            batch.add(rows)
            return batch.commit()

    return await engine.write(swap)


async def _training_rows(deck: Deck, key: str) -> list[TrainingSession | Attendee]:
    api = _api(deck, Provider.GOTO_TRAINING)
    sessions: list[TrainingSession] = list(await api.sessions(key))
    slots = asyncio.Semaphore(ATTENDANCE_CONCURRENCY)

    async def attendance(session: TrainingSession) -> list[Attendee]:
        async with slots:
            found: list[Attendee] = await api.attendance(session.key)
            return found

    out: list[TrainingSession | Attendee] = list(sessions)
    for people in await asyncio.gather(*(attendance(s) for s in sessions)):
        out.extend(people)
    return out


def _api(deck: Deck, provider: Provider) -> Any:
    providers = deck.providers
    api = None
    if providers is not None:
        api = providers.goto_training if provider is Provider.GOTO_TRAINING \
            else providers.goto_meeting
    if api is None:
        raise NotSupported(f"This profile has no {provider.label} credentials.",
                           provider=provider.value)
    return api


__all__ = ["ATTENDANCE_CONCURRENCY", "detail_scope", "refresh_detail"]
