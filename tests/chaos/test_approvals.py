"""An approval batch where the sandbox fails some chunks: nothing is reported done that
was not done, and the audit log, the cache and the screen agree with the sandbox.

Zoom takes 30 registrants per status update, so a batch of 75 is three PUTs. A request
hook on the Deck's Zoom connection sets a fault on the sandbox when a chunk's first
request goes out (and clears it when the next chunk starts), so each chunk meets its
own fate: done, refused (500: the sandbox did nothing), rate limited (the batch stops;
the rest is not attempted), or timed out (the answer is lost; the outcome is unknown).
After the batch, for every person: the result and the audit log say "done" exactly when
the sandbox's status is the new one, and the app, opened on the same cache, shows the
sandbox's statuses (counts per status, and every row on screen).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.app import active, build, press, show_tab
from tests.support.chaos import (
    CHAOS,
    HTTP,
    PROFILE,
    SyncedCache,
    sandbox_config,
    sync_template,
    tally,
)
from tests.support.control import Control
from tests.support.decks import open_deck
from tests.support.screen import screen_lines
from tui.core.audit import AuditLog
from tui.core.deck.facade import Deck
from tui.core.deck.gate import Confirmation
from tui.core.errors import StorageError
from tui.core.models import EventKind, Provider, Registrant, RegistrantStatus
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope

CHUNK = 30
STATUS_PATH = r"/registrants/status$"
#: Per chunk: the fault while it is sent (None: none), and what its people end up as.
PATTERNS: dict[str, list[tuple[dict[str, Any] | None, str]]] = {
    "500-in-the-middle": [(None, "done"), ({"error_status": 500}, "failed"), (None, "done")],
    "429-storm-stops-the-batch": [
        (None, "done"),
        ({"storm_429": True, "retry_after": 30}, "failed"),
        (None, "not attempted"),
    ],
    "timeout-is-unknown": [(None, "done"), (None, "done"), ({"latency_ms": 20_000}, "unknown")],
}


def chunk_hook(
    control: Control, rules: list[dict[str, Any] | None], people: list[Registrant]
) -> Callable[[httpx.Request], Awaitable[None]]:
    """A request hook: fault the sandbox for the chunk this PUT carries (retries too)."""
    position = {r.key: i for i, r in enumerate(people)}
    seen: set[int] = set()

    async def hook(request: httpx.Request) -> None:
        if request.method != "PUT" or not request.url.path.endswith("/registrants/status"):
            return
        import json

        first = json.loads(request.content)["registrants"][0]["id"]
        chunk = position[first] // CHUNK
        if chunk in seen:
            return  # a retry of the same chunk keeps the chunk's fault
        seen.add(chunk)
        control.clear()
        rule = rules[chunk]
        if rule is not None:
            control.fault({**rule, "match": {"method": "PUT", "path": STATUS_PATH}})

    return hook


@pytest.fixture(scope="module")
def approvals_synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncedCache]:
    """This module's own sandbox and synced cache: approvals change the sandbox, and each
    test needs 75 pending people of the big webinar (800 registrants, ~240 pending)."""
    from tui.sandbox.server import start_background

    with start_background(sandbox_config(registrants=800)) as handle:
        yield sync_template(handle.base_url, tmp_path_factory.mktemp("approvals"))


@pytest.fixture
def synced(approvals_synced: SyncedCache) -> Iterator[SyncedCache]:
    yield approvals_synced
    Control(approvals_synced.base_url).clear()


def outcome_class(ok: bool, message: str) -> str:
    if ok:
        return "done"
    if message.startswith("Unknown:"):
        return "unknown"
    if message.startswith("Not attempted"):
        return "not attempted"
    return "failed"


@pytest.mark.parametrize("pattern", list(PATTERNS), ids=list(PATTERNS))
async def test_approval_batch_with_failing_chunks(
    pattern: str, synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    control = Control(synced.base_url)
    event_key = str(synced.state["zoom"]["big_webinar_id"])
    paths = synced.install(tmp_path)
    # A limit every healthy answer meets on a loaded machine; the faulted one takes 20 s.
    http = HTTP.model_copy(update={"read_timeout": 2.0})
    deck = open_deck(synced.base_url, paths, CHAOS, http=http)
    try:
        await deck.demo_sign_in()
        scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, event_key)
        assert (await deck.refresh(scope)).ok
        pending = deck.registrants(
            ViewQuery(event_key=event_key, status=RegistrantStatus.PENDING, sort="name")
        )
        people = pending.rows(0, 75)
        assert len(people) == 75, f"only {pending.count()} pending registrants"
        before = control.statuses(event_key)
        plan = deck.plan_registrant_action("approve", people)
        assert plan.capability, plan.capability
        confirmation = Confirmation.of(
            PROFILE,
            "approve",
            [p.key for p in people],
            event_key=event_key,
            typed_count=len(people),
        )
        rules = [rule for rule, _ in PATTERNS[pattern]]
        providers = deck.parts_for_tests().providers
        assert providers is not None and providers.zoom is not None
        client = providers.zoom.api.connection.client
        client.event_hooks["request"].append(chunk_hook(control, rules, people))
        try:
            result = await deck.run_registrant_action(plan, confirmation)
        finally:
            control.clear()
        cached = {
            r.key: r.status
            for r in deck.registrants(ViewQuery(event_key=event_key)).rows(0, 10_000)
        }
    finally:
        await deck.aclose()

    after = control.statuses(event_key)
    outcomes = {o.target_key: o for o in result.outcomes}
    assert set(outcomes) == {p.key for p in people}
    expected = [fate for _, fate in PATTERNS[pattern] for _ in range(CHUNK)][: len(people)]
    got = [outcome_class(outcomes[p.key].ok, outcomes[p.key].message) for p in people]
    assert got == expected, Counter(zip(expected, got, strict=True))

    # The audit log: an intent for all 75, a progress line per chunk sent as it returned
    # (they say what the result says), then one result line that matches.
    entries = [e for e in AuditLog(paths.audit_log).entries() if e.action == "approve"]
    sent = sum(1 for _, fate in PATTERNS[pattern] if fate != "not attempted")
    assert [e.phase for e in entries] == ["intent", *["progress"] * sent, "result"]
    assert {t["key"] for t in entries[0].targets} == {p.key for p in people}
    audited = {o["target"]: o for o in entries[-1].outcomes}
    progressed = {o["target"]: o for e in entries[1:-1] for o in e.outcomes}
    assert progressed == audited
    for person in people:
        now = after[person.key]
        done = outcomes[person.key].ok
        # Nothing reported done that was not done, in the result and in the audit log.
        assert audited[person.key]["ok"] is done
        if done:
            assert now == "approved", (person.key, now)
            assert cached[person.key] is RegistrantStatus.APPROVED
        elif got[people.index(person)] == "unknown":
            assert now in ("approved", before[person.key])
        else:
            assert now == before[person.key] == "pending", (person.key, now)
            assert cached[person.key] is RegistrantStatus.PENDING
        assert "Bearer" not in audited[person.key]["message"]
    others = set(after) - {p.key for p in people}
    assert all(after[k] == before[k] for k in others), "people outside the batch changed"

    # The screen (the app on the same cache, after a refresh) shows the sandbox's truth.
    await check_screen(synced, paths, event_key, after)
    tally(request, "approval")


async def check_screen(
    synced: SyncedCache, paths: Any, event_key: str, truth: dict[str, str]
) -> None:
    """Open the event's registrants; per status, the count and every row shown agree."""
    app = build(paths, synced.base_url)
    deck_emails: dict[str, str] = {}
    async with app.run_test(size=(220, 60), notifications=True) as pilot:
        events = await show_tab(pilot, app, "events")
        rows = [events.table.row_at(i) for i in range(events.table.row_count)]
        events.table.cursor_row = next(
            i for i, r in enumerate(rows) if r is not None and r.key == event_key
        )
        await press(pilot, app, "open")  # the event's registrants
        pane = active(app)
        assert pane.KIND == "registrants"
        await press(pilot, app, "refresh", "details")  # the sandbox's truth; whole emails
        deck = app.deck
        assert isinstance(deck, Deck)
        for r in deck.registrants(ViewQuery(event_key=event_key)).rows(0, 10_000):
            deck_emails[r.email] = r.key
        wanted = Counter(v for v in truth.values() if v != "cancelled")
        for status in ("pending", "approved", "denied"):
            await press(pilot, app, "status-filter")
            lines = screen_lines(app)
            status_line = next(line for line in lines if " registrants of " in line)
            assert f"{wanted[status]:,} registrants of " in status_line, (status, status_line)
            assert f"status: {status}" in status_line
            shown = 0
            for line in lines:
                cells = line.split()
                for email in (c for c in cells if c in deck_emails):
                    assert truth[deck_emails[email]] == status, (line, status)
                    assert status in cells, line
                    shown += 1
            assert shown >= min(wanted[status], 40), (status, shown)


