"""Tokens that die mid-session: one renewal, then a clear "sign in again", never a loop.

Expired access tokens (the sandbox's `tokens/expire`): the next call gets a 401, the
client renews once per cloud (GoTo with its refresh token, Zoom with its app
credentials) and every scope succeeds. Revoked tokens (`tokens/revoke`, refresh tokens
included): GoTo tries its refresh token once, is refused, and every GoTo scope ends in
SessionExpired saying how to sign in again; later refreshes do not ask the token
endpoint again, and send at most one request per scope. Zoom's Server-to-Server app
simply gets a new token; credentials Zoom refuses are sent once, not once per scope.
Also: faults at sign-in itself (authorize, token, "who am I").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.app import SIZE, build, press, show_tab
from tests.support.chaos import CHAOS, SyncedCache, fingerprint, tally
from tests.support.control import Control
from tests.support.decks import open_deck
from tests.support.screen import screen_lines, screen_text, toasts
from tui.core.deck.facade import Deck
from tui.core.deck.from_profile import open_profile
from tui.core.errors import MeetdeckError, ServiceUnavailable, SessionExpired
from tui.core.models import Provider
from tui.core.sync.types import ScopeKind

GOTO_TOKEN = ("POST", "/oauth/token")
ZOOM_TOKEN = ("POST", "/zoom/oauth/token")
GOTO_APIS = ("/G2M/", "/G2T/", "/seeit/", "/admin/")


def calls(requests: list[dict[str, Any]], method: str, path: str) -> int:
    return sum(1 for r in requests if r["method"] == method and r["path"] == path)


def goto_api(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in requests if r["path"].startswith(GOTO_APIS)]


def goto_scopes(deck: Deck) -> int:
    engine = deck.parts_for_tests().engine
    assert engine is not None
    return sum(1 for s in engine.scopes() if s.provider is not Provider.ZOOM)


async def test_expired_tokens_are_renewed_once_per_cloud(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    control = Control(synced.base_url)
    deck = open_deck(synced.base_url, synced.install(tmp_path), CHAOS)
    try:
        await deck.demo_sign_in()
        before = fingerprint(deck)
        assert (await deck.sync_all(kinds=[ScopeKind.ORGANIZERS])).ok  # Zoom signs in
        control.expire()
        seq = control.mark()
        report = await deck.sync_all()
        assert report.ok, report.failed
        log = control.requests_since(seq)
        after = fingerprint(deck)
    finally:
        await deck.aclose()
    assert calls(log, *GOTO_TOKEN) == 1
    assert calls(log, *ZOOM_TOKEN) == 1
    refused = [r for r in log if r["status"] == 401]
    # Only calls already in flight when the tokens died were refused (bounded by the
    # concurrency of 4 per cloud), each resent once with the new token.
    assert 2 <= len(refused) <= 8, refused
    assert after == before
    tally(request, "token", 1)


async def test_revoked_tokens_end_in_sign_in_again_without_a_loop(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    control = Control(synced.base_url)
    deck = open_deck(synced.base_url, synced.install(tmp_path), CHAOS)
    try:
        await deck.demo_sign_in()
        before = fingerprint(deck)
        control.revoke()
        seq = control.mark()
        first = await deck.sync_all()
        log_first = control.requests_since(seq)
        after_first = control.mark()
        second = await deck.sync_all()
        log_second = control.requests_since(after_first)
        scopes = goto_scopes(deck)
        health = {h.provider: h for h in deck.health()}
        after = fingerprint(deck)
    finally:
        await deck.aclose()

    goto_failures = [f for f in first.failed if f.scope.provider is not Provider.ZOOM]
    assert goto_failures and all(isinstance(f.error, SessionExpired) for f in goto_failures)
    assert not [f for f in first.failed if f.scope.provider is Provider.ZOOM], first.failed
    sentence = goto_failures[0].error.sentence
    assert "Sign in again" in sentence and "`meetdeck --demo`" in sentence, sentence
    # One refresh attempt (refused), then no more token calls, now or on the next sync.
    assert calls(log_first, *GOTO_TOKEN) == 1
    assert calls(log_second, *GOTO_TOKEN) == 0
    assert calls(log_first, *ZOOM_TOKEN) == 1 and calls(log_second, *ZOOM_TOKEN) == 0
    # At most one request per GoTo scope per run: nothing is retried against a dead session.
    assert len(goto_api(log_first)) <= scopes, goto_api(log_first)
    assert len(goto_api(log_second)) <= scopes, len(goto_api(log_second))
    assert {f.scope for f in second.failed} == {f.scope for f in first.failed}
    for provider in (Provider.GOTO_MEETING, Provider.GOTO_TRAINING, Provider.GOTO_ASSIST):
        error = health[provider].last_error
        assert isinstance(error, SessionExpired), (provider, error)
    assert health[Provider.ZOOM].last_error is None
    assert after == before  # the cache still serves everything
    tally(request, "token", 2)


async def test_revoked_session_in_the_app_says_sign_in_again(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    control = Control(synced.base_url)
    app = build(synced.install(tmp_path), synced.base_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        pane = await show_tab(pilot, app, "meetings")
        await press(pilot, app, "refresh")  # signs in; the meetings refresh fine
        rows = pane.table.row_count
        assert rows > 0 and "\u2717" not in screen_lines(app)[0], screen_lines(app)[0]
        control.revoke()
        seq = control.mark()
        await press(pilot, app, "sync-all", "refresh")
        log = control.requests_since(seq)
        header = screen_lines(app)[0]
        assert app.is_running
        assert pane.table.row_count == rows
        for label in ("Meeting", "Training", "Assist"):
            assert f"{label} \u2717 Session expired" in header, header
        # Zoom is unaffected: synced, its one user without webinars skipped as always.
        assert "Zoom ! users skipped" in header, header
        expired = [t for t in toasts(app) if t.startswith("Session expired:")]
        assert expired and "Sign in again" in expired[-1], toasts(app)
        assert "Traceback" not in screen_text(app)
    assert calls(log, *GOTO_TOKEN) == 1, [r for r in log if r["path"] == "/oauth/token"]
    assert len(goto_api(log)) <= 2 * 6, goto_api(log)  # R then r: <= 1 request per scope
    tally(request, "token", 1)


@pytest.mark.parametrize(
    "path, status",
    [
        ("/oauth/authorize", 503),
        ("/oauth/token", 500),
        ("/admin/rest/v1/me", 500),
        ("/admin/rest/v1/me", 503),
    ],
)
async def test_faults_at_sign_in(
    path: str, status: int, synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A failing sign-in is a typed error and nothing is stored; a failing "who am I"
    still signs in (the identity comes from the token response)."""
    control = Control(synced.base_url)
    deck = open_deck(synced.base_url, synced.install(tmp_path), CHAOS)
    try:
        control.fault({"error_status": status, "match": {"path": f"^{path}$"}})
        error: MeetdeckError | None = None
        try:
            await deck.demo_sign_in()
        except MeetdeckError as exc:
            error = exc
        finally:
            control.clear()
        providers = deck.parts_for_tests().providers
        assert providers is not None and providers.goto_auth is not None
        tokens = providers.goto_auth.tokens()
        if path == "/admin/rest/v1/me":
            assert error is None and tokens is not None and tokens.organizer_key
        else:
            assert isinstance(error, ServiceUnavailable) and tokens is None, error
        if tokens is None:
            await deck.demo_sign_in()
        report = await deck.sync_all(kinds=[ScopeKind.EVENTS, ScopeKind.SUPPORT])
        assert report.ok, report.failed
    finally:
        await deck.aclose()
    tally(request, "token", 1)


