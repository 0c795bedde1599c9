"""The ASGI layer in front of every emulated API: log, faults, latency, auth, rate limits.

What a fault does to the body of an answer is `tui.sandbox.body_faults`.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from starlette.datastructures import Headers

from tui.sandbox.asgi import ASGIApp, Message, Receive, Scope, Send, send_simple, with_headers
from tui.sandbox.body_faults import (
    DroppedConnection,
    Reshape,
    dropping,
    stalling,
    transforming,
    trickling,
)
from tui.sandbox.faults import ERROR_STATUSES, FaultRule
from tui.sandbox.ratelimit import GOTO_PER_SECOND, ZOOM_DAILY_CAP, DailyLimit, Verdict
from tui.sandbox.state import SandboxState
from tui.sandbox.web import GRANT_KEY, goto_body

GOTO_APIS = {
    "g2m": "G2M",
    "g2t": "G2T",
    "seeit": "seeit",
    "admin": "admin",
    "identity": "identity",
}
PREFIXES = (
    ("/G2M/rest/", "g2m"),
    ("/G2T/rest/", "g2t"),
    ("/seeit/v1/", "seeit"),
    ("/admin/rest/v1/", "admin"),
    ("/identity/v1/", "identity"),
    ("/oauth/", "goto_auth"),
    ("/zoom/oauth/", "zoom_auth"),
    ("/zoom/v2/", "zoom"),
    ("/zoom/rec/", "zoom_file"),
    ("/files/", "goto_file"),
    ("/_sandbox", "control"),
)
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
    if last == "recordings" and len(parts) > 1 and parts[1] == "users":
        return "Medium"
    return "Light"


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
            await state.sleep(latency / 1000)
        # Body faults apply to whatever this request gets, error answers included.
        if any(rule.drop_mid_body for rule in rules):
            send = dropping(send)
        trickle = max((rule.trickle_ms for rule in rules), default=0)
        if trickle:
            send = trickling(send, receive, trickle)
        stall = min(
            (r.stall_after_bytes for r in rules if r.stall_after_bytes is not None), default=None
        )
        if stall is not None:
            send = stalling(send, receive, stall)
        malformed = next((r.malformed_json for r in rules if r.malformed_json), None)
        extra = any(rule.extra_fields for rule in rules)
        reshape = Reshape.of(rules)
        if malformed or extra or reshape:
            send = transforming(send, malformed, extra, reshape)
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
        if api == "zoom":
            category = zoom_category(method, path[len("/zoom/v2") :])
            daily = state.daily.take(method, path, category)
            if daily is not None:
                await self.daily_limited(send, daily, category)
                return
        verdict = self.rate(api, method, path)
        if verdict is not None and not verdict.allowed:
            await self.too_many(send, api, method, path, verdict.retry_after, verdict)
            return
        out = with_headers(send, self.rate_headers(api, method, path, verdict))
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
            limiter = self.state.limiter
            return limiter.take(f"zoom:{category}", limiter.zoom_rate(category))
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

    async def daily_limited(self, send: Send, rule: DailyLimit, category: str) -> None:
        """Zoom's 429 for a daily limit used up, in the rule's shape."""
        cap = ZOOM_DAILY_CAP[self.state.limiter.zoom_plan]
        headers = [(b"x-ratelimit-category", category.encode())]
        if rule.shape == "documented":
            day = self.state.now().replace(hour=0, minute=0, second=0, microsecond=0)
            reset = day + timedelta(days=1)
            headers += [
                (b"x-ratelimit-type", b"Daily-limit"),
                (b"x-ratelimit-limit", str(cap).encode()),
                (b"x-ratelimit-remaining", b"0"),
                (b"retry-after", reset.strftime("%Y-%m-%dT%H:%M:%SZ").encode()),
            ]
            message = (
                "You have reached the maximum daily rate limit for this API. Refer to the "
                "response header for details on when you can make another request."
            )
        else:
            # As a forum thread recorded it: no type, no Retry-After, a Remaining that
            # still counts, and only the body saying when.
            headers += [
                (b"x-ratelimit-limit", str(cap).encode()),
                (b"x-ratelimit-remaining", str(cap // 2).encode()),
            ]
            message = (
                f"You have exceeded the daily rate limit ({cap}) of this API's requests "
                "permitted for this account. You may resume these requests at GMT 00:00:00."
            )
        body = json.dumps({"code": 429, "message": message}).encode()
        await send_simple(send, 429, body, "application/json", headers)

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
