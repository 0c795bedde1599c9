"""A process killed with SIGKILL in the middle of a swap leaves the previous data intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.builders import put, registrant
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tests.support.builders import registrant
    from tui.core.store.db import Store

    store = Store.open(Path(sys.argv[1]), "p")
    writer = store.writer()
    batch = writer.replace("registrants:zoom:w1", "zoom")
    for start in range(0, 60_000, 1_000):
        batch.add([registrant(i, first="New") for i in range(start, start + 1_000)])
    # SQLite calls this every 1,000 steps of a statement: after `int(sys.argv[2])` calls
    # inside the swap's transaction, say so and wait there for the SIGKILL.
    connection, calls = writer.connection, [0]

    def inside() -> int:
        if connection.in_transaction:
            calls[0] += 1
            if calls[0] == int(sys.argv[2]):
                print("inside", flush=True)
                time.sleep(600)
        return 0

    connection.set_progress_handler(inside, 1_000)
    batch.commit()
    print("committed", flush=True)
""")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
#: Where the kill lands, in thousands of SQLite steps into the swap's transaction (the
#: whole swap of these 60,000 rows takes some 17,000): early, while the old rows are
#: deleted, and deep, while the new ones are moved in and indexed. A step count, not a
#: delay: the swap may take any time on any machine (it once took well over a second,
#: and a kill 0.4 s after it began found it committed once it had become faster).
@pytest.mark.parametrize("steps", [10, 10_000], ids=["early", "deep"])
def test_sigkill_mid_sync_keeps_the_previous_data(tmp_path: Path, steps: int) -> None:
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    put(store, "registrants:zoom:w1", [registrant(i, first="Old") for i in range(500)])
    store.close()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(steps)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "inside"  # not "committed"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    reopened = Store.open(path, "p")
    assert reopened.integrity_ok()
    rows = reopened.registrants(ViewQuery(event_key="w1"))
    assert rows.count() == 500
    assert {r.first_name for r in rows.rows(0, 500)} == {"Old"}
    assert [h.key for h in reopened.search("old", limit=3)]  # the search index too
    reopened.close()
