"""HTTP for the API adapters: pooled clients, rate limits, retries, typed errors.

One `Connection` (`tui.core.net.connection`: an httpx.AsyncClient plus a concurrency
bound) per cloud and profile; one `ApiClient` per API on it (G2M, G2T, Seeit, admin, Zoom, the OAuth
hosts), each with its own client-side rate limiter so a full sync does not provoke
429s in the first place.

Retries (tenacity, policy in `tui.core.net.retry`): idempotent requests on 429, 502,
503, 504 and connection errors; POST and DELETE only when provably unsent. A 401
triggers one token refresh and one resend. Every answer is bounded in time and size
(`tui.core.net.bounds`); recording downloads (`stream`) are the download code's to bound.

Every failure becomes a typed error from `tui.core.errors` with an actionable
sentence and no secrets (`tui.core.net.failures`: one API's failures, its label and
host bound once); every exchange is written, redacted, to the `ApiLog`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
)

from tui.core.errors import MeetdeckError, ResponseTooLarge
from tui.core.net.apilog import ApiLog, ApiLogEntry, now, rate_headers, redact_path
from tui.core.net.bounds import read_bounded
from tui.core.net.connection import Connection
from tui.core.net.errors import parse_retry_after, read_json
from tui.core.net.failures import ApiFailures
from tui.core.net.limits import DailyLimits, Pace, api_template, is_daily_limit
from tui.core.net.retry import (
    IDEMPOTENT_METHODS,
    RETRY_STATUSES,
    Sleep,
    Transient,
    backoff,
    retried,
)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Reader(Protocol[T_co]):
    """What reads a decoded body into a model: a pydantic `TypeAdapter`, or a reader of
    one listing's pages with the same `validate_python` (raising ValidationError)."""

    def validate_python(self, data: Any, /) -> T_co: ...


class TokenSource(Protocol):
    """Supplies bearer tokens to an ApiClient (see tui.core.auth.source)."""

    async def token(self) -> str:
        """A valid access token (refreshed first when it is about to expire)."""
        ...

    async def after_unauthorized(self, rejected: str) -> str:
        """A new token after `rejected` got a 401; raises SessionExpired if none."""
        ...

    def expired_error(self) -> MeetdeckError:
        """The error to raise when a fresh token is refused too."""
        ...


