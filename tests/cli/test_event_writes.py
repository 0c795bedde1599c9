"""`meetdeck register` and `meetdeck meeting create|update|delete`: event writes from a
shell, over real loopback HTTP to the sandbox, through the TUI's write gate.

The sandbox's own API (what it holds) and its request log (what it was sent) prove each
case; a dry run, a read-only profile and a missing terminal send nothing; the audit log
records the intent and the outcome.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

# What a command prints, sends and stores, not the process: `main()` in this process
# (a new interpreter costs ~0.4 s of CPU).
from tests.support.cli import run_here as run_cli
from tests.support.cli import sign_in, write_profile, write_zoom_profile
from tests.support.control import Control
from tests.support.remote import remote_json, remote_status
from tests.support.terminal import Terminal


def lines_of(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def audit() -> list[dict[str, Any]]:
    return [json.loads(line) for line in run_cli("audit", "--json").stdout.splitlines()]


@pytest.fixture
def zoom(cli_sandbox: Any) -> Control:
    write_zoom_profile(cli_sandbox.base_url)
    return Control(cli_sandbox.base_url)


def big_webinar(control: Control) -> str:
    return str(control.state()["zoom"]["big_webinar_id"])


def test_register_on_zoom_pending_or_approved_at_once(zoom: Control) -> None:
    event = big_webinar(zoom)
    mark = zoom.mark()
    waiting = run_cli(
        "register", "--event", event, "--email", "cli.wait@example.com",
        "--first-name", "Zoë", "--last-name", "Ng", "--yes", "--json",
    )  # fmt: skip
    assert waiting.returncode == 0, waiting.stderr
    (first,) = lines_of(waiting.stdout)
    assert (first["result"], first["status"], first["event"]) == ("done", "pending", event)
    approved = run_cli(
        "register", "--event", event, "--email", "cli.now@example.com",
        "--first-name", "Al", "--approve", "--yes",
    )  # fmt: skip
    assert approved.returncode == 0, approved.stderr
    assert "Registered Al <cli.now@example.com> (approved)" in approved.stdout
    writes = zoom.writes_since(mark)
    assert writes == [f"POST /zoom/v2/webinars/{event}/registrants"] * 2
    statuses = zoom.statuses(event)
    assert statuses[first["registrant_key"]] == "pending"
    intent, result = [a for a in audit() if a["action"] == "register"][:2]
    assert intent["phase"] == "intent" and intent["targets"][0]["key"] == "cli.wait@example.com"
    assert result["phase"] == "result" and result["outcomes"][0]["ok"]


def test_register_dry_run_read_only_and_no_terminal_send_nothing(zoom: Control) -> None:
    event = big_webinar(zoom)
    who = ("--email", "dry@example.com", "--first-name", "Dry")
    mark = zoom.mark()
    dry = run_cli("register", "--event", event, *who, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Register 1 person?" in dry.stdout and "Dry run: nothing was sent." in dry.stdout
    assert zoom.writes_since(mark) == []
    mark = zoom.mark()
    refused = run_cli("register", "--event", event, *who, "--yes", "--read-only")
    assert refused.returncode == 2 and "read-only" in refused.stderr
    no_terminal = run_cli("register", "--event", event, *who)
    assert no_terminal.returncode == 2 and "--yes" in no_terminal.stderr
    assert zoom.requests_since(mark) == []  # not even a read
    bad = run_cli("register", "--event", event, "--email", "nope", "--first-name", "X", "--yes")
    assert bad.returncode == 2 and "not an email address" in bad.stderr
    assert zoom.writes_since(mark) == []


def test_zoom_meeting_create_update_delete(zoom: Control) -> None:
    mark = zoom.mark()
    created = run_cli(
        "meeting", "create", "--provider", "zoom", "--subject", "CLI kickoff 🚀",
        "--start", "2031-03-04 09:30", "--end", "2031-03-04 10:15",
        "--timezone", "Europe/Berlin", "--yes", "--json",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    (made,) = lines_of(created.stdout)
    key = made["meeting"]
    remote = remote_json(zoom.base_url, f"/zoom/v2/meetings/{key}")
    assert remote["topic"] == "CLI kickoff 🚀" and remote["duration"] == 45
    assert remote["start_time"] == "2031-03-04T08:30:00Z"  # 09:30 in Berlin
    dry = run_cli("meeting", "update", key, "--subject", "Dry", "--dry-run")
    assert dry.returncode == 0 and "Dry run: nothing was sent." in dry.stdout
    changed = run_cli("meeting", "update", key, "--subject", "CLI kickoff (moved)", "--yes")
    assert changed.returncode == 0, changed.stderr
    remote = remote_json(zoom.base_url, f"/zoom/v2/meetings/{key}")
    assert remote["topic"] == "CLI kickoff (moved)" and remote["duration"] == 45
    no_terminal = run_cli("meeting", "delete", key)
    assert no_terminal.returncode == 2 and "--yes" in no_terminal.stderr
    assert remote_status(zoom.base_url, f"/zoom/v2/meetings/{key}") == 200
    wrong = Terminal("meeting", "delete", key)
    wrong.expect("Type it, anything else stops")
    wrong.type("CLI kickoff")
    assert wrong.finish() == 1 and "Not confirmed; nothing was sent." in wrong.seen
    right = Terminal("meeting", "delete", key)
    shown = right.expect("Type it, anything else stops")
    assert "Delete this Zoom meeting?" in shown and f"ID {key}" in shown
    right.type("CLI kickoff (moved)")
    assert right.finish() == 0, right.seen
    assert remote_status(zoom.base_url, f"/zoom/v2/meetings/{key}") == 404
    verbs = [w.split()[0] for w in zoom.writes_since(mark)]
    assert verbs == ["POST", "PATCH", "DELETE"]
    actions = [(a["action"], a["phase"]) for a in audit() if "meeting" in a["action"]]
    assert actions == [
        ("create_meeting", "intent"),
        ("create_meeting", "result"),
        ("update_meeting", "intent"),
        ("update_meeting", "result"),
        ("delete_meeting", "intent"),
        ("delete_meeting", "result"),
    ]


def test_meeting_read_only_and_bad_input_send_nothing(zoom: Control) -> None:
    mark = zoom.mark()
    times = ("--start", "2031-03-04 09:30", "--end", "2031-03-04 10:15")
    refused = run_cli(
        "meeting", "create", "--provider", "zoom", "--subject", "x", *times, "--yes", "--read-only"
    )
    assert refused.returncode == 2 and "read-only" in refused.stderr
    backwards = run_cli(
        "meeting", "create", "--provider", "zoom", "--subject", "x",
        "--start", "2031-03-04 10:00", "--end", "2031-03-04 09:00", "--yes",
    )  # fmt: skip
    assert backwards.returncode == 2 and "end must be after the start" in backwards.stderr
    nonsense = run_cli(
        "meeting", "create", "--provider", "zoom", "--subject", "x",
        "--start", "soon", "--end", "later", "--yes",
    )  # fmt: skip
    assert nonsense.returncode == 2 and "not a date and time" in nonsense.stderr
    assert zoom.writes_since(mark) == []


def test_goto_register_and_meeting(cli_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    write_profile(cli_sandbox.base_url, monkeypatch)
    sign_in(cli_sandbox.base_url)
    control = Control(cli_sandbox.base_url)
    training = next(
        key for key, e in control.state()["events"].items() if e["kind"] == "g2t_training"
    )
    registered = run_cli(
        "register", "--event", training, "--email", "g2t.cli@example.com",
        "--first-name", "Tía", "--last-name", "Ödön", "--yes", "--json",
    )  # fmt: skip
    assert registered.returncode == 0, registered.stderr
    (person,) = lines_of(registered.stdout)
    assert control.statuses(training)[person["registrant_key"]] == person["status"].upper() or (
        person["status"] == "pending"
        and control.statuses(training)[person["registrant_key"]] == "WAITING"
    )
    again = run_cli(
        "register", "--event", training, "--email", "g2t.cli@example.com",
        "--first-name", "Tía", "--last-name", "Ödön", "--yes", "--json",
    )  # fmt: skip
    assert again.returncode == 1 and lines_of(again.stdout)[0]["result"] == "failed"
    created = run_cli(
        "meeting", "create", "--subject", "GoTo from the shell",
        "--start", "2031-05-06T07:00:00Z", "--end", "2031-05-06T08:00:00Z",
        "--type", "recurring", "--password-required", "--yes", "--json",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    key = lines_of(created.stdout)[0]["meeting"]
    (remote,) = remote_json(cli_sandbox.base_url, f"/G2M/rest/meetings/{key}", goto=True)
    assert remote["subject"] == "GoTo from the shell" and remote["passwordRequired"] is True
    assert remote["meetingType"] == "recurring"
    deleted = run_cli("meeting", "delete", key, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert remote_status(cli_sandbox.base_url, f"/G2M/rest/meetings/{key}", goto=True) == 404
