"""`meetdeck lookup --status`: people who left a training, and statuses no spec documents."""

from __future__ import annotations

import dataclasses
import json

from tests.support.builders import put, registrant
from tests.support.cli import run_here
from tui.core.models import Provider, RegistrantStatus
from tui.core.settings.paths import resolve_paths
from tui.core.store.db import Store

G2T = Provider.GOTO_TRAINING


def _records(*argv: str) -> list[dict[str, object]]:
    done = run_here("lookup", *argv, "--json", "--profile", "ops")
    assert done.returncode in (0, 1), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_lookup_finds_who_withdrew_and_shows_odd_statuses_as_sent() -> None:
    store = Store.open(resolve_paths().cache_db("ops"), "ops")
    odd = registrant(2, "t1", first="Una", last="Odd", provider=G2T, status=RegistrantStatus.OTHER)
    put(
        store,
        "registrants:goto_training:t1",
        [
            registrant(
                1,
                "t1",
                first="Una",
                last="Left",
                provider=G2T,
                status=RegistrantStatus.UNREGISTERED,
            ),
            dataclasses.replace(odd, provider_status="ON_HOLD"),
            registrant(3, "t1", first="Una", last="Waits", provider=G2T),
        ],
        provider=G2T.value,
    )
    store.close()

    left = _records("una", "--status", "unregistered")
    other = _records("una", "--status", "other")
    pending = _records("una", "--status", "pending")
    table = run_here("lookup", "una", "--profile", "ops")

    assert [(r["key"], r["status"]) for r in left] == [("r1", "unregistered")]
    assert [(r["key"], r["status"]) for r in other] == [("r2", "ON_HOLD")]
    assert [r["key"] for r in pending] == ["r3"]  # who left is not pending
    assert table.returncode == 0 and "ON_HOLD" in table.stdout and "unregistered" in table.stdout
