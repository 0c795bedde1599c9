"""Provider health as the header reads it, on the real Deck over the sandbox: an outage
ends with the next answer of the service, and a plain organizer whose own meetings sync
is not shown as failing because the account-wide lists need the admin role."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from tests.support.control import Control
from tests.support.decks import open_deck, sandbox_profile
from tui.core.deck.facade import Deck
from tui.core.deck.from_profile import open_profile
from tui.core.errors import ServiceUnavailable
from tui.core.models import MeetingKind, Provider
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind


def meeting_health(deck: Deck) -> Any:
    return {h.provider: h for h in deck.health()}[Provider.GOTO_MEETING]


async def test_an_outage_ends_with_the_next_answer_not_only_the_next_sync(sandbox: Any) -> None:
    """GoTo Meeting answers 503 to a sync; once it answers again, a call that is no
    sync (a meeting's attendees) is enough for the header to stop saying OFFLINE."""
    control = Control(sandbox.base_url)
    deck = open_deck(sandbox.base_url, goto_only=True)
    try:
        await deck.demo_sign_in()
        await deck.sync_all(kinds=[ScopeKind.HISTORICAL])
        past = deck.meetings(ViewQuery(kind=MeetingKind.HISTORICAL, provider=Provider.GOTO_MEETING))
        meeting = past.rows(0, 1)[0]
        control.fault(error_status=503, match={"path": "/G2M/"})
        report = await deck.sync_all(kinds=[ScopeKind.MEETINGS, ScopeKind.HISTORICAL])
        assert report.failed
        health = meeting_health(deck)
        assert isinstance(health.last_error, ServiceUnavailable) and health.offline
        control.clear()
        await deck.refresh_detail("meeting", meeting.key, provider=Provider.GOTO_MEETING)
        health = meeting_health(deck)
        assert health.last_error is None and not health.offline, health
    finally:
        await deck.aclose()


async def test_a_plain_organizer_whose_meetings_sync_is_not_failing(sandbox: Any) -> None:
    """The organizers list needs the admin role; the organizer's own meetings sync.
    The provider is fine, with that scope named as limited, in this session and in
    the next one (read from the stored stamps)."""
    profile = sandbox_profile(sandbox.base_url, goto_only=True).model_copy(
        update={
            "goto_client_id": "demo-organizer",
            "goto_client_secret": SecretStr("demo-organizer-secret"),
        }
    )
    paths = resolve_paths()
    deck = open_profile(paths, "plain", profile, demo=True)
    try:
        await deck.demo_sign_in()
        report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.MEETINGS])
        assert [f.scope.id for f in report.failed] == ["organizers:goto_meeting"], report.failed
        assert report.failed[0].error.title == "Needs the admin role"
        health = meeting_health(deck)
        assert health.last_error is None and not health.offline, health
        assert health.limited == ("GoTo Meeting organizers: Needs the admin role",)
    finally:
        await deck.aclose()
    again = open_profile(paths, "plain", profile, demo=True)
    try:
        health = meeting_health(again)
        assert health.last_error is None and health.limited, health
    finally:
        await again.aclose()
