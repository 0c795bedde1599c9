"""Helpers of the Deck action and download tests: a Deck on the sandbox, its control API."""

from __future__ import annotations

from typing import Any

import httpx

from tui.core.deck.facade import Deck, Scope, ScopeKind, ViewQuery
from tui.core.models import Provider, Recording, Registrant, RegistrantStatus
from tui.core.settings.config import HttpSettings, demo_profile
from tui.core.settings.paths import resolve_paths

#: Paths whose POSTs are sign-ins, not writes to an account.
AUTH_PATHS = ("/oauth/", "/zoom/oauth/")


def open_deck(base_url: str, *, zoom_only: bool = False, goto_only: bool = False,
              read_only: bool = False,
              profile_read_only: bool = False, http: HttpSettings | None = None) -> Deck:
    """A Deck of the demo profile pointing at the sandbox (its cache in the test's dirs)."""
    updates: dict[str, Any] = {"read_only": profile_read_only}
    if zoom_only:
        updates.update(goto_client_id=None, goto_client_secret=None)
    if goto_only:
        updates.update(zoom_account_id=None, zoom_client_id=None, zoom_client_secret=None)
    profile = demo_profile(base_url).model_copy(update=updates)
    return Deck.open(resolve_paths(), "sbx", profile, demo=True, read_only=read_only,
                     http=http or HttpSettings(max_retries=2, max_backoff=0.5))


async def sync_events(deck: Deck, *, goto: bool = False) -> None:
    """Users and events (no registrants: each test refreshes the event it uses)."""
    if goto:
        await deck.demo_sign_in()
    report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
    assert report.ok, report.failed


async def registrants_of(deck: Deck, provider: Provider, event_key: str,
                         status: RegistrantStatus | None = None) -> list[Registrant]:
    """Refresh one event's registrants from the sandbox and read them from the cache."""
    event = deck.parts_for_tests().store.event(event_key, provider)
    assert event is not None, f"event {event_key} is not cached"
    report = await deck.refresh(Scope.registrants(provider, event.kind, event_key))
    assert report.ok, report.failed
    view = deck.registrants(ViewQuery(event_key=event_key, status=status, sort="name"))
    return view.rows(0, view.count())


async def owner_recordings(deck: Deck, base_url: str) -> list[Recording]:
    """The Zoom account owner's cloud recording files of the last 30 days (one request)."""
    owner = state(base_url)["zoom"]["owner_user_id"]
    providers = deck.parts_for_tests().providers
    assert providers is not None and providers.zoom is not None
    return await providers.zoom.recordings(owner)


def state(base_url: str) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{base_url}/_sandbox/state", timeout=10).json()
    return found


def statuses(base_url: str, event_key: str) -> dict[str, str]:
    """The sandbox's registrant statuses of one event, by registrant id."""
    body = httpx.get(f"{base_url}/_sandbox/state", params={"event": event_key},
                     timeout=10).json()
    if "registrants" in body:
        return dict(body["registrants"])
    compact = body["registrants_compact"]
    legend = compact["legend"]
    return {rid: legend[ch] for rid, ch in zip(compact["ids"], compact["statuses"],
                                               strict=True)}


def mark(base_url: str) -> int:
    """The request log's current position (pass it to `requests_since`)."""
    seq: int = httpx.get(f"{base_url}/_sandbox/requests", params={"limit": 1},
                         timeout=10).json()["last_seq"]
    return seq


def requests_since(base_url: str, seq: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(
        f"{base_url}/_sandbox/requests", params={"since": seq}, timeout=10).json()["requests"]
    return [r for r in found if not r["path"].startswith("/_sandbox/")]


def writes(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The requests that would change an account (sign-ins excluded)."""
    return [r for r in requests if r["method"] in ("PUT", "POST", "DELETE", "PATCH")
            and not r["path"].startswith(AUTH_PATHS)]


def fault(base_url: str, rule: dict[str, Any]) -> None:
    response = httpx.post(f"{base_url}/_sandbox/faults", json=rule, timeout=10)
    assert response.status_code == 201, response.text
