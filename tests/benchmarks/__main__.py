"""`python -m tests.benchmarks [--json FILE] [--only NAME] [--quick]`: run the benchmarks.

Each figure is a median of several runs, measured side by side with its baseline in
the same run (interleaved), and reported with the ratio and its target. Everything
runs against sandboxes on loopback in temporary directories outside the repo.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# name -> (module, function, what it measures). Modules load only when they run.
BENCHMARKS: dict[str, tuple[str, str, str]] = {
    "startup": (
        "bench_tui",
        "startup",
        "1. process start to first rows vs a minimal Textual app; quit key to exit",
    ),
    "registrants": (
        "bench_tui",
        "registrants",
        "2. 100k-registrant pane vs stock DataTable: first rows, keys, RSS",
    ),
    "lookup": ("bench_cli", "lookup", "3. `meetdeck lookup EMAIL` vs `python -c pass`"),
    "sync": (
        "bench_cli",
        "sync",
        "4. full sync at 50 ms latency: rate-limit use, 429s, vs concurrency 1",
    ),
    "download": (
        "bench_download",
        "download",
        "5. recording download vs plain httpx stream (and curl)",
    ),
    "account": (
        "bench_account",
        "account",
        "6. full first sync of a 500-organizer GoTo account as its admin: wall time vs "
        "requests / rate limit, requests, 429s, cursor latency in the TUI during its sync",
    ),
    "ingest": (
        "bench_ingest",
        "ingest",
        "7. `meetdeck sync` of one big Zoom webinar vs plain httpx fetch + parse of the "
        "same pages (limits lifted): wall and CPU time, peak RSS",
    ),
}


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="meetdeck's benchmarks (tracker issue 7). Ratios against baselines "
        "measured side by side in the same run.",
        epilog="Benchmarks: " + "; ".join(f"{k}: {v[2]}" for k, v in BENCHMARKS.items()),
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        choices=list(BENCHMARKS),
        help="run only this benchmark (repeatable)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer runs, smaller files (about 2 minutes)"
    )
    parser.add_argument(
        "--registrants",
        type=int,
        default=100_000,
        metavar="N",
        help="registrants in the big webinar (default 100000; 1000000 for the scale-free "
        "figures: with --workdir its cache is filled once, ~7 min, and reused)",
    )
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        type=Path,
        help="keep sandboxes' and caches' files here (outside the repo) and "
        "reuse the warm cache on the next run; default: a temp dir",
    )
    return parser.parse_args(argv)


def table(figures: Sequence[Any]) -> str:
    """The results as a Markdown table (also what the README shows)."""

    def num(value: float | None, unit: str = "") -> str:
        if value is None:
            return "-"
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        return f"{text} {unit}".strip()

    lines = [
        "| benchmark | figure | value | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        base = f"{num(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline is not None else "-"
        met = {True: "yes", False: "**no**", None: "-"}[f.met]
        ratio_text = f"{f.ratio:.3g}x" if f.ratio is not None else "-"
        lines.append(
            f"| {f.bench} | {f.name} | {num(f.value, f.unit)} | {base} | "
            f"{ratio_text} | {f.target or '-'} | {met} |"
        )
    return "\n".join(lines)


def reproduce(args: argparse.Namespace) -> list[str]:
    """The options that shaped this run's figures (not where its files went)."""
    words = ["--quick"] if args.quick else []
    words += [f"--only {name}" for name in args.only or []]
    if args.registrants != 100_000:
        words.append(f"--registrants {args.registrants}")
    return words


def precompile() -> None:
    """Write the package's bytecode first, as `pip install` does for a real install.

    Without it, an environment with PYTHONDONTWRITEBYTECODE=1 (or a read-only checkout)
    recompiles every module of meetdeck on each start, and the figures measure the
    compiler instead of the app.
    """
    import compileall

    import tui

    compileall.compile_dir(os.path.dirname(tui.__file__), quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    from tests.benchmarks.common import Session, temp_root

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    names = args.only or list(BENCHMARKS)
    precompile()
    figures: list[Any] = []
    failures: dict[str, str] = {}
    started = time.monotonic()
    load_before = os.getloadavg()
    with temp_root("meetdeck-bench-", args.workdir) as root:
        session = Session(root, quick=args.quick, registrants=args.registrants, log=log)
        for name in names:
            module_name, func_name, what = BENCHMARKS[name]
            log(f"== {name}: {what}")
            began = time.monotonic()
            try:
                module = importlib.import_module(f"tests.benchmarks.{module_name}")
                run: Callable[[Session], list[Any]] = getattr(module, func_name)
                got = run(session)
            except Exception as exc:  # one broken benchmark must not hide the others
                failures[name] = f"{type(exc).__name__}: {exc}"
                log(traceback.format_exc())
                continue
            figures.extend(got)
            log(f"   {name} took {time.monotonic() - began:.0f} s")
    elapsed = time.monotonic() - started
    load = [round(v, 2) for v in (load_before[0], os.getloadavg()[0])]
    print(table(figures))
    for name, error in failures.items():
        print(f"\n{name} FAILED: {error}")
    print(
        f"\n{len(figures)} figures in {elapsed:.0f} s"
        f"{' (quick)' if args.quick else ''}; "
        f"reproduce: {' '.join(['python -m tests.benchmarks', *reproduce(args)])}; "
        f"1-min load average {load[0]} before, {load[1]} after (2 cores: over 1 means "
        "something else competed)"
    )
    if args.json:
        record = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "registrants": args.registrants,
            "seconds": round(elapsed, 1),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "load_average_before_after": load,
            },
            "figures": [f.to_json() for f in figures],
            "failures": failures,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(record, fh, indent=2)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
