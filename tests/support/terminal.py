"""`meetdeck ARGV` on a pseudo-terminal, as a person runs it: what it shows, what is typed."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

from tests.support.cli import REPO, cli
from tests.support.waits import TIMEOUT


class Terminal:
    """`meetdeck ARGV` on a pseudo-terminal (stdin, stdout and stderr), as a person runs it."""

    def __init__(self, *argv: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            cli(*argv), cwd=REPO, env=os.environ.copy(), stdin=slave, stdout=slave, stderr=slave
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str) -> str:
        deadline = time.monotonic() + TIMEOUT * 3
        while text not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"gave up waiting for {text!r}; the terminal shows:\n{self.seen}"
                )
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:  # the child ended and closed the terminal
                    if self.process.poll() is not None and text not in self.seen:
                        raise AssertionError(f"ended before {text!r}:\n{self.seen}") from None
        return self.seen

    def type(self, line: str) -> None:
        os.write(self.master, f"{line}\n".encode())

    def finish(self) -> int:
        code = self.process.wait(timeout=120)
        try:
            while select.select([self.master], [], [], 0.1)[0]:
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.seen += chunk.decode("utf-8", "replace")
        except OSError:
            pass
        os.close(self.master)
        return code
