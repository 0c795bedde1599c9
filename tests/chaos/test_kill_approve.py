"""SIGKILL during a 147-person Zoom approve, after two chunks of 30 returned.

A child process (tests/chaos/approve_child.py) approves 147 pending people of the big
webinar and hangs just before its third chunk goes out; the test kills it there. What
went out must be on record: the audit log has the intent and one progress line per
returned chunk, `meetdeck audit` shows the write as "outcome unknown" with 60 done and
87 unknown, and the next start of the app tells the person and offers to refresh the
event, after which the screen shows the sandbox's statuses.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.support.app import SIZE, build, settle
from tests.support.chaos import PROFILE, SyncedCache, sandbox_config, sync_template, tally
from tests.support.cli import REPO, run_cli
from tests.support.screen import current
from tui.core.audit import AuditLog
from tui.core.deck.facade import Deck
from tui.core.models import RegistrantStatus
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery
from tui.screens.unfinished import UnfinishedWritesDialog

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


@pytest.fixture(scope="module")
def kill_synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncedCache]:
    """A sandbox whose big webinar has enough pending people (800 registrants)."""
    from tui.sandbox.server import start_background

    with start_background(sandbox_config(registrants=800)) as handle:
        yield sync_template(handle.base_url, tmp_path_factory.mktemp("kill-approve"))


def kill_mid_batch(synced: SyncedCache, folder: Path, event_key: str) -> None:
    """Run the child until it says two chunks returned, then SIGKILL it."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.chaos.approve_child",
            synced.base_url,
            str(folder),
            event_key,
        ],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the child is at the third chunk
    child.send_signal(signal.SIGKILL)
    _out, err = child.communicate(timeout=60)
    assert line.strip() == "sent 60", err
    assert child.returncode == -signal.SIGKILL


async def test_sigkill_mid_batch_leaves_a_trace(
    kill_synced: SyncedCache,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    event_key = str(kill_synced.state["zoom"]["big_webinar_id"])
    paths = kill_synced.install(tmp_path)
    before = kill_synced.control.statuses(event_key)
    kill_mid_batch(kill_synced, tmp_path, event_key)
    after = kill_synced.control.statuses(event_key)
    approved = {k for k, v in after.items() if v == "approved" and before[k] != "approved"}
    assert len(approved) == 60

    # The audit log: the intent and the two chunks that returned, no result.
    log = AuditLog(paths.audit_log)
    entries = [e for e in log.entries() if e.action == "approve"]
    assert [e.phase for e in entries] == ["intent", "progress", "progress"]
    assert {o["target"] for e in entries[1:] for o in e.outcomes} == approved
    [open_end] = log.unfinished(profile=PROFILE)
    assert (open_end.event, open_end.targets, open_end.done, open_end.unknown) == (
        event_key,
        147,
        60,
        87,
    )

    # `meetdeck audit` says the outcome is unknown, with the people per state.
    monkeypatch.setenv("MEETDECK_DATA_DIR", str(paths.data_dir))
    done = run_cli("audit")
    assert done.returncode == 0, done.stderr
    assert (
        "outcome unknown: the write did not finish; 60 done, 0 failed, 87 unknown of 147"
        in done.stdout
    )

    # The next start of the app says so and offers to refresh the event.
    await tell_and_refresh(kill_synced, paths, event_key, approved)
    assert [u.reviewed for u in log.unfinished(profile=PROFILE)] == [True]
    again = run_cli("audit")
    assert "60 done, 0 failed, 87 unknown of 147" in again.stdout  # still unknown there
    assert "reviewed" in again.stdout
    tally(request, "sigkill-approve")


def dialog_text(dialog: UnfinishedWritesDialog) -> str:
    """The dialog's text as one line (a long event title wraps on screen)."""
    return " ".join(str(static.render()) for static in dialog.query(Static))


async def tell_and_refresh(
    synced: SyncedCache, paths: Paths, event_key: str, approved: set[str]
) -> None:
    app = build(paths, synced.base_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, UnfinishedWritesDialog)
        text = dialog_text(app.screen)
        assert "approve of 147 people on Zoom" in text
        assert "60 done, 0 failed, 87 unknown" in text
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(current(app), UnfinishedWritesDialog)
        deck = app.deck
        assert isinstance(deck, Deck)
        cached = {
            r.key: r.status
            for r in deck.registrants(ViewQuery(event_key=event_key)).rows(0, 10_000)
        }
        assert {cached[k] for k in approved} == {RegistrantStatus.APPROVED}
    # The next start does not ask again.
    app = build(paths, synced.base_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        assert not isinstance(app.screen, UnfinishedWritesDialog)
