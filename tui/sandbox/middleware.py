"""The ASGI layer in front of every emulated API: log, faults, latency, auth, rate limits."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from tui.sandbox.faults import ERROR_STATUSES, FaultRule
from tui.sandbox.ratelimit import GOTO_PER_SECOND, ZOOM_PER_SECOND, Verdict
from tui.sandbox.state import SandboxState
from tui.sandbox.web import GRANT_KEY, goto_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

GOTO_APIS = {"g2m": "G2M", "g2t": "G2T", "seeit": "seeit", "admin": "admin"}
PREFIXES = (
    ("/G2M/rest/", "g2m"),
    ("/G2T/rest/", "g2t"),
    ("/seeit/v1/", "seeit"),
    ("/admin/rest/v1/", "admin"),
    ("/oauth/", "goto_auth"),
    ("/zoom/oauth/", "zoom_auth"),
    ("/zoom/v2/", "zoom"),
    ("/zoom/rec/", "zoom_file"),
    ("/files/", "goto_file"),
    ("/_sandbox", "control"),
)
EXTRA_FIELDS = {"sandboxUnknownField": "added by a fault", "x_future": {"nested": [1, 2]}}
GATEWAY_PAGE = (
    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}"
    "</h1></center><hr><center>sandbox-gateway</center></body></html>"
)
REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
HTML_ERROR_FILE = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Session expired</title></head>"
    b"<body><h1>Your session has expired</h1><p>Please sign in again to download this "
    b"recording.</p></body></html>"
)


class DroppedConnection(Exception):
    """Raised on purpose to abort a response mid-body (fault `drop_mid_body`)."""


def classify(path: str) -> str:
    for prefix, api in PREFIXES:
        if path.startswith(prefix) or path + "/" == prefix:
            return api
    return "other"


def zoom_category(method: str, path: str) -> str:
    """Zoom's rate-limit label of an operation (as the spec's descriptions give it)."""
    parts = path.rstrip("/").split("/")
    last = parts[-1]
    if method != "GET" or last in ("users", "webinars", "registrants", "meetings"):
        return "Medium"
    if last == "recordings" and len(parts) > 3 and parts[3] == "users":
        return "Medium"
    return "Light"


async def send_simple(
    send: Send,
    status: int,
    body: bytes,
    content_type: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    raw = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *(headers or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        api = classify(path)
        entry = self.state.log.start(
            scope["method"],
            path,
            scope.get("query_string", b"").decode("latin-1"),
            headers.get("host", ""),
            "authorization" in headers,
            api,
        )
        started = time.monotonic()

        async def logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                entry["duration_ms"] = round((time.monotonic() - started) * 1000, 2)
            await send(message)

        try:
            await self.handle(scope, receive, logged, api, headers, entry)
        except DroppedConnection:
            entry["dropped"] = True
            raise
        except Exception:
            if entry["status"] is None:
                entry["status"] = 500
            raise

    async def handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        api: str,
        headers: Headers,
        entry: dict[str, Any],
    ) -> None:
        if api in ("control", "other"):
            await self.app(scope, receive, send)
            return
        state = self.state
        method, path = scope["method"], scope["path"]
        is_file = api in ("goto_file", "zoom_file")
        rules = state.faults.take(method, path, is_file)
        if rules:
            entry["fault"] = [rule.id for rule in rules]
        latency = state.latency_ms + sum(rule.latency_ms for rule in rules)
        if latency > 0:
            await asyncio.sleep(latency / 1000)
        # Body faults apply to whatever this request gets, error answers included.
        if any(rule.drop_mid_body for rule in rules):
            send = self.dropping(send)
        trickle = max((rule.trickle_ms for rule in rules), default=0)
        if trickle:
            send = self.trickling(send, receive, trickle)
        stall = min(
            (r.stall_after_bytes for r in rules if r.stall_after_bytes is not None), default=None
        )
        if stall is not None:
            send = self.stalling(send, receive, stall)
        malformed = next((r.malformed_json for r in rules if r.malformed_json), None)
        extra = any(rule.extra_fields for rule in rules)
        reshape = Reshape.of(rules)
        if malformed or extra or reshape:
            send = self.transforming(send, malformed, extra, reshape)
        for rule in rules:
            if rule.storm_429:
                await self.too_many(send, api, method, path, rule.retry_after, None)
                return
        status = self.pick_error(rules)
        if status is not None:
            await self.server_error(send, api, status)
            return
        needs_token = api in GOTO_APIS or api in ("zoom", "zoom_file")
        if needs_token and not await self.authenticate(scope, send, api, headers):
            return
        verdict = self.rate(api, method, path)
        if verdict is not None and not verdict.allowed:
            await self.too_many(send, api, method, path, verdict.retry_after, verdict)
            return
        out = self.with_headers(send, self.rate_headers(api, method, path, verdict))
        if is_file and any(rule.html_instead_of_file for rule in rules):
            await send_simple(out, 200, HTML_ERROR_FILE, "text/html; charset=utf-8")
            return
        await self.app(scope, receive, out)

    def pick_error(self, rules: list[FaultRule]) -> int | None:
        rng = self.state.random
        for rule in rules:
            if rule.error_rate and rng.random() < rule.error_rate:
                return rule.error_status or rng.choice(ERROR_STATUSES)
        if self.state.error_rate and rng.random() < self.state.error_rate:
            return rng.choice(ERROR_STATUSES)
        return None

    async def authenticate(self, scope: Scope, send: Send, api: str, headers: Headers) -> bool:
        value = headers.get("authorization", "")
        scheme, _, token = value.partition(" ")
        kind = "zoom" if api.startswith("zoom") else "goto"
        reason = "missing"
        if scheme.lower() == "bearer" and token.strip():
            grant, reason = self.state.tokens.check(token.strip(), kind)
            if grant is not None:
                scope[GRANT_KEY] = grant
                return True
        challenge = [
            (
                b"www-authenticate",
                (
                    f'Bearer realm="sandbox", error="invalid_token", error_description="{reason}"'
                ).encode(),
            )
        ]
        body: dict[str, Any]
        if kind == "zoom":
            message = "Access token is expired." if reason == "expired" else "Invalid access token."
            body = {"code": 124, "message": message}
        else:
            body = goto_body(
                "InvalidToken",
                {
                    "expired": "The access token has expired",
                    "missing": "No access token (Authorization: Bearer ...) was sent",
                }.get(reason, "Invalid access token"),
            )
        await send_simple(send, 401, json.dumps(body).encode(), "application/json", challenge)
        return False

    def rate(self, api: str, method: str, path: str) -> Verdict | None:
        if api in GOTO_APIS:
            return self.state.limiter.take(api, GOTO_PER_SECOND)
        if api == "zoom":
            category = zoom_category(method, path[len("/zoom/v2") :])
            return self.state.limiter.take(f"zoom:{category}", ZOOM_PER_SECOND[category])
        return None

    def rate_headers(
        self, api: str, method: str, path: str, verdict: Verdict | None
    ) -> list[tuple[bytes, bytes]]:
        if verdict is None:
            return []
        if api == "zoom":
            category = zoom_category(method, path[len("/zoom/v2") :])
            return [
                (b"x-ratelimit-category", category.encode()),
                (b"x-ratelimit-type", b"QPS"),
                (b"x-ratelimit-limit", str(verdict.limit).encode()),
                (b"x-ratelimit-remaining", str(verdict.remaining).encode()),
            ]
        return [
            (b"x-ratelimit-limit", str(verdict.limit).encode()),
            (b"x-ratelimit-remaining", str(verdict.remaining).encode()),
        ]

    async def too_many(
        self,
        send: Send,
        api: str,
        method: str,
        path: str,
        retry_after: int,
        verdict: Verdict | None,
    ) -> None:
        headers = [(b"retry-after", str(retry_after).encode())]
        if verdict is None:
            verdict = Verdict(False, 0, 0, retry_after)
        headers += [
            (k, v if k != b"x-ratelimit-remaining" else b"0")
            for k, v in self.rate_headers(api, method, path, verdict)
        ]
        body: dict[str, Any]
        if api.startswith("zoom"):
            if not any(k == b"x-ratelimit-category" for k, _ in headers):
                category = zoom_category(method, path[len("/zoom/v2") :])
                headers += [
                    (b"x-ratelimit-category", category.encode()),
                    (b"x-ratelimit-type", b"QPS"),
                    (b"x-ratelimit-remaining", b"0"),
                ]
            body = {
                "code": 429,
                "message": "You have reached the maximum per-second rate limit "
                "for this API. Try again later.",
            }
        else:
            body = goto_body(
                "TooManyRequests", f"Rate limit exceeded; retry after {retry_after} second(s)"
            )
        await send_simple(send, 429, json.dumps(body).encode(), "application/json", headers)

    async def server_error(self, send: Send, api: str, status: int) -> None:
        headers = [(b"retry-after", b"1")] if status == 503 else []
        if status in (502, 503, 504) or status not in REASONS:
            reason = REASONS.get(status, "Error")
            page = GATEWAY_PAGE.format(status=status, reason=reason).encode()
            await send_simple(send, status, page, "text/html", headers)
            return
        if api.startswith("zoom"):
            body: dict[str, Any] = {"code": status, "message": "Internal server error."}
        else:
            body = goto_body("InternalError", "An unexpected error occurred")
        await send_simple(send, status, json.dumps(body).encode(), "application/json", headers)

    @staticmethod
    def with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
        if not extra:
            return send

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return wrapped

    @staticmethod
    def dropping(send: Send) -> Send:
        """Send the headers and about half of the body, then abort the connection."""
        budget: list[int] = []

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                length = Headers(raw=message.get("headers", [])).get("content-length")
                budget.append(max(1, int(length) // 2) if length else -1)
                await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            if budget[0] < 0:
                budget[0] = max(1, len(body) // 2)
            if len(body) >= budget[0]:
                await send(
                    {"type": "http.response.body", "body": body[: budget[0]], "more_body": True}
                )
                raise DroppedConnection("fault drop_mid_body: connection aborted mid-body")
            budget[0] -= len(body)
            await send(message)

        return wrapped

    @staticmethod
    def trickling(send: Send, receive: Receive, every_ms: int) -> Send:
        """Send each body a byte at a time, `every_ms` apart, until the client hangs up."""

        async def gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        async def wrapped(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            listener = asyncio.ensure_future(gone())
            try:
                for index in range(len(body)):
                    if listener.done():
                        return
                    await send(
                        {
                            "type": "http.response.body",
                            "body": body[index : index + 1],
                            "more_body": True,
                        }
                    )
                    await asyncio.sleep(every_ms / 1000)
            finally:
                listener.cancel()
            await send(
                {
                    "type": "http.response.body",
                    "body": b"",
                    "more_body": message.get("more_body", False),
                }
            )

        return wrapped

    @staticmethod
    def stalling(send: Send, receive: Receive, after: int) -> Send:
        """Send the first `after` bytes of the body, then wait until the client hangs up."""
        sent = 0

        async def wrapped(message: Message) -> None:
            nonlocal sent
            if message["type"] != "http.response.body":
                await send(message)
                return
            body: bytes = message.get("body", b"")
            room = after - sent
            if room > 0:
                await send({"type": "http.response.body", "body": body[:room], "more_body": True})
                sent += min(room, len(body))
            if sent >= after or not message.get("more_body", False):
                while (await receive())["type"] != "http.disconnect":
                    pass
                raise DroppedConnection("the client hung up on a stalled body")

        return wrapped

    @staticmethod
    def transforming(
        send: Send, malformed: str | None, extra: bool, reshape: Reshape | None = None
    ) -> Send:
        """Buffer a JSON response, then add unknown fields and/or corrupt it."""
        held: list[Message] = []
        chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                kind = Headers(raw=message.get("headers", [])).get("content-type", "")
                if "json" not in kind:
                    held.append({"passthrough": True})
                    await send(message)
                    return
                held.append(dict(message))
                return
            if held and "passthrough" in held[0]:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            if extra and body:
                body = json.dumps(add_fields(json.loads(body)), ensure_ascii=False).encode()
            if reshape and body:
                body = reshape.apply(body)
            if not body:
                pass
            elif malformed == "truncate":
                body = body[: max(1, len(body) // 2)]
            elif malformed == "garbage":
                body = body[: len(body) // 2] + b"\x00\xff}{<html>" + body[len(body) // 2 :]
            start = held[0]
            start["headers"] = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            if reshape and reshape.huge_body:
                await send(start)  # chunked: the client learns the size only by reading
                for at in range(0, len(body), 65536):
                    await send(
                        {
                            "type": "http.response.body",
                            "body": body[at : at + 65536],
                            "more_body": True,
                        }
                    )
                await send({"type": "http.response.body", "body": b""})
                return
            start["headers"].append((b"content-length", str(len(body)).encode()))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        return wrapped


TEXT_KEYS = frozenset(
    {
        "topic",
        "agenda",
        "subject",
        "name",
        "description",
        "first_name",
        "last_name",
        "firstName",
        "lastName",
        "organizerName",
        "trainingName",
        "meetingName",
        "title",
        "customerName",
        "representativeName",
        "status_message",
        "file_name",
        "fileName",
    }
)
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
FAR_DATES = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00")


@dataclass(frozen=True)
class Reshape:
    """The JSON rewrites of the fault rules that apply to one request."""

    huge_body: int = 0
    huge_strings: int = 0
    extreme_dates: bool = False
    deep_nesting: int = 0

    @classmethod
    def of(cls, rules: list[FaultRule]) -> Reshape | None:
        if not any(rule.reshapes for rule in rules):
            return None
        return cls(
            huge_body=max(r.huge_body for r in rules),
            huge_strings=max(r.huge_strings for r in rules),
            extreme_dates=any(r.extreme_dates for r in rules),
            deep_nesting=max(r.deep_nesting for r in rules),
        )

    def apply(self, body: bytes) -> bytes:
        value = json.loads(body)
        if self.huge_strings or self.extreme_dates:
            value = self.rewrite(value, [0])
        text = json.dumps(value, ensure_ascii=False)
        if self.deep_nesting:
            deep = "[" * self.deep_nesting + "]" * self.deep_nesting
            text = self.insert(text, f'"x_deep":{deep}', deep)
        if self.huge_body:
            text = self.insert(
                text, f'"x_padding":"{" " * self.huge_body}"', f'"{" " * self.huge_body}"'
            )
        return text.encode()

    @staticmethod
    def insert(text: str, member: str, item: str) -> str:
        """`member` added first to a top-level object, `item` last to a top-level list."""
        if text.startswith("{"):
            return "{" + member + ("," if text != "{}" else "") + text[1:]
        if text.startswith("["):
            return text[:-1] + ("," if text != "[]" else "") + item + "]"
        return text

    def rewrite(self, value: Any, dates: list[int]) -> Any:
        if isinstance(value, dict):
            out = {}
            far = FAR_DATES[dates[0] % 2]  # one end per object, the other for the next
            dates[0] += 1
            for key, item in value.items():
                if isinstance(item, str) and self.extreme_dates and DATE_TIME.match(item):
                    item = far
                elif isinstance(item, str) and self.huge_strings and key in TEXT_KEYS:
                    item = item + "x" * self.huge_strings
                else:
                    item = self.rewrite(item, dates)
                out[key] = item
            return out
        if isinstance(value, list):
            return [self.rewrite(item, dates) for item in value]
        return value


def add_fields(value: Any) -> Any:
    """Every JSON object gets the unknown fields of fault `extra_fields`."""
    if isinstance(value, dict):
        return {**{k: add_fields(v) for k, v in value.items()}, **EXTRA_FIELDS}
    if isinstance(value, list):
        return [add_fields(v) for v in value]
    return value
