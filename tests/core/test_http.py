"""tui.core.net.client: retries, Retry-After, rate limits, error mapping, redacted log."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, TypeAdapter

from tests.support.fakehttp import FakeTokens, make_api
from tui import __version__
from tui.core.errors import (
    BadResponse,
    MeetdeckError,
    NeedsAdmin,
    NetworkUnreachable,
    NotFound,
    RateLimited,
    RequestRejected,
    ResponseTooLarge,
    ServiceUnavailable,
    SessionExpired,
)
from tui.core.net.apilog import ApiLog, ApiLogEntry, redact_path
from tui.core.net.errors import RETRY_AFTER_CAP, clean_text, parse_retry_after, retry_when

# -- Retry-After ---------------------------------------------------------------------


def test_retry_after_seconds_date_and_iso() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now_=now) == 7.0
    assert parse_retry_after(" 1.5 ", now_=now) == 1.5
    http_date = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(http_date, now_=now) == pytest.approx(30.0)
    assert parse_retry_after("2024-05-01T12:00:45Z", now_=now) == pytest.approx(45.0)
    assert parse_retry_after("2024-05-01T12:01:00+00:00", now_=now) == pytest.approx(60.0)
    assert parse_retry_after("2024-05-01T11:00:00Z", now_=now) == 0.0  # in the past
    assert parse_retry_after("-3", now_=now) == 0.0
    assert parse_retry_after("soon", now_=now) is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None


# -- retries ---------------------------------------------------------------------------


async def test_429_with_retry_after_then_success(tmp_path: Path) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "2"})
        return httpx.Response(200, json={"ok": True})

    api, sleeps, _ = make_api(tmp_path, handler)
    assert await api.get_json("/things") == {"ok": True}
    assert len(calls) == 2
    assert sleeps.calls == [2.0]


async def test_get_retried_on_each_transient_status(tmp_path: Path) -> None:
    statuses = [502, 503, 504]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(statuses.pop(0)) if statuses else httpx.Response(200, json=[])

    api, sleeps, _ = make_api(tmp_path, handler, max_backoff=4.0)
    assert await api.get_json("/things") == []
    assert len(sleeps.calls) == 3
    assert all(0 < s <= 4.0 for s in sleeps.calls)


async def test_the_retry_policy_is_set_up_only_after_a_transient_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request answered at its first try sets up no retry machinery (issue 18: ~70 us
    of every request); after a 503 it is set up once, and given the 503 as its first
    attempt: one wait, two sends, each logged with its attempt number."""
    from tenacity import AsyncRetrying

    import tui.core.net.client as client

    policies: list[object] = []

    class Counted(AsyncRetrying):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            policies.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(client, "AsyncRetrying", Counted)
    statuses = [200, 503, 200]
    api, sleeps, log = make_api(tmp_path, lambda r: httpx.Response(statuses.pop(0), json=[]))
    assert await api.get_json("/things") == [] and policies == [] and sleeps.calls == []
    assert await api.get_json("/things") == [] and len(policies) == 1
    assert len(sleeps.calls) == 1 and statuses == []
    assert [(e.status, e.attempt) for e in log.recent()] == [(200, 1), (503, 1), (200, 2)]


async def test_backoff_grows_and_is_capped(tmp_path: Path) -> None:
    api, sleeps, _ = make_api(
        tmp_path, lambda r: httpx.Response(503), max_retries=6, max_backoff=3.0
    )
    with pytest.raises(ServiceUnavailable) as info:
        await api.get_json("/down")
    assert len(sleeps.calls) == 6
    assert max(sleeps.calls) <= 3.0
    assert sleeps.calls[-1] >= 2.0  # grew to (near) the cap
    assert "503" in info.value.sentence and "GET /v1/down" in info.value.sentence


@pytest.mark.parametrize("method", ["POST", "DELETE"])
async def test_post_and_delete_never_retried_on_5xx(tmp_path: Path, method: str) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503)

    api, sleeps, _ = make_api(tmp_path, handler)
    with pytest.raises(ServiceUnavailable):
        await api.request(method, "/things/1")
    assert calls == [method]
    assert sleeps.calls == []


