"""Fault rules set at runtime through `POST /_sandbox/faults`."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

ERROR_STATUSES = (500, 502, 503, 504)
MALFORMED_MODES = ("truncate", "garbage")
FIELDS = (
    "latency_ms",
    "error_rate",
    "error_status",
    "storm_429",
    "retry_after",
    "drop_mid_body",
    "malformed_json",
    "extra_fields",
    "html_instead_of_file",
    "trickle_ms",
    "stall_after_bytes",
    "huge_body",
    "huge_strings",
    "extreme_dates",
    "deep_nesting",
    "match",
    "remaining",
)


class FaultError(ValueError):
    """A fault rule that cannot be understood; the message names the field."""


@dataclass(slots=True)
class FaultRule:
    """One set of faults, scoped by `match` and limited to `remaining` requests."""

    id: int
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int | None = None
    storm_429: bool = False
    retry_after: int = 1
    drop_mid_body: bool = False
    malformed_json: str | None = None
    extra_fields: bool = False
    html_instead_of_file: bool = False
    trickle_ms: int = 0
    """Send the body one byte at a time, this many milliseconds apart."""
    stall_after_bytes: int | None = None
    """Send this many bytes of the body, then hold the stream open until the client
    hangs up (a download in flight for as long as a test needs one)."""
    huge_body: int = 0
    """Add this many bytes of padding to a JSON body, sent in chunks without a length."""
    huge_strings: int = 0
    """Lengthen every name, title and description in a JSON body by this many characters."""
    extreme_dates: bool = False
    """Replace every date-time in a JSON body by 0001-01-01 or 9999-12-31 in a far zone."""
    deep_nesting: int = 0
    """Add a value nested this many arrays deep to a JSON body."""
    method: str | None = None
    path: re.Pattern[str] | None = None
    remaining: int | None = None
    applied: int = 0

    def matches(self, method: str, path: str, is_file: bool) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is not None and not self.path.search(path):
            return False
        if self.html_instead_of_file and not self._has_other_effects():
            return is_file  # only meaningful where a file is served
        return True

    def _has_other_effects(self) -> bool:
        return bool(
            self.latency_ms
            or self.error_rate
            or self.storm_429
            or self.drop_mid_body
            or self.malformed_json
            or self.extra_fields
            or self.reshapes
            or self.trickle_ms
            or self.stall_after_bytes is not None
        )

    @property
    def reshapes(self) -> bool:
        """True when the rule rewrites a JSON body (beyond malformed/extra fields)."""
        return bool(self.huge_body or self.huge_strings or self.extreme_dates or self.deep_nesting)

    def to_json(self) -> dict[str, Any]:
        match: dict[str, str] = {}
        if self.method:
            match["method"] = self.method
        if self.path is not None:
            match["path"] = self.path.pattern
        return {
            "id": self.id,
            "latency_ms": self.latency_ms,
            "error_rate": self.error_rate,
            "error_status": self.error_status,
            "storm_429": self.storm_429,
            "retry_after": self.retry_after,
            "drop_mid_body": self.drop_mid_body,
            "malformed_json": self.malformed_json,
            "extra_fields": self.extra_fields,
            "html_instead_of_file": self.html_instead_of_file,
            "trickle_ms": self.trickle_ms,
            "stall_after_bytes": self.stall_after_bytes,
            "huge_body": self.huge_body,
            "huge_strings": self.huge_strings,
            "extreme_dates": self.extreme_dates,
            "deep_nesting": self.deep_nesting,
            "match": match,
            "remaining": self.remaining,
            "applied": self.applied,
        }


def parse_rule(rule_id: int, body: Any) -> FaultRule:
    """A rule from its JSON form; raises FaultError naming a bad or unknown field."""
    if not isinstance(body, dict):
        raise FaultError("the body must be a JSON object")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise FaultError(
            f"unknown fault field(s): {', '.join(unknown)}; known: {', '.join(FIELDS)}"
        )
    rule = FaultRule(rule_id)
    try:
        rule.latency_ms = int(body.get("latency_ms", 0))
        rule.error_rate = float(body.get("error_rate", 0.0))
        if body.get("error_status") is not None:
            rule.error_status = int(body["error_status"])
            if "error_rate" not in body:
                rule.error_rate = 1.0
        rule.storm_429 = bool(body.get("storm_429", False))
        rule.retry_after = int(body.get("retry_after", 1))
        rule.drop_mid_body = bool(body.get("drop_mid_body", False))
        malformed = body.get("malformed_json", None)
        if malformed is True:
            malformed = "truncate"
        if malformed not in (None, False, *MALFORMED_MODES):
            raise FaultError("malformed_json must be true, 'truncate' or 'garbage'")
        rule.malformed_json = malformed or None
        rule.extra_fields = bool(body.get("extra_fields", False))
        rule.html_instead_of_file = bool(body.get("html_instead_of_file", False))
        rule.trickle_ms = int(body.get("trickle_ms", 0))
        if body.get("stall_after_bytes") is not None:
            rule.stall_after_bytes = int(body["stall_after_bytes"])
            if rule.stall_after_bytes < 0:
                raise FaultError("stall_after_bytes must not be negative")
        rule.huge_body = int(body.get("huge_body", 0))
        rule.huge_strings = int(body.get("huge_strings", 0))
        rule.extreme_dates = bool(body.get("extreme_dates", False))
        rule.deep_nesting = int(body.get("deep_nesting", 0))
        if min(rule.trickle_ms, rule.huge_body, rule.huge_strings, rule.deep_nesting) < 0:
            raise FaultError(
                "trickle_ms, huge_body, huge_strings and deep_nesting must not be negative"
            )
        if body.get("remaining") is not None:
            rule.remaining = int(body["remaining"])
        match = body.get("match") or {}
        if not isinstance(match, dict) or set(match) - {"method", "path"}:
            raise FaultError("match must be an object with 'method' and/or 'path' (a regex)")
        if match.get("method"):
            rule.method = str(match["method"]).upper()
        if match.get("path"):
            rule.path = re.compile(str(match["path"]))
    except (TypeError, ValueError, re.error) as exc:
        if isinstance(exc, FaultError):
            raise
        raise FaultError(f"bad fault value: {exc}") from exc
    if not 0.0 <= rule.error_rate <= 1.0:
        raise FaultError("error_rate must be between 0 and 1")
    if rule.remaining is not None and rule.remaining < 1:
        raise FaultError("remaining must be at least 1 (omit it for no limit)")
    if rule.error_status is not None and not 400 <= rule.error_status <= 599:
        raise FaultError("error_status must be an HTTP error status (400-599)")
    return rule


@dataclass
class FaultBook:
    """The active rules; thread-safe because the server runs in its own thread."""

    rules: list[FaultRule] = field(default_factory=list)
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, body: Any) -> FaultRule:
        with self._lock:
            rule = parse_rule(self._next_id, body)
            self._next_id += 1
            self.rules.append(rule)
            return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self.rules)
            self.rules = [r for r in self.rules if r.id != rule_id]
            return len(self.rules) != before

    def take(self, method: str, path: str, is_file: bool) -> list[FaultRule]:
        """The rules that apply to this request, counting it against their `remaining`."""
        with self._lock:
            applied = []
            for rule in self.rules:
                if rule.matches(method, path, is_file):
                    rule.applied += 1
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    applied.append(rule)
            self.rules = [r for r in self.rules if r.remaining is None or r.remaining > 0]
            return applied

    def to_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.to_json() for r in self.rules]
