"""GoTo sign-in over real loopback token exchanges with the sandbox: both hosts' token
replies, a refresh that answers no refresh token, and finding the organizer and account
keys for admins and plain organizers (docs/real-clouds.md, "GoTo auth")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from tests.support.control import Control
from tests.support.decks import QUICK_RETRIES
from tests.support.hostile import JsonRewritingTransport
from tui.core.auth.identity import first_account_key
from tui.core.auth.tokens import GOTO
from tui.core.deck.from_profile import open_profile
from tui.core.errors import IdentityUnknown
from tui.core.models import MeetingKind, Provider
from tui.core.providers.session import ProviderSet
from tui.core.settings.config import ProfileSettings, demo_profile
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind

ADMIN_ME = "/admin/rest/v1/me"
SCIM_ME = "/identity/v1/Users/me"
TOKEN = "/oauth/token"


def goto_profile(base_url: str, *, plain: bool = False) -> ProfileSettings:
    """The demo profile without Zoom; `plain` signs in as the sandbox's plain organizer."""
    updates: dict[str, Any] = {
        "zoom_account_id": None,
        "zoom_client_id": None,
        "zoom_client_secret": None,
    }
    if plain:
        updates.update(
            goto_client_id="demo-organizer",
            goto_client_secret=SecretStr("demo-organizer-secret"),
        )
    return demo_profile(base_url).model_copy(update=updates)


def providers_for(
    base_url: str, *, plain: bool = False, transport: httpx.AsyncBaseTransport | None = None
) -> ProviderSet:
    return ProviderSet.for_profile(
        "ident",
        goto_profile(base_url, plain=plain),
        resolve_paths(),
        QUICK_RETRIES,
        demo=True,
        transport=transport,
    )


def calls(control: Control, seq: int) -> list[tuple[str, int]]:
    """(path, status) of the API requests since `seq`."""
    return [(r["path"], r["status"]) for r in control.requests_since(seq)]


@pytest.fixture
def control(sandbox: Any) -> Iterator[Control]:
    """The sandbox's control API; its GoTo token replies are put back after the test."""
    found = Control(sandbox.base_url)
    try:
        yield found
    finally:
        found.goto_oauth(token_shape="current", refresh_rotates=False)


class TokenReplies(JsonRewritingTransport):
    """Forwards to the sandbox unchanged and keeps the token endpoint's JSON replies."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if request.url.path == TOKEN and response.status_code == 200:
            self.replies.append(response.json())
        return response


# -- the token replies -------------------------------------------------------------------


async def test_an_admin_signs_in_on_todays_shape_and_gets_the_keys_from_admin_me(
    sandbox: Any, control: Control
) -> None:
    state = control.state()["goto"]
    seq = control.mark()
    replies = TokenReplies()
    async with providers_for(sandbox.base_url, transport=replies) as providers:
        await providers.demo_sign_in()
        assert providers.goto_auth is not None
        tokens = providers.goto_auth.tokens()
    assert [sorted(r) for r in replies.replies] == [
        ["access_token", "expires_in", "principal", "refresh_token", "scope", "token_type"]
    ]  # today's host: no keys, no names
    assert tokens is not None
    assert tokens.organizer_key == state["admin_organizer_key"]
    assert tokens.account_key == state["account_key"]
    assert tokens.is_admin is True
    assert tokens.email and tokens.name  # from /me: today's token reply names no one
    assert tokens.expires_at - tokens.obtained_at == timedelta(seconds=3600)  # type: ignore[operator]
    sent = calls(control, seq)
    assert (TOKEN, 200) in sent and (ADMIN_ME, 200) in sent
    assert not any(path == SCIM_ME for path, _ in sent)  # /me said everything


async def test_the_legacy_shape_string_keys_and_string_expires_in(
    sandbox: Any, control: Control
) -> None:
    """api.getgo.com/oauth/v2's reply: keys and expires_in as strings. A plain
    organizer's keys come from the reply itself; SCIM is not asked."""
    control.goto_oauth(token_shape="legacy")
    state = control.state()["goto"]
    seq = control.mark()
    async with providers_for(sandbox.base_url, plain=True) as providers:
        await providers.demo_sign_in()
        assert providers.goto_auth is not None
        tokens = providers.goto_auth.tokens()
    assert tokens is not None
    assert tokens.organizer_key == state["plain_organizer_key"]
    assert tokens.account_key == state["account_key"]
    assert tokens.expires_at - tokens.obtained_at == timedelta(seconds=3600)  # type: ignore[operator]
    assert tokens.is_admin is False
    sent = calls(control, seq)
    assert (ADMIN_ME, 403) in sent
    assert not any(path == SCIM_ME for path, _ in sent)


