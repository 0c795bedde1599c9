"""SIGTERM and SIGHUP end a command as Ctrl+C does, and give the terminal back.

A progress bar hides the cursor; the TUI switches to the alternate screen, turns mouse
reporting on and hides the cursor. The default action of SIGTERM (`kill`, a
supervisor, `tmux kill-session`) and of SIGHUP (the SSH connection dropped) ends the
process on the spot, and the shell is left in that state. Inside `ending_signals`, both
signals take the path Ctrl+C takes instead, so the same clean-up runs: by default the
current SIGINT handler is called (under `asyncio.run` it cancels the main task; outside
it raises KeyboardInterrupt). The TUI, where Ctrl+C is a key and not a signal, passes
its own `on_signal` that asks the app to exit.

A second signal while the first is handled is the last resort: the terminal modes are
reset by hand (`restore_terminal`) and the process ends at once.

Imports nothing heavy, and no Textual: the CLI commands use it too.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType
    from typing import Any

ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))

RESTORE_SEQUENCE = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?1004l\x1b[?2004l"  # focus events and bracketed paste off
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?25h"  # show the cursor
)
"""What a full-screen program or a progress bar may have changed, each undone."""


def interrupt(signum: int) -> None:
    """Do what Ctrl+C does: call the current SIGINT handler."""
    handler = signal.getsignal(signal.SIGINT)
    if callable(handler):
        handler(signal.SIGINT, None)
    else:  # SIG_IGN or SIG_DFL: nobody handles Ctrl+C, so end as it would
        raise KeyboardInterrupt


def restore_terminal(attributes: list[Any] | None = None) -> None:
    """Reset the terminal by hand: the modes above, and the saved termios settings
    (cooked mode, echo) when given. Best effort: the terminal may be gone."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        if os.isatty(fd):
            os.write(fd, RESTORE_SEQUENCE.encode("ascii"))
    except (OSError, ValueError):
        pass
    if attributes is not None:
        try:
            import termios

            termios.tcsetattr(0, termios.TCSANOW, attributes)
        except (ImportError, OSError, ValueError):
            pass


def _terminal_attributes() -> list[Any] | None:
    """stdin's termios settings before anything changed them, for the last resort."""
    try:
        import termios

        return termios.tcgetattr(0) if os.isatty(0) else None
    except (ImportError, OSError, ValueError):
        return None


@contextmanager
def ending_signals(on_signal: Callable[[int], None] = interrupt) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP call `on_signal(signum)` (default: what
    Ctrl+C does); a second one restores the terminal and exits with 128 + signum.

    Only in the main thread (where Python runs signal handlers); elsewhere a no-op.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    attributes = _terminal_attributes()
    received: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        if received:
            restore_terminal(attributes)
            os._exit(128 + signum)
        received.append(signum)
        on_signal(signum)

    previous = {number: signal.signal(number, handle) for number in ENDING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
