"""A process that approves 147 pending people of the big webinar and hangs before the
third Zoom chunk: `python -m tests.chaos.approve_child BASE_URL FOLDER EVENT_KEY`.

It prints `sent 60` (flushed) once two chunks of 30 have returned and the third is
about to go out, then waits forever, for the test to SIGKILL it there.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx

from tests.support.chaos import CHAOS, PROFILE, paths_in
from tests.support.decks import open_deck
from tui.core.deck.gate import Confirmation
from tui.core.models import EventKind, Provider, RegistrantStatus
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope

PEOPLE = 147


async def approve(base_url: str, folder: Path, event_key: str) -> None:
    deck = open_deck(base_url, paths_in(folder), CHAOS)
    await deck.demo_sign_in()
    assert (await deck.refresh(Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, event_key))).ok
    people = deck.registrants(
        ViewQuery(event_key=event_key, status=RegistrantStatus.PENDING, sort="name")
    ).rows(0, PEOPLE)
    assert len(people) == PEOPLE, len(people)
    plan = deck.plan_registrant_action("approve", people)
    puts = 0

    async def hang_before_the_third(request: httpx.Request) -> None:
        nonlocal puts
        if request.method == "PUT" and request.url.path.endswith("/registrants/status"):
            puts += 1
            if puts == 3:
                print("sent 60", flush=True)
                await asyncio.Event().wait()

    providers = deck.parts_for_tests().providers
    assert providers is not None and providers.zoom is not None
    providers.zoom.api.connection.client.event_hooks["request"].append(hang_before_the_third)
    await deck.run_registrant_action(
        plan,
        Confirmation.of(
            PROFILE, "approve", [p.key for p in people], event_key=event_key, typed_count=PEOPLE
        ),
    )


if __name__ == "__main__":
    asyncio.run(approve(sys.argv[1], Path(sys.argv[2]), sys.argv[3]))
