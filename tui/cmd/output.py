"""Progress lines on stdout that outlive their reader.

`meetdeck sync | head -1`: once `head` has exited, every write to stdout fails with
BrokenPipeError. Raised inside the sync's progress callback, that error failed the sync
and printed tracebacks as its other tasks were cancelled. A progress line is a report,
not the work: once the reader is gone the lines stop, the sync or download goes on to
its end (the cache, the file are what was asked for), and `tui.cli.main` ends the
command quietly with 141 when it flushes stdout.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from rich.progress import Progress

_reader_gone = False


def progress_line(text: str) -> None:
    """Print one line and flush it, or nothing once the reader of stdout has gone."""
    global _reader_gone
    if _reader_gone:
        return
    try:
        print(text, file=sys.stdout, flush=True)
    except BrokenPipeError:
        _reader_gone = True


@contextmanager
def running_bar(bar: Progress) -> Iterator[Progress]:
    """Show a rich progress bar while the block runs, and stop it however it ends.

    `with Progress(...)` is not enough: rich hides the cursor and takes over stdout and
    stderr inside `start`, so a Ctrl+C or SIGTERM (`tui.terminal`) that lands there,
    before `__enter__` returns, skipped `__exit__` and left the shell without a cursor.
    `stop` is safe to call on a bar that never fully started.
    """
    try:
        bar.start()
        yield bar
    finally:
        bar.stop()


def say_converting(path: Path) -> bool:
    """A line on stderr before the cache at `path` is converted from an older schema
    (minutes for a big one, which would otherwise pass in silence); True if it said so."""
    from tui.core.store.schema import converting_notice

    notice = converting_notice(path)
    if notice:
        print(f"meetdeck: {notice}", file=sys.stderr, flush=True)
    return bool(notice)