async def test_a_refresh_without_a_refresh_token_keeps_the_held_one_and_it_works_again(
    sandbox: Any, control: Control
) -> None:
    async with providers_for(sandbox.base_url) as providers:
        await providers.demo_sign_in()
        assert providers.goto_meeting is not None
        first = providers.store.get(GOTO)
        assert first is not None and first.refresh_token
        seq = control.mark()
        seen = [first]
        for _ in range(2):
            control.expire()  # the next call gets a 401 and refreshes
            assert await providers.goto_meeting.upcoming_meetings()
            now = providers.store.get(GOTO)
            assert now is not None
            seen.append(now)
    refreshes = [status for path, status in calls(control, seq) if path == TOKEN]
    assert refreshes == [200, 200]
    assert {t.refresh_token for t in seen} == {first.refresh_token}  # kept, twice
    assert len({t.access_token for t in seen}) == 3  # a new access token each time
    assert all(t.organizer_key == first.organizer_key for t in seen)


# -- plain organizers ------------------------------------------------------------------


async def test_a_plain_organizer_gets_the_key_from_scim_and_syncs_their_own_events(
    sandbox: Any, control: Control
) -> None:
    """/admin/rest/v1/me is refused (403); SCIM's Users/me gives the organizer key;
    their meetings and trainings sync."""
    state = control.state()["goto"]
    key = state["plain_organizer_key"]
    seq = control.mark()
    deck = open_profile(
        resolve_paths(), "plain", goto_profile(sandbox.base_url, plain=True), demo=True
    )
    try:
        await deck.demo_sign_in()
        sent = calls(control, seq)
        assert (ADMIN_ME, 403) in sent and (SCIM_ME, 200) in sent
        report = await deck.sync_all(
            kinds=[ScopeKind.MEETINGS, ScopeKind.HISTORICAL, ScopeKind.EVENTS]
        )
        assert report.ok, report.failed
        trainings = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING))
        found = [e.source for e in trainings.rows(0, trainings.count())]
        assert found and all(key in t.organizer_keys for t in found)  # type: ignore[union-attr]
        meetings = deck.meetings(ViewQuery(provider=Provider.GOTO_MEETING))
        rows = meetings.rows(0, meetings.count())
        upcoming = [m for m in rows if m.kind is MeetingKind.UPCOMING]
        assert upcoming and all(m.organizer_key == key for m in upcoming)
        health = {h.provider: h for h in deck.health()}
        assert health[Provider.GOTO_TRAINING].last_error is None
    finally:
        await deck.aclose()
    tokens = ProviderSet.for_profile(
        "plain", goto_profile(sandbox.base_url, plain=True), resolve_paths(), demo=True
    ).store.get(GOTO)
    assert tokens is not None and tokens.organizer_key == key and tokens.is_admin is False
    assert tokens.account_key is None  # SCIM's spec has no account key


class BlankAccountKey(JsonRewritingTransport):
    """/admin/rest/v1/me with a blank `accountKey` (the legacy host's "may be blank")."""

    def applies(self, request: httpx.Request) -> bool:
        return request.url.path == ADMIN_ME

    def replace(self, key: str, item: str) -> str | None:
        return "" if key == "accountKey" else None


async def test_an_admin_account_key_comes_from_accounts_when_account_key_is_blank(
    sandbox: Any, control: Control
) -> None:
    state = control.state()["goto"]
    seq = control.mark()
    async with providers_for(sandbox.base_url, transport=BlankAccountKey()) as providers:
        await providers.demo_sign_in()
        assert providers.goto_auth is not None
        tokens = providers.goto_auth.tokens()
    assert tokens is not None and tokens.account_key == state["account_key"]
    assert not any(path == SCIM_ME for path, _ in calls(control, seq))


def test_account_keys_are_read_from_the_first_usable_entry() -> None:
    """GoTo's guide writes `accounts[{key, name}]`; a live SCIM record `{value,
    display}`; odd entries are skipped, not fatal."""
    odd: list[Any] = [None, "x", {"key": True}, {"name": "no key"}, {"value": 1842200297}]
    assert first_account_key(odd, "key", "value") == "1842200297"
    assert first_account_key([{"key": "88", "value": "99"}], "value", "key") == "99"
    assert first_account_key(None, "key") is None


# -- no key at all ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 503])
async def test_neither_call_giving_a_key_is_a_typed_error_and_nothing_is_kept(
    status: int, sandbox: Any, control: Control
) -> None:
    """A plain organizer (admin /me: 403) whose SCIM call fails too."""
    control.fault({"error_status": status, "match": {"path": f"^{SCIM_ME}$"}})
    async with providers_for(sandbox.base_url, plain=True) as providers:
        with pytest.raises(IdentityUnknown) as info:
            await providers.demo_sign_in()
        assert providers.goto_auth is not None
        assert providers.goto_auth.tokens() is None  # not signed in half-way
        assert providers.goto_auth.status().signed_in is False
    sentence = info.value.sentence
    assert f"{ADMIN_ME} answered 403" in sentence
    assert SCIM_ME in sentence and "Sign in again" in sentence
    assert "demo-organizer-secret" not in sentence and "Bearer" not in sentence
    assert info.value.title == "Organizer key unknown"
