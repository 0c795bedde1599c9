"""Event writes through the Deck against the sandbox: register someone (GoTo Training,
Zoom), a training's registration settings, and meetings created, changed and deleted
(GoTo Meeting, Zoom). The sandbox's own API, its request log and the audit log prove
each: what was sent, what the service holds, what was recorded before and after."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.decks import open_deck, sync_events
from tests.support.remote import remote_get
from tui.core.deck.facade import Deck
from tui.core.deck.gate import ConfirmationMismatch
from tui.core.deck.write_plans import (
    CREATE_MEETING,
    DELETE_MEETING,
    UPDATE_MEETING,
    Person,
)
from tui.core.errors import ReadOnlyMode
from tui.core.models import EventKind, MeetingDraft, Provider, RegistrantStatus, Training
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope, ScopeKind


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """A sandbox of this module's own: its writes (new registrants, meetings) must not
    change the counts other modules check on the session's sandbox."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(
        SandboxConfig(port=0, seed=7, registrants=200, rate_limit_scale=0)
    ) as handle:
        yield handle


def audit_lines() -> list[dict[str, Any]]:
    path = resolve_paths().audit_log
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def big_webinar(sandbox: Any) -> str:
    return str(Control(sandbox.base_url).state()["zoom"]["big_webinar_id"])


async def test_zoom_register_waits_for_approval_unless_approved_at_once(sandbox: Any) -> None:
    big = big_webinar(sandbox)
    deck = open_deck(sandbox.base_url, zoom_only=True)
    control = Control(sandbox.base_url)
    try:
        await sync_events(deck)
        scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, big)
        plan = deck.plan_registration(scope, Person("wait.here@example.com", "Zoë", "Ng"))
        # The webinars list carries no settings: whether it approves by hand is unknown.
        assert plan.capability and plan.needs_approval is None
        assert "wait for approval" in plan.lines[1]
        mark = control.mark()
        waiting = await deck.register(plan, plan.confirm())
        sent = control.writes_since(mark)
        approved_plan = deck.plan_registration(
            scope, Person("now@example.com", "Al", "", approve=True)
        )
        approved = await deck.register(approved_plan, approved_plan.confirm())
        cached = deck.registrants(ViewQuery(event_key=big, text="example.com"))
        cached_people = {r.email: r.status for r in cached.rows(0, cached.count())}
    finally:
        await deck.aclose()
    assert sent == [f"POST /zoom/v2/webinars/{big}/registrants"]
    assert waiting.registrant is not None and waiting.registrant.status is RegistrantStatus.PENDING
    assert approved.registrant is not None
    assert approved.registrant.status is RegistrantStatus.APPROVED
    remote = control.statuses(big)
    assert remote[waiting.registrant.key] == "pending"
    assert remote[approved.registrant.key] == "approved"
    # In the cache at once, before any refresh.
    assert cached_people["wait.here@example.com"] is RegistrantStatus.PENDING
    assert cached_people["now@example.com"] is RegistrantStatus.APPROVED
    intent, result = [a for a in audit_lines() if a["action"] == "register"][-4:-2]
    assert intent["phase"] == "intent" and intent["event"] == big
    assert intent["targets"][0]["key"] == "wait.here@example.com"
    assert result["phase"] == "result" and result["outcomes"][0]["ok"]


async def test_a_bad_person_is_not_offered_and_nothing_is_sent(sandbox: Any) -> None:
    big = big_webinar(sandbox)
    deck = open_deck(sandbox.base_url, zoom_only=True)
    try:
        await sync_events(deck)
        scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, big)
        plan = deck.plan_registration(scope, Person("not an address", ""))
        assert not plan.capability
        assert "not an email address" in plan.capability.reason
        mark = Control(sandbox.base_url).mark()
        with pytest.raises(Exception, match="not an email address"):
            await deck.register(plan, plan.confirm())
        assert Control(sandbox.base_url).writes_since(mark) == []
    finally:
        await deck.aclose()


async def goto_deck(sandbox: Any) -> Deck:
    deck = open_deck(sandbox.base_url, goto_only=True)
    await deck.demo_sign_in()
    report = await deck.sync_all(kinds=[ScopeKind.EVENTS, ScopeKind.MEETINGS])
    assert report.ok, report.failed
    return deck


async def test_goto_training_register_reads_the_status_back_and_refuses_a_duplicate(
    sandbox: Any,
) -> None:
    deck = await goto_deck(sandbox)
    control = Control(sandbox.base_url)
    try:
        event = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)).rows(0, 1)[0]
        scope = Scope.registrants(Provider.GOTO_TRAINING, EventKind.TRAINING, event.key)
        missing = deck.plan_registration(scope, Person("x@example.com", "X"))
        assert not missing.capability and "last name" in missing.capability.reason
        plan = deck.plan_registration(scope, Person("trainee@example.com", "Tía", "Ödön"))
        mark = control.mark()
        done = await deck.register(plan, plan.confirm())
        requests = [(r["method"], r["status"]) for r in control.requests_since(mark)]
        again = await deck.register(plan, plan.confirm())
    finally:
        await deck.aclose()
    assert done.registrant is not None and done.result.failed == ()
    # POST, then the status read back (GET), never assumed.
    assert requests == [("POST", 201), ("GET", 200)]
    assert done.registrant.status is RegistrantStatus.APPROVED  # what the sandbox says
    assert again.registrant is None and again.result.failed
    assert "already" in again.sentence.lower() or "409" in again.sentence


