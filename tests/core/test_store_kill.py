"""A process killed with SIGKILL in the middle of a swap leaves the previous data intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.builders import put, registrant
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tests.support.builders import registrant
    from tui.core.store.db import Store

    store = Store.open(Path(sys.argv[1]), "p")
    writer = store.writer()
    batch = writer.replace("registrants:zoom:w1", "zoom")
    for start in range(0, 60_000, 1_000):
        batch.add([registrant(i, first="New") for i in range(start, start + 1_000)])
    print("committing", flush=True)
    batch.commit()
    print("committed", flush=True)
""")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
@pytest.mark.parametrize("delay", [0.05, 0.4])
def test_sigkill_mid_sync_keeps_the_previous_data(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "p.sqlite3"
    store = Store.open(path, "p")
    put(store, "registrants:zoom:w1", [registrant(i, first="Old") for i in range(500)])
    store.close()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "committing"
    time.sleep(delay)  # inside the swap transaction (it takes well over a second)
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
