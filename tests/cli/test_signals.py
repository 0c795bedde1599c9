"""SIGTERM and SIGHUP give the terminal back, as quitting or Ctrl+C does.

The real CLI runs on a pseudo-terminal (tests/benchmarks/pty_harness.py); every byte it
writes is kept. After the signal, the last switch to the alternate screen, the last
mouse-reporting switch and the last cursor hide must each be undone by a later byte
sequence, the exit status says which signal ended it, and no crash log is written.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.cli import REPO, cli, write_zoom_profile
from tests.support.control import Control
from tests.support.waits import wait_until
from tui.core.settings.paths import resolve_paths

pytest.importorskip("pyte")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs POSIX signals")

# Modes a program sets and the sequence that undoes each.
UNDO = {
    b"\x1b[?1049h": b"\x1b[?1049l",  # alternate screen
    b"\x1b[?1000h": b"\x1b[?1000l",  # mouse reporting
    b"\x1b[?1003h": b"\x1b[?1003l",  # mouse motion
    b"\x1b[?25l": b"\x1b[?25h",  # cursor hidden
}


class Recorder:
    """Stands in for the harness's pyte stream: keeps every byte, then feeds pyte."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.raw = bytearray()

    def feed(self, data: bytes) -> None:
        self.raw += data
        self.inner.feed(data)


def left_set(raw: bytes) -> list[bytes]:
    """The modes whose last setting is not followed by the sequence that undoes it."""
    return [
        mode for mode, undo in UNDO.items() if mode in raw and raw.rfind(undo) < raw.rfind(mode)
    ]


