"""Body faults: what a fault rule does to the bytes of an answer on their way out.

Each wrapper takes the ASGI `send` of one request and returns one that drops the
connection mid-body, trickles the body a byte at a time, stalls after some bytes, or
rewrites a JSON body (unknown fields, corruption, and the `Reshape` of hostile data:
huge bodies and strings, extreme dates, deep nesting). They apply to whatever the
request gets, error answers included.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

from tui.sandbox.asgi import Message, Receive, Send
from tui.sandbox.faults import FaultRule

EXTRA_FIELDS = {"sandboxUnknownField": "added by a fault", "x_future": {"nested": [1, 2]}}


class DroppedConnection(Exception):
    """Raised on purpose to abort a response mid-body (fault `drop_mid_body`)."""


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
            await send({"type": "http.response.body", "body": body[: budget[0]], "more_body": True})
            raise DroppedConnection("fault drop_mid_body: connection aborted mid-body")
        budget[0] -= len(body)
        await send(message)

    return wrapped


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
