"""The audit log: every write, before (intent) and after (result), as JSON lines.

One line per event in `Paths.audit_log`. An action writes an `intent` line before its
first request and a `result` line with the outcome per target after, both with the
same `id`, so an interrupted action shows as an intent without a result. Entries never
contain tokens, client secrets or start URLs: only keys, names and emails of targets.
"""

from __future__ import annotations

import errno
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.errors import StorageError
from tui.core.models import ActionOutcome
from tui.core.paths import ensure_dir


@dataclass(frozen=True, slots=True)
class AuditTarget:
    """Who or what an action touches; never anything secret."""

    key: str
    label: str = ""
    event: str | None = None
    """The event the target belongs to (a registrant's), checked by the write gate;
    not written to the log, whose entry names the event once."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One parsed line of the audit log."""

    id: str
    time: datetime
    phase: str
    profile: str
    provider: str
    action: str
    event: str | None
    targets: tuple[dict[str, Any], ...]
    outcomes: tuple[dict[str, Any], ...]
    note: str = ""


class AuditLog:
    """Append-only JSON-lines file; each line is flushed and fsynced before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def intent(
        self,
        *,
        profile: str,
        provider: str,
        action: str,
        targets: Sequence[AuditTarget],
        event: str | None = None,
    ) -> str:
        """Record that an action is about to run; returns the id to pass to `result`."""
        entry_id = uuid.uuid4().hex
        self._append({
            "id": entry_id,
            "time": _now(),
            "phase": "intent",
            "profile": profile,
            "provider": provider,
            "action": action,
            "event": event,
            "targets": [{"key": t.key, "label": t.label} for t in targets],
        })
        return entry_id

    def result(
        self,
        entry_id: str,
        *,
        profile: str,
        provider: str,
        action: str,
        outcomes: Sequence[ActionOutcome],
        event: str | None = None,
        note: str = "",
    ) -> None:
        """Record what happened to each target of the action `entry_id`."""
        self._append({
            "id": entry_id,
            "time": _now(),
            "phase": "result",
            "profile": profile,
            "provider": provider,
            "action": action,
            "event": event,
            "outcomes": [
                {"target": o.target_key, "ok": o.ok, "message": o.message} for o in outcomes
            ],
            "note": note,
        })

    def _append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            ensure_dir(self.path.parent)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            reason = "the disk is full" if exc.errno == errno.ENOSPC else (
                exc.strerror or "it cannot be written")
            raise StorageError(
                f"The audit log {self.path} cannot be written ({reason}); no write was sent. "
                "Free some space or fix the permissions, then try again."
            ) from None

    def entries(self, since: datetime | None = None) -> Iterator[AuditEntry]:
        """Parsed entries, oldest first; unreadable lines are skipped, never fatal."""
        try:
            handle = self.path.open(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        with handle:
            for line in handle:
                entry = _parse(line)
                if entry is not None and (since is None or entry.time >= since):
                    yield entry


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _parse(line: str) -> AuditEntry | None:
    try:
        raw = json.loads(line)
        return AuditEntry(
            id=str(raw["id"]),
            time=datetime.fromisoformat(raw["time"]),
            phase=str(raw["phase"]),
            profile=str(raw.get("profile", "")),
            provider=str(raw.get("provider", "")),
            action=str(raw.get("action", "")),
            event=raw.get("event"),
            targets=tuple(raw.get("targets", ())),
            outcomes=tuple(raw.get("outcomes", ())),
            note=str(raw.get("note", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None
