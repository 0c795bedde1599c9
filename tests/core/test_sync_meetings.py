"""Zoom meeting registrants in the sync engine, over in-memory adapters.

A meetings scope adds one registrants scope per meeting that takes registration; those
registrants carry the meeting's subject; an events scope leaves them alone (webinar and
meeting registrants share a scope prefix) and a meetings scope forgets those of meetings
that are gone or no longer take registration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.builders import T0, organizer, registrant, webinar
from tui.core.models import (
    EventKind,
    Meeting,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    Registrant,
    Webinar,
)
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery
from tui.core.sync.engine import SyncEngine
from tui.core.sync.types import Scope, ScopeKind


def zoom_meeting(key: str, subject: str, *, registration: bool) -> Meeting:
    return Meeting(
        Provider.ZOOM,
        key,
        MeetingKind.UPCOMING,
        subject,
        T0,
        organizer_key="u1",
        meeting_type="2",
        has_registration=registration,
    )


def meeting_registrant(i: int, meeting_key: str) -> Registrant:
    return dataclasses.replace(
        registrant(i, meeting_key), key=f"m{meeting_key}-{i}", event_kind=EventKind.MEETING
    )


@dataclass
class ZoomWithMeetings:
    """Zoom as the engine sees it: one user, webinars and meetings, and their people."""

    webinars_list: list[Webinar] = field(default_factory=list)
    meetings_list: list[Meeting] = field(default_factory=list)
    people: dict[str, list[Registrant]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    async def users(self) -> list[Organizer]:
        return [organizer("u1")]

    async def webinars(self, user_id: str = "me") -> list[Webinar]:
        return list(self.webinars_list)

    async def meetings(self, user_id: str = "me") -> list[Meeting]:
        return list(self.meetings_list)

    async def recordings(
        self, user_id: str = "me", *, since: datetime | None = None, until: datetime | None = None
    ) -> list[Recording]:
        return []

    async def webinar_registrant_pages(
        self, webinar_id: str, page_size: int = 300, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        self.calls.append(f"webinar:{webinar_id}")
        yield self.people.get(webinar_id, [])

    async def meeting_registrant_pages(
        self, meeting_id: str, page_size: int = 300, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        self.calls.append(f"meeting:{meeting_id}")
        yield self.people.get(meeting_id, [])


@dataclass
class Apis:
    """The profile's adapters as the engine sees them (duck-typed fakes)."""

    zoom: Any
    goto_training: Any = None
    goto_meeting: Any = None
    goto_assist: Any = None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "p.sqlite3", "p")
    yield opened
    opened.close()


def zoom_account() -> ZoomWithMeetings:
    return ZoomWithMeetings(
        webinars_list=[webinar("w1", "Alpha")],
        meetings_list=[
            zoom_meeting("81", "Board prep", registration=True),
            zoom_meeting("82", "Stand-up", registration=False),
            zoom_meeting("83", "Town hall", registration=True),
        ],
        people={
            "w1": [registrant(i, "w1") for i in range(3)],
            "81": [meeting_registrant(i, "81") for i in range(4)],
            "83": [meeting_registrant(i, "83") for i in range(2)],
        },
    )


def count(store: Store, event_key: str) -> int:
    return store.registrants(ViewQuery(event_key=event_key)).count()


async def test_meetings_with_registration_bring_their_registrants(store: Store) -> None:
    zoom = zoom_account()
    engine = SyncEngine(store, Apis(zoom), now=lambda: T0)
    report = await engine.run(engine.scopes())
    await engine.aclose()

    assert report.ok, report.failed
    assert {s.id for s in report.synced if s.kind is ScopeKind.REGISTRANTS} == {
        "registrants:zoom:w1",
        "registrants:zoom:81",
        "registrants:zoom:83",
    }
    assert "meeting:82" not in zoom.calls  # no registration: not asked
    people = store.registrants(ViewQuery(event_key="81")).rows(0, 10)
    assert len(people) == 4 and {p.event_title for p in people} == {"Board prep"}
    assert {p.event_kind for p in people} == {EventKind.MEETING}
    # `sync --scope registrants` alone: every cached event and registration meeting.
    assert {s.id for s in engine.registrant_scopes()} == {
        "registrants:zoom:w1",
        "registrants:zoom:81",
        "registrants:zoom:83",
    }


async def test_an_events_scope_keeps_meeting_registrants(store: Store) -> None:
    zoom = zoom_account()
    engine = SyncEngine(store, Apis(zoom), now=lambda: T0)
    await engine.run(engine.scopes())
    zoom.webinars_list = []  # the webinar is gone; the meetings are not
    await engine.run(engine.scopes([ScopeKind.EVENTS]))
    await engine.aclose()

    assert count(store, "w1") == 0 and store.stamp("registrants:zoom:w1") is None
    assert count(store, "81") == 4 and count(store, "83") == 2


async def test_a_meetings_scope_forgets_meetings_gone_or_without_registration(store: Store) -> None:
    zoom = zoom_account()
    engine = SyncEngine(store, Apis(zoom), now=lambda: T0)
    await engine.run(engine.scopes())
    zoom.meetings_list = [zoom_meeting("81", "Board prep", registration=False)]
    report = await engine.run(engine.scopes([ScopeKind.MEETINGS]))
    await engine.aclose()

    assert report.ok, report.failed
    assert count(store, "81") == 0 and store.stamp("registrants:zoom:81") is None
    assert count(store, "83") == 0 and store.stamp("registrants:zoom:83") is None
    assert count(store, "w1") == 3  # the webinar's stay


async def test_refreshing_one_meetings_registrants(store: Store) -> None:
    zoom = zoom_account()
    engine = SyncEngine(store, Apis(zoom), now=lambda: T0)
    await engine.run(engine.scopes([ScopeKind.ORGANIZERS, ScopeKind.MEETINGS]))
    zoom.people["83"] = [meeting_registrant(i, "83") for i in range(5)]
    report = await engine.refresh(Scope.registrants(Provider.ZOOM, EventKind.MEETING, "83"))
    await engine.aclose()
    assert report.ok and count(store, "83") == 5
