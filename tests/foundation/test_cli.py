"""The command line: parsing, `meetdeck config`, and errors without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.cli_parser import build_parser
from tui.core.models import RegistrantStatus
from tui.core.settings.paths import resolve_paths


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )


def write_config(text: str) -> Path:
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def test_common_flags_before_or_after_the_command() -> None:
    parser = build_parser()
    before = parser.parse_args(["--profile", "work", "lookup", "x"])
    after = parser.parse_args(["lookup", "x", "--profile", "work", "--json"])
    assert before.profile == after.profile == "work"
    assert after.json is True and after.demo is False


def test_config_masks_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    write_config(
        '[profiles.work]\ngoto_client_id = "cid"\ngoto_client_secret = "hunter2"\n'
        "read_only = true\n"
    )
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "Active profile: work" in out
    assert "hunter2" not in out
    assert "******** (set)" in out
    assert str(resolve_paths().cache_dir) in out


def test_read_only_flag_shows_in_config(capsys: pytest.CaptureFixture[str]) -> None:
    write_config("[profiles.work]\n")
    assert main(["config", "--read-only"]) == 0
    assert "read_only            True" in capsys.readouterr().out


def test_config_lists_a_profile_once_whatever_the_case_of_its_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config("[profiles.Prod]\n[profiles.staging]\n")
    monkeypatch.setenv("MEETDECK_PROFILES__PROD__READ_ONLY", "true")
    assert main(["config", "--profile", "prod"]) == 0
    out = capsys.readouterr().out
    assert "Profiles: Prod, staging\n" in out and "Active profile: Prod\n" in out
    assert "read_only            True" in out


def test_profiles_differing_only_in_case_are_one_clear_line() -> None:
    path = write_config("[profiles.Prod]\n[profiles.prod]\n")
    result = run_cli("config")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "[profiles.Prod] and [profiles.prod]" in result.stderr
    assert str(path) in result.stderr


def test_corrupt_config_is_one_clear_line_not_a_traceback() -> None:
    path = write_config("[profiles.work]\nzoom_client_idd = 1\n")
    result = run_cli("config")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "zoom_client_idd" in result.stderr and str(path) in result.stderr


def test_unexpected_errors_go_to_a_crash_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.cmd.config as config_cmd

    def boom(args: object) -> int:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(config_cmd, "run", boom)
    assert main(["config"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RuntimeError" in err
    crash = resolve_paths().data_dir / "crash.log"
    assert "kaboom" in crash.read_text()


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("meetdeck ")


@pytest.mark.parametrize(
    "argv",
    [
        ["lookup", "zoe"],
        ["lookup", "ann@example.com", "--json"],
        ["--profile", "work", "lookup", "x", "--status", "pending", "--kind", "registrant"],
        ["lookup", "x", "-p", "work", "--limit", "5", "--demo", "--read-only"],
        ["lookup", "--json", "x", "--seed", "3", "--registrants", "100"],
        [],
        ["--demo"],
        ["--profile", "work", "--read-only", "--theme", "nord"],
        ["-p", "work", "--demo", "--seed", "7", "--registrants", "100000"],
        ["--view", "registrants", "--event", "8123456789", "--status", "pending"],
        ["--demo", "--filter", "ann", "--view", "events"],
        ["--filter", "sync", "--status", "approved"],
    ],
)
def test_fast_parse_agrees_with_argparse(argv: list[str]) -> None:
    from tui.cli_options import command_in, fast_args

    fast = fast_args(argv, command_in(argv))
    assert fast is not None
    full = build_parser().parse_args(argv)
    for name, value in vars(fast).items():
        assert getattr(full, name) == value, name


@pytest.mark.parametrize(
    "argv",
    [
        ["lookup"],
        ["lookup", "--help"],
        ["lookup", "x", "--status", "maybe"],
        ["lookup", "x", "--limit", "many"],
        ["lookup", "x", "y"],
        ["lookup", "x", "--jso"],
        ["lookup", "x", "--profile"],
        ["lookup", "x", "--profile=work"],
        ["--help"],
        ["--version"],
        ["--prof", "work"],
        ["--seed", "many"],
        ["--theme"],
        ["stray"],
        ["--view", "everything"],
        ["--status", "maybe"],
        ["--filter", "-x"],
    ],
)
def test_fast_parse_leaves_the_rest_to_argparse(argv: list[str]) -> None:
    from tui.cli_options import command_in, fast_args

    assert fast_args(argv, command_in(argv)) is None


def test_lookup_never_imports_argparse_or_heavy_modules() -> None:
    code = (
        "import sys, io, contextlib; from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['lookup', 'zoe', '--demo'])\n"
        "print(sorted(m for m in ('argparse', 'textual', 'pydantic', 'httpx')"
        " if m in sys.modules))"
    )
    out = run_cli_code(code)
    assert out == "[]"


def test_lookup_ends_without_the_exit_sweep_and_without_typing() -> None:
    """The collector's sweep at interpreter exit was a sixth of `meetdeck lookup`'s
    time (2-7 ms): the console script's lookup freezes the heap once it has answered,
    as the TUI does after its quit, through `tui.startup`, which costs it no `typing`.
    Called in-process (`main(argv)`, as tests do), nothing is frozen."""
    code = (
        "import gc, sys, io, contextlib; from tui.cli import main\n"
        "sys.argv = ['meetdeck', 'lookup', 'zoe', '--demo']\n"
        "with contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['lookup', 'zoe', '--demo'])\n"
        "    after_call = gc.get_freeze_count()\n"
        "    main()\n"
        "print(after_call, gc.get_freeze_count() > 0, 'typing' in sys.modules)"
    )
    assert run_cli_code(code) == "0 True False"


def test_a_cloud_command_loads_neither_httpx_command_line_nor_unused_adapters() -> None:
    """Issue 18: before its first request `meetdeck sync` imported httpx's own command
    line client (click, rich's syntax highlighting, pygments: httpx loads it whenever
    click is installed, and uvicorn brings click) and, for a Zoom-only profile, the
    three GoTo adapters and their wire models: ~0.1 s of CPU of every sync's start.
    The command line marks httpx's client absent before a command's modules load."""
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), "
        "contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['sync', '--profile', 'nowhere'])  # no such profile: it stops there\n"
        "from tui.core.providers.session import ProviderSet\n"
        "from tui.core.settings.config import ProfileSettings\n"
        "from tui.core.settings.paths import resolve_paths\n"
        "profile = ProfileSettings(zoom_account_id='a', zoom_client_id='i',"
        " zoom_client_secret='s')\n"
        "providers = ProviderSet.for_profile('p', profile, resolve_paths())\n"
        "assert providers.zoom is not None and providers.goto_meeting is None\n"
        "import httpx; assert httpx.AsyncClient\n"
        "print(sorted(m for m in ('click', 'pygments', 'rich.syntax', 'httpx._main',"
        " 'tui.core.providers.goto_meeting', 'tui.core.providers.goto_training',"
        " 'tui.core.providers.goto_assist') if sys.modules.get(m) is not None))"
    )
    assert run_cli_code(code) == "[]"


def run_cli_code(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


STATUSES = ("pending", "approved", "denied", "unregistered", "deleted", "cancelled", "other")


@pytest.mark.parametrize("status", STATUSES)
def test_lookup_status_takes_every_registrant_status(status: str) -> None:
    """`--status` offers what the cache stores: the decisions, who left (#14.1), those
    cancelled here (#14.6) and "other" (a status no spec documents)."""
    assert {s.value for s in RegistrantStatus} == set(STATUSES)
    assert build_parser().parse_args(["lookup", "x", "--status", status]).status == status


def test_the_fast_parsers_lists_match_what_the_cache_holds() -> None:
    """`tui/cli_options.py` imports nothing (lookup's fast path), so it repeats the
    search kinds and the registrant statuses: they must stay the store's and the model's."""
    from tui.cli_options import KINDS
    from tui.cli_options import STATUSES as OFFERED
    from tui.core.store.hits import SEARCH_KINDS

    assert KINDS == SEARCH_KINDS
    assert set(OFFERED) == {s.value for s in RegistrantStatus}


def test_the_tui_opens_where_its_flags_say() -> None:
    """`--view` offers every tab; the four flags become the app's StartView (a value
    that looks like a command, `--filter sync`, stays the filter)."""
    from tui.cli_options import VIEWS, command_in, fast_args
    from tui.cmd.tui import ui_options
    from tui.core.settings.quick import FirstFrame
    from tui.ui_options import StartView
    from tui.widgets.panes import TAB_IDS

    assert VIEWS == TAB_IDS
    argv = ["--view", "registrants", "--event", "81", "--status", "pending", "--filter", "sync"]
    assert command_in(argv) is None
    args = fast_args(argv, None)
    assert args is not None
    options = ui_options(resolve_paths(), args, FirstFrame("default", {}), demo=False)  # type: ignore[arg-type]
    assert options.start == StartView("registrants", "81", "pending", "sync")
    plain = build_parser().parse_args([])
    assert ui_options(resolve_paths(), plain, FirstFrame("default", {}), demo=False).start is None
