"""Every fault kind on every endpoint group the sync calls, through the real Deck.

For each (fault kind, endpoint group): a cache synced from the sandbox, a fault rule on
the group's paths, a refresh of the scopes that call them. A fault the client should
absorb (a latency spike, a 429 blip, unknown fields) leaves the refresh successful;
any other ends in the expected typed error for every affected scope, while the cache
keeps every row and the scope's previous fetch time, and `health()` names the error.
After the fault is cleared, the same refresh recovers. No request loops: the requests
made under the fault stay within (clean requests) x (1 + retries).

`test_the_groups_cover_every_endpoint_of_a_clean_sync` keeps the matrix honest: every
endpoint in the sandbox's request log of a clean sync belongs to exactly one group.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.chaos import (
    CHAOS,
    CLIENT_SECRETS,
    HTTP,
    PATIENT_HTTP,
    SyncedCache,
    fingerprint,
    tally,
    token_values,
)
from tests.support.control import Control
from tests.support.decks import open_deck
from tui.core.deck.facade import Deck
from tui.core.errors import (
    BadResponse,
    IdentityUnknown,
    MeetdeckError,
    NetworkUnreachable,
    RateLimited,
    ResponseTooLarge,
    ServiceUnavailable,
    SessionExpired,
)
from tui.core.models import EventKind, Provider
from tui.core.settings.config import HttpSettings
from tui.core.store.codec import TEXT_LIMIT
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope, ScopeKind, SyncReport, history_window

# -- fault kinds ---------------------------------------------------------------------------


def open_window() -> datetime:
    """The start of the history window that holds now."""
    return history_window(datetime.now(UTC))[0]


@dataclass(frozen=True)
class FaultKind:
    """A fault rule (without `match`) and what the client should make of it.

    Attributes:
        error: The typed error every affected scope ends with; None when the client
            absorbs the fault and the refresh succeeds.
        consumes: The fault lets the server act on the request but loses the answer;
            on a token endpoint whose refresh tokens rotate (a sandbox option; neither
            GoTo host documents it today) that burns the refresh token. (A timeout does
            not: the sandbox waits before it reads the request, and finds the client
            gone.)
    """

    name: str
    rule: dict[str, Any]
    error: type[MeetdeckError] | None
    http: HttpSettings = field(default_factory=lambda: HTTP)
    consumes: bool = False

    @property
    def attempts(self) -> int:
        """How often a healthy call is asked: under the kind's own short bound (BOUND) it
        may miss it on a loaded machine, and end as the kind's network error."""
        bounded = self.http is not HTTP and self.error is NetworkUnreachable
        return RECOVERY_ATTEMPTS if bounded else 1


#: The read timeout of "timeout" and the deadline of "trickle", in seconds: each such
#: scenario waits this long under its fault (26 scenarios: half a second each is 13 s of
#: the suite; a healthy answer that misses it on a loaded machine is asked again).
BOUND = 0.5
#: Refreshes a recovery may take when a healthy answer misses BOUND on a loaded machine.
RECOVERY_ATTEMPTS = 5

KINDS = [
    FaultKind("latency-spike", {"latency_ms": 150, "remaining": 2}, None),
    # Retries of a lost connection are covered by drop-mid-body; one attempt keeps it quick.
    FaultKind(
        "timeout",
        {"latency_ms": 20_000},
        NetworkUnreachable,
        # Short (BOUND), so that the scenario waits half a second, not two or three; a
        # healthy answer that misses it on a loaded machine is asked again (`recover`).
        http=HTTP.model_copy(update={"read_timeout": BOUND, "max_retries": 0}),
    ),
    FaultKind("http-500", {"error_status": 500}, ServiceUnavailable),
    FaultKind("gateway-502-burst", {"error_status": 502}, ServiceUnavailable),
    FaultKind("http-503", {"error_status": 503}, ServiceUnavailable),
    FaultKind("429-storm", {"storm_429": True, "retry_after": 5}, RateLimited),
    FaultKind("429-blip", {"storm_429": True, "retry_after": 0, "remaining": 1}, None),
    FaultKind("drop-mid-body", {"drop_mid_body": True}, NetworkUnreachable, consumes=True),
    FaultKind("json-truncated", {"malformed_json": "truncate"}, BadResponse, consumes=True),
    FaultKind("json-garbage", {"malformed_json": "garbage"}, BadResponse, consumes=True),
    FaultKind("unknown-fields", {"extra_fields": True}, None),
    # A body trickled a byte per 0.15 s never trips the read timeout (3 s); the overall
    # deadline (BOUND, while the answer still lacks all but its first three bytes) ends it.
    FaultKind(
        "trickle",
        {"trickle_ms": 150},
        NetworkUnreachable,
        consumes=True,
        http=HTTP.model_copy(update={"request_deadline": BOUND, "max_retries": 0}),
    ),
    # 2 MB of padding, chunked without a length, against a 1 MB limit.
    FaultKind(
        "huge-body",
        {"huge_body": 2 * 1024 * 1024},
        ResponseTooLarge,
        consumes=True,
        http=HTTP.model_copy(update={"max_body_bytes": 1024 * 1024}),
    ),
    FaultKind("deep-nesting", {"deep_nesting": 100_000}, BadResponse, consumes=True),
    FaultKind("huge-strings", {"huge_strings": 20_000}, None),
    FaultKind("extreme-dates", {"extreme_dates": True}, None),
]