async def test_registration_settings_are_sent_and_shown_at_once(sandbox: Any) -> None:
    deck = await goto_deck(sandbox)
    control = Control(sandbox.base_url)
    try:
        event = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING)).rows(0, 1)[0]
        assert isinstance(event.source, Training)
        before = (event.source.web_registration, event.source.confirmation_email)
        assert None not in before  # read from the training's registrationSettings
        plan = deck.plan_registration_settings(
            event.key, web_registration=False, confirmation_email=not before[1]
        )
        assert plan.capability and plan.before == before
        mark = control.mark()
        result = await deck.update_registration_settings(plan, plan.confirm())
        sent = control.writes_since(mark)
        cached = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING, text=event.title))
        now = next(e for e in cached.rows(0, cached.count()) if e.key == event.key).source
        owner = event.organizer_key
    finally:
        await deck.aclose()
    assert result.succeeded == (event.key,)
    assert len(sent) == 1 and sent[0].startswith("PUT ") and "registrationSettings" in sent[0]
    assert isinstance(now, Training)
    assert (now.web_registration, now.confirmation_email) == (False, not before[1])
    remote = await remote_get(
        sandbox.base_url, f"/G2T/rest/organizers/{owner}/trainings/{event.key}", goto=True
    )
    settings = remote.json()["registrationSettings"]
    assert settings == {
        "disableConfirmationEmail": before[1],
        "disableWebRegistration": True,
    }


def draft(subject: str, zone: str = "Europe/Berlin") -> MeetingDraft:
    start = datetime(2031, 3, 4, 8, 30, tzinfo=UTC)
    return MeetingDraft(subject, start, start + timedelta(minutes=45), timezone=zone)


@pytest.mark.parametrize("provider", [Provider.ZOOM, Provider.GOTO_MEETING])
async def test_a_meeting_is_created_changed_and_deleted(sandbox: Any, provider: Provider) -> None:
    goto = provider is Provider.GOTO_MEETING
    deck = await goto_deck(sandbox) if goto else open_deck(sandbox.base_url, zoom_only=True)
    control = Control(sandbox.base_url)
    path = "/G2M/rest/meetings/{}" if goto else "/zoom/v2/meetings/{}"
    try:
        plan = deck.plan_meeting(CREATE_MEETING, provider, draft=draft("Café <planning>"))
        assert plan.capability, plan.capability.reason
        mark = control.mark()
        created = await deck.write_meeting(plan, plan.confirm())
        assert created.ok and created.meeting is not None, created.sentence
        key = created.meeting.key
        assert deck.meetings(ViewQuery(text="planning")).count() >= 1  # cached at once
        update = deck.plan_meeting(
            UPDATE_MEETING, provider, meeting_key=key, draft=draft("Renamed 会議")
        )
        assert update.capability, update.capability.reason
        changed = await deck.write_meeting(update, update.confirm())
        assert changed.ok, changed.sentence
        remote = (await remote_get(sandbox.base_url, path.format(key), goto=goto)).json()
        delete = deck.plan_meeting(DELETE_MEETING, provider, meeting_key=key)
        assert delete.needs_typed_name and delete.typed_answers == ("Renamed 会議", key)
        with pytest.raises(ConfirmationMismatch):
            await deck.write_meeting(delete, delete.confirm("Renamed"))
        between = control.writes_since(mark)
        gone = await deck.write_meeting(delete, delete.confirm(key))
        assert gone.ok, gone.sentence
        sent = control.writes_since(mark)
        after = await remote_get(sandbox.base_url, path.format(key), goto=goto)
        cached = deck.parts_for_tests().store.meeting(key, provider)
    finally:
        await deck.aclose()
    subject = remote[0]["subject"] if goto else remote["topic"]
    assert subject == "Renamed 会議"
    assert len(between) == 2  # the mistyped delete sent nothing
    verbs = [w.split()[0] for w in sent]
    assert verbs == (["POST", "PUT", "DELETE"] if goto else ["POST", "PATCH", "DELETE"])
    assert after.status_code == 404 and cached is None
    audit = [a for a in audit_lines() if a.get("provider") == provider.value]
    phases = [(a["action"], a["phase"]) for a in audit[-6:]]
    assert phases == [
        (CREATE_MEETING, "intent"),
        (CREATE_MEETING, "result"),
        (UPDATE_MEETING, "intent"),
        (UPDATE_MEETING, "result"),
        (DELETE_MEETING, "intent"),
        (DELETE_MEETING, "result"),
    ]


async def test_read_only_refuses_meeting_writes_and_sends_nothing(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url, zoom_only=True, read_only=True)
    control = Control(sandbox.base_url)
    try:
        plan = deck.plan_meeting(CREATE_MEETING, Provider.ZOOM, draft=draft("Nope"))
        assert not plan.capability and "read-only" in plan.capability.reason
        mark = control.mark()
        with pytest.raises(ReadOnlyMode):
            await deck.write_meeting(plan, plan.confirm())
        assert control.requests_since(mark) == []
    finally:
        await deck.aclose()


async def test_a_refused_meeting_write_is_a_failed_outcome_in_the_audit(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url, zoom_only=True)
    try:
        bad = draft("Somewhere", zone="Europe/Berlin")
        plan = deck.plan_meeting(CREATE_MEETING, Provider.ZOOM, draft=bad, organizer="nobody")
        written = await deck.write_meeting(plan, plan.confirm())
    finally:
        await deck.aclose()
    assert not written.ok and written.meeting is None
    assert "Not created" in written.sentence
    result = audit_lines()[-1]
    assert result["phase"] == "result" and not result["outcomes"][0]["ok"]