async def test_refused_zoom_credentials_are_sent_once_not_once_per_scope(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A Server-to-Server app Zoom refuses (a wrong secret, a deactivated app): the
    first scope's token request is refused and every Zoom scope fails with the same
    "check the app" error; the refused credentials are not sent again for a minute,
    so neither the other scopes nor a refresh right after ask again. Signing in on
    purpose always asks."""
    from pydantic import SecretStr

    from tests.support.chaos import HTTP, PROFILE, fast_profile
    from tui.core.errors import NotSignedIn

    control = Control(synced.base_url)
    profile = fast_profile(synced.base_url).model_copy(
        update={"zoom_client_secret": SecretStr("not-the-secret")}
    )
    deck = open_profile(
        synced.install(tmp_path), PROFILE, profile, http=HTTP, demo=True, profiles=(PROFILE,)
    )
    try:
        await deck.demo_sign_in()
        before = fingerprint(deck)
        seq = control.mark()
        first = await deck.sync_all()
        second = await deck.sync_all()
        log = control.requests_since(seq)
        zoom_failed = [f for f in first.failed if f.scope.provider is Provider.ZOOM]
        again = control.mark()
        with pytest.raises(NotSignedIn):
            providers = deck.parts_for_tests().providers
            assert providers is not None and providers.zoom_auth is not None
            await providers.zoom_auth.sign_in()
        on_purpose = control.requests_since(again)
        after = fingerprint(deck)
    finally:
        await deck.aclose()

    assert len(zoom_failed) > 1, first.failed
    assert all(isinstance(f.error, NotSignedIn) for f in zoom_failed)
    assert "zoom_client_secret" in zoom_failed[0].error.sentence
    assert "not-the-secret" not in zoom_failed[0].error.sentence
    assert {f.scope for f in second.failed} == {f.scope for f in first.failed}
    assert calls(log, *ZOOM_TOKEN) == 1, calls(log, *ZOOM_TOKEN)
    assert not [r for r in log if r["path"].startswith("/zoom/") and "oauth" not in r["path"]]
    assert calls(on_purpose, *ZOOM_TOKEN) == 1
    assert after == before
    tally(request, "token", 1)
