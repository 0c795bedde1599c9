"""The audit log: every write, before (intent) and after (result), as JSON lines.

One line per event in `Paths.audit_log`. An action writes an `intent` line before its
first request, a `progress` line for each part of a batch as it returns (a Zoom chunk of
30 people), and a `result` line with the outcome per target after, all with the same
`id`. A process killed mid-batch leaves an intent without a result, and a cancelled one
an `interrupted` line instead of a result: `unfinished` reads those back with what the
progress lines confirmed, and a `reviewed` line records that the person was told.
Entries never contain tokens, client secrets or start URLs: only keys, names and
emails of targets.

A line is on disk whole (short writes are continued, the file is fsynced) before the
call returns, or not at all: a write that fails part way is cut back off the file. A
partial last line left by a crash is skipped by the reader, and the next line starts
on a line of its own.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.core.errors import StorageError
from tui.core.models import ActionOutcome
from tui.core.settings.paths import ensure_dir

#: Writes bytes to a file descriptor and returns how many it wrote (`os.write`'s
#: contract, short writes included): the seam tests use to fill the disk.
Writer = Callable[[int, memoryview], int]

INTENT_FAILED = (
    "The audit log {path} cannot be written ({reason}); no write was sent. Free "
    "some space or fix the permissions, then try again."
)
RESULT_FAILED = (
    "The change was sent; the audit log could not record its result ({reason}: "
    "{path}). Refresh the event to see where things stand."
)


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


@dataclass(frozen=True, slots=True)
class UnfinishedWrite:
    """An action whose intent has no result: the process stopped before recording one.

    `done` and `failed` count the people its progress (or interrupted) lines confirmed;
    the rest are unknown (they may or may not have been changed).
    """

    id: str
    time: datetime
    profile: str
    provider: str
    action: str
    event: str | None
    targets: int
    done: int
    failed: int
    reviewed: bool

    @property
    def unknown(self) -> int:
        return self.targets - self.done - self.failed

    def states(self) -> str:
        """The people per state, e.g. "60 done, 0 failed, 87 unknown"."""
        return f"{self.done} done, {self.failed} failed, {self.unknown} unknown"


class AuditLog:
    """Append-only JSON-lines file; each line is whole and fsynced before returning."""

    def __init__(self, path: Path, *, write: Writer = os.write) -> None:
        self.path = path
        self.write = write

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
        self._append(
            {
                "id": entry_id,
                "time": _now(),
                "phase": "intent",
                "profile": profile,
                "provider": provider,
                "action": action,
                "event": event,
                "targets": [{"key": t.key, "label": t.label} for t in targets],
            },
            consequence=INTENT_FAILED,
        )
        return entry_id

    def progress(
        self,
        entry_id: str,
        *,
        profile: str,
        provider: str,
        action: str,
        outcomes: Sequence[ActionOutcome],
        event: str | None = None,
    ) -> None:
        """Record the outcome of one part of the action `entry_id` as it returns."""
        self._append(
            {
                "id": entry_id,
                "time": _now(),
                "phase": "progress",
                "profile": profile,
                "provider": provider,
                "action": action,
                "event": event,
                "outcomes": _outcomes(outcomes),
            },
            consequence=RESULT_FAILED,
        )

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
        interrupted: bool = False,
    ) -> None:
        """Record what happened to each target of the action `entry_id`.

        `interrupted`: the action was cancelled or crashed mid-call, so its outcome is
        partly unknown; the line's phase is then "interrupted", and `unfinished` still
        lists the action (with what the outcomes confirm).
        """
        self._append(
            {
                "id": entry_id,
                "time": _now(),
                "phase": "interrupted" if interrupted else "result",
                "profile": profile,
                "provider": provider,
                "action": action,
                "event": event,
                "outcomes": _outcomes(outcomes),
                "note": note,
            },
            consequence=RESULT_FAILED,
        )

    def _append(self, record: dict[str, Any], *, consequence: str) -> None:
        """Append one whole line, fsynced; on failure cut it back off and raise a
        StorageError with `consequence` (a template of {path} and {reason})."""
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            ensure_dir(self.path.parent)
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                self._append_line(fd, line.encode("utf-8"))
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)  # the new file's name is durable too
        except OSError as exc:
            reason = (
                "the disk is full"
                if exc.errno == errno.ENOSPC
                else (exc.strerror or "it cannot be written")
            )
            raise StorageError(consequence.format(path=self.path, reason=reason)) from None

    def _append_line(self, fd: int, data: bytes) -> None:
        start = os.fstat(fd).st_size
        if start and os.pread(fd, 1, start - 1) != b"\n":
            data = b"\n" + data  # a crash left a partial line: never glue onto it
        try:
            view = memoryview(data)
            while view:
                written = self.write(fd, view)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
            os.fsync(fd)
        except OSError:
            # No half line stays behind; if even this fails, the reader skips it.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, start)
            raise

    def reviewed(self, entry: UnfinishedWrite, *, note: str) -> None:
        """Record that the person was told about the unfinished write `entry`."""
        self._append(
            {
                "id": entry.id,
                "time": _now(),
                "phase": "reviewed",
                "profile": entry.profile,
                "provider": entry.provider,
                "action": entry.action,
                "event": entry.event,
                "note": note,
            },
            consequence=(
                "The audit log {path} cannot be written ({reason}); the notice about "
                "this unfinished write may show again."
            ),
        )

    def unfinished(self, *, profile: str | None = None) -> list[UnfinishedWrite]:
        """Intents without a result (oldest first), with what their progress confirmed."""
        return unfinished(self.entries(), profile=profile)

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


class ConfirmedTargets:
    """The targets one kind of action confirmed, by event, read from the audit log.

    The log is read as it grows (from where the last read stopped; from the start
    again if it shrank), so asking often costs only the new lines. Thread-safe: sync
    workers ask from threads.

    Args:
        log: The audit log.
        profile: Only this profile's writes.
        action: Only this action (e.g. "cancel").
    """

    def __init__(self, log: AuditLog, *, profile: str, action: str) -> None:
        self._log = log
        self._profile = profile
        self._action = action
        self._offset = 0
        self._found: dict[tuple[str, str], dict[str, datetime]] = {}
        self._lock = threading.Lock()

    def of(self, provider: str, event: str, since: datetime) -> dict[str, datetime]:
        """Target key -> when the service confirmed it, for the writes of `event` at
        `provider` confirmed at `since` or later."""
        with self._lock:
            self._read()
            found = self._found.get((provider, event), {})
            return {key: when for key, when in found.items() if when >= since}

    def _read(self) -> None:
        try:
            handle = self._log.path.open("rb")
        except FileNotFoundError:
            self._offset, self._found = 0, {}
            return
        with handle:
            size = os.fstat(handle.fileno()).st_size
            if size < self._offset:  # replaced or cut back: read it again
                self._offset, self._found = 0, {}
            handle.seek(self._offset)
            data = handle.read(size - self._offset)
        whole = data[: data.rfind(b"\n") + 1]  # a line still being written waits
        self._offset += len(whole)
        for line in whole.decode("utf-8", errors="replace").splitlines():
            entry = _parse(line)
            if (
                entry is None
                or entry.phase not in ("progress", "result", "interrupted")
                or entry.profile != self._profile
                or entry.action != self._action
                or not entry.event
            ):
                continue
            event = self._found.setdefault((entry.provider, str(entry.event)), {})
            for outcome in entry.outcomes:
                if outcome.get("ok") is True:
                    key = str(outcome.get("target"))
                    event[key] = max(event.get(key, entry.time), entry.time)


def outcome_state(outcome: dict[str, Any]) -> str:
    """ "done", "failed" or "unknown" for one recorded outcome (see the providers' messages:
    an unconfirmed call's people carry "Unknown: ...")."""
    if outcome.get("ok") is True:
        return "done"
    return "unknown" if str(outcome.get("message", "")).startswith("Unknown") else "failed"


def unfinished(
    entries: Iterable[AuditEntry], *, profile: str | None = None
) -> list[UnfinishedWrite]:
    """The intents among `entries` that have no result line, oldest first."""
    intents: dict[str, AuditEntry] = {}
    states: dict[str, dict[str, str]] = {}
    finished: set[str] = set()
    reviewed: set[str] = set()
    for entry in entries:
        if entry.phase == "intent":
            intents[entry.id] = entry
            states[entry.id] = {}
        elif entry.phase in ("progress", "interrupted") and entry.id in states:
            states[entry.id].update(
                (str(o.get("target")), outcome_state(o)) for o in entry.outcomes
            )
        elif entry.phase == "result":
            finished.add(entry.id)
        elif entry.phase == "reviewed":
            reviewed.add(entry.id)
    found = []
    for entry_id, intent in intents.items():
        if entry_id in finished or (profile is not None and intent.profile != profile):
            continue
        keys = {str(t.get("key")) for t in intent.targets}
        seen = [state for key, state in states[entry_id].items() if key in keys]
        found.append(
            UnfinishedWrite(
                entry_id,
                intent.time,
                intent.profile,
                intent.provider,
                intent.action,
                intent.event,
                len(keys),
                seen.count("done"),
                seen.count("failed"),
                entry_id in reviewed,
            )
        )
    return found


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a platform without directory handles: the file's own fsync is all
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems refuse fsync on a directory
    finally:
        os.close(fd)


def _outcomes(outcomes: Iterable[ActionOutcome]) -> list[dict[str, Any]]:
    return [{"target": o.target_key, "ok": o.ok, "message": o.message} for o in outcomes]


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