class ApiClient:
    """Requests to one API (a base URL) with auth, rate limit, retries and logging.

    Args:
        connection: The shared pool of this cloud.
        api: A short name for logs ("goto_meeting", "zoom", "goto_auth").
        label: The product named in error sentences ("GoTo Meeting").
        base_url: Prefix of relative paths.
        auth: Bearer token source, or None for unauthenticated APIs.
        log: Where exchanges are recorded.
        rate: Requests per second allowed (the "default" bucket).
        buckets: Pacing per bucket name (a request names its bucket); the rate
            headers of each answer slow the bucket it was sent through.
        forbidden_means_admin: 403 -> NeedsAdmin (GoTo) instead of RequestRejected.
        admin_hint: Sentence appended to NeedsAdmin errors.
        sleep: Injected for tests; asyncio.sleep by default.
        clock: The current time (aware UTC), for daily-limit resets; tests pin it.
    """

    def __init__(
        self,
        connection: Connection,
        *,
        api: str,
        label: str,
        base_url: str,
        log: ApiLog,
        auth: TokenSource | None = None,
        rate: float | None = None,
        buckets: Mapping[str, Pace] | None = None,
        forbidden_means_admin: bool = False,
        admin_hint: str = "",
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.connection = connection
        self.api = api
        self.label = label
        self.base_url = base_url.rstrip("/")
        self.log = log
        self.auth = auth
        self.settings = connection.settings
        self.buckets: dict[str, Pace] = dict(buckets or {})
        if rate is not None:
            self.buckets.setdefault("default", Pace(rate))
        self.daily = DailyLimits(clock)
        self.failures = ApiFailures(
            label=label,
            api=api,
            host=httpx.URL(self.base_url).host,
            forbidden_means_admin=forbidden_means_admin,
            admin_hint=admin_hint,
        )
        self._sleep = sleep
        base = httpx.URL(self.base_url)
        self._origin = base.copy_with(path="/", query=None)
        # A URL that starts with the origin as httpx writes it ("https://host[:port]/")
        # is on it; parsing each request's URL for that (httpx: ~20 us each, three
        # times a request) was most of this client's own time per request (issue 18).
        self._origin_text = str(self._origin)
        self._base_path = base.path.rstrip("/")

    # -- public API ---------------------------------------------------------------

    def url(self, path: str) -> str:
        """Absolute URL of `path` (absolute URLs pass through)."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def same_origin(self, url: str) -> bool:
        """True when `url` is on this API's scheme, host and port (tokens may go there)."""
        if url.startswith(self._origin_text):
            return True
        target = httpx.URL(url)
        return (target.scheme, target.host, target.port) == (
            self._origin.scheme,
            self._origin.host,
            self._origin.port,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        authenticate: bool = True,
        bucket: str = "default",
        redirects: bool = False,
        accept: Collection[int] = (),
    ) -> httpx.Response:
        """Send a request and return a 2xx (or, with `redirects`, 3xx) response.

        Statuses in `accept` are returned too, for the caller to handle.

        Raises the typed error of any other outcome, after the retries allowed.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        url = self.url(path)
        endpoint = f"{method} {redact_path(url)}"
        api = api_template(method, self._relative(url))
        # While the first call to an API is out, others to it wait for its answer: if
        # that says the API's daily limit is used up, they are not sent at all.
        async with self.daily.first_call(api):
            blocked = self.daily.blocked(api)
            if blocked is not None:
                # Asking would only be refused.
                raise self.failures.daily(blocked, endpoint, self.daily.now())
            state = {"refreshed": False, "attempt": 0}

            async def send() -> httpx.Response:
                return await self._send(
                    method,
                    url,
                    params,
                    json_body,
                    form,
                    headers,
                    authenticate,
                    bucket,
                    state["attempt"],
                )

            async def once() -> httpx.Response:
                state["attempt"] += 1
                response = await send()
                if response.status_code == 401 and authenticate and self.auth is not None:
                    if state["refreshed"]:
                        raise self.auth.expired_error()
                    state["refreshed"] = True
                    rejected = response.request.headers.get("Authorization", "")[7:]
                    await self.auth.after_unauthorized(rejected)
                    response = await send()
                    if response.status_code == 401:
                        raise self.auth.expired_error()
                self.daily.learn(api, response.headers)
                if is_daily_limit(response):
                    # Retrying before the reset would only be refused, and counts again.
                    block = self.daily.used_up(api, response)
                    raise self.failures.daily(block, endpoint, self.daily.now())
                if response.status_code in RETRY_STATUSES:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    if retry_after is not None and retry_after > self.settings.max_backoff:
                        raise self._error(response, endpoint)  # waiting less would not help
                    raise Transient(response=response, retry_after=retry_after)
                return response

            def retrying() -> AsyncRetrying:
                return AsyncRetrying(
                    stop=stop_after_attempt(self.settings.max_retries + 1),
                    wait=self._wait,
                    retry=retry_if_exception(
                        lambda exc: isinstance(exc, Transient) and (idempotent or exc.unsent)
                    ),
                    sleep=self._sleep,
                    reraise=True,
                )

            try:
                response: httpx.Response = await retried(once, retrying)
            except Transient as exc:
                if exc.response is not None:
                    raise self._error(exc.response, endpoint) from None
                raise self.failures.network(exc.error, endpoint) from None
            if (
                response.is_success
                or (redirects and response.is_redirect)
                or (response.status_code in accept)
            ):
                return response
            raise self._error(response, endpoint)

    async def get_json(
        self, path: str, *, params: Mapping[str, Any] | None = None, bucket: str = "default"
    ) -> Any:
        """GET and decode JSON."""
        response = await self.request("GET", path, params=params, bucket=bucket)
        return self.decode(response)

    def decode(self, response: httpx.Response) -> Any:
        """The JSON body, or BadResponse naming the endpoint."""
        try:
            return read_json(response.content)
        except ValueError:
            endpoint = f"{response.request.method} {redact_path(str(response.request.url))}"
            raise self.failures.not_json(endpoint) from None

    def validate(self, adapter: Reader[T], data: Any, endpoint: str) -> T:
        """Validate wire data; a schema mismatch is a BadResponse naming the field."""
        try:
            return adapter.validate_python(data)
        except ValidationError as exc:
            raise self.failures.unreadable(exc, endpoint) from None

    async def fetch(
        self,
        adapter: Reader[T],
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        bucket: str = "default",
    ) -> T:
        """GET, decode and validate in one call."""
        data = await self.get_json(path, params=params, bucket=bucket)
        return self.validate(adapter, data, f"GET {redact_path(self.url(path))}")

    @asynccontextmanager
    async def stream(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        authenticate: bool = False,
        allow_redirect: bool = False,
    ) -> AsyncIterator[httpx.Response]:
        """Open a GET body stream (no retries: the caller resumes with Range).

        Redirects are never followed. A bearer token is sent only when `authenticate`
        and `url` is on this API's origin; a 401 then refreshes it once. Other non-2xx
        statuses raise the typed error, except a 416 (for resumers) and, with
        `allow_redirect`, a 3xx (the caller reads its Location).
        """
        url = self.url(url)
        endpoint = f"GET {redact_path(url)}"
        with_token = authenticate and self.auth is not None and self.same_origin(url)
        for attempt in (1, 2):
            send_headers = dict(headers or {})
            if with_token and self.auth is not None:
                send_headers["Authorization"] = f"Bearer {await self.auth.token()}"
            started = time.monotonic()
            async with self.connection.slots:
                try:
                    async with self.connection.client.stream(
                        "GET", url, headers=send_headers
                    ) as response:
                        self._record("GET", url, response, started, attempt)
                        status = response.status_code
                        if status == 401 and with_token and self.auth is not None:
                            if attempt == 2:
                                raise self.auth.expired_error()
                            await self.auth.after_unauthorized(send_headers["Authorization"][7:])
                            continue
                        ok = (
                            response.is_success
                            or status == 416
                            or (allow_redirect and response.is_redirect)
                        )
                        if not ok:
                            await response.aread()
                            raise self._error(response, endpoint)
                        yield response
                        return
                except httpx.TransportError as exc:
                    self._record("GET", url, None, started, attempt, exc)
                    raise self.failures.network(exc, endpoint) from None

    # -- internals ----------------------------------------------------------------

    async def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        authenticate: bool,
        bucket: str,
        attempt: int,
    ) -> httpx.Response:
        send_headers = dict(headers or {})
        if authenticate and self.auth is not None:
            send_headers["Authorization"] = f"Bearer {await self.auth.token()}"
        pace = self.buckets.get(bucket) or self.buckets.get("default")
        if pace is not None:
            await pace.acquire(self._sleep)
        client = self.connection.client
        request = client.build_request(
            method,
            url,
            params=dict(params) if params else None,
            json=json_body,
            data=dict(form) if form is not None else None,
            headers=send_headers,
        )
        endpoint = f"{method} {redact_path(url)}"
        started = time.monotonic()
        async with self.connection.slots:
            streamed: httpx.Response | None = None
            try:
                async with asyncio.timeout(self.settings.request_deadline):
                    streamed = await client.send(request, stream=True)
                    try:
                        response = await read_bounded(
                            streamed,
                            self.settings.max_body_bytes,
                            lambda: self.failures.too_large(endpoint, self.settings.max_body_bytes),
                        )
                    finally:
                        await streamed.aclose()
            except httpx.TransportError as exc:
                self._record(method, url, streamed, started, attempt, exc)
                raise Transient(error=exc) from None
            except TimeoutError:
                self._record(method, url, streamed, started, attempt, TimeoutError())
                raise self.failures.too_slow(endpoint, self.settings.request_deadline) from None
            except ResponseTooLarge as exc:
                self._record(method, url, streamed, started, attempt, exc)
                raise
        self._record(method, url, response, started, attempt)
        if pace is not None:
            pace.observe(response.headers, refused=response.status_code == 429)
        return response

    def _relative(self, url: str) -> str:
        """The path of `url` below this API's base (its whole path on another host)."""
        path = redact_path(url)
        base = self._base_path
        if self.same_origin(url) and base and path.startswith(base + "/"):
            return path[len(base) :]
        return path

    def _wait(self, state: RetryCallState) -> float:
        return backoff(state, self.settings.max_backoff)

    def _record(
        self,
        method: str,
        url: str,
        response: httpx.Response | None,
        started: float,
        attempt: int,
        error: Exception | None = None,
    ) -> None:
        host = None if self.same_origin(url) else httpx.URL(url).host
        self.log.record(
            ApiLogEntry(
                at=now(),
                api=self.api,
                method=method,
                path=redact_path(url),
                status=response.status_code if response is not None else None,
                duration_ms=round((time.monotonic() - started) * 1000, 1),
                attempt=attempt,
                rate=rate_headers(response.headers) if response is not None else {},
                error=type(error).__name__ if error is not None else None,
                host=host,
            )
        )

    def _error(self, response: httpx.Response, endpoint: str) -> MeetdeckError:
        expired = self.auth.expired_error() if self.auth is not None else None
        return self.failures.status(response, endpoint, expired)
