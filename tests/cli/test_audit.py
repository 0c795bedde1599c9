"""`meetdeck audit`: what the write gate recorded, readable, filterable, machine-readable."""

from __future__ import annotations

import asyncio
import contextlib
import json

from tests.support.cli import run_here
from tui.core.audit import AuditLog, AuditTarget
from tui.core.deck.gate import Confirmation, WriteGate
from tui.core.models import ActionOutcome, ActionResult, Progress
from tui.core.settings.paths import resolve_paths


def record_an_action() -> None:
    """One approve of two people through the real write gate: one ok, one refused."""
    gate = WriteGate(profile="work", read_only=False, audit=AuditLog(resolve_paths().audit_log))
    targets = [
        AuditTarget("r1", "Ann Lee <ann@example.com>"),
        AuditTarget("r2", "\x1b[2JEve <eve@example.com>"),
    ]

    async def call(progress: Progress) -> ActionResult:
        return ActionResult(
            "approve",
            (ActionOutcome("r1", True), ActionOutcome("r2", False, "Registrant not found.")),
        )

    asyncio.run(
        gate.run(
            provider="zoom",
            action="approve",
            targets=targets,
            event_key="w1",
            confirmation=Confirmation.of("work", "approve", ["r1", "r2"], event_key="w1"),
            call=call,
        )
    )


def test_audit_prints_intent_and_result() -> None:
    record_an_action()
    done = run_here("audit")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "approve" in lines[0] and "intent" in lines[0] and "2 target(s)" in lines[0]
    assert "Ann Lee <ann@example.com>" in lines[0]
    assert "result" in lines[1] and "1 ok, 1 failed" in lines[1]
    # The failed person by name (from the intent), not by key; the name cleaned.
    assert "\u241b[2JEve <eve@example.com>: Registrant not found." in done.stdout
    assert "r2:" not in done.stdout
    assert "\x1b" not in done.stdout  # names from an API never reach the terminal raw


def test_audit_json_and_since() -> None:
    record_an_action()
    raw = run_here("audit", "--json", "--since", "1h")
    assert raw.returncode == 0, raw.stderr
    entries = [json.loads(line) for line in raw.stdout.splitlines()]
    assert [e["phase"] for e in entries] == ["intent", "result"]
    assert entries[0]["id"] == entries[1]["id"] and entries[1]["event"] == "w1"
    assert [o["ok"] for o in entries[1]["outcomes"]] == [True, False]
    later = run_here("audit", "--since", "2999-01-01")
    assert later.returncode == 0 and later.stdout == ""
    assert "No audit entries since 2999-01-01" in later.stderr


def test_hostile_names_never_reach_the_terminal_raw_even_as_json() -> None:
    """An 8-bit CSI, a bidi override and a zero-width space in a name: the text output
    shows them cleaned, the JSON escapes them (json.dumps with ensure_ascii=False alone
    lets them through) and still gives a program the exact name."""
    hostile = "\x9b2JMal\u202elory\u200b\x1b]52;c;eA==\x07"
    gate = WriteGate(profile="work", read_only=False, audit=AuditLog(resolve_paths().audit_log))

    async def call(progress: Progress) -> ActionResult:
        return ActionResult("deny", (ActionOutcome("r3", False, hostile),))

    asyncio.run(
        gate.run(
            provider="zoom",
            action="deny",
            targets=[AuditTarget("r3", hostile)],
            event_key="w1",
            confirmation=Confirmation.of("work", "deny", ["r3"], event_key="w1"),
            call=call,
        )
    )
    unsafe = {"\x1b", "\x07", "\x9b", "\u202e", "\u200b"}
    text = run_here("audit")
    assert text.returncode == 0, text.stderr
    assert "Mal" in text.stdout and not unsafe & set(text.stdout)
    raw = run_here("audit", "--json")
    assert raw.returncode == 0, raw.stderr
    assert not unsafe & set(raw.stdout)
    entries = [json.loads(line) for line in raw.stdout.splitlines()]
    assert entries[0]["targets"][0]["label"] == hostile
    assert entries[1]["outcomes"][0]["message"] == hostile


def test_audit_with_a_bad_since_says_what_it_accepts() -> None:
    done = run_here("audit", "--since", "yesterday-ish")
    assert done.returncode == 2
    assert "neither an ISO date/time" in done.stderr and "Traceback" not in done.stderr


def test_audit_with_no_log_yet() -> None:
    done = run_here("audit")
    assert done.returncode == 0 and "No audit entries." in done.stderr


def test_audit_with_a_since_too_far_back_names_the_value() -> None:
    """An age that reaches before year 1 (or has more digits than Python's int takes)
    is a clear error naming the value and the accepted form, not an OverflowError."""
    for value in ("99999999d", "999999999999w", "1" * 5000 + "s"):
        done = run_here("audit", "--since", value)
        assert done.returncode == 2, (value[:20], done.stderr)
        assert "Traceback" not in done.stderr and "OverflowError" not in done.stderr
        assert (value if len(value) < 30 else "too long") in done.stderr
        assert "30m, 2h, 3d, 1w" in done.stderr


def test_a_write_without_a_result_shows_as_outcome_unknown() -> None:
    """A process killed mid-batch: the intent, the chunks that returned, and a line that
    says the outcome is unknown with the people per state."""
    log = AuditLog(resolve_paths().audit_log)
    people = [AuditTarget(f"r{i}", f"p{i}@example.com") for i in range(147)]
    entry = log.intent(
        profile="work", provider="zoom", action="approve", event="w1", targets=people
    )
    for start in (0, 30):
        log.progress(
            entry,
            profile="work",
            provider="zoom",
            action="approve",
            event="w1",
            outcomes=[ActionOutcome(p.key, True) for p in people[start : start + 30]],
        )
    record_an_action()  # a finished one after it
    done = run_here("audit")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "intent" in lines[0] and "147 target(s)" in lines[0]
    assert "progress" in lines[1] and "30 ok, 0 failed" in lines[1]
    assert "progress" in lines[2]
    assert lines[3].strip() == (
        "outcome unknown: the write did not finish; 60 done, 0 failed, "
        "87 unknown of 147 (refresh the event to see where things "
        "stand)"
    )
    assert done.stdout.count("outcome unknown") == 1  # the finished one is not
    raw = run_here("audit", "--json")
    first = json.loads(raw.stdout.splitlines()[0])
    assert first["outcome_unknown"] == {"done": 60, "failed": 0, "unknown": 87}


def test_an_interrupted_write_counts_unknown_apart_from_failed() -> None:
    gate = WriteGate(profile="work", read_only=False, audit=AuditLog(resolve_paths().audit_log))

    async def call(progress: Progress) -> ActionResult:
        progress([ActionOutcome("r1", True)])
        raise KeyboardInterrupt

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(
            gate.run(
                provider="zoom",
                action="approve",
                event_key="w1",
                targets=[AuditTarget("r1"), AuditTarget("r2")],
                call=call,
                confirmation=Confirmation.of("work", "approve", ["r1", "r2"], event_key="w1"),
            )
        )
    done = run_here("audit")
    lines = done.stdout.splitlines()
    assert "progress" in lines[1] and "1 ok, 0 failed" in lines[1]
    assert "interrupted" in lines[2] and "1 ok, 0 failed, 1 unknown" in lines[2]
    assert "r2: Unknown: interrupted" in lines[3]
    assert "outcome unknown: the write did not finish; 1 done, 0 failed, 1 unknown of 2" in lines[4]
