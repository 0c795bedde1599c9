"""The Deck's details: one entity with its related rows, and fetching those rows on demand.

The sync scopes fill lists; the rows a detail view adds (a training's past sessions and
who attended each, a past GoTo meeting's attendees) are fetched only when someone opens
that detail. Each lands in its own scope, `detail:<provider>:<key>`, swapped in one
transaction like any sync scope, so `Details.read` shows it with its age and a failed
fetch leaves the previous rows in place.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from tui.core.deck.types import (
    Detail,
    EventDetail,
    MeetingDetail,
    OrganizerDetail,
    RegistrantDetail,
)
from tui.core.errors import NotSupported
from tui.core.models import Attendee, MeetingKind, Provider, Training, TrainingSession
from tui.core.store.views import SearchKind, ViewQuery

if TYPE_CHECKING:
    from tui.core.providers.roles import MeetingAttendees, TrainingReports
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.store.writer import StoreWriter
    from tui.core.sync.engine import SyncEngine

#: Attendance reports fetched at once for one training (the HTTP layer rate-limits too).
ATTENDANCE_CONCURRENCY = 4


def detail_scope(provider: Provider, key: str) -> str:
    """The scope id holding the on-demand rows of one training or meeting."""
    return f"detail:{provider.value}:{key}"


class Details:
    """Compose a detail from the cache, and fetch its on-demand rows into it.

    Args:
        store: The cache.
        providers: The adapters that fetch the rows; None for a cache-only Deck.
        engine: Stores what was fetched; None for a cache-only Deck.
    """

    def __init__(
        self, store: Store, providers: ProviderSet | None, engine: SyncEngine | None
    ) -> None:
        self._store = store
        self._providers = providers
        self._engine = engine

    def read(
        self,
        kind: SearchKind | str,
        key: str,
        *,
        provider: Provider | None = None,
        event_key: str | None = None,
    ) -> Detail | None:
        """The full object with its related rows, or None if the cache lacks it.

        Args:
            kind: "meeting", "training", "webinar", "event", "registrant", "organizer"
                or "support_session".
            key: The entity's key.
            provider: Narrows the lookup when keys could collide across providers.
            event_key: For a registrant: the event it belongs to.
        """
        store = self._store
        if kind == "meeting":
            meeting = store.meeting(key, provider)
            if meeting is None:
                return None
            anchor = meeting.session_key or meeting.key
            attendees = store.attendees(anchor) or store.attendees(meeting.key)
            return MeetingDetail(
                meeting,
                tuple(attendees),
                tuple(store.recordings_of(key)),
                self._age(meeting.provider, meeting.key),
            )
        if kind in ("training", "webinar", "event"):
            event = store.event(key, provider)
            if event is None:
                return None
            sessions = tuple(store.training_sessions(key))
            attendance = {s.key: tuple(store.attendees(s.key)) for s in sessions}
            return EventDetail(
                event,
                sessions,
                attendance,
                tuple(store.recordings_of(key)),
                store.counts(event.provider, key),
                self._age(event.provider, event.key),
            )
        if kind == "registrant":
            registrant = store.registrant(key, event_key=event_key, provider=provider)
            if registrant is None:
                return None
            return RegistrantDetail(
                registrant, store.event(registrant.event_key, registrant.provider)
            )
        if kind == "organizer":
            organizer = store.organizer(key, provider)
            if organizer is None:
                return None
            mine = ViewQuery(organizer_key=key)
            meetings = store.meetings(mine)
            events = store.events(mine)
            return OrganizerDetail(
                organizer, tuple(meetings.rows(0, 200)), tuple(events.rows(0, 200))
            )
        if kind == "support_session":
            return store.support_session(key)
        raise ValueError(f"unknown detail kind {kind!r}")

    def _age(self, provider: Provider, key: str) -> datetime | None:
        stamp = self._store.stamp(detail_scope(provider, key))
        return stamp.fetched_at if stamp is not None else None

    async def refresh(self, kind: str, key: str, provider: Provider | None) -> int:
        """Fetch and store the related rows of one entity; returns how many were stored.

        Kinds without on-demand rows (webinars, registrants, organizers, upcoming
        meetings, support sessions) store nothing and return 0.
        """
        store = self._store
        rows: list[TrainingSession | Attendee]
        if kind in ("training", "event"):
            event = store.event(key, provider)
            which = event.provider if event is not None else provider
            if which is not Provider.GOTO_TRAINING:
                return 0
            owner = None
            admin = self._providers is not None and self._providers.goto_admin() is True
            if admin and event is not None and isinstance(event.source, Training):
                # An admin reads another organizer's reports through that organizer.
                owner = event.source.organizer_keys[0] if event.source.organizer_keys else None
            rows = await self._training_rows(key, owner)
            which_provider = Provider.GOTO_TRAINING
        elif kind == "meeting":
            meeting = store.meeting(key, provider)
            if (
                meeting is None
                or meeting.provider is not Provider.GOTO_MEETING
                or meeting.kind is not MeetingKind.HISTORICAL
            ):
                return 0
            rows = list(
                await self._attendees().attendees(meeting.key, start=meeting.start, end=meeting.end)
            )
            which_provider = Provider.GOTO_MEETING
        else:
            return 0
        engine = self._engine
        if engine is None:
            raise NotSupported("This view of the cache cannot fetch; open the profile.")
        scope = detail_scope(which_provider, key)

        def swap(writer: StoreWriter) -> int:
            with writer.replace(scope, which_provider.value) as batch:
                batch.add(rows)
                return batch.commit()

        return await engine.write(swap)

    async def _training_rows(
        self, key: str, owner: str | None = None
    ) -> list[TrainingSession | Attendee]:
        api = self._reports()
        sessions = list(await api.sessions(key, organizer_key=owner))
        slots = asyncio.Semaphore(ATTENDANCE_CONCURRENCY)

        async def attendance(session: TrainingSession) -> list[Attendee]:
            async with slots:
                return await api.attendance(session.key, organizer_key=owner)

        out: list[TrainingSession | Attendee] = list(sessions)
        for people in await asyncio.gather(*(attendance(s) for s in sessions)):
            out.extend(people)
        return out

    def _missing(self, provider: Provider) -> NotSupported:
        return NotSupported(
            f"This profile has no {provider.label} credentials.", provider=provider.value
        )

    def _reports(self) -> TrainingReports:
        api = self._providers.goto_training if self._providers is not None else None
        if api is None:
            raise self._missing(Provider.GOTO_TRAINING)
        return api

    def _attendees(self) -> MeetingAttendees:
        api = self._providers.goto_meeting if self._providers is not None else None
        if api is None:
            raise self._missing(Provider.GOTO_MEETING)
        return api


__all__ = ["ATTENDANCE_CONCURRENCY", "Details", "detail_scope"]
