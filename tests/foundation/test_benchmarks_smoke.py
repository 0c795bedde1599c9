"""The benchmark harness must not rot: its modules import and its CLI answers --help.

Nothing here runs a benchmark (they take minutes and start sandboxes); see
`python -m tests.benchmarks --help`. pyte (the `bench` extra) is not needed to import.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODULES = [
    "tests.benchmarks.__main__",
    "tests.benchmarks.common",
    "tests.benchmarks.pty_harness",
    "tests.benchmarks.bench_tui",
    "tests.benchmarks.bench_cli",
    "tests.benchmarks.bench_download",
    "tests.benchmarks.bench_account",
    "tests.benchmarks.baseline_minimal",
    "tests.benchmarks.baseline_datatable",
]


@pytest.mark.parametrize("name", MODULES)
def test_benchmark_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_every_benchmark_names_a_real_function() -> None:
    from tests.benchmarks.__main__ import BENCHMARKS

    assert set(BENCHMARKS) == {
        "startup",
        "registrants",
        "lookup",
        "sync",
        "download",
        "account",
        "ingest",
    }
    for module, function, _what in BENCHMARKS.values():
        assert callable(getattr(importlib.import_module(f"tests.benchmarks.{module}"), function))


def test_cli_help_lists_the_options_and_runs_nothing() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for option in ("--json", "--only", "--quick"):
        assert option in done.stdout


def test_statistics_helpers() -> None:
    from tests.benchmarks.common import median, percentile, ratio

    values = [float(v) for v in range(1, 51)]
    assert median(values) == 25.5
    assert percentile(values, 90) == 45.0
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, None) is None


def test_results_table_marks_missed_targets() -> None:
    from tests.benchmarks.__main__ import table
    from tests.benchmarks.common import Figure

    text = table(
        [
            Figure(
                "lookup",
                "wall time",
                112.0,
                "ms",
                baseline=18.0,
                baseline_name="python -c pass",
                ratio=6.2,
                target="<= 3x",
                met=False,
            )
        ]
    )
    row = "| lookup | wall time | 112 ms | 18 ms (python -c pass) | 6.2x | <= 3x | **no** |"
    assert row in text


def test_scale_free_figures_compare_each_pane_figure_with_the_reference_size() -> None:
    from tests.benchmarks.bench_tui import PANE_SAMPLES, SCALE_FREE, scale_free

    reference = {key: [0.004, 0.005, 0.006] for key in PANE_SAMPLES}
    reference["rss"] = [80.0, 82.0]
    bigger = {key: [v * 1.05 for v in values] for key, values in reference.items()}
    bigger["first"] = [0.008, 0.01, 0.012]  # Enter twice as slow at the bigger size
    figures = scale_free(1_000_000, bigger, reference)
    assert len(figures) == len(SCALE_FREE)
    by_name = {f.name: f for f in figures}
    enter = by_name["Enter to first rows, median at 1,000,000 vs 100,000"]
    assert (enter.value, enter.baseline, enter.met) == (10.0, 5.0, False)
    assert enter.ratio == 2.0
    rss = by_name["peak RSS of the app at 1,000,000 vs 100,000"]
    assert rss.unit == "MB" and rss.met and rss.ratio is not None and abs(rss.ratio - 1.05) < 1e-9
    assert all(f.met for f in figures if f is not enter)


def test_ingest_phases_come_from_the_sync_api_log(tmp_path: Path) -> None:
    """The ingest benchmark says where a sync's wall time went: before its first request,
    the big webinar's pages, and after the last of them (read from the API log, whose
    entries are stamped when each answer came; a rotated log's older entries first)."""
    from datetime import UTC, datetime, timedelta

    from tests.benchmarks.bench_ingest import phases

    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def entry(seconds: float, path: str, duration_ms: float = 100.0) -> str:
        at = (t0 + timedelta(seconds=seconds)).isoformat()
        return json.dumps({"at": at, "path": path, "duration_ms": duration_ms}) + "\n"

    log = tmp_path / "api.log"
    pages = "/zoom/v2/webinars/9/registrants"
    (tmp_path / "api.log.1").write_text(entry(0.6, "/zoom/oauth/token"), encoding="utf-8")
    log.write_text(
        entry(1.0, pages) + entry(4.0, pages) + entry(4.5, "/zoom/v2/webinars/8/registrants"),
        encoding="utf-8",
    )
    split = phases(log, "9", t0, t0 + timedelta(seconds=6.5))
    assert split is not None
    assert [round(s, 3) for s in split] == [0.5, 3.5, 2.5]
    assert phases(log, "7", t0, t0 + timedelta(seconds=6.5)) is None
