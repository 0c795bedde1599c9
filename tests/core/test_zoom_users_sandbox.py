"""Zoom users that cannot answer, recordings still processing, expiring page tokens.

Against a sandbox of this module's own (its clock is moved), over real loopback HTTP:
a pending user comes without `id`, pending and deactivated users are never asked for
their lists, a user Zoom refuses alone (3161) is skipped and named while everyone else
syncs, files still processing are not downloadable, and an expired `next_page_token`
restarts its listing once.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.support.control import Control
from tests.support.decks import open_deck
from tui.core.deck.facade import Deck
from tui.core.errors import RecordingNotReady, RequestRejected
from tui.core.models import EventKind, Provider
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope, ScopeKind

PER_USER = re.compile(r"/zoom/v2/users/([^/]+)/(meetings|webinars|recordings)")


@pytest.fixture(scope="module")
def own() -> Iterator[Any]:
    """A sandbox for this module alone: its clock moves forward."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(
        SandboxConfig(port=0, seed=7, registrants=700, recording_bytes=50_000, rate_limit_scale=0)
    ) as handle:
        yield handle


@pytest.fixture
async def deck(own: Any) -> AsyncIterator[Deck]:
    deck = open_deck(own.base_url, zoom_only=True)
    try:
        yield deck
    finally:
        await deck.aclose()
        Control(own.base_url).clear()
        Control(own.base_url).expire_page_tokens(0)


async def test_pending_users_are_listed_by_email(deck: Deck, own: Any) -> None:
    """The pending user's page has no `id`: the list still loads, the user keyed by
    e-mail, and nobody is lost."""
    report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS])
    assert report.ok, report.failed
    view = deck.organizers(ViewQuery(provider=Provider.ZOOM))
    users = view.rows(0, view.count())
    assert len(users) == Control(own.base_url).state()["zoom"]["counts"]["users"]
    pending = [u for u in users if u.status == "pending"]
    assert len(pending) == 1 and pending[0].key == pending[0].email and "@" in pending[0].key


async def test_one_refused_user_is_skipped_and_named_while_the_others_sync(
    deck: Deck, own: Any
) -> None:
    """3161 for one user's webinars fails neither the webinars nor the meetings of the
    others; the scope names the user and the code, in the report, the stamp and the
    health. Pending and deactivated users are never asked."""
    control = Control(own.base_url)
    report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS])
    assert report.ok, report.failed
    seq = control.mark()
    report = await deck.sync_all(kinds=[ScopeKind.EVENTS, ScopeKind.MEETINGS, ScopeKind.RECORDINGS])
    assert report.ok, report.failed
    view = deck.organizers(ViewQuery(provider=Provider.ZOOM))
    users = view.rows(0, view.count())
    unasked = {u.key for u in users if u.status in ("pending", "inactive")}
    assert len(unasked) == 2
    asked = control.requests_since(seq)
    per_user = [m for r in asked if (m := PER_USER.fullmatch(r["path"]))]
    assert per_user and not {m.group(1) for m in per_user} & unasked
    assert not any(u.email in r["path"] for r in asked for u in users if u.key in unasked)
    refused = [r for r in asked if r["status"] == 400]
    assert len(refused) == 1 and refused[0]["path"].endswith("/webinars")
    lacking = next(u for u in users if refused[0]["path"] == f"/zoom/v2/users/{u.key}/webinars")

    notes = dict(report.notes)
    events = Scope(ScopeKind.EVENTS, Provider.ZOOM)
    assert notes == {events: f"1 user skipped: {lacking.email} cannot host webinars (3161)"}
    # Everyone else's webinars and meetings are cached.
    webinars = deck.events(ViewQuery(provider=Provider.ZOOM))
    assert webinars.count() == Control(own.base_url).state()["zoom"]["counts"]["webinars"]
    assert deck.meetings(ViewQuery(provider=Provider.ZOOM)).count() > 0
    stamp = deck.stamp(events)
    assert stamp is not None and stamp.note == notes[events] and not stamp.failed
    zoom = next(h for h in deck.health() if h.provider is Provider.ZOOM)
    assert zoom.last_error is None
    assert zoom.skipped == (f"Zoom events: {notes[events]}",)