@pytest.fixture
def terminal() -> Iterator[Any]:
    """`start(*argv, grace=None)`: the CLI on a 100x30 pty; yields the harness, raw
    bytes in `.recorder.raw`; killed at the end whatever happened. `grace` replaces
    `tui.terminal.GRACE` (the seconds before the last resort) in the child."""
    from tests.benchmarks.pty_harness import PtyProcess

    started: list[Any] = []

    def start(*argv: str, grace: float | None = None) -> Any:
        prelude = "" if grace is None else f"import tui.terminal; tui.terminal.GRACE = {grace!r}"
        # Any: the harness gets a `recorder` attribute beside its pyte stream.
        process: Any = PtyProcess(
            cli(*argv, prelude=prelude),
            cols=100,
            rows=30,
            env=os.environ.copy(),
            cwd=str(REPO),
        )
        process.recorder = Recorder(process.stream)
        process.stream = process.recorder
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def exit_status(process: Any, timeout: float = 30.0) -> int:
    """Wait for the child (draining the pty meanwhile) and return its exit code."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            while process.pump(0.05):  # the last bytes it wrote
                pass
            return os.waitstatus_to_exitcode(status)
        process.pump(0.02)
    raise TimeoutError("the process did not exit after the signal")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_the_tui_gives_the_terminal_back(signum: int, terminal: Any) -> None:
    app = terminal("--demo")
    app.wait_for(lambda screen: "Organizers" in screen and "Registrants" in screen, timeout=60)
    raw = bytes(app.recorder.raw)
    assert b"\x1b[?1049h" in raw and b"\x1b[?1000h" in raw and b"\x1b[?25l" in raw
    os.kill(app.pid, signum)
    assert exit_status(app) == 128 + signum
    raw = bytes(app.recorder.raw)
    assert left_set(raw) == [], raw[-400:]
    assert b"Traceback" not in raw
    assert not (resolve_paths().data_dir / "crash.log").exists()


def test_the_tui_ends_when_its_terminal_hangs_up(terminal: Any) -> None:
    """The SSH connection drops: the pty's other side closes, the kernel sends SIGHUP,
    and every write fails. meetdeck must end, not linger or write a crash log (Textual's
    exit could block on its output thread there: the grace period's last resort ends
    it; one second of grace here instead of five)."""
    app = terminal("--demo", grace=1.0)
    app.wait_for(lambda screen: "Organizers" in screen, timeout=60)
    os.close(app.fd)
    app.fd = -1
    statuses: list[int] = []

    def exited() -> bool:
        pid, code = os.waitpid(app.pid, os.WNOHANG)
        if pid:
            statuses.append(os.waitstatus_to_exitcode(code))
        return bool(statuses)

    wait_until(exited, what="meetdeck to end after its terminal hung up", timeout=30)
    status = statuses[0]
    assert status in (128 + signal.SIGHUP, -signal.SIGHUP), status
    assert not (resolve_paths().data_dir / "crash.log").exists()


def test_sync_shows_the_cursor_again_on_sigterm(cli_sandbox: Any, terminal: Any) -> None:
    write_zoom_profile(cli_sandbox.base_url)
    base = cli_sandbox.base_url
    # Every API request waits a minute: the sync is surely running when the signal comes.
    Control(base).fault({"latency_ms": 60_000})
    try:
        sync = terminal("sync")
        sync.wait_until(lambda p: b"\x1b[?25l" in p.recorder.raw, timeout=60)
        os.kill(sync.pid, signal.SIGTERM)
        assert exit_status(sync) == 130  # as Ctrl+C: interrupted, the cache kept
    finally:
        Control(base).clear()
    raw = bytes(sync.recorder.raw)
    assert left_set(raw) == [], raw[-400:]
    assert b"Interrupted" in raw or b"cancelled" in raw
    assert b"Traceback" not in raw
    assert not (resolve_paths().data_dir / "crash.log").exists()


def test_a_bar_interrupted_while_it_starts_shows_the_cursor_again() -> None:
    """rich hides the cursor first thing in `Progress.start`; a Ctrl+C or SIGTERM that
    lands before the start returns skipped `with Progress()`'s exit and left the cursor
    hidden (seen once in a clean-clone run of the SIGTERM test above, with the test's
    process ignoring SIGINT so the signal became a KeyboardInterrupt on the spot).
    `running_bar` stops the bar however its start or its block ends."""
    import io

    from rich.console import Console
    from rich.progress import Progress, ProgressColumn, Task
    from rich.text import Text

    from tui.cmd.output import running_bar

    class InterruptedOnce(ProgressColumn):
        """The first draw, inside `start`, meets a Ctrl+C."""

        calls = 0

        def render(self, task: Task) -> Text:
            InterruptedOnce.calls += 1
            if InterruptedOnce.calls == 1:
                raise KeyboardInterrupt
            return Text("syncing")

    out = io.StringIO()
    streams = (sys.stdout, sys.stderr)
    bar = Progress(InterruptedOnce(), console=Console(file=out, force_terminal=True, width=80))
    bar.add_task("sync", total=None)
    with pytest.raises(KeyboardInterrupt), running_bar(bar):
        pytest.fail("the block must not run: the start was interrupted")
    assert left_set(out.getvalue().encode()) == [], out.getvalue()
    assert (sys.stdout, sys.stderr) == streams  # rich gave back the streams it took


@pytest.mark.parametrize("signals", [1, 2])
def test_the_last_resort_restores_the_terminal_by_hand(signals: int, terminal: Any) -> None:
    """When the first signal's clean exit does not come (a hung app, or a terminal that
    hung up under Textual's output thread), a second signal, or the grace period after
    the first, resets the terminal modes by hand and ends the process."""
    from tests.benchmarks.pty_harness import PtyProcess

    code = (
        "import os, signal\n"
        "import tui.terminal\n"
        "from tui.terminal import ending_signals\n"
        # A shorter grace period than the app's 5 s: the same last resort, sooner.
        "tui.terminal.GRACE = 0.5\n"
        "os.write(1, b'\\x1b[?1049h\\x1b[?1000h\\x1b[?25l')\n"
        "with ending_signals(lambda signum: os.write(1, b'first\\r\\n')):\n"
        "    os.write(1, b'ready\\r\\n')\n"
        "    while True:\n"
        "        signal.pause()\n"
    )
    hung: Any = PtyProcess(
        [sys.executable, "-c", code], cols=100, rows=30, env=os.environ.copy(), cwd=str(REPO)
    )
    hung.recorder = Recorder(hung.stream)
    hung.stream = hung.recorder
    hung.start()
    try:
        hung.wait_for(lambda screen: "ready" in screen, timeout=30)
        os.kill(hung.pid, signal.SIGTERM)
        hung.wait_for(lambda screen: "first" in screen, timeout=30)
        if signals == 2:
            os.kill(hung.pid, signal.SIGTERM)
        assert exit_status(hung, timeout=60) == 128 + signal.SIGTERM
    finally:
        hung.kill()
    assert left_set(bytes(hung.recorder.raw)) == []
