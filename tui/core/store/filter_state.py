"""What a '/' filter's reads keep between keystrokes (`FilterMemo`) and what ends one
early (`ReadStops`); `tui.core.store.query` reads with both."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator


class FilterMemo:
    """The last '/' filter resolved to ids on one connection, for the next keystroke.

    Typing forward narrows: every row that holds "noah" holds "noa", so the matches
    of a filter that extends the previous one are the previous matches that the
    trigram index also finds for the new terms and whose remembered text holds them,
    in the order they were already sorted in. That reads the index's doclists only,
    never the rows, which a fresh process
    otherwise reads from the file page by page (20-70 ms for two thousand matches
    spread over a 100,000-row table). A commit by any other connection (the sync, an
    approval) changes `PRAGMA data_version`, and the memo is not used across it.
    """

    def __init__(self) -> None:
        self._last: tuple[object, str, int, list[int], dict[int, str]] | None = None

    def base(self, key: object, text: str, version: int) -> tuple[list[int], dict[int, str]] | None:
        """The remembered matches and each one's search text, if `text` (folded,
        single-spaced) extends the remembered filter of the same view and nothing was
        written since."""
        last = self._last
        if last is None or last[0] != key or last[2] != version:
            return None
        return (last[3], last[4]) if text.startswith(last[1]) else None

    def remember(
        self, key: object, text: str, version: int, ids: list[int], texts: dict[int, str]
    ) -> None:
        self._last = (key, text, version, ids, texts)


class ReadStops(threading.local):
    """What stops the reads of the thread that set it (`Store.interruptible`): the
    `/` filter's thread counts matches on the read connection, and a newer keystroke
    ends that count instead of waiting behind it."""

    stop: Callable[[], bool] | None = None

    @contextlib.contextmanager
    def scope(self, stop: Callable[[], bool]) -> Iterator[None]:
        """While inside, a long read of this thread ends (sqlite3.OperationalError,
        "interrupted") as soon as `stop()` is true."""
        before, self.stop = self.stop, stop
        try:
            yield
        finally:
            self.stop = before