class DiskFillsAfter:
    """An audit `Writer`: the first `lines` writes go through, then the disk is full,
    the next one written short first (what a nearly full disk does)."""

    def __init__(self, lines: int) -> None:
        self.lines = lines
        self.short = True

    def __call__(self, fd: int, data: memoryview) -> int:
        import errno
        import os

        if self.lines > 0:
            self.lines -= 1
            return os.write(fd, data)
        if self.short:
            self.short = False
            return os.write(fd, data[: len(data) // 3])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("room", [0, 1], ids=["full-before-the-intent", "full-after-the-intent"])
async def test_a_full_audit_disk_never_hides_a_sent_write(
    room: int, synced: SyncedCache, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The audit disk fills up around a 35-person approve. Before the intent: refused,
    nothing sent, no half line left. After it: the PUTs go out, the result says "the
    change was sent; the audit log could not record its result", and the audit log
    shows the intent, whole, as an unfinished write."""
    control = Control(synced.base_url)
    event_key = str(synced.state["zoom"]["big_webinar_id"])
    paths = synced.install(tmp_path)
    deck = open_deck(synced.base_url, paths, CHAOS)
    try:
        await deck.demo_sign_in()
        scope = Scope.registrants(Provider.ZOOM, EventKind.WEBINAR, event_key)
        assert (await deck.refresh(scope)).ok
        people = deck.registrants(
            ViewQuery(event_key=event_key, status=RegistrantStatus.PENDING, sort="name")
        ).rows(0, 35)
        plan = deck.plan_registrant_action("approve", people)
        confirmation = Confirmation.of(
            PROFILE,
            "approve",
            [p.key for p in people],
            event_key=event_key,
            typed_count=len(people),
        )
        deck.gate.audit.write = DiskFillsAfter(room)
        mark = control.mark()
        if room == 0:
            with pytest.raises(StorageError, match=r"the disk is full.*no write was sent"):
                await deck.run_registrant_action(plan, confirmation)
        else:
            result = await deck.run_registrant_action(plan, confirmation)
        puts = [r for r in control.requests_since(mark) if r["method"] == "PUT"]
    finally:
        await deck.aclose()

    log = AuditLog(paths.audit_log)
    written = paths.audit_log.read_bytes() if paths.audit_log.exists() else b""
    assert written == b"" or written.endswith(b"\n")  # no half line
    after = control.statuses(event_key)
    if room == 0:
        assert puts == [] and list(log.entries()) == []
        assert {after[p.key] for p in people} == {"pending"}
    else:
        assert len(puts) == 2 and {after[p.key] for p in people} == {"approved"}
        assert len(result.succeeded) == 35
        assert "The change was sent; the audit log could not record its result" in result.note
        assert "no write was sent" not in result.note
        [open_end] = log.unfinished(profile=PROFILE)
        assert (open_end.targets, open_end.unknown) == (35, 35)
    tally(request, "approval")
