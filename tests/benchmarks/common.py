"""Shared parts of the benchmarks: figures, statistics, sandboxes and workspaces.

A `Figure` is one row of the results table: a median, its baseline measured side by
side in the same run, the ratio between them and the target it is judged against.
A `Sandbox` is `meetdeck sandbox` in a child process (so that it has its own core and
its own GIL, like a real cloud); a `Workspace` is a temporary set of meetdeck
directories (config, cache, data, downloads) with a `[profiles.sandbox]` profile that
points at a sandbox, signed in through the sandbox's real OAuth code flow.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PROFILE = "sandbox"


def meetdeck_argv(*args: str) -> list[str]:
    """The `meetdeck` console script of this interpreter (python -m tui without one)."""
    script = Path(PYTHON).with_name("meetdeck")
    if script.exists():
        return [str(script), *args]
    return [PYTHON, "-m", "tui", *args]


# -- figures ---------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured figure, with its baseline and target.

    Attributes:
        bench: The benchmark it belongs to ("startup", "registrants", ...).
        name: What was measured.
        value: The median (or the single derived value).
        unit: "ms", "MB", "req/s", "x", "MB/s" or "".
        baseline: The baseline's median in the same run, when there is one.
        baseline_name: What the baseline is.
        ratio: value / baseline (None without a baseline).
        target: The target in words ("<= 1.5x", "< 16 ms").
        met: Whether the target is met (None: no target).
        samples: The raw samples (value side), for the JSON file.
        baseline_samples: The raw samples of the baseline.
        note: Anything a reader needs to interpret the figure.
    """

    bench: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct` percentile by the nearest-rank method (p90 of 50 samples: the 45th)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return float(ordered[rank - 1])


def ratio(value: float, baseline: float | None) -> float | None:
    if baseline is None or baseline == 0 or math.isnan(baseline):
        return None
    return value / baseline


def ms(seconds: float) -> float:
    return seconds * 1000.0


def interleaved(runs: int, *funcs: Callable[[], float]) -> list[list[float]]:
    """Run each function `runs` times, alternating them (ABAB...), so drift hits both."""
    out: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for index, func in enumerate(funcs):
            out[index].append(func())
    return out


def timed_run(
    argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> float:
    """Wall seconds of one command (output discarded); a failure raises."""
    started = time.perf_counter()
    subprocess.run(
        list(argv), env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True
    )
    return time.perf_counter() - started


def free_port() -> int:
    """A loopback port nobody listens on (connections to it are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- sandboxes -------------------------------------------------------------------------

_LAUNCH = (
    "import json, sys\n"
    "from tui.sandbox.server import SandboxConfig, serve\n"
    "serve(SandboxConfig(**json.loads(sys.argv[1])))\n"
)


class Sandbox:
    """`meetdeck sandbox` in a child process (any SandboxConfig field may be given)."""

    def __init__(self, workdir: Path, **config: Any) -> None:
        self.config = {"port": 0, **config}
        self.log_path = workdir / f"sandbox-{os.getpid()}-{id(self)}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def start(self, timeout: float = 60.0) -> Sandbox:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [PYTHON, "-c", _LAUNCH, json.dumps(self.config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                if "Control API:" in line:
                    self.base_url = line.split()[-1].removesuffix("/_sandbox/state")
                    return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the sandbox did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.base_url + path, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())

    def delete(self, path: str) -> None:
        request = urllib.request.Request(self.base_url + path, method="DELETE")  # noqa: S310
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310
            pass

    def requests(self) -> list[dict[str, Any]]:
        """The whole request log (the control API's own calls left out)."""
        out: list[dict[str, Any]] = []
        since = 0
        while True:
            page = self.get(f"/_sandbox/requests?since={since}&limit=5000")
            batch = [r for r in page.get("requests", []) if r.get("api") != "control"]
            out.extend(batch)
            # Each call of ours is logged too: stop when only those come back.
            if not batch:
                return out
            since = max(int(r["seq"]) for r in batch)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- workspaces ------------------------------------------------------------------------


def profile_block(base_url: str) -> str:
    from tui.sandbox.server import profile_toml

    return profile_toml(base_url)


class Workspace:
    """Temporary meetdeck directories with a `sandbox` profile (outside the repo)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config_dir = root / "config"
        self.cache_dir = root / "cache"
        self.data_dir = root / "data"
        self.download_dir = root / "downloads"
        for folder in (self.config_dir, self.cache_dir, self.data_dir, self.download_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def env(self, config_dir: Path | None = None, **extra: str) -> dict[str, str]:
        """The environment of a meetdeck child process using these directories."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEETDECK_")}
        env.update(
            {
                "MEETDECK_CONFIG_DIR": str(config_dir or self.config_dir),
                "MEETDECK_CACHE_DIR": str(self.cache_dir),
                "MEETDECK_DATA_DIR": str(self.data_dir),
                "MEETDECK_DOWNLOAD_DIR": str(self.download_dir),
                "MEETDECK_PROFILE": PROFILE,
            }
        )
        env.update(extra)
        return env

    def write_config(self, base_url: str, config_dir: Path | None = None) -> Path:
        folder = config_dir or self.config_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.toml"
        path.write_text(
            f'default_profile = "{PROFILE}"\n\n{profile_block(base_url)}\n', encoding="utf-8"
        )
        # Private, as the README asks of a config holding secrets: a readable one is
        # warned about on every start, and the warning's TOML read is not what is timed.
        path.chmod(0o600)
        return path

    def offline_config(self) -> Path:
        """A config dir whose profile points at a closed port: the same cache, no API.

        The TUI syncs on start; against this profile that sync fails at once
        (connection refused) instead of rewriting 100,000 rows under the measurement.
        """
        folder = self.root / "config-offline"
        self.write_config(f"http://127.0.0.1:{free_port()}", folder)
        return folder

    @contextmanager
    def patched_environ(self) -> Iterator[None]:
        """This process's environment pointed at the workspace (for in-process calls)."""
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env())
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def sign_in(self) -> None:
        """Sign in to the sandbox's GoTo through the real authorize -> code -> token path.

        (Zoom's server-to-server token is fetched on first use.)
        """
        import asyncio

        from tui.core.auth.oauth import demo_sign_in
        from tui.core.providers.session import ProviderSet
        from tui.core.settings.config import load_settings
        from tui.core.settings.paths import resolve_paths

        with self.patched_environ():
            paths = resolve_paths()
            settings = load_settings(paths, overrides={"profile": PROFILE})
            name, profile = settings.active_profile()
            providers = ProviderSet.for_profile(name, profile, paths, settings.http)

            async def go() -> None:
                try:
                    assert providers.goto_auth is not None
                    await demo_sign_in(providers.goto_auth)
                finally:
                    await providers.aclose()

            asyncio.run(go())

    def sync(self, **env: str) -> float:
        """Run `meetdeck sync`; returns its wall time in seconds."""
        started = time.perf_counter()
        done = subprocess.run(
            meetdeck_argv("sync", "--profile", PROFILE),
            env=self.env(None, **env),
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(
                f"meetdeck sync failed ({done.returncode}):\n"
                f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
            )
        return elapsed

    def cache_db(self) -> Path:
        from tui.core.settings.paths import resolve_paths

        with self.patched_environ():
            return resolve_paths().cache_db(PROFILE)


@contextmanager
def temp_root(prefix: str, keep: Path | None = None) -> Iterator[Path]:
    """A temporary directory outside the repo, removed afterwards (unless `keep`)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


#: The size the scale-free figures compare a bigger list with.
REFERENCE = 100_000


@dataclass
class WarmCache:
    """A workspace whose cache holds the sandbox's data with a big webinar."""

    workspace: Workspace
    registrants: int
    big_webinar_id: str
    sync_seconds: float


class Session:
    """What benchmarks share in one run: the temp root and the warm 100k cache."""

    def __init__(self, root: Path, *, quick: bool, registrants: int, log: Callable[[str], None]):
        self.root = root
        self.quick = quick
        self.registrants = registrants
        self.log = log
        self._warm: dict[int, WarmCache] = {}

    def runs(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def warm_cache(self, registrants: int | None = None) -> WarmCache:
        """Fill a cache from a sandbox with `registrants` (default: the run's) in its big
        webinar, once per run (and once per --workdir).

        Rate limits and latency are off for this fill: it is setup, not a measurement.
        """
        size = self.registrants if registrants is None else registrants
        if size in self._warm:
            return self._warm[size]
        # One folder per size: a --workdir keeps the 100,000 and the 1,000,000 caches
        # side by side, each filled once and reused by every later run.
        workspace = Workspace(self.root / f"warm-{size}")
        record = workspace.root / "warm.json"
        if record.exists():  # --workdir: a cache filled by an earlier run
            saved = json.loads(record.read_text(encoding="utf-8"))
            if saved["registrants"] == size:
                warm = WarmCache(workspace, size, saved["big_webinar_id"], saved["sync_seconds"])
                self._warm[size] = warm
                self.log(f"reusing the cache of {size:,} registrants in {record}")
                return warm
        self.log(f"filling a cache with {size:,} registrants (setup)...")
        with Sandbox(self.root, registrants=size, rate_limit_scale=0) as sandbox:
            workspace.write_config(sandbox.base_url)
            workspace.sign_in()
            seconds = workspace.sync()
            big = str(sandbox.get("/_sandbox/state")["zoom"]["big_webinar_id"])
        self.log(f"  cache filled in {seconds:.1f} s")
        record.write_text(
            json.dumps({"registrants": size, "big_webinar_id": big, "sync_seconds": seconds})
        )
        self._warm[size] = WarmCache(workspace, size, big, seconds)
        return self._warm[size]


def open_store(workspace: Workspace) -> Any:
    """The workspace's cache, opened read-side (the same file the app reads)."""
    from tui.core.store.db import Store

    return Store.open(workspace.cache_db(), PROFILE, create=False)
