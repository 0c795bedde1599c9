"""Benchmark 7: sync ingest against the wire: `meetdeck sync` of one big Zoom webinar
vs a plain httpx client that only fetches and parses the same registrant pages.

A sandbox with `--registrants N` in its big webinar and its rate limits lifted
(`rate_limit_scale` 100); a Zoom-only profile told the same limits (`zoom_rate_limit`:
the Pro plan's Medium rate times 100), so that neither side waits on pacing. Each run
syncs into a fresh cache. Figures: wall time of the sync vs the baseline's (target at
most 1.5x), their CPU time (user + system: load from other processes disturbs it
less), and the sync's peak RSS (VmHWM, target under 150 MB).

Run alone: `python -m tests.benchmarks --only ingest [--registrants 1000000]`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.common import (
    PROFILE,
    PYTHON,
    REPO,
    Figure,
    Sandbox,
    Session,
    Workspace,
    interleaved,
    median,
    meetdeck_argv,
    ratio,
)

#: The sandbox's rate limits times this; the client is told the same.
SCALE = 100.0
#: Zoom Pro's Medium rate (requests a second), which registrant lists use.
PRO_MEDIUM = 20.0
RSS_TARGET_MB = 150.0


@dataclass
class Run:
    """One child process: wall seconds, CPU seconds (user + system), peak RSS (MB)."""

    wall: float
    cpu: float
    rss_mb: float
    stdout: str


def measured(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a child to its end; its own rusage (not the other children's) via wait4."""
    started = time.perf_counter()
    with subprocess.Popen(
        argv, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        out, err = proc.stdout, proc.stderr
        assert out is not None and err is not None
        # Read both pipes before waiting: a full pipe would stall the child.
        text, errors = out.read(), err.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{argv[0]} failed ({proc.returncode}):\n{text[-2000:]!r}\n{errors[-2000:]!r}"
        )
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text.decode())


def zoom_only(base_url: str) -> str:
    """The sandbox profile without GoTo, told the sandbox's lifted Zoom limits."""
    from tui.sandbox.server import profile_toml

    lines = [line for line in profile_toml(base_url).splitlines() if not line.startswith("goto_")]
    lines = [line for line in lines if not line.startswith("seeit_")]
    return "\n".join([*lines, f"zoom_rate_limit = {PRO_MEDIUM * SCALE:g}"])