# -- endpoint groups -----------------------------------------------------------------------


def _zoom_big_webinar(deck: Deck, state: dict[str, Any]) -> Scope:
    return Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, str(state["zoom"]["big_webinar_id"]))


def _first_training(deck: Deck) -> Scope:
    view = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING, sort="title"))
    assert view.count() > 0, "the template has no trainings"
    return Scope.registrants(Provider.GOTO_TRAINING, EventKind.TRAINING, view.rows(0, 1)[0].key)


@dataclass(frozen=True)
class Group:
    """Endpoints of one API, and the scopes whose refresh calls them.

    Attributes:
        path: The regex of the fault's `match.path` (the sandbox searches it).
        scopes: The scopes to refresh, from the Deck and the sandbox state.
        token: "goto" or "zoom" for a token endpoint: the access tokens are expired
            first, so that the refresh must go through it.
    """

    name: str
    path: str
    provider: Provider
    scopes: Callable[[Deck, dict[str, Any]], list[Scope]]
    method: str | None = None
    token: str | None = None

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and re.search(self.path, path) is not None


GROUPS = [
    Group(
        "g2m",
        r"^/G2M/rest/",
        Provider.GOTO_MEETING,
        lambda d, s: [
            Scope(ScopeKind.ORGANIZERS, Provider.GOTO_MEETING),
            Scope(ScopeKind.MEETINGS, Provider.GOTO_MEETING),
            # The history window still open (past meetings are cached per window).
            Scope(ScopeKind.HISTORICAL, Provider.GOTO_MEETING, since=open_window()),
        ],
    ),
    Group(
        "g2t",
        r"^/G2T/rest/",
        Provider.GOTO_TRAINING,
        lambda d, s: [
            Scope(ScopeKind.EVENTS, Provider.GOTO_TRAINING),
            Scope(ScopeKind.RECORDINGS, Provider.GOTO_TRAINING),
            _first_training(d),
        ],
    ),
    Group(
        "seeit",
        r"^/seeit/v1/",
        Provider.GOTO_ASSIST,
        lambda d, s: [Scope(ScopeKind.SUPPORT, Provider.GOTO_ASSIST)],
    ),
    Group(
        "zoom-users",
        r"^/zoom/v2/users$",
        Provider.ZOOM,
        lambda d, s: [Scope(ScopeKind.ORGANIZERS, Provider.ZOOM)],
    ),
    Group(
        "zoom-webinars",
        r"^/zoom/v2/users/[^/]+/webinars$",
        Provider.ZOOM,
        lambda d, s: [Scope(ScopeKind.EVENTS, Provider.ZOOM)],
    ),
    Group(
        "zoom-registrants",
        r"^/zoom/v2/(webinars|meetings)/[^/]+/registrants$",
        Provider.ZOOM,
        lambda d, s: [_zoom_big_webinar(d, s)],
    ),
    # The list, and GET /meetings/{id} of the meetings that can take registration.
    Group(
        "zoom-meetings",
        r"^/zoom/v2/(users/[^/]+/meetings|meetings/[^/]+)$",
        Provider.ZOOM,
        lambda d, s: [Scope(ScopeKind.MEETINGS, Provider.ZOOM)],
    ),
    Group(
        "zoom-recordings",
        r"^/zoom/v2/users/[^/]+/recordings$",
        Provider.ZOOM,
        lambda d, s: [Scope(ScopeKind.RECORDINGS, Provider.ZOOM)],
    ),
    Group(
        "goto-token",
        r"^/oauth/token$",
        Provider.GOTO_ASSIST,
        lambda d, s: [
            Scope(ScopeKind.SUPPORT, Provider.GOTO_ASSIST),
            Scope(ScopeKind.ORGANIZERS, Provider.GOTO_MEETING),
        ],
        method="POST",
        token="goto",
    ),
    Group(
        "zoom-token",
        r"^/zoom/oauth/token$",
        Provider.ZOOM,
        lambda d, s: [Scope(ScopeKind.ORGANIZERS, Provider.ZOOM)],
        method="POST",
        token="zoom",
    ),
]
#: Called at sign-in only (GoTo's authorize page and "who am I"): tested in test_tokens.
SIGN_IN_ONLY = (("GET", r"^/oauth/authorize$"), ("GET", r"^/admin/rest/v1/me$"))


