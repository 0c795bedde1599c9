"""The write gate: read-only refusal, confirmation checks, audit before and after."""

from __future__ import annotations

import asyncio
import errno
import json
import os
from pathlib import Path

import pytest

from tui.core.audit import AuditLog, AuditTarget
from tui.core.deck.gate import Confirmation, ConfirmationMismatch, WriteGate
from tui.core.errors import NetworkUnreachable, ReadOnlyMode
from tui.core.models import ActionOutcome, ActionResult, Progress

TARGETS = [AuditTarget("r1", "ann@example.com"), AuditTarget("r2", "bo@example.com")]


def gate(tmp_path: Path, *, read_only: bool = False) -> WriteGate:
    return WriteGate(profile="work", read_only=read_only, audit=AuditLog(tmp_path / "audit.jsonl"))


def phases(tmp_path: Path) -> list[dict[str, object]]:
    path = tmp_path / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_confirmed_write_is_audited_before_and_after(tmp_path: Path) -> None:
    seen: list[list[dict[str, object]]] = []

    async def call(progress: Progress) -> ActionResult:
        seen.append(phases(tmp_path))  # the intent is on disk before the call
        return ActionResult("approve", (ActionOutcome("r1", True), ActionOutcome("r2", True)))

    confirmation = Confirmation.of("work", "approve", ["r1", "r2"], event_key="w1")
    result = await gate(tmp_path).run(
        provider="zoom",
        action="approve",
        targets=TARGETS,
        confirmation=confirmation,
        call=call,
        event_key="w1",
    )
    assert result.succeeded == ("r1", "r2")
    assert [e["phase"] for e in seen[0]] == ["intent"]
    assert [e["phase"] for e in phases(tmp_path)] == ["intent", "result"]


async def test_read_only_sends_nothing(tmp_path: Path) -> None:
    calls = 0

    async def call(progress: Progress) -> ActionResult:
        nonlocal calls
        calls += 1
        return ActionResult("approve", ())

    with pytest.raises(ReadOnlyMode, match="nothing was sent"):
        await gate(tmp_path, read_only=True).run(
            provider="zoom",
            action="approve",
            targets=TARGETS,
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
            call=call,
        )
    assert calls == 0 and phases(tmp_path) == []


@pytest.mark.parametrize(
    "confirmation",
    [
        Confirmation.of("other", "approve", ["r1", "r2"]),
        Confirmation.of("work", "deny", ["r1", "r2"]),
        Confirmation.of("work", "approve", ["r1"]),
        Confirmation.of("work", "approve", ["r1", "r2"], event_key="w2"),
    ],
)
async def test_mismatched_confirmation_sends_nothing(
    tmp_path: Path, confirmation: Confirmation
) -> None:
    async def call(progress: Progress) -> ActionResult:
        raise AssertionError("must not be called")

    with pytest.raises(ConfirmationMismatch):
        await gate(tmp_path).run(
            provider="zoom", action="approve", targets=TARGETS, confirmation=confirmation, call=call
        )
    assert phases(tmp_path) == []


async def test_more_than_ten_needs_the_count_typed(tmp_path: Path) -> None:
    targets = [AuditTarget(f"r{i}") for i in range(11)]
    keys = [t.key for t in targets]

    async def call(progress: Progress) -> ActionResult:
        return ActionResult("deny", tuple(ActionOutcome(k, True) for k in keys))

    with pytest.raises(ConfirmationMismatch, match="count typed"):
        await gate(tmp_path).run(
            provider="zoom",
            action="deny",
            targets=targets,
            confirmation=Confirmation.of("work", "deny", keys),
            call=call,
        )
    result = await gate(tmp_path).run(
        provider="zoom",
        action="deny",
        targets=targets,
        call=call,
        confirmation=Confirmation.of("work", "deny", keys, typed_count=11),
    )
    assert len(result.succeeded) == 11


