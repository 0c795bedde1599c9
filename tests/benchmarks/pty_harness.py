"""Drive a program in a real pseudo-terminal and read its screen, for benchmarks.

Pilot's key presses sleep at least 40 ms each, so latency is measured here instead: a
process runs under a pty of a fixed size, its output feeds a pyte screen, and the
harness times how long it takes from a key (or from process start) until the screen
shows what we wait for, or until the burst of output that a key caused is over.

A reader thread drains the pty as fast as a terminal would and stamps each chunk with
the time it arrived; pyte (slow, pure Python) parses the chunks afterwards, one per
`pump`. So a frame's time is when its bytes reached the terminal, not when the
harness got round to parsing them, and a program is never held up writing to a pty
that the harness has not emptied yet.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any


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
        # pyte is the `bench` extra: imported here so the modules import without it.
        import pyte

        self.screen: Any = pyte.Screen(cols, rows)
        self.stream: Any = pyte.ByteStream(self.screen)
        self.pid = -1
        self.fd = -1
        self._chunks: deque[tuple[float, bytes]] = deque()
        self._arrived = threading.Condition()
        self._closed = False
        self._reader: threading.Thread | None = None
        # The reader must get the GIL back promptly to stamp a chunk while pyte parses.
        sys.setswitchinterval(0.0005)
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
            os.execvpe(self.argv[0], self.argv, self.env)  # noqa: S606 - a fixed argv
        self.pid, self.fd = pid, fd
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()
        return self.started_at

    def _read(self) -> None:
        """The reader thread: every chunk with its arrival time, until the pty closes."""
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            arrived = time.monotonic()
            with self._arrived:
                if not data:
                    self._closed = True
                    self._arrived.notify_all()
                    return
                self._chunks.append((arrived, data))
                self._arrived.notify_all()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, timeout: float) -> bool:
        """Parse the next chunk that arrived (waiting up to `timeout` for one).

        `last_output_at` becomes that chunk's arrival time. False once the child has
        closed the pty and every chunk has been parsed.
        """
        with self._arrived:
            if not self._chunks and not self._closed:
                self._arrived.wait(max(timeout, 0))
            if not self._chunks:
                return not self._closed
            arrived, data = self._chunks.popleft()
        self.last_output_at = arrived
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

    def wait_until(self, predicate: Callable[[PtyProcess], bool], timeout: float = 30.0) -> float:
        """Like `wait_for`, with a predicate over the harness (styles, single lines)."""
        return self.wait_for(lambda _text: predicate(self), timeout)

    def line(self, y: int) -> str:
        """The text of screen line `y`."""
        return str(self.screen.display[y])

    def find_line(self, needle: str) -> int | None:
        """The first screen line containing `needle`, or None."""
        for y, text in enumerate(self.screen.display):
            if needle in text:
                return y
        return None

    def bg(self, y: int, x: int) -> str:
        """The background colour of one cell, as pyte names it ("default", "1e1e1e")."""
        return str(self.screen.buffer[y][x].bg)

    def lines_with_bg(self, bg: str, x: int = 1) -> list[int]:
        """Screen lines whose cell at column `x` has background `bg` (a cursor row)."""
        return [y for y in range(self.rows) if self.bg(y, x) == bg]

    def key_to_match(
        self, keys: bytes, predicate: Callable[[PtyProcess], bool], *, timeout: float = 10.0
    ) -> float:
        """Seconds from writing `keys` until the screen satisfies `predicate`.

        The clock stops at the read that brought the matching frame, so work the
        program does after that frame (a debounced detail panel) is not counted.
        """
        sent = self.send(keys)
        # Only a frame that arrived after the keys counts (the old one may match too).
        matched = self.wait_until(lambda p: p.last_output_at >= sent and predicate(p), timeout)
        return matched - sent

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
            if not self.pump(0.002):
                time.sleep(0.001)  # the pty is closed: poll waitpid without spinning hot
        raise TimeoutError("process did not exit")

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        finally:
            if self._reader is not None:
                self._reader.join(timeout=2)  # it ends when the pty reports the child gone
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