async def test_post_not_retried_after_a_lost_answer(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise httpx.ReadTimeout("slow", request=request)

    api, sleeps, _ = make_api(tmp_path, handler)
    with pytest.raises(NetworkUnreachable, match="timed out"):
        await api.request("POST", "/things")
    assert calls == 1 and sleeps.calls == []


async def test_post_retried_after_429_which_refused_it_unprocessed(tmp_path: Path) -> None:
    statuses = [429, 201]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(statuses.pop(0), headers={"Retry-After": "1"})

    api, sleeps, _ = make_api(tmp_path, handler)
    assert (await api.request("POST", "/things")).status_code == 201
    assert sleeps.calls == [1.0]


async def test_post_retried_when_the_connection_was_never_made(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(201, json={"id": 1})

    api, _, _ = make_api(tmp_path, handler)
    response = await api.request("POST", "/things", json_body={"a": 1})
    assert response.status_code == 201 and calls == 2


async def test_idempotent_put_is_retried(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(502) if calls == 1 else httpx.Response(204)

    api, _, _ = make_api(tmp_path, handler)
    assert (await api.request("PUT", "/status", json_body={})).status_code == 204
    assert calls == 2


async def test_connection_errors_become_network_unreachable(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    api, sleeps, log = make_api(tmp_path, handler, max_retries=2)
    with pytest.raises(NetworkUnreachable) as info:
        await api.get_json("/x")
    assert "api.example.com" in info.value.sentence
    assert len(sleeps.calls) == 2
    assert [e.error for e in log.recent()] == ["ConnectError"] * 3


async def test_rate_limited_after_retries_keeps_retry_after(tmp_path: Path) -> None:
    api, sleeps, _ = make_api(
        tmp_path, lambda r: httpx.Response(429, headers={"Retry-After": "3"}), max_retries=2
    )
    with pytest.raises(RateLimited) as info:
        await api.get_json("/x")
    assert info.value.retry_after == 3.0
    assert sleeps.calls == [3.0, 3.0]


async def test_retry_after_beyond_cap_gives_up_at_once(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(429, headers={"Retry-After": "3600"})

    api, sleeps, _ = make_api(tmp_path, handler, max_backoff=30.0)
    with pytest.raises(RateLimited) as info:
        await api.get_json("/x")
    assert calls == 1 and sleeps.calls == []
    assert info.value.retry_after == 3600.0
    assert "3600 seconds" in info.value.sentence


# -- auth ----------------------------------------------------------------------------


async def test_401_refreshes_once_and_resends(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer tok-1":
            return httpx.Response(401)
        return httpx.Response(200, json={"ok": 1})

    tokens = FakeTokens()
    api, _, _ = make_api(tmp_path, handler, auth=tokens)
    assert await api.get_json("/me") == {"ok": 1}
    assert seen == ["Bearer tok-1", "Bearer tok-2"]
    assert tokens.refreshes == 1


async def test_second_401_is_session_expired_not_a_loop(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(401)

    tokens = FakeTokens()
    api, _, _ = make_api(tmp_path, handler, auth=tokens)
    with pytest.raises(SessionExpired) as info:
        await api.request("POST", "/things")
    assert calls == 2 and tokens.refreshes == 1
    assert "meetdeck auth login goto" in info.value.sentence


# -- error mapping -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "admin", "error"),
    [
        (403, True, NeedsAdmin),
        (403, False, RequestRejected),
        (404, False, NotFound),
        (400, False, RequestRejected),
        (409, False, RequestRejected),
        (500, False, ServiceUnavailable),
    ],
)
async def test_status_mapping(
    tmp_path: Path, status: int, admin: bool, error: type[MeetdeckError]
) -> None:
    api, _, _ = make_api(
        tmp_path,
        lambda r: httpx.Response(status, json={"message": "nope"}),
        admin=admin,
        max_retries=0,
    )
    with pytest.raises(error) as info:
        await api.get_json("/organizers/42/things")
    assert info.value.title and info.value.sentence.endswith((".", ")"))
    assert info.value.endpoint == "GET /v1/organizers/42/things"


async def test_error_text_from_the_api_is_cleaned(tmp_path: Path) -> None:
    body = {"message": "bad \x1b[31mred\x1b[0m \u202eevil" + "x" * 500}
    api, _, _ = make_api(tmp_path, lambda r: httpx.Response(400, json=body))
    with pytest.raises(RequestRejected) as info:
        await api.get_json("/x")
    assert "\x1b" not in info.value.sentence and "\u202e" not in info.value.sentence
    assert len(info.value.sentence) < 400
    # One line, cleaned as every API text is (tui.core.display.cleaning): a NUL shows as
    # its control picture, a zero-width space as U+FFFD, line breaks read as spaces.
    assert clean_text("a\x00b") == "a\u2400b"
    assert clean_text("ad\u200bmin\r\nnext\tline\n") == "ad\ufffdmin next line"


async def test_malformed_json_is_bad_response(tmp_path: Path) -> None:
    api, _, _ = make_api(
        tmp_path,
        lambda r: httpx.Response(
            200, content=b'{"truncated": ', headers={"Content-Type": "application/json"}
        ),
    )
    with pytest.raises(BadResponse) as info:
        await api.get_json("/meetings")
    assert "GET /v1/meetings" in info.value.sentence
    assert "not valid JSON" in info.value.sentence


class Thing(BaseModel):
    thingKey: str
    count: int


async def test_schema_mismatch_names_endpoint_and_field(tmp_path: Path) -> None:
    body = [{"thingKey": "1", "count": 1}, {"thingKey": "2", "count": "many", "x": "secret"}]
    api, _, _ = make_api(tmp_path, lambda r: httpx.Response(200, json=body))
    with pytest.raises(BadResponse) as info:
        await api.fetch(TypeAdapter(list[Thing]), "/things")
    sentence = info.value.sentence
    assert "GET /v1/things" in sentence and "'1.count'" in sentence
    assert info.value.field == "1.count"
    assert "many" not in sentence and "secret" not in sentence  # no input values
    assert "pydantic" not in sentence.lower() and "validation error" not in sentence.lower()


# -- client behaviour ------------------------------------------------------------------


async def test_user_agent_and_no_redirect_following(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "https://files.example.net/f"})

    api, _, _ = make_api(tmp_path, handler)
    response = await api.request("GET", "/file", redirects=True)
    assert response.status_code == 302 and len(seen) == 1
    assert seen[0].headers["User-Agent"] == f"meetdeck/{__version__}"


async def test_rate_limiter_spaces_requests(tmp_path: Path) -> None:
    api, _, _ = make_api(tmp_path, lambda r: httpx.Response(200, json={}), rate=20.0)
    started = time.monotonic()
    await asyncio.gather(*(api.get_json(f"/x/{i}") for i in range(30)))
    # 5 may go at once (a quarter second of depth); the other 25 leak at 20/s.
    assert time.monotonic() - started >= 1.1


async def test_concurrency_is_bounded(tmp_path: Path) -> None:
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={})

    api, _, _ = make_api(tmp_path, handler, max_concurrency=3)
    await asyncio.gather(*(api.get_json(f"/x/{i}") for i in range(12)))
    assert peak == 3


# -- redacted log --------------------------------------------------------------------


async def test_log_is_redacted_and_live(tmp_path: Path) -> None:
    secret_query = "signature=SIGNATURE-SECRET-123&access_token=QUERY-TOKEN"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"hostURL": "https://start.example.com/s?tk=START"},
            headers={
                "X-RateLimit-Remaining": "9",
                "X-RateLimit-Limit": "10",
                "Set-Cookie": "session=COOKIE-SECRET",
            },
        )

    api, _, log = make_api(tmp_path, handler, auth=FakeTokens())
    received: list[ApiLogEntry] = []
    unsubscribe = log.subscribe(received.append)
    await api.get_json(f"/meetings/7/start?{secret_query}")
    unsubscribe()
    await api.get_json("/after")
    assert len(received) == 1 and len(log.recent()) == 2
    entry = received[0]
    assert entry.method == "GET" and entry.path == "/v1/meetings/7/start"
    assert entry.status == 200 and entry.duration_ms >= 0
    assert entry.rate == {"x-ratelimit-remaining": "9", "x-ratelimit-limit": "10"}
    text = (tmp_path / "api.log").read_text()
    for secret in (
        "SIGNATURE-SECRET",
        "QUERY-TOKEN",
        "tok-1",
        "START",
        "COOKIE-SECRET",
        "Authorization",
        "Bearer",
    ):
        assert secret not in text
    assert json.loads(text.splitlines()[0])["path"] == "/v1/meetings/7/start"
    assert (tmp_path / "api.log").stat().st_mode & 0o077 == 0


def test_a_log_line_holds_every_field_and_copies_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry's JSON is built field by field (issue 18: `dataclasses.asdict` deep-copied
    every value of every request's entry), in the fields' order, its rate a plain dict."""
    import copy
    import dataclasses

    def refused(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("deep-copied")

    monkeypatch.setattr(copy, "deepcopy", refused)
    entry = dataclasses.replace(_entry(7), rate={"x-ratelimit-remaining": "9"}, host="h")
    data = entry.to_json()
    assert list(data) == [f.name for f in dataclasses.fields(ApiLogEntry)]
    assert data["at"] == entry.at.isoformat() and data["rate"] == {"x-ratelimit-remaining": "9"}
    assert data["path"] == "/v2/webinars/7/registrants" and data["host"] == "h"
    assert type(data["rate"]) is dict


def test_same_origin_parses_only_what_is_not_the_api_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL written as the API's origin is (scheme://host[:port]/) is on it without
    parsing it (three parses a request were most of the client's own time, issue 18);
    any other is parsed, and another host, port or scheme is not the origin."""
    api, _, _ = make_api(tmp_path, lambda request: httpx.Response(200))
    origin = str(httpx.URL(api.base_url).copy_with(path="/", query=None))
    parsed: list[str] = []
    real = httpx.URL

    def counting(url: str) -> httpx.URL:
        parsed.append(url)
        return real(url)

    monkeypatch.setattr(httpx, "URL", counting)
    assert api.same_origin(api.url("/webinars/1/registrants")) and parsed == []
    host = real(origin).host
    for other in (
        origin.replace(host, host + ".evil.example", 1),
        origin.replace("://", "://user@evil.example/", 1),
        origin.replace("https://", "http://", 1).replace(host, host + ":8443", 1),
        "https://evil.example/",
    ):
        assert not api.same_origin(other), other
    assert api.same_origin(origin.replace(host, host.upper(), 1))  # parsed: the same host
    assert len(parsed) == 5


async def test_no_cookie_is_kept_nor_sent_back(tmp_path: Path) -> None:
    """The APIs authenticate with tokens: an answer's cookie is not kept (reading each
    answer's cookies cost ~0.2 ms a request, issue 18), so none goes out again."""
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("Cookie"))
        return httpx.Response(200, json=[], headers={"Set-Cookie": "session=COOKIE-SECRET"})

    api, _, _ = make_api(tmp_path, handler)
    await api.get_json("/things")
    await api.get_json("/things")
    assert sent == [None, None]
    assert not api.connection.client.cookies
    with pytest.raises(ValueError, match="no cookies"):
        api.connection.client.cookies = {"a": "b"}


def test_redact_path_masks_long_opaque_segments() -> None:
    token = "A" * 48
    assert redact_path(f"https://h/files/{token}/x.mp4?sig=1") == "/files/***/x.mp4"
    assert redact_path("/G2M/rest/meetings/123") == "/G2M/rest/meetings/123"


def test_ring_is_bounded_and_a_broken_subscriber_is_ignored(tmp_path: Path) -> None:
    log = ApiLog(None, ring_size=3)

    def broken(entry: ApiLogEntry) -> None:
        raise RuntimeError("viewer crashed")

    log.subscribe(broken)
    for i in range(5):
        log.record(
            ApiLogEntry(
                at=datetime.now(UTC),
                api="a",
                method="GET",
                path=f"/{i}",
                status=200,
                duration_ms=1.0,
            )
        )
    assert [e.path for e in log.recent()] == ["/2", "/3", "/4"]
    assert [e.path for e in log.recent(1)] == ["/4"]


def test_unwritable_log_does_not_break_requests(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    log = ApiLog(blocker / "api.log")  # parent is a file: cannot be created
    log.record(
        ApiLogEntry(
            at=datetime.now(UTC), api="a", method="GET", path="/", status=200, duration_ms=1.0
        )
    )
    assert len(log.recent()) == 1


@pytest.mark.parametrize(
    "value",
    [
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-12:00",
        "Fri, 31 Dec 99999 23:59:59 GMT",
        "1e400",
        "inf",
        "99999999999999999999",
    ],
)
def test_absurd_retry_after_is_held_at_a_day_and_said_as_later(value: str) -> None:
    after = parse_retry_after(value)
    assert after == RETRY_AFTER_CAP
    assert retry_when(after) == "later"


def test_retry_after_that_is_not_a_number_is_unreadable() -> None:
    assert parse_retry_after("nan") is None
    assert parse_retry_after("0001-01-01T00:00:00+14:00") == 0.0


def test_a_wait_longer_than_two_minutes_says_when() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_when(30.0, now_=now) == "in 30 seconds"
    assert retry_when(3600.0, now_=now) == "in 3600 seconds (at 13:00 UTC)"
    assert retry_when(50000.0, now_=now) == "in 50000 seconds (at 2024-05-02 01:53 UTC)"
    assert retry_when(None) == "in a minute"


async def test_a_429_until_the_year_9999_says_later(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})

    api, sleeps, _ = make_api(tmp_path, handler)
    with pytest.raises(RateLimited) as caught:
        await api.get_json("/things")
    assert caught.value.retry_after == RETRY_AFTER_CAP
    assert caught.value.sentence.endswith("Try again later.")
    assert sleeps.calls == []  # waiting the cap would not help: no retry


# -- bounds on an answer ------------------------------------------------------------------


async def test_an_answer_declared_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(10**12)}, content=b"[]")

    api, _, log = make_api(tmp_path, handler, max_body_bytes=4096)
    with pytest.raises(ResponseTooLarge) as caught:
        await api.get_json("/things")
    assert "more than 4096 bytes" in caught.value.sentence
    assert "max_body_bytes" in caught.value.sentence
    assert [e.error for e in log.recent()] == ["ResponseTooLarge"]


