"""Benchmark 6: a full first sync of a 500-organizer GoTo account, as its admin.

`meetdeck sync` against `meetdeck sandbox --organizers 500` with the real limits (10
requests a second per GoTo API, in the sandbox and in the client). The floor is what
the limits allow at best: for each API, its requests divided by its limit; the slowest
API sets it. Figures: wall time against that floor (target at most 1.15x), requests
made per API, and the 429s provoked (target 0).

Run alone: `python -m tests.benchmarks --only account`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.benchmarks.bench_tui import IDLE, WIDE, CursorTracker
from tests.benchmarks.common import (
    PROFILE,
    REPO,
    Figure,
    Sandbox,
    Session,
    Workspace,
    free_port,
    median,
    meetdeck_argv,
    ms,
    open_store,
    percentile,
    ratio,
)
from tests.benchmarks.pty_harness import PtyProcess

#: Organizers of the account (`meetdeck sandbox --organizers N`).
ORGANIZERS = 500
#: GoTo's documented limit: requests a second per API.
GOTO_LIMIT = 10.0
#: The APIs the limit applies to, as the sandbox's request log names them.
GOTO_APIS = ("g2m", "g2t", "seeit", "admin")
#: Cursor keys per walk (down, then as many up), and the most an "idle" wait lasts: a
#: sync repaints its progress line all the time, so the app is never quiet for long.
MOVES = 40
BUSY_WAIT = 0.25
DOWN, UP = b"\x1b[B", b"\x1b[A"


def goto_only(base_url: str) -> str:
    """The sandbox profile without Zoom (a GoTo account)."""
    from tui.sandbox.server import profile_toml

    lines = profile_toml(base_url).splitlines()
    return "\n".join(line for line in lines if not line.startswith("zoom_"))


def write_goto_config(workspace: Workspace, base_url: str, folder: Path | None = None) -> None:
    path = workspace.write_config(base_url, folder)
    path.write_text(f'default_profile = "{PROFILE}"\n\n{goto_only(base_url)}\n', encoding="utf-8")
    path.chmod(0o600)


def first_sync_workspace(root: Path) -> Workspace:
    """A workspace with no cache: `--workdir` keeps the registrants' warm caches between
    runs, but this benchmark measures first syncs (a cache left by an earlier run made
    the next run's sync an incremental one: 906 requests instead of 1,932)."""
    shutil.rmtree(root, ignore_errors=True)
    return Workspace(root)


def account(session: Session) -> list[Figure]:
    workspace = first_sync_workspace(session.root / "account")
    with Sandbox(session.root, organizers=ORGANIZERS, recording_bytes=20_000) as sandbox:
        write_goto_config(workspace, sandbox.base_url)
        workspace.sign_in()
        sandbox.delete("/_sandbox/requests")
        seconds = workspace.sync()
        log = sandbox.requests()
        latency = cursor_during_sync(session, sandbox.base_url)
    per_api = Counter(str(r.get("api")) for r in log if r.get("api") in GOTO_APIS)
    floors = {api: count / GOTO_LIMIT for api, count in per_api.items()}
    slowest = max(floors, key=lambda api: floors[api])
    floor = floors[slowest]
    too_many = sum(1 for r in log if r.get("status") == 429)
    span = _span(log)
    detail = ", ".join(f"{api} {count}" for api, count in sorted(per_api.items()))
    wall = Figure(
        "account",
        f"full sync of a {ORGANIZERS}-organizer GoTo account, wall time vs the floor",
        ms(seconds),
        "ms",
        baseline=ms(floor),
        baseline_name=f"floor: {per_api[slowest]} {slowest} requests at {GOTO_LIMIT:g}/s",
        ratio=ratio(seconds, floor),
        target="<= 1.15x",
        met=seconds <= floor * 1.15,
        note=f"requests per API: {detail}; first to last request {span:.1f} s",
    )
    requests = Figure(
        "account",
        "requests made (every GoTo API)",
        float(sum(per_api.values())),
        "",
        note=detail,
    )
    shed = Figure(
        "account",
        "429 responses provoked",
        float(too_many),
        "",
        target="0",
        met=too_many == 0,
    )
    print(
        f"   account: {dict(per_api)}; floor {floor:.1f} s; wall {seconds:.1f} s", file=sys.stderr
    )
    return [wall, requests, shed, *latency]


def cursor_during_sync(session: Session, base_url: str) -> list[Figure]:
    """Cursor keys in the Organizers tab: idle, then while the TUI's start-up sync of
    the whole account runs (a cache holding the organizers only, so that it is a
    first sync of everything else)."""
    workspace = first_sync_workspace(session.root / "account-tui")
    write_goto_config(workspace, base_url)
    offline = workspace.root / "config-offline"
    write_goto_config(workspace, f"http://127.0.0.1:{free_port()}", offline)
    workspace.sign_in()
    subprocess.run(
        meetdeck_argv("sync", "--profile", PROFILE, "--scope", "organizers"),
        env=workspace.env(),
        cwd=REPO,
        capture_output=True,
        check=True,
    )
    store = open_store(workspace)
    try:
        from tui.core.store.views import ALL

        rows = store.organizers(ALL).rows(0, MOVES + 1)
    finally:
        store.close()
    # Rows are told apart by their ID column (shown at WIDE columns).
    keys = [str(row.key)[:10] for row in rows]
    if len(set(keys)) != len(keys):
        raise RuntimeError(f"the first organizers repeat an ID: {keys}")
    moves = min(MOVES, len(keys) - 1)
    idle = _walk(workspace, offline, keys, moves, busy=False)
    busy = _walk(workspace, None, keys, moves, busy=True)
    figures = []
    for name, pick in (("median", median), ("p90", lambda v: percentile(v, 90))):
        value, base = ms(pick(busy)), ms(pick(idle))
        figures.append(
            Figure(
                "account",
                f"cursor key to repaint, {name}, while the {ORGANIZERS}-organizer sync runs",
                value,
                "ms",
                baseline=base,
                baseline_name="the same keys, app idle",
                ratio=ratio(value, base),
                target="<= 1.5x",
                met=value <= base * 1.5,
                samples=[ms(v) for v in busy],
                baseline_samples=[ms(v) for v in idle],
            )
        )
    print(
        f"   account cursor: idle median {ms(median(idle)):.1f} ms, "
        f"during sync {ms(median(busy)):.1f} ms",
        file=sys.stderr,
    )
    return figures


def _walk(
    workspace: Workspace, config: Path | None, keys: Sequence[str], moves: int, *, busy: bool
) -> list[float]:
    """`moves` downs then ups in the Organizers tab; seconds from each key to the frame
    with the cursor on its row. `busy`: the start-up sync must still run at the end."""
    proc = PtyProcess(
        meetdeck_argv("--profile", PROFILE),
        cols=WIDE,
        cwd=str(REPO),
        env=workspace.env(config_dir=config, MEETDECK_HTTP__MAX_RETRIES="0"),
    )
    proc.start()
    try:
        proc.wait_for(lambda text: keys[0] in text, timeout=60)
        if busy:
            proc.wait_for(lambda text: "Syncing" in text, timeout=60)
        proc.wait_quiet(0.3, timeout=1 if busy else 5)
        tracker = CursorTracker(proc, "Email")
        out: list[float] = []
        index = 0
        for key, step in [(DOWN, 1)] * moves + [(UP, -1)] * moves:
            proc.wait_quiet(IDLE, timeout=BUSY_WAIT if busy else 5)
            index += step
            wanted: Callable[[PtyProcess], bool] = tracker.on(keys[index])
            out.append(proc.key_to_match(key, wanted))
        if busy and "Syncing" not in proc.text():
            raise RuntimeError("the sync ended before the cursor walk did: use more organizers")
        return out
    finally:
        proc.kill()


def _span(log: list[dict[str, Any]]) -> float:
    times = [float(r["time"]) for r in log if r.get("api") in GOTO_APIS]
    return max(times) - min(times) if times else 0.0