def stamps_of(deck: Deck, scopes: list[Scope]) -> dict[str, Any]:
    return {s.id: deck.stamp(s) for s in scopes}


async def refresh_all(deck: Deck, scopes: list[Scope]) -> list[SyncReport]:
    """Refresh the scopes at once, as the TUI's `r` on several panes would."""
    return list(await asyncio.gather(*(deck.refresh(s) for s in scopes)))


async def sign_in(deck: Deck, kind: FaultKind) -> None:
    """Sign `deck` in, no fault on: under a kind's short bound (BOUND) a healthy sign-in
    may miss it on a loaded machine (its identity calls then end unreachable, and GoTo's
    organizer key unknown), so it is asked again, up to RECOVERY_ATTEMPTS times. Any
    other failure, or one that lasts, fails the test."""
    for attempt in range(kind.attempts):
        try:
            await deck.demo_sign_in()
            return
        except (NetworkUnreachable, IdentityUnknown) as error:
            missed = isinstance(error, NetworkUnreachable) or "unreachable" in error.sentence
            if not missed or attempt == kind.attempts - 1:
                raise


async def recover(
    deck: Deck, scopes: list[Scope], kind: FaultKind, control: Control, seq: int
) -> int:
    """Refresh `scopes` on the same Deck until every one succeeds; the mark of the
    successful refresh in the sandbox's log.

    Under a kind's short bound (BOUND) a healthy answer may miss it on a loaded machine:
    such a refresh is asked again, up to RECOVERY_ATTEMPTS times, as long as it fails
    with nothing but the kind's own network error. Any other failure, or a Deck that
    never recovers, fails the test.
    """
    failed: list[Any] = []
    for _ in range(kind.attempts):
        recovered = await refresh_all(deck, scopes)
        failed = [f for r in recovered for f in r.failed]
        if not failed:
            return seq
        assert all(type(f.error) is NetworkUnreachable for f in failed), failed
        seq = control.mark()
    raise AssertionError(f"the Deck did not recover after the fault: {failed}")


def group_requests(requests: list[dict[str, Any]], group: Group) -> list[dict[str, Any]]:
    return [r for r in requests if group.matches(r["method"], r["path"])]


def assert_clean_sentence(error: MeetdeckError, secrets: list[str]) -> None:
    text = f"{error.title} {error.sentence}"
    assert "Traceback" not in text and "\x1b" not in text
    for secret in secrets:
        assert secret not in text, f"a secret is in the error: {text}"
    assert error.sentence.strip().endswith((".", ")", '"')), error.sentence