async def test_a_compressed_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    bomb = gzip.compress(b"[" + b" " * 5_000_000 + b"]")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=bomb)

    api, _, _ = make_api(tmp_path, handler, max_body_bytes=1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ResponseTooLarge):
        await api.get_json("/things")


async def test_a_compressed_answer_within_the_limit_is_read(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "gzip"}, content=gzip.compress(b'{"ok": true}')
        )

    api, _, _ = make_api(tmp_path, handler)
    assert await api.get_json("/things") == {"ok": True}


async def test_an_answer_that_never_ends_meets_the_deadline(tmp_path: Path) -> None:
    class Endless(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"["
            await asyncio.Event().wait()  # a server that never sends the rest
            yield b"]"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Endless())

    api, sleeps, _ = make_api(tmp_path, handler, request_deadline=0.05)
    with pytest.raises(NetworkUnreachable) as caught:
        await api.get_json("/things")
    assert "after 0.05 seconds" in caught.value.sentence
    assert sleeps.calls == []


@pytest.mark.parametrize(
    "body", [b"[" * 200_000 + b"]" * 200_000, b'{"a":' * 100_000 + b'"\\ud83d"' + b"}" * 100_000]
)
async def test_json_nested_too_deeply_is_a_bad_response(tmp_path: Path, body: bytes) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    api, _, _ = make_api(tmp_path, handler)
    with pytest.raises(BadResponse) as caught:
        await api.get_json("/things")
    assert "nested too deeply" in caught.value.sentence


