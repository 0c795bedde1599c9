"""`meetdeck approve|deny|cancel`: registrant writes from a shell, over real loopback HTTP
to the sandbox, through the TUI's write gate.

What the sandbox holds (its control API) and what it was sent (its request log) prove
each case: a dry run and a refusal send nothing, each person gets their own result,
the audit log records the intent and the outcome.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# What a command prints, sends and stores, not the process: `main()` in this process
# (a new interpreter costs ~0.4 s of CPU). The terminal test starts its own.
from tests.support.cli import run_here as run_cli
from tests.support.cli import sign_in, write_profile, write_zoom_profile
from tests.support.control import Control
from tests.support.terminal import Terminal


def run_with_input(*argv: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """`meetdeck ARGV` with `stdin` piped in (not a terminal)."""
    return run_cli(*argv, stdin=stdin)


def lines_of(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def webinar(control: Control, title: str) -> str:
    """The id of the sandbox's Zoom webinar called `title`."""
    events = control.state()["events"]
    return str(next(key for key, e in events.items() if e["title"] == title))


def pending_people(control: Control, event: str) -> list[dict[str, Any]]:
    """Who the command would approve now (its own dry run, checked against the sandbox)."""
    done = run_cli("approve", "--event", event, "--all-pending", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    people = lines_of(done)
    statuses = control.statuses(event)
    assert {p["registrant_key"] for p in people} == {
        key for key, status in statuses.items() if status in ("pending", "WAITING")
    }
    return people


@pytest.fixture
def zoom(cli_sandbox: Any) -> Control:
    write_zoom_profile(cli_sandbox.base_url)
    return Control(cli_sandbox.base_url)


def test_a_dry_run_lists_who_would_change_and_sends_nothing(zoom: Control) -> None:
    event = webinar(zoom, "Quarterly business review")
    mark = zoom.mark()
    people = pending_people(zoom, event)
    assert people and all(p["result"] == "would-change" for p in people)
    assert all(p["status_before"] == "pending" and p["event"] == event for p in people)
    assert zoom.writes_since(mark) == []
    plain = run_cli("approve", "--event", event, "--all-pending", "--dry-run")
    assert plain.returncode == 0, plain.stderr
    assert f"Dry run: {len(people)} of {len(people)} would change" in plain.stdout
    assert "nothing was sent" in plain.stdout
    assert zoom.writes_since(mark) == []


def test_each_person_gets_their_own_result(zoom: Control) -> None:
    event = webinar(zoom, "Annual customer summit 2025 – keynote & Q&A 🎤")
    first, second = pending_people(zoom, event)[:2]
    approved_key, approved = approved_email(zoom.base_url, event)
    mark = zoom.mark()
    done = run_cli(
        "approve",
        "--event",
        event,
        "--email",
        first["email"],
        "--email",
        second["email"].upper(),  # addresses match whatever their case
        "--email",
        "nobody@nowhere.example",
        "--email",
        approved,
        "--yes",
        "--json",
    )
    assert done.returncode == 1, done.stderr  # not everyone is done
    results = {r["email"].lower(): r for r in lines_of(done)}
    assert results[first["email"].lower()]["result"] == "done"
    assert results[second["email"].lower()]["result"] == "done"
    assert results["nobody@nowhere.example"]["result"] == "not-found"
    assert "Not registered" in results["nobody@nowhere.example"]["reason"]
    already = [r for r in results.values() if r["result"] == "already"]
    assert len(already) == 1 and already[0]["status_before"] == "approved"
    assert already[0]["registrant_key"] == approved_key
    statuses = zoom.statuses(event)
    assert statuses[first["registrant_key"]] == statuses[second["registrant_key"]] == "approved"
    # One status PUT for the two people; nothing for the others.
    assert zoom.writes_since(mark) == [f"PUT /zoom/v2/webinars/{event}/registrants/status"]
    audit = [json.loads(line) for line in run_cli("audit", "--json").stdout.splitlines()]
    intent, *_, result = [a for a in audit if a["event"] == event]
    assert intent["phase"] == "intent" and intent["action"] == "approve"
    assert {t["key"] for t in intent["targets"]} == {
        first["registrant_key"],
        second["registrant_key"],
    }
    assert result["phase"] == "result"
    assert {o["target"] for o in result["outcomes"] if o["ok"]} == {
        first["registrant_key"],
        second["registrant_key"],
    }


def approved_email(base_url: str, event: str) -> tuple[str, str]:
    """(id, email) of an approved registrant, from the sandbox's Zoom API."""
    import asyncio

    import httpx

    from tests.support.specs import zoom_headers

    async def ask() -> tuple[str, str]:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            answer = await client.get(
                f"/zoom/v2/webinars/{event}/registrants",
                params={"status": "approved", "page_size": 1},
                headers=await zoom_headers(client),
            )
            assert answer.status_code == 200, answer.text
            first = answer.json()["registrants"][0]
            return str(first["id"]), str(first["email"])

    return asyncio.run(ask())


def test_read_only_refuses_and_sends_nothing(
    zoom: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = webinar(zoom, "Quarterly business review")
    email = pending_people(zoom, event)[0]["email"]
    mark = zoom.mark()
    flag = run_cli("approve", "--event", event, "--email", email, "--yes", "--read-only")
    assert flag.returncode == 2
    assert "read-only" in flag.stderr and "nothing was sent" in flag.stderr
    monkeypatch.setenv("MEETDECK_PROFILES__OPS__READ_ONLY", "true")
    profile = run_cli("cancel", "--event", event, "--email", email, "--yes")
    assert profile.returncode == 2 and "profile ops is read-only" in profile.stderr
    assert zoom.requests_since(mark) == []  # not even a read


def test_without_a_terminal_it_asks_for_yes_and_sends_nothing(zoom: Control) -> None:
    event = webinar(zoom, "Quarterly business review")
    mark = zoom.mark()
    done = run_with_input("approve", "--event", event, "--all-pending", stdin="")
    assert done.returncode == 2
    assert "no terminal to confirm on" in done.stderr and "--yes" in done.stderr
    assert zoom.requests_since(mark) == []


def test_addresses_from_stdin_and_a_file(zoom: Control, tmp_path: Path) -> None:
    event = webinar(zoom, "Quarterly business review")
    first, second = pending_people(zoom, event)[:2]
    listed = run_with_input(
        "deny",
        "--event",
        event,
        "--from",
        "-",
        "--yes",
        stdin=f'# denied by the partner\n\n"{first["name"]}" <{first["email"]}>\n',
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[-1].startswith("done")
    people = tmp_path / "people.csv"
    people.write_text(f"email,name\n{second['email']},{second['name']}\n", encoding="utf-8")
    filed = run_cli("deny", "--event", event, "--from", str(people), "--yes")
    assert filed.returncode == 0, filed.stderr
    statuses = zoom.statuses(event)
    assert statuses[first["registrant_key"]] == statuses[second["registrant_key"]] == "denied"
    missing = run_cli("deny", "--event", event, "--from", str(tmp_path / "none.txt"), "--yes")
    assert missing.returncode == 2 and "cannot read --from" in missing.stderr


@pytest.fixture
def fresh_zoom() -> Iterator[Control]:
    """A sandbox of this test's own: it approves every pending person of a webinar."""
    from tui.sandbox.server import SandboxConfig, start_background

    with start_background(
        SandboxConfig(port=0, seed=3, registrants=400, rate_limit_scale=0)
    ) as handle:
        write_zoom_profile(handle.base_url)
        yield Control(handle.base_url)


def test_on_a_terminal_more_than_ten_people_need_the_typed_count(fresh_zoom: Control) -> None:
    event = webinar(fresh_zoom, "Quarterly business review")
    pending = [k for k, s in fresh_zoom.statuses(event).items() if s == "pending"]
    assert len(pending) > 10
    mark = fresh_zoom.mark()
    wrong = Terminal("approve", "--event", event, "--all-pending")
    shown = wrong.expect(f"Type {len(pending)} to approve")
    assert f"Approve {len(pending)} registrants?" in shown
    assert "Event:   Quarterly business review (Zoom webinar)" in shown
    assert "Profile: ops" in shown and f"and {len(pending) - 5} more" in shown
    wrong.type("3")
    assert wrong.finish() == 1
    assert "Not confirmed; nothing was sent." in wrong.seen
    assert fresh_zoom.writes_since(mark) == []
    right = Terminal("approve", "--event", event, "--all-pending")
    right.expect(f"Type {len(pending)} to approve")
    right.type(str(len(pending)))
    assert right.finish() == 0, right.seen
    assert f"{len(pending)} registrants approved" in right.seen
    statuses = fresh_zoom.statuses(event)
    assert all(statuses[key] == "approved" for key in pending)


def test_goto_training_cancels_and_refuses_approval(
    cli_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profile(cli_sandbox.base_url, monkeypatch)
    sign_in(cli_sandbox.base_url)
    control = Control(cli_sandbox.base_url)
    training = next(
        key
        for key, e in control.state()["events"].items()
        if e["kind"] == "g2t_training" and e["counts"].get("WAITING")
    )
    person = pending_people(control, training)[0]
    registered, email = person["registrant_key"], person["email"]
    mark = control.mark()
    refused = run_cli("approve", "--event", training, "--email", email, "--yes")
    assert refused.returncode == 2
    assert "GoTo Training" in refused.stderr and "Nothing was sent" in refused.stderr
    assert control.writes_since(mark) == []
    cancelled = run_cli("cancel", "--event", training, "--email", email, "--yes", "--json")
    assert cancelled.returncode == 0, cancelled.stderr
    assert [r["result"] for r in lines_of(cancelled)] == ["done"]
    writes = control.writes_since(mark)
    assert len(writes) == 1 and writes[0].startswith("DELETE ") and registered in writes[0]