async def test_recordings_still_processing_are_not_downloadable(deck: Deck, own: Any) -> None:
    """Files Zoom is still processing are cached as "processing"; asking to download
    one is refused at once, and no request is made."""
    control = Control(own.base_url)
    report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.RECORDINGS])
    assert report.ok, report.failed
    view = deck.recordings(ViewQuery(provider=Provider.ZOOM))
    recordings = view.rows(0, view.count())
    busy = [r for r in recordings if r.processing]
    assert busy and all(r.file_size == 0 and r.end is None for r in busy)
    assert control.state()["zoom"]["processing_file_id"] in {r.key for r in busy}
    ready = [r for r in recordings if r.event_key == busy[0].event_key and not r.processing]
    assert ready  # the same meeting's finished file is offered as usual
    seq = control.mark()
    with pytest.raises(RecordingNotReady) as refused:
        deck.download(busy[0])
    assert "still processing" in refused.value.sentence
    assert not [r for r in control.requests_since(seq) if "/rec/download/" in r["path"]]


def registrant_requests(log: list[dict[str, Any]], webinar: str) -> list[dict[str, Any]]:
    return [r for r in log if r["path"] == f"/zoom/v2/webinars/{webinar}/registrants"]


async def test_an_expired_page_token_restarts_the_listing_without_duplicates(
    deck: Deck, own: Any
) -> None:
    """The sandbox refuses the first page token presented as expired: the listing starts
    again from its first page, and the cache holds each registrant once."""
    control = Control(own.base_url)
    big = str(control.state()["zoom"]["big_webinar_id"])
    await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
    scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, big)
    control.expire_page_tokens(1)
    seq = control.mark()
    report = await deck.refresh(scope)
    assert report.ok, report.failed
    asked = registrant_requests(control.requests_since(seq), big)
    assert [r["status"] for r in asked].count(400) == 1
    view = deck.registrants(ViewQuery(event_key=big))
    people = view.rows(0, view.count())
    counts = control.call("GET", f"state?event={big}")["counts"]
    expected = sum(n for status, n in counts.items() if status != "cancelled")
    assert len(people) == expected == len({p.key for p in people})
    stamp = deck.stamp(scope)
    assert stamp is not None and stamp.items == expected


async def test_a_token_refused_again_after_the_restart_fails_the_scope_once(
    deck: Deck, own: Any
) -> None:
    """Restarting is done once, not in a loop: a second refusal fails the scope, which
    keeps its previous rows."""
    control = Control(own.base_url)
    big = str(control.state()["zoom"]["big_webinar_id"])
    await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
    scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, big)
    assert (await deck.refresh(scope)).ok
    before = deck.registrants(ViewQuery(event_key=big)).count()
    control.expire_page_tokens(10)
    seq = control.mark()
    report = await deck.refresh(scope)
    assert not report.ok
    error = report.failed[0].error
    assert isinstance(error, RequestRejected) and "restarted" in error.sentence
    asked = registrant_requests(control.requests_since(seq), big)
    # The three statuses are listed side by side, so their requests interleave: per
    # listing, the one with a second page: page 1, refused, page 1 again, refused; stop.
    by_listing: dict[str, list[int]] = {}
    for r in asked:
        listing = parse_qs(r["query"]).get("status", ["pending"])[0]
        by_listing.setdefault(listing, []).append(r["status"])
    refused = [codes for codes in by_listing.values() if 400 in codes]
    assert refused == [[200, 400, 200, 400]], by_listing
    assert deck.registrants(ViewQuery(event_key=big)).count() == before


async def test_a_token_older_than_15_minutes_restarts_its_listing(deck: Deck, own: Any) -> None:
    """With the sandbox's clock moved past a token's 15 minutes between two pages, the
    adapter starts that status's listing again and yields no registrant twice."""
    control = Control(own.base_url)
    big = str(control.state()["zoom"]["big_webinar_id"])
    providers = deck.parts_for_tests().providers
    assert providers is not None and providers.zoom is not None
    seq = control.mark()
    seen: list[str] = []
    moved = False
    async for page in providers.zoom.webinar_registrant_pages(big, page_size=100):
        seen.extend(p.key for p in page)
        if not moved:
            control.advance_clock(15 * 60 + 1)
            moved = True
    counts = control.call("GET", f"state?event={big}")["counts"]
    expected = sum(n for status, n in counts.items() if status != "cancelled")
    assert len(seen) == expected == len(set(seen))
    asked = registrant_requests(control.requests_since(seq), big)
    assert [r["status"] for r in asked].count(400) == 1