def _entry(number: int) -> ApiLogEntry:
    return ApiLogEntry(
        at=datetime.now(UTC),
        api="zoom",
        method="GET",
        path=f"/v2/webinars/{number}/registrants",
        status=200,
        duration_ms=1.0,
    )


def test_the_log_file_is_rotated_with_a_couple_of_backups(tmp_path: Path) -> None:
    """Past `max_bytes` api.log becomes api.log.1 (and .1 becomes .2); the oldest goes.
    Every file stays 0600 and under the limit; a new process continues the same file."""
    path = tmp_path / "api.log"
    log = ApiLog(path, max_bytes=2_000, backups=2)
    for number in range(60):
        log.record(_entry(number))
    log.close()
    again = ApiLog(path, max_bytes=2_000, backups=2)  # the next run appends, then rotates
    for number in range(60, 120):
        again.record(_entry(number))
    again.close()
    files = [path, path.with_name("api.log.1"), path.with_name("api.log.2")]
    assert not path.with_name("api.log.3").exists()
    numbers: list[list[int]] = []
    for file in files:
        assert file.stat().st_size <= 2_000, file
        assert file.stat().st_mode & 0o077 == 0, file
        lines = file.read_text().splitlines()
        numbers.append([int(json.loads(line)["path"].split("/")[3]) for line in lines])
    newest, older, oldest = numbers
    assert newest[-1] == 119
    assert oldest + older + newest == list(range(oldest[0], 120))  # nothing lost in between
    assert ApiLog(path).max_bytes >= 1_000_000 and ApiLog(path).backups >= 2


# -- TLS ---------------------------------------------------------------------------------


async def test_every_pool_shares_one_tls_context_with_the_roots_loaded_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Loading the CA roots costs ~30 ms of CPU: a command that opens a Deck (a pool per
    cloud) pays it once, not per pool. SSL_CERT_FILE is still honoured."""
    import ssl

    from tui.core.net.connection import Connection, verified_tls
    from tui.core.settings.config import HttpSettings

    roots = tmp_path / "roots.pem"
    roots.write_text(Path(__import__("certifi").where()).read_text())
    monkeypatch.setenv("SSL_CERT_FILE", str(roots))
    loaded: list[str | None] = []
    real = ssl.create_default_context

    def counting(*args: object, cafile: str | None = None, **kwargs: object) -> ssl.SSLContext:
        loaded.append(cafile)
        return real(*args, cafile=cafile, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl, "create_default_context", counting)
    verified_tls.cache_clear()
    pools = [Connection(HttpSettings()) for _ in range(3)]
    try:
        assert loaded == [str(roots)]
    finally:
        for pool in pools:
            await pool.aclose()
        verified_tls.cache_clear()
