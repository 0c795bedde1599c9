"""GoTo Training registrants as the real service lists them, through the Deck over HTTP.

#14.1: people who withdrew (UNREGISTERED, DELETED) are listed, counted and filterable,
and never "pending". #14.6: GoTo's registrant lists may lag two hours behind a cancel;
the cache keeps who was cancelled here (the audit log knows) instead of flipping back.

The sandbox here is this module's own: these tests move its clock and its list lag.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck, registrants_of, sync_events
from tui.core.deck.facade import Deck
from tui.core.models import Provider, Registrant, RegistrantStatus
from tui.core.store.views import ViewQuery

G2T = Provider.GOTO_TRAINING
S = RegistrantStatus


@pytest.fixture(scope="module")
def lagging() -> Iterator[Any]:
    """A sandbox of this module's own (its clock and list lag change here)."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(
        SandboxConfig(port=0, seed=7, registrants=50, recording_bytes=50_000, rate_limit_scale=0)
    ) as handle:
        yield handle


@pytest.fixture
def control(lagging: Any) -> Iterator[Control]:
    """The sandbox's control API; its list lag is off again after each test."""
    control = Control(lagging.base_url)
    yield control
    control.call("POST", "config", {"registrant_lag_s": 0})


def hostile_training(sandbox: Any) -> str:
    """The training of the hostile names: its first registrant withdrew (UNREGISTERED),
    its second opted out too (DELETED)."""
    return next(
        str(t.key)
        for t in sandbox.state.goto.trainings.values()
        if next(iter(t.registrants.values())).given_name == "[@click=app.quit]x"
    )


class Clock:
    """A clock the test moves (the sync engine reads it)."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


def cached(deck: Deck, training: str) -> dict[str, Registrant]:
    view = deck.registrants(ViewQuery(event_key=training))
    return {r.key: r for r in view.rows(0, view.count())}


async def a_cancelled_person(deck: Deck, training: str) -> Registrant:
    """Cancel the first approved registrant of `training` through the Deck."""
    people = await registrants_of(deck, G2T, training, S.APPROVED)
    plan = deck.plan_registrant_action("cancel", people[:1])
    result = await deck.run_registrant_action(plan, plan.confirm())
    assert result.succeeded == (people[0].key,), result.outcomes
    return people[0]


async def test_people_who_withdrew_are_listed_counted_and_never_pending(
    lagging: Any, control: Control
) -> None:
    training = hostile_training(lagging)
    truth = control.state(event=training)
    deck = open_deck(lagging.base_url, goto_only=True)
    try:
        await sync_events(deck, goto=True)
        everyone = await registrants_of(deck, G2T, training)
        left = await registrants_of(deck, G2T, training, S.UNREGISTERED)
        opted_out = await registrants_of(deck, G2T, training, S.DELETED)
        pending = await registrants_of(deck, G2T, training, S.PENDING)
        event = deck.events(ViewQuery(provider=G2T, text="")).rows(0, 500)
        counts = deck.parts_for_tests().store.counts(G2T, training)
        refused = deck.plan_registrant_action("cancel", [left[0], pending[0]] if pending else left)
    finally:
        await deck.aclose()

    assert len(everyone) == truth["total"]  # nobody dropped, no list failed
    assert len(left) == truth["counts"]["UNREGISTERED"] >= 1
    assert len(opted_out) == truth["counts"]["DELETED"] >= 1
    assert "[@click=app.quit]x" in {p.first_name for p in left}
    assert {p.provider_status for p in left} == {"UNREGISTERED"}
    assert len(pending) == truth["counts"]["WAITING"]
    assert counts[S.UNREGISTERED] == len(left) and counts[S.PENDING] == len(pending)
    row = next(e for e in event if e.key == training)
    assert row.registrants == truth["total"] and row.pending == truth["counts"]["WAITING"]
    assert not refused.capability and "no longer registered (unregistered)" in str(
        refused.capability.reason
    )


async def test_a_cancel_stays_cancelled_here_while_goto_still_lists_the_person(
    lagging: Any, control: Control
) -> None:
    training = hostile_training(lagging)
    control.call("POST", "config", {"registrant_lag_s": 3600})
    deck = open_deck(lagging.base_url, goto_only=True)
    try:
        await sync_events(deck, goto=True)
        person = await a_cancelled_person(deck, training)
        at_once = cached(deck, training)[person.key]
        await registrants_of(deck, G2T, training)
        truth = control.state(event=training)["registrants"]
        refreshed = cached(deck, training)[person.key]
        filtered = await registrants_of(deck, G2T, training, S.CANCELLED)
        control.call("POST", "clock", {"advance_s": 3600})
        await registrants_of(deck, G2T, training)
        later = cached(deck, training)
        counts = deck.parts_for_tests().store.counts(G2T, training)
    finally:
        await deck.aclose()

    assert str(person.key) not in truth  # gone at GoTo, yet its list still shows them
    assert at_once.status is S.CANCELLED and at_once.cancelled_here is not None
    assert refreshed.status is S.CANCELLED and refreshed.status_text == "cancelled here"
    assert refreshed.cancelled_here == at_once.cancelled_here
    assert refreshed.provider_status == "APPROVED"  # what GoTo still says
    assert [p.key for p in filtered] == [person.key]
    assert person.key not in later  # GoTo caught up: the person and the note are gone
    assert S.CANCELLED not in counts


async def test_after_two_hours_goto_has_the_last_word(lagging: Any, control: Control) -> None:
    training = hostile_training(lagging)
    control.call("POST", "config", {"registrant_lag_s": 4 * 3600})
    clock = Clock()
    deck = open_deck(lagging.base_url, spec=DeckSpec(sync_clock=clock), goto_only=True)
    try:
        await sync_events(deck, goto=True)
        person = await a_cancelled_person(deck, training)
        clock.shift = timedelta(hours=1, minutes=59)
        await registrants_of(deck, G2T, training)
        within = cached(deck, training)[person.key]
        clock.shift = timedelta(hours=2, minutes=1)
        await registrants_of(deck, G2T, training)
        beyond = cached(deck, training)[person.key]
    finally:
        await deck.aclose()

    assert within.status is S.CANCELLED and within.cancelled_here is not None
    # Still listed two hours on: the cancel did not hold there, and that is shown.
    assert beyond.status is S.APPROVED and beyond.cancelled_here is None
