"""The write gate: read-only refusal, confirmation checks, audit before and after."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tui.core.actions import Confirmation, ConfirmationMismatch, WriteGate
from tui.core.audit import AuditLog, AuditTarget
from tui.core.errors import NetworkUnreachable, ReadOnlyMode
from tui.core.models import ActionOutcome, ActionResult

TARGETS = [AuditTarget("r1", "ann@example.com"), AuditTarget("r2", "bo@example.com")]


def gate(tmp_path: Path, *, read_only: bool = False) -> WriteGate:
    return WriteGate(profile="work", read_only=read_only,
                     audit=AuditLog(tmp_path / "audit.jsonl"))


def phases(tmp_path: Path) -> list[dict[str, object]]:
    path = tmp_path / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_confirmed_write_is_audited_before_and_after(tmp_path: Path) -> None:
    seen: list[list[dict[str, object]]] = []

    async def call() -> ActionResult:
        seen.append(phases(tmp_path))  # the intent is on disk before the call
        return ActionResult("approve", (ActionOutcome("r1", True), ActionOutcome("r2", True)))

    confirmation = Confirmation.of("work", "approve", ["r1", "r2"], event_key="w1")
    result = await gate(tmp_path).run(provider="zoom", action="approve", targets=TARGETS,
                                      confirmation=confirmation, call=call, event_key="w1")
    assert result.succeeded == ("r1", "r2")
    assert [e["phase"] for e in seen[0]] == ["intent"]
    assert [e["phase"] for e in phases(tmp_path)] == ["intent", "result"]


async def test_read_only_sends_nothing(tmp_path: Path) -> None:
    calls = 0

    async def call() -> ActionResult:
        nonlocal calls
        calls += 1
        return ActionResult("approve", ())

    with pytest.raises(ReadOnlyMode, match="nothing was sent"):
        await gate(tmp_path, read_only=True).run(
            provider="zoom", action="approve", targets=TARGETS,
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"]), call=call)
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
    async def call() -> ActionResult:
        raise AssertionError("must not be called")

    with pytest.raises(ConfirmationMismatch):
        await gate(tmp_path).run(provider="zoom", action="approve", targets=TARGETS,
                                 confirmation=confirmation, call=call)
    assert phases(tmp_path) == []


async def test_more_than_ten_needs_the_count_typed(tmp_path: Path) -> None:
    targets = [AuditTarget(f"r{i}") for i in range(11)]
    keys = [t.key for t in targets]

    async def call() -> ActionResult:
        return ActionResult("deny", tuple(ActionOutcome(k, True) for k in keys))

    with pytest.raises(ConfirmationMismatch, match="count typed"):
        await gate(tmp_path).run(provider="zoom", action="deny", targets=targets,
                                 confirmation=Confirmation.of("work", "deny", keys), call=call)
    result = await gate(tmp_path).run(
        provider="zoom", action="deny", targets=targets, call=call,
        confirmation=Confirmation.of("work", "deny", keys, typed_count=11))
    assert len(result.succeeded) == 11


async def test_typed_failure_becomes_failed_outcomes(tmp_path: Path) -> None:
    async def call() -> ActionResult:
        raise NetworkUnreachable("The connection dropped.")

    result = await gate(tmp_path).run(
        provider="zoom", action="approve", targets=TARGETS, call=call,
        confirmation=Confirmation.of("work", "approve", ["r1", "r2"]))
    assert result.succeeded == ()
    last = phases(tmp_path)[-1]
    assert last["phase"] == "result"
    assert all(not o["ok"] for o in last["outcomes"])  # type: ignore[union-attr]


async def test_cancellation_is_recorded_as_unknown(tmp_path: Path) -> None:
    async def call() -> ActionResult:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await gate(tmp_path).run(provider="zoom", action="approve", targets=TARGETS, call=call,
                                 confirmation=Confirmation.of("work", "approve", ["r1", "r2"]))
    assert phases(tmp_path)[-1]["note"] == "interrupted; outcome unknown"
