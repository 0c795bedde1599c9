"""Drive a program in a real pseudo-terminal and read its screen, for benchmarks.

Pilot's key presses sleep at least 40 ms each, so latency is measured here instead: a
process runs under a pty of a fixed size, its output feeds a pyte screen, and the
harness times how long it takes from a key (or from process start) until the screen
shows what we wait for, or until the burst of output that a key caused is over.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping, Sequence

import pyte


class PtyProcess:
    """A child process on a pty of `cols` x `rows`, with its screen rendered by pyte."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 120,
        rows: int = 40,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.argv = list(argv)
        self.cols, self.rows = cols, rows
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("TERM", "xterm-256color")
        self.env["COLUMNS"], self.env["LINES"] = str(cols), str(rows)
        self.cwd = cwd
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.pid = -1
        self.fd = -1
        self.started_at = 0.0
        self.last_output_at = 0.0
        self.bytes_read = 0

    def start(self) -> float:
        """Fork and exec; returns the monotonic time just before the fork."""
        self.started_at = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child
            winsize = struct.pack("HHHH", self.rows, self.cols, 0, 0)
            fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
            if self.cwd:
                os.chdir(self.cwd)
            os.execvpe(self.argv[0], self.argv, self.env)
        self.pid, self.fd = pid, fd
        return self.started_at

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, timeout: float) -> bool:
        """Read whatever arrives within `timeout`; False when the child has closed the pty."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        if not data:
            return False
        self.last_output_at = time.monotonic()
        self.bytes_read += len(data)
        self.stream.feed(data)
        return True

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> float:
        """Wait until the screen satisfies `predicate`; returns the time it first did."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pump(0.005):
                break
            if predicate(self.text()):
                return self.last_output_at
        raise TimeoutError(f"screen never matched; it shows:\n{self.text()}")

    def wait_quiet(self, quiet: float = 0.05, timeout: float = 10.0) -> float:
        """Wait until no output came for `quiet` seconds; returns the last output time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.last_output_at
            if not self.pump(quiet):
                break
            if self.last_output_at == before:
                return self.last_output_at
        return self.last_output_at

    def send(self, keys: bytes) -> float:
        """Write keys to the program; returns the time they were written."""
        sent = time.monotonic()
        os.write(self.fd, keys)
        return sent

    def key_to_repaint(self, keys: bytes, *, quiet: float = 0.03, timeout: float = 5.0) -> float:
        """Seconds from writing `keys` to the end of the output burst they caused."""
        self.wait_quiet(quiet)
        mark = self.last_output_at
        sent = self.send(keys)
        deadline = sent + timeout
        while self.last_output_at == mark and time.monotonic() < deadline:
            if not self.pump(0.005):
                break
        end = self.wait_quiet(quiet)
        return end - sent

    def wait_exit(self, timeout: float = 10.0) -> float:
        """Wait for the child to exit; returns the time it was reaped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return time.monotonic()
            self.pump(0.005)
        raise TimeoutError("process did not exit")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        finally:
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1

    def peak_rss_kb(self) -> int | None:
        """VmHWM of the child (Linux), the peak resident set size so far."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None
