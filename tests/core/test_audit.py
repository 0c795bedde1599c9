"""The audit log: intent before, result after, readable, never secret, loud on failure."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.core.audit import AuditLog, AuditTarget
from tui.core.errors import StorageError
from tui.core.models import ActionOutcome


def test_intent_then_result(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "data" / "audit.jsonl")
    entry = log.intent(
        profile="work",
        provider="zoom",
        action="approve",
        event="w1",
        targets=[AuditTarget("r1", "ann@example.com"), AuditTarget("r2")],
    )
    log.result(
        entry,
        profile="work",
        provider="zoom",
        action="approve",
        event="w1",
        outcomes=[ActionOutcome("r1", True), ActionOutcome("r2", False, "Not found")],
    )
    lines = [json.loads(x) for x in log.path.read_text().splitlines()]
    assert [x["phase"] for x in lines] == ["intent", "result"]
    assert lines[0]["id"] == lines[1]["id"] == entry
    assert lines[1]["outcomes"][1] == {"target": "r2", "ok": False, "message": "Not found"}
    assert log.path.stat().st_mode & 0o077 == 0
    entries = list(log.entries())
    assert len(entries) == 2 and entries[0].targets[0]["label"] == "ann@example.com"


def test_since_filters_and_bad_lines_are_skipped(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.intent(profile="p", provider="zoom", action="deny", targets=[AuditTarget("a")])
    with log.path.open("a") as fh:
        fh.write("{not json\n")
    assert len(list(log.entries())) == 1
    future = datetime.now(UTC) + timedelta(minutes=1)
    assert list(log.entries(since=future)) == []


def test_unwritable_log_is_a_storage_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/meetdeck-audit.jsonl")  # even root cannot create files here
    else:
        folder = tmp_path / "ro"
        folder.mkdir(mode=0o500)
        target = folder / "audit.jsonl"
    log = AuditLog(target)
    with pytest.raises(StorageError, match="no write was sent"):
        log.intent(profile="p", provider="zoom", action="approve", targets=[])


class FillingDisk:
    """A `Writer` for `AuditLog`: writes at most `room` more bytes, short, then ENOSPC."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.calls = 0

    def __call__(self, fd: int, data: memoryview) -> int:
        self.calls += 1
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = os.write(fd, data[: self.room])
        self.room -= written
        return written


def test_short_writes_are_continued(tmp_path: Path) -> None:
    """A writer that takes 7 bytes a call still leaves whole lines."""
    log = AuditLog(tmp_path / "audit.jsonl", write=lambda fd, data: os.write(fd, data[:7]))
    entry = log.intent(
        profile="p",
        provider="zoom",
        action="approve",
        targets=[AuditTarget("r1", "Zoë <z@example.com>")],
    )
    assert [e.id for e in log.entries()] == [entry]
    assert log.path.read_bytes().endswith(b"\n")


def test_a_full_disk_leaves_no_half_intent(tmp_path: Path) -> None:
    """The intent is written short and then the disk is full: refused, and cut back."""
    log = AuditLog(tmp_path / "audit.jsonl")
    first = log.intent(profile="p", provider="zoom", action="deny", targets=[AuditTarget("a")])
    before = log.path.read_bytes()
    disk = FillingDisk(room=40)
    log.write = disk
    with pytest.raises(StorageError, match=r"disk is full.*no write was sent"):
        log.intent(
            profile="p",
            provider="zoom",
            action="approve",
            targets=[AuditTarget(f"r{i}") for i in range(30)],
        )
    assert disk.calls == 2 and log.path.read_bytes() == before
    log.write = os.write
    second = log.intent(profile="p", provider="zoom", action="approve", targets=[])
    assert [e.id for e in log.entries()] == [first, second]


def test_a_partial_last_line_is_skipped_and_never_glued_onto(tmp_path: Path) -> None:
    """A crash mid-line leaves half a line: the reader skips it, the next line is whole."""
    log = AuditLog(tmp_path / "audit.jsonl")
    first = log.intent(profile="p", provider="zoom", action="deny", targets=[AuditTarget("a")])
    with log.path.open("a") as fh:
        fh.write('{"id":"half","time":"2026-')
    assert [e.id for e in log.entries()] == [first]
    second = log.intent(profile="p", provider="zoom", action="approve", targets=[])
    assert [e.id for e in log.entries()] == [first, second]


def test_a_result_that_cannot_be_recorded_says_the_change_was_sent(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.write = FillingDisk(room=0)
    with pytest.raises(StorageError) as caught:
        log.result(
            "x",
            profile="p",
            provider="zoom",
            action="approve",
            outcomes=[ActionOutcome("r1", True)],
        )
    assert caught.value.sentence.startswith(
        "The change was sent; the audit log could not record its result (the disk is full"
    )
    assert "no write was sent" not in caught.value.sentence


def test_unfinished_counts_people_per_state(tmp_path: Path) -> None:
    """An intent with progress but no result: done, failed and unknown per person."""
    log = AuditLog(tmp_path / "audit.jsonl")
    people = [AuditTarget(f"r{i}") for i in range(5)]
    done = log.intent(profile="p", provider="zoom", action="approve", event="w1", targets=people)
    log.progress(
        done,
        profile="p",
        provider="zoom",
        action="approve",
        event="w1",
        outcomes=[ActionOutcome("r0", True), ActionOutcome("r1", False, "Refused.")],
    )
    log.progress(
        done,
        profile="p",
        provider="zoom",
        action="approve",
        event="w1",
        outcomes=[ActionOutcome("r2", False, "Unknown: no answer.")],
    )
    finished = log.intent(profile="p", provider="zoom", action="deny", targets=people[:1])
    log.result(
        finished, profile="p", provider="zoom", action="deny", outcomes=[ActionOutcome("r0", True)]
    )
    other = log.intent(profile="q", provider="zoom", action="deny", targets=people[:1])
    [found] = log.unfinished(profile="p")
    assert (found.id, found.event, found.targets) == (done, "w1", 5)
    assert found.states() == "1 done, 1 failed, 3 unknown" and not found.reviewed
    assert [u.id for u in log.unfinished()] == [done, other]
    log.reviewed(found, note="told at start-up")
    assert log.unfinished(profile="p")[0].reviewed