def ingest(session: Session) -> list[Figure]:
    from tui.sandbox.config import ZOOM_ACCOUNT_ID, ZOOM_CLIENT

    count = session.registrants
    runs = 1 if count > 200_000 else session.runs(3, 1)
    syncs: list[Run] = []
    bases: list[Run] = []
    session.log(f"   starting a sandbox with {count:,} registrants...")
    with Sandbox(session.root, registrants=count, rate_limit_scale=SCALE) as sandbox:
        big = str(sandbox.get("/_sandbox/state")["zoom"]["big_webinar_id"])
        config = {
            "base_url": sandbox.base_url,
            "webinar_id": big,
            "account_id": ZOOM_ACCOUNT_ID,
            "client_id": ZOOM_CLIENT[0],
            "client_secret": ZOOM_CLIENT[1],
        }
        baseline_argv = [PYTHON, "-m", "tests.benchmarks.baseline_ingest", json.dumps(config)]

        def baseline() -> float:
            run = measured(baseline_argv)
            if int(run.stdout.strip()) != count:
                raise RuntimeError(f"the baseline read {run.stdout.strip()} registrants")
            bases.append(run)
            session.log(f"   baseline: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU")
            return run.wall

        def sync() -> float:
            workspace = Workspace(session.root / f"ingest-{len(syncs)}")
            shutil.rmtree(workspace.cache_dir, ignore_errors=True)  # a fresh cache
            workspace.cache_dir.mkdir(parents=True)
            path = workspace.config_dir / "config.toml"
            path.write_text(
                f'default_profile = "{PROFILE}"\n\n{zoom_only(sandbox.base_url)}\n',
                encoding="utf-8",
            )
            path.chmod(0o600)
            started = datetime.now(UTC)
            run = measured(meetdeck_argv("sync", "--profile", PROFILE), workspace.env())
            split = phases(workspace.data_dir / "api.log", big, started, datetime.now(UTC))
            stored = _stored(workspace, big)
            shutil.rmtree(workspace.root, ignore_errors=True)
            if stored != count:
                raise RuntimeError(f"the sync stored {stored} of {count} registrants")
            syncs.append(run)
            session.log(
                f"   sync: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.rss_mb:.0f} MB peak"
                + (
                    ""
                    if split is None
                    else " ({:.2f} s to the first request, {:.2f} s of "
                    "pages, {:.2f} s after the big webinar's last page)".format(*split)
                )
            )
            return run.wall

        interleaved(runs, baseline, sync)
    wall, base = median([r.wall for r in syncs]), median([r.wall for r in bases])
    cpu, base_cpu = median([r.cpu for r in syncs]), median([r.cpu for r in bases])
    rss = max(r.rss_mb for r in syncs)
    what = f"{count:,} registrants"
    return [
        Figure(
            "ingest",
            f"`meetdeck sync` of a {what} webinar, wall time",
            wall,
            "s",
            baseline=base,
            baseline_name="plain httpx fetch + JSON parse of the same pages",
            ratio=ratio(wall, base),
            target="<= 1.5x",
            met=wall <= base * 1.5,
            samples=[r.wall for r in syncs],
            baseline_samples=[r.wall for r in bases],
            note=f"Zoom only, rate limits x{SCALE:g} (sandbox and client), fresh cache",
        ),
        Figure(
            "ingest",
            f"`meetdeck sync` of a {what} webinar, CPU time (user + system)",
            cpu,
            "s",
            baseline=base_cpu,
            baseline_name="the same baseline's CPU time",
            ratio=ratio(cpu, base_cpu),
            samples=[r.cpu for r in syncs],
            baseline_samples=[r.cpu for r in bases],
        ),
        Figure(
            "ingest",
            f"`meetdeck sync` of a {what} webinar, peak RSS (VmHWM)",
            rss,
            "MB",
            target=f"< {RSS_TARGET_MB:g} MB",
            met=rss < RSS_TARGET_MB,
            samples=[r.rss_mb for r in syncs],
            baseline_samples=[r.rss_mb for r in bases],
        ),
    ]


def phases(
    api_log: Path, webinar: str, started: datetime, ended: datetime
) -> tuple[float, float, float] | None:
    """Where a sync's wall time went, from its API log (each entry stamped when its
    answer came, with the request's duration): seconds from the start to its first
    request, from there to the last registrant page of `webinar`, and from that page
    to the end (the swap, the scopes after it, the exit). None without such pages."""
    logs = [api_log.with_name(f"{api_log.name}.1"), api_log]  # a rotated one first
    entries = [
        json.loads(line)
        for log in logs
        if log.exists()
        for line in log.read_text(encoding="utf-8").splitlines()
    ]
    if not entries:
        return None
    first = min(
        datetime.fromisoformat(e["at"]).timestamp() - e["duration_ms"] / 1000 for e in entries
    )
    pages = [
        datetime.fromisoformat(e["at"]).timestamp()
        for e in entries
        if e["path"].endswith(f"/webinars/{webinar}/registrants")
    ]
    if not pages:
        return None
    start, last, end = started.timestamp(), max(pages), ended.timestamp()
    return first - start, last - first, end - last


def _stored(workspace: Workspace, event_key: str) -> int:
    """Registrants of the big webinar in the workspace's cache."""
    import sqlite3

    conn = sqlite3.connect(f"file:{workspace.cache_db()}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT count(*) FROM registrants WHERE event_key = ?", (event_key,)
        ).fetchone()
    finally:
        conn.close()
    return int(row[0])


__all__ = ["Run", "ingest", "measured", "phases"]
