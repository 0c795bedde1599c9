"""The Deck's read side: views, details, search, stamps and health, from the cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.builders import T0, meeting, organizer, put, registrant, training, webinar
from tests.support.fakeapis import Apis, FakeTraining, zoom_with_two_webinars
from tui.core.deck.facade import Deck
from tui.core.deck.types import EventDetail, MeetingDetail, OrganizerDetail, RegistrantDetail
from tui.core.errors import NotSupported, ServiceUnavailable
from tui.core.models import Attendee, MeetingKind, Provider, RegistrantStatus
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery
from tui.core.sync.engine import SyncEngine
from tui.core.sync.types import Scope, ScopeKind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "p.sqlite3", "p")
    yield opened
    opened.close()


def test_reads_answer_from_the_cache_with_their_age(store: Store) -> None:
    put(store, "events:zoom", [webinar()], when=T0)
    put(store, "registrants:zoom:w1", [registrant(i) for i in range(40)], when=T0)
    deck = Deck(store, profile_name="p", read_only=True, accent="red", profiles=("p", "q"))
    view = deck.registrants(ViewQuery(event_key="w1", sort="registered", descending=True))
    assert view.count() == 40 and view.rows(0, 1)[0].key == "r39"
    assert view.fetched_at == T0 and view.index_of("r0") == 39
    assert deck.events().rows(0, 5)[0].pending == 40
    assert deck.organizers().fetched_at is None and deck.organizers().count() == 0
    assert (deck.read_only, deck.accent, deck.profiles()) == (True, "red", ("p", "q"))
    assert deck.stamp(Scope.registrants(Provider.ZOOM, registrant(1).event_kind, "w1"))


def test_details_bring_their_related_rows(store: Store) -> None:
    past = meeting("h1", kind=MeetingKind.HISTORICAL)
    put(
        store,
        "historical:goto_meeting",
        [past, Attendee(Provider.GOTO_MEETING, "h1", "Ann", "ann@example.com", T0)],
        "goto_meeting",
    )
    put(store, "events:goto_training", [training()], "goto_training")
    put(
        store,
        "registrants:goto_training:t1",
        [registrant(1, "t1", provider=Provider.GOTO_TRAINING, status=RegistrantStatus.APPROVED)],
        "goto_training",
    )
    put(store, "organizers:zoom", [organizer()])
    put(store, "events:zoom", [webinar()])
    deck = Deck(store, profile_name="p")

    found = deck.detail("meeting", "h1")
    assert isinstance(found, MeetingDetail) and [a.name for a in found.attendees] == ["Ann"]
    event = deck.detail("training", "t1")
    assert isinstance(event, EventDetail)
    assert event.counts[RegistrantStatus.APPROVED] == 1 and event.event.title == "Onboarding"
    person = deck.detail("registrant", "r1", event_key="t1")
    assert isinstance(person, RegistrantDetail) and person.event is not None
    assert person.event.key == "t1"
    host = deck.detail("organizer", "u1", provider=Provider.ZOOM)
    assert isinstance(host, OrganizerDetail) and [e.key for e in host.events] == ["w1"]
    assert deck.detail("meeting", "nope") is None
    with pytest.raises(ValueError):
        deck.detail("spaceship", "x")
    assert [h.key for h in deck.search("onboard")] == ["t1"]


async def test_refresh_and_health_through_the_deck(store: Store) -> None:
    trainings = FakeTraining([training()], error=ServiceUnavailable("GoTo answered 502."))
    engine = SyncEngine(store, Apis(zoom=zoom_with_two_webinars(), goto_training=trainings))
    deck = Deck(store, profile_name="p", engine=engine)
    report = await deck.sync_all(
        kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS, ScopeKind.REGISTRANTS]
    )
    assert [f.scope.id for f in report.failed] == ["events:goto_training"]
    health = {h.provider: h for h in deck.health()}
    assert health[Provider.ZOOM].last_success is not None
    assert health[Provider.ZOOM].last_error is None and health[Provider.ZOOM].configured
    training_health = health[Provider.GOTO_TRAINING]
    assert isinstance(training_health.last_error, ServiceUnavailable)
    assert training_health.offline and training_health.last_success is None
    assert not health[Provider.GOTO_ASSIST].configured

    # A fresh Deck on the same cache rebuilds the typed error from the stored stamp.
    reread = {h.provider: h for h in Deck(store, profile_name="p").health()}
    assert isinstance(reread[Provider.GOTO_TRAINING].last_error, ServiceUnavailable)

    trainings.error = None
    again = await deck.refresh(Scope(ScopeKind.EVENTS, Provider.GOTO_TRAINING))
    assert again.ok and deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)).count() == 1
    assert {h.provider: h for h in deck.health()}[Provider.GOTO_TRAINING].last_error is None
    await deck.aclose()


async def test_a_cache_only_deck_cannot_sync(store: Store) -> None:
    deck = Deck(store, profile_name="p")
    with pytest.raises(NotSupported):
        await deck.sync_all()