@pytest.mark.parametrize("group", GROUPS, ids=[g.name for g in GROUPS])
@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
async def test_fault_on_endpoint_group(
    kind: FaultKind,
    group: Group,
    synced: SyncedCache,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    control = synced.control
    paths = synced.install(tmp_path)
    deck = open_deck(synced.base_url, paths, CHAOS, http=kind.http)
    try:
        await sign_in(deck, kind)
        scopes = group.scopes(deck, synced.state)
        before = fingerprint(deck)
        stamps = stamps_of(deck, scopes)
        rotates = control.goto_oauth()["refresh_rotates"]
        burns = group.token == "goto" and kind.consumes and rotates
        if group.token is not None:
            control.expire()  # the next API call gets a 401 and must renew its token
        match: dict[str, str] = {"path": group.path}
        if group.method:
            match["method"] = group.method
        seq = control.mark()
        control.fault({**kind.rule, "match": match})
        try:
            faulted = await refresh_all(deck, scopes)
        finally:
            control.clear()
        under_fault = group_requests(control.requests_since(seq), group)
        assert under_fault, f"no request reached the faulted endpoints of {group.name}"
        secrets = [*CLIENT_SECRETS, *token_values(paths.token_file("chaos", demo=True))]

        faulted_calls = [r for r in under_fault if r.get("fault")]
        assert faulted_calls, f"the fault never applied to {group.name}"
        if "latency_ms" in kind.rule and kind.error is None:
            assert max(r["duration_ms"] or 0 for r in faulted_calls) >= kind.rule["latency_ms"]
        if kind.error is None:
            # Absorbed: the refresh succeeds and stores the same rows, fresher.
            assert all(r.ok for r in faulted), [r.failed for r in faulted]
            assert fingerprint(deck) == before
            for scope in scopes:
                new = deck.stamp(scope)
                assert new is not None and not new.failed
                assert new.fetched_at is not None and new.fetched_at > stamps[scope.id].fetched_at
        else:
            failures = [f for r in faulted for f in r.failed]
            assert [f.scope for f in failures] == scopes, failures
            # A lost answer from GoTo's token endpoint burns a rotated refresh token:
            # the scopes queued behind that renewal learn the session has ended.
            allowed: set[type[MeetdeckError]] = (
                {kind.error, SessionExpired} if burns else {kind.error}
            )
            titles = {e.title for e in allowed}
            assert any(type(f.error) is kind.error for f in failures), failures
            for failure in failures:
                assert type(failure.error) in allowed, (failure.error, kind.name)
                assert_clean_sentence(failure.error, secrets)
            # The cache still serves every row, with its previous age, marked failed.
            assert fingerprint(deck) == before
            for scope in scopes:
                stamp = deck.stamp(scope)
                assert stamp is not None and stamp.failed
                assert stamp.fetched_at == stamps[scope.id].fetched_at
                assert stamp.error_title in titles
            health = {h.provider: h for h in deck.health()}
            last_error = health[group.provider].last_error
            assert last_error is not None and last_error.title in titles
            offline = kind.error in (NetworkUnreachable, ServiceUnavailable)
            assert health[group.provider].offline is offline

        # The fault is gone: the same refresh recovers (a refresh token the fault burnt
        # means signing in again first, which the error said).
        seq = control.mark()
        if burns:
            recovered = await refresh_all(deck, scopes)
            errors = [f.error for r in recovered for f in r.failed]
            assert errors and all(isinstance(e, SessionExpired) for e in errors), errors
            assert "Sign in again" in errors[0].sentence
            deck.parts_for_tests().providers.goto_auth.logout()  # type: ignore[union-attr]
            await sign_in(deck, kind)
        seq = await recover(deck, scopes, kind, control, seq)
        assert fingerprint(deck) == before
        health = {h.provider: h for h in deck.health()}
        assert health[group.provider].last_error is None
        clean = len(group_requests(control.requests_since(seq), group))
        # No loops: retries are bounded (clean calls x (1 + retries), plus token renewals).
        bound = max(clean, len(scopes)) * (1 + kind.http.max_retries) + 2 * len(scopes)
        assert len(under_fault) <= bound, (len(under_fault), clean)
    finally:
        await deck.aclose()
    tally(request, "deck")


async def test_the_groups_cover_every_endpoint_of_a_clean_sync(
    tmp_path: Path, synced: SyncedCache
) -> None:
    """The endpoints a full sync calls (from the sandbox's log) all belong to one group."""
    control = synced.control
    deck = open_deck(synced.base_url, synced.install(tmp_path), CHAOS)
    seq = control.mark()
    try:
        await deck.demo_sign_in()
        control.expire()  # so the token endpoints show up as a sync would use them
        report = await deck.sync_all()
        assert report.ok, report.failed
    finally:
        await deck.aclose()
    seen = {(r["method"], r["path"]) for r in control.requests_since(seq)}
    unmatched = []
    for method, path in sorted(seen):
        owners = [g.name for g in GROUPS if g.matches(method, path)]
        signin = any(m == method and re.search(p, path) for m, p in SIGN_IN_ONLY)
        if signin:
            assert not owners, (method, path, owners)
        elif len(owners) != 1:
            unmatched.append((method, path, owners))
    assert not unmatched, f"endpoints without exactly one fault group: {unmatched}"
    for group in GROUPS:
        assert any(group.matches(m, p) for m, p in seen), f"{group.name} matched nothing"


async def test_huge_strings_are_cut_in_the_cache_and_counted_in_the_report(
    synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Every name and title 100,000 characters longer: the refresh succeeds, each stored
    text value is at most TEXT_LIMIT characters and ends in "…", the report counts them,
    and the cache grows by at most the limit per value (not 100,000)."""
    control = synced.control
    paths = synced.install(tmp_path)
    deck = open_deck(synced.base_url, paths, CHAOS, http=PATIENT_HTTP)
    try:
        await deck.demo_sign_in()
        scope = _zoom_big_webinar(deck, synced.state)
        control.fault(
            {"huge_strings": 100_000, "match": {"path": r"^/zoom/v2/webinars/[^/]+/registrants$"}}
        )
        try:
            (report,) = await refresh_all(deck, [scope])
        finally:
            control.clear()
        assert report.ok, report.failed
        assert [s for s, _ in report.cut] == [scope]
        people = deck.registrants(ViewQuery(provider=Provider.ZOOM)).rows(0, 10_000)
        long_names = [p for p in people if p.first_name.endswith("…")]
        assert long_names and report.cut_values >= len(long_names)
        assert all(len(p.first_name) == TEXT_LIMIT for p in long_names)
    finally:
        await deck.aclose()
    conn = sqlite3.connect(paths.cache_db("chaos", demo=True))
    try:
        (longest,) = conn.execute("SELECT max(length(data)) FROM registrants").fetchone()
    finally:
        conn.close()
    assert longest < 4 * TEXT_LIMIT
    tally(request, "deck")
