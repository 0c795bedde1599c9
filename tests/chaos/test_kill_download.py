"""SIGKILL `meetdeck download` at random points: the next run resumes, the bytes are right.

Two large recordings (16 MB each): a GoTo Meeting one (a signed URL on another host, no
token sent there) and a Zoom one (the Zoom bearer token). For each, five runs of
`python -m tui download KEY --to DIR` are killed with SIGKILL: one during start-up, the
others when the `.part` passes a random, growing share of the file. Each later run
resumes from the `.part` (its size only grows), and a final run finishes: one file, no
`.part` left, and its bytes are exactly the sandbox's.

Also, a kill between the finished file getting its name and the `.part` being removed
(too short a window to hit at random, so made on purpose): the next run must not leave a
second copy.
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.chaos import sandbox_config, tally
from tests.support.cli import NAME, run_cli, sign_in, spawn, write_profile
from tests.support.control import Control
from tui.core.models import Provider
from tui.core.settings.paths import Paths
from tui.core.store.db import Store

#: Large enough that the last kill's stall (at up to 89 % of the file, plus 1 MiB for
#: write buffers) still lands before the end; the stall, not the size, makes each kill
#: land on a download in flight (40 MB moved and generated 2.5 times the bytes).
LARGE = 16_000_000
RUNS_PER_FILE = 5
RNG_SEED = 7_2025

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL"),
]


@pytest.fixture(scope="module")
def download_sandbox() -> Iterator[Any]:
    from tui.sandbox.server import start_background

    with start_background(sandbox_config(large_recording_bytes=LARGE)) as handle:
        yield handle


def sandbox_bytes(sandbox: Any, kind: str) -> bytes:
    """The bytes the sandbox serves for its large file of `kind` (mp4 or m4a)."""
    from tui.sandbox.files import CHUNK, chunk

    specs = [s for s in sandbox.state.files.values() if s.size == LARGE and s.kind == kind]
    assert len(specs) == 1, specs
    spec = specs[0]
    return b"".join(chunk(spec, i) for i in range((spec.size + CHUNK - 1) // CHUNK))


def large_recordings(paths: Paths) -> dict[Provider, Any]:
    store = Store.open(paths.cache_db(NAME), NAME)
    try:
        view = store.recordings()
        rows = view.rows(0, view.count())
    finally:
        store.close()
    return {r.provider: r for r in rows if r.file_size == LARGE}


def part_size(folder: Path) -> int:
    parts = list(folder.glob("*.part")) if folder.exists() else []
    return max((p.stat().st_size for p in parts), default=0)


def stall_file(base_url: str, body_bytes: int) -> None:
    """The next file the sandbox serves stops after `body_bytes` and stays open: the
    kill always lands on a download in flight, however fast or slow the machine. A rule
    left by a run killed before it asked for the file is cleared first."""
    Control(base_url).clear()
    Control(base_url).fault(
        {"stall_after_bytes": body_bytes, "remaining": 1, "match": {"path": "^/(files|zoom/rec)/"}}
    )


def kill_when(base_url: str, key: str, folder: Path, *, at_bytes: int | None, after: float) -> int:
    """Start a download; SIGKILL it once the .part reaches `at_bytes` (or after `after`
    seconds when `at_bytes` is None). Returns the .part size it left."""
    # The resumed body starts at the .part's end; 1 MiB more than needed covers any
    # bytes still in a write buffer, and the file never finishes.
    stall_file(base_url, (at_bytes or LARGE // 10) - part_size(folder) + (1 << 20))
    child = spawn("download", key, "--to", str(folder))
    deadline = time.monotonic() + (after if at_bytes is None else 60.0)
    while child.poll() is None and time.monotonic() < deadline:
        if at_bytes is not None and part_size(folder) >= at_bytes:
            break
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the download finished before the kill"
    return part_size(folder)


def kill_loop(base_url: str, recording: Any, folder: Path, rng: random.Random) -> list[int]:
    """Kill RUNS_PER_FILE downloads of `recording`; the .part sizes they left."""
    sizes = [kill_when(base_url, recording.key, folder, at_bytes=None, after=rng.uniform(0.2, 0.5))]
    for run in range(1, RUNS_PER_FILE):
        # Growing shares up to ~90%: the last kill still lands well before the end.
        share = (run + rng.uniform(0.1, 0.9)) / (RUNS_PER_FILE + 0.5)
        sizes.append(
            kill_when(base_url, recording.key, folder, at_bytes=int(LARGE * share), after=0)
        )
        assert sizes[-1] >= sizes[-2], f"run {run} did not resume: {sizes}"
        assert sizes[-1] < LARGE
    assert sizes[-1] > LARGE // 2, sizes
    return sizes


def test_sigkill_of_download_resumes_to_the_exact_bytes(
    download_sandbox: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    paths = write_profile(download_sandbox.base_url, monkeypatch)
    sign_in(download_sandbox.base_url)
    synced = run_cli(
        "sync",
        "--profile",
        NAME,
        "--scope",
        "organizers",
        "--scope",
        "historical",
        "--scope",
        "recordings",
    )
    assert synced.returncode == 0, synced.stderr
    recordings = large_recordings(paths)
    for provider, kind in ((Provider.GOTO_MEETING, "mp4"), (Provider.ZOOM, "m4a")):
        recording = recordings[provider]
        folder = tmp_path / provider.value
        sizes = kill_loop(
            download_sandbox.base_url, recording, folder, random.Random(f"{RNG_SEED}:{provider}")
        )
        done = run_cli("download", recording.key, "--to", str(folder))
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert "resumed at" in done.stdout, done.stdout
        files = sorted(p.name for p in folder.iterdir())
        assert len(files) == 1 and files[0].endswith(f".{kind}"), files
        expected = sandbox_bytes(download_sandbox, kind)
        assert (folder / files[0]).read_bytes() == expected
        tally(request, "sigkill-download", RUNS_PER_FILE)
        print(f"\n{provider.value}: .part sizes after each kill: {sizes}")

    # A kill between the finished file getting its name (a hard link) and the .part's
    # removal: too short a window to hit at random, so put its leftovers back by hand.
    final = next(folder.iterdir())
    (folder / f"{final.name}.part").hardlink_to(final)
    (folder / f"{final.name}.part.json").write_text(
        json.dumps({"key": recording.key, "etag": None, "checksum": None}), encoding="utf-8"
    )
    again = run_cli("download", recording.key, "--to", str(folder))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == [final.name], "a second copy"
    assert final.read_bytes() == expected
    tally(request, "sigkill-download", 1)