async def test_typed_failure_becomes_failed_outcomes(tmp_path: Path) -> None:
    async def call(progress: Progress) -> ActionResult:
        raise NetworkUnreachable("The connection dropped.")

    result = await gate(tmp_path).run(
        provider="zoom",
        action="approve",
        targets=TARGETS,
        call=call,
        confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
    )
    assert result.succeeded == ()
    last = phases(tmp_path)[-1]
    assert last["phase"] == "result"
    outcomes = last["outcomes"]
    assert isinstance(outcomes, list) and all(not o["ok"] for o in outcomes)


async def test_cancellation_is_recorded_as_unknown(tmp_path: Path) -> None:
    async def call(progress: Progress) -> ActionResult:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await gate(tmp_path).run(
            provider="zoom",
            action="approve",
            targets=TARGETS,
            call=call,
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
        )
    assert phases(tmp_path)[-1]["note"] == "interrupted; outcome unknown"


async def test_each_part_is_recorded_as_it_returns(tmp_path: Path) -> None:
    """A batch's parts are on disk as progress lines before the next part is sent."""
    seen: list[list[str]] = []

    async def call(progress: Progress) -> ActionResult:
        progress([ActionOutcome("r1", True)])
        seen.append([str(e["phase"]) for e in phases(tmp_path)])
        progress([ActionOutcome("r2", False, "Refused.")])
        return ActionResult(
            "approve", (ActionOutcome("r1", True), ActionOutcome("r2", False, "Refused."))
        )

    await gate(tmp_path).run(
        provider="zoom",
        action="approve",
        targets=TARGETS,
        call=call,
        confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
    )
    assert seen == [["intent", "progress"]]
    lines = phases(tmp_path)
    assert [e["phase"] for e in lines] == ["intent", "progress", "progress", "result"]
    assert lines[2]["outcomes"] == [{"target": "r2", "ok": False, "message": "Refused."}]


async def test_a_result_the_log_cannot_take_is_said_not_hidden(tmp_path: Path) -> None:
    """The disk fills after the intent: the call went out, so its outcomes come back
    with a note that says the change was sent and its result is not recorded."""
    sent: list[str] = []
    write_gate = gate(tmp_path)

    async def call(progress: Progress) -> ActionResult:
        sent.append("PUT")
        write_gate.audit.write = full_disk
        progress([ActionOutcome("r1", True), ActionOutcome("r2", True)])
        return ActionResult("approve", (ActionOutcome("r1", True), ActionOutcome("r2", True)))

    result = await write_gate.run(
        provider="zoom",
        action="approve",
        targets=TARGETS,
        call=call,
        confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
    )
    assert sent == ["PUT"] and result.succeeded == ("r1", "r2")
    assert result.note.startswith(
        "The change was sent; the audit log could not record its result (the disk is full"
    )
    assert "no write was sent" not in result.note
    assert [e["phase"] for e in phases(tmp_path)] == ["intent"]


async def test_an_interrupted_call_on_a_full_disk_still_unwinds(tmp_path: Path) -> None:
    write_gate = gate(tmp_path)

    async def call(progress: Progress) -> ActionResult:
        write_gate.audit.write = full_disk
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await write_gate.run(
            provider="zoom",
            action="approve",
            targets=TARGETS,
            call=call,
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
        )


def full_disk(fd: int, data: memoryview) -> int:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_an_interrupted_batch_keeps_what_returned_and_stays_unfinished(
    tmp_path: Path,
) -> None:
    """Cancelled after the first part returned: that part stays done in the audit log,
    the rest is unknown (not "failed"), and the write is listed as unfinished."""
    write_gate = gate(tmp_path)

    async def call(progress: Progress) -> ActionResult:
        progress([ActionOutcome("r1", True)])
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await write_gate.run(
            provider="zoom",
            action="approve",
            targets=TARGETS,
            call=call,
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"]),
        )
    last = phases(tmp_path)[-1]
    assert last["phase"] == "interrupted"
    assert last["outcomes"] == [
        {"target": "r1", "ok": True, "message": ""},
        {"target": "r2", "ok": False, "message": "Unknown: interrupted"},
    ]
    [open_end] = write_gate.audit.unfinished()
    assert open_end.states() == "1 done, 0 failed, 1 unknown"
