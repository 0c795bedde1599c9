"""SIGTERM and SIGHUP end a command as Ctrl+C does, and give the terminal back.

A progress bar hides the cursor; the TUI switches to the alternate screen, turns mouse
reporting on and hides the cursor. The default action of SIGTERM (`kill`, a
supervisor, `tmux kill-session`) and of SIGHUP (the SSH connection dropped) ends the
process on the spot, and the shell is left in that state. Inside `ending_signals`, both
signals take the path Ctrl+C takes instead, so the same clean-up runs: by default the
current SIGINT handler is called (under `asyncio.run` it cancels the main task; outside
it raises KeyboardInterrupt). The TUI, where Ctrl+C is a key and not a signal, passes
its own `on_signal` that asks the app to exit.

The last resort, when the clean way does not end the process: a second signal, or
`GRACE` seconds after the first, the terminal modes are reset by hand
(`restore_terminal`) and the process ends at once with 128 + the signal's number. A
terminal that hung up (SIGHUP after the SSH connection dropped) can make the clean way
block for ever: Textual's output thread dies on the first failed write and its exit
then waits for that thread's queue.

Imports nothing heavy, and no Textual: the CLI commands use it too.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager, suppress

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import FrameType
    from typing import Any

ENDING_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

RESTORE_SEQUENCE = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l"  # mouse reporting off
    "\x1b[?1004l\x1b[?2004l"  # focus events and bracketed paste off
    "\x1b[?1049l"  # leave the alternate screen
    "\x1b[?25h"  # show the cursor
)
"""What a full-screen program or a progress bar may have changed, each undone."""

GRACE = 5.0
"""Seconds the clean way gets after the first signal before the last resort."""


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
    for stream in (sys.__stdout__, sys.__stderr__):  # Textual draws on stderr
        with suppress(OSError, ValueError, AttributeError):
            if stream is not None and os.isatty(stream.fileno()):
                os.write(stream.fileno(), RESTORE_SEQUENCE.encode("ascii"))
                break
    if attributes is not None:
        try:
            import termios
        except ImportError:
            return
        with suppress(OSError, ValueError, termios.error):  # termios.error: a hung-up tty
            termios.tcsetattr(0, termios.TCSANOW, attributes)


def _terminal_attributes() -> list[Any] | None:
    """stdin's termios settings before anything changed them, for the last resort."""
    try:
        import termios
    except ImportError:
        return None
    try:
        return termios.tcgetattr(0) if os.isatty(0) else None
    except (OSError, ValueError, termios.error):
        return None


@contextmanager
def ending_signals(on_signal: Callable[[int], None] = interrupt) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP call `on_signal(signum)` (default: what
    Ctrl+C does); a second one, or `GRACE` seconds, restores the terminal and exits
    with 128 + signum.

    Only in the main thread (where Python runs signal handlers); elsewhere a no-op.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    attributes = _terminal_attributes()
    received: list[int] = []

    def last_resort(signum: int) -> None:
        try:
            restore_terminal(attributes)
        finally:
            os._exit(128 + signum)

    def handle(signum: int, frame: FrameType | None) -> None:
        if received:
            last_resort(signum)
        received.append(signum)
        # A daemon timer, left running after the block: an exit can also hang later,
        # in the interpreter's shutdown.
        watchdog = threading.Timer(GRACE, last_resort, args=(signum,))
        watchdog.daemon = True
        watchdog.start()
        on_signal(signum)

    previous = {number: signal.signal(number, handle) for number in ENDING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
