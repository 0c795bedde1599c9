"""What a person gets wrong never looks like a bug: no traceback, no crash log.

Bytes that are not UTF-8 on the command line, output piped into `head` (the pipe closes
early), a token path that is a FIFO, a code that starts with `-`: each is one clear line
(or silence, for the closed pipe) and an exit code; `crash.log` is for bugs only.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import (
    NAME,
    REPO,
    run_cli,
    sign_in,
    table_counts,
    write_profile,
    write_zoom_profile,
)
from tui.cli import main
from tui.core.settings.paths import resolve_paths


def crash_log() -> Path:
    return resolve_paths().data_dir / "crash.log"


def run_raw(
    *argv: str | bytes, stdout: int | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """`python -m tui ARGV` with byte arguments allowed, stdout where the test says."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        cwd=REPO,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        timeout=timeout,
        check=False,
    )


def run_into_closed_pipe(*argv: str) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout on a pipe whose reader is already gone (`meetdeck ... | head`
    after head has exited): every write fails with EPIPE, deterministically."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return run_raw(*argv, stdout=writer)
    finally:
        os.close(writer)


@pytest.mark.parametrize(
    "argv",
    [
        [b"lookup", b"--demo", b"caf\xff"],
        [b"lookup", b"--profile", b"w\xe9rk", b"x"],
        [b"--profile", b"\xc3", b"sync"],
    ],
)
def test_argv_that_is_not_utf8_is_a_usage_error(argv: list[bytes]) -> None:
    done = run_raw(*argv)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert "not valid UTF-8" in err and "Traceback" not in err
    assert "\\x" in err  # the bad bytes are shown escaped, not sent to the terminal raw
    assert not crash_log().exists()


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["config"], 141),  # as if killed by SIGPIPE, like `cat`
        (["--help"], 0),  # argparse itself ignores a closed pipe for help and version
        (["--version"], 0),
        (["lookup", "--help"], 0),
    ],
)
def test_output_into_a_closed_pipe_is_silent(argv: list[str], code: int) -> None:
    done = run_into_closed_pipe(*argv)
    assert done.returncode == code, done.stderr
    assert done.stderr == b""  # neither "unexpected error" nor "Exception ignored"
    assert not crash_log().exists()


def test_lookup_piped_into_head_is_silent(cli_sandbox: Any) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    synced = run_cli("sync", "--scope", "organizers")
    assert synced.returncode == 0, synced.stderr
    assert run_cli("lookup", "a").returncode == 0
    for argv in (["lookup", "a"], ["lookup", "a", "--json"]):
        done = run_into_closed_pipe(*argv)
        assert done.returncode == 141, done.stderr
        assert done.stderr == b""
    assert not crash_log().exists()


def test_sync_into_a_closed_pipe_finishes_the_sync_quietly(
    cli_sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The progress lines stop with their reader; the sync itself goes on to its end
    (the error used to fail the sync from inside its progress callback, and the tasks
    it cancelled printed tracebacks)."""
    # The sandbox's profile (GoTo and Zoom scopes, several running at once), signed in,
    # on a sandbox without rate limits: the pipe is the point, not the pacing.
    paths = write_profile(cli_sandbox.base_url, monkeypatch)
    sign_in(cli_sandbox.base_url)
    done = run_into_closed_pipe("sync", "--profile", NAME)
    assert done.returncode == 141, done.stderr
    assert done.stderr == b""
    assert not crash_log().exists()
    counts = table_counts(paths.cache_db(NAME))
    assert all(counts.values()), counts  # every scope was synced all the same


def test_a_token_path_that_is_a_fifo_is_named_not_waited_on() -> None:
    """`auth status` and `sync` hung for ever opening a FIFO for reading."""
    tokens = resolve_paths().token_file("demo", demo=True)
    tokens.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(tokens, 0o600)
    done = run_raw("auth", "status", "--demo", timeout=60)
    out = (done.stdout + done.stderr).decode()
    assert done.returncode == 2, out
    assert str(tokens) in out and "not a regular file" in out
    assert not crash_log().exists()


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied", "/srv/recordings"),
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EROFS, "Read-only file system", "/mnt/ro/cache.sqlite3"),
    ],
)
def test_disk_errors_are_a_sentence_not_a_crash_log(
    error: OSError, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tui.cmd.config as config_cmd

    def failing(args: object) -> int:
        raise error

    monkeypatch.setattr(config_cmd, "run", failing)
    assert main(["config"]) == 1
    err = capsys.readouterr().err
    assert error.strerror is not None and error.strerror in err
    if error.filename:
        assert str(error.filename) in err
    assert "unexpected" not in err and "Traceback" not in err
    assert not crash_log().exists()


def test_network_errors_are_a_sentence_not_a_crash_log(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import httpx

    import tui.cmd.config as config_cmd

    def failing(args: object) -> int:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    monkeypatch.setattr(config_cmd, "run", failing)
    assert main(["config"]) == 1
    err = capsys.readouterr().err
    assert "Network unreachable" in err and "Connection refused" in err
    assert "unexpected" not in err
    assert not crash_log().exists()


def test_stdout_closed_altogether_is_not_a_crash() -> None:
    """`meetdeck config >&-`: Python starts with no sys.stdout at all."""
    done = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m tui config >&-', sys.executable],
        cwd=REPO,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        timeout=60,
        check=False,
    )
    assert b"Traceback" not in done.stderr and b"unexpected" not in done.stderr
    assert not crash_log().exists()


def test_bad_arguments_and_config_write_no_crash_log() -> None:
    assert run_cli("lookup", "x", "--limit", "many").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_bytes(b"[profiles.work]\nzoom_client_id = \xff\n")
    assert run_cli("sync").returncode == 2
    assert run_cli("config").returncode == 2
    assert not crash_log().exists()
