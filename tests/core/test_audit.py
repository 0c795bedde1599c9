"""The audit log: intent before, result after, readable, never secret, loud on failure."""

from __future__ import annotations

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
    entry = log.intent(profile="work", provider="zoom", action="approve", event="w1",
                       targets=[AuditTarget("r1", "ann@example.com"), AuditTarget("r2")])
    log.result(entry, profile="work", provider="zoom", action="approve", event="w1",
               outcomes=[ActionOutcome("r1", True), ActionOutcome("r2", False, "Not found")])
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
