"""What a '/' filter's reads keep between keystrokes (`FilterMemo`, `RowMemo`) and what
ends one early (`ReadStops`, `ReadScope`); `tui.core.store.query` reads with them."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any


class FilterMemo:
    """The last '/' filter resolved to ids on one connection, for the next keystroke.

    Typing forward narrows: every row that holds "noah" holds "noa", so the matches
    of a filter that extends the previous one are the previous matches whose
    remembered text (the search column) holds the new terms, in the order they were
    already sorted in (`narrow`). That reads neither the rows, which a fresh process
    otherwise reads from the file page by page (20-70 ms for two thousand matches spread
    over a 100,000-row table), nor the trigram index. A commit by any other connection
    (the sync, an approval) changes `PRAGMA data_version`, and the memo is not used
    across it.
    """

    #: A keystroke narrows the remembered matches before its first rows are shown when
    #: they are at most this many (~0.25 ms); beyond, its first rows are narrowed from
    #: their head (`narrow` with a limit) and the count after, so a keystroke's work
    #: does not grow with the matches (22,000 "ngozi" at 1,000,000).
    NARROW_NOW_MAX = 4_096

    def __init__(self) -> None:
        self._last: tuple[object, str, int, list[int], list[str]] | None = None

    def base(self, key: object, text: str, version: int) -> tuple[list[int], list[str]] | None:
        """The remembered matches and each one's search text (two lists in the same
        order), if `text` (folded, single-spaced) extends the remembered filter of the
        same view and nothing was written since."""
        last = self._last
        if last is None or last[0] != key or last[2] != version:
            return None
        return (last[3], last[4]) if text.startswith(last[1]) else None

    def remember(
        self, key: object, text: str, version: int, ids: list[int], texts: list[str]
    ) -> None:
        self._last = (key, text, version, ids, texts)


#: `narrow` with a limit narrows this many remembered matches at a time.
HEAD_CHUNK = 1024


def narrow(
    terms: list[str], ids: list[int], texts: list[str], limit: int | None = None
) -> tuple[list[int], list[str]]:
    """The `ids` (and their `texts`) whose text holds every term, in their order. The
    remembered texts are the rows' search column, which the WHERE tests with `instr`:
    testing them here is the same test. One pass of `in` per term, the lists cut by
    `compress` (in C): 22,000 texts in ~1.4 ms, a fifth of a loop that builds pairs.
    `limit`: only the first that many, narrowed a chunk (HEAD_CHUNK) at a time until
    they are found (a screenful of thousands costs a chunk or two). A chunk whose
    texts, joined, lack a term holds no match and is passed over with one search in C:
    the first 33 "ngozi.1" of the 22,000 "ngozi." of a million reach past the 19,000th,
    a head that took 1.6 ms of `in` per text and takes 1.1 ms so."""
    if limit is not None:
        found: tuple[list[int], list[str]] = ([], [])
        for at in range(0, len(ids), HEAD_CHUNK):
            chunk = texts[at : at + HEAD_CHUNK]
            joined = "\n".join(chunk)
            if not all(term in joined for term in terms):
                continue  # a text holding every term would put each in the joined text
            part = narrow(terms, ids[at : at + HEAD_CHUNK], chunk)
            found[0].extend(part[0])
            found[1].extend(part[1])
            if len(found[0]) >= limit:
                break
        return found[0][:limit], found[1][:limit]
    for term in terms:
        kept = [term in text for text in texts]
        ids, texts = list(itertools.compress(ids, kept)), list(itertools.compress(texts, kept))
    return ids, texts


class RowMemo:
    """Rows read lately on one connection (by id, or a view's page), as their models,
    for the next keystroke: typing on in the filter mostly shows the same first rows
    again (a first letter: mostly the rows shown without a filter), and reading a
    registrant's model from its row is most of a narrowed filter's read.
    Kept for one `PRAGMA data_version` of the connection (nothing written since), and
    at most MAX of them."""

    MAX = 256

    def __init__(self) -> None:
        self._version = -1
        self._rows: dict[tuple[object, int], Any] = {}

    def get(self, version: int, where: object, row_id: int) -> Any:
        """The model of row `row_id` read by `where` (a table, its select and join, and
        the decoder), or None."""
        if version != self._version:
            return None
        return self._rows.get((where, row_id))

    def put(self, version: int, where: object, row_id: int, model: Any) -> None:
        if version != self._version or len(self._rows) >= self.MAX:
            self._rows = {}  # a new dict: another thread may be reading the old one
            self._version = version
        self._rows[(where, row_id)] = model


GUARD_SQL = "SELECT 1 UNION ALL SELECT 2"
"""A statement left open (one row read of two) while a long read runs: see `ReadScope`."""


def interrupted() -> sqlite3.OperationalError:
    """The error an ended read raises, the same as SQLite's own."""
    return sqlite3.OperationalError("interrupted")


class ReadScope:
    """One reader's long reads, which another thread ends (`end`) while they run.

    No Python code runs during the read: a progress handler (a Python call every
    thousand SQLite steps) took the GIL back hundreds of times a read, each time
    waiting behind the UI thread. `end` calls `sqlite3.Connection.interrupt()` (a C
    call, safe from any thread) on the connection the read runs on, and the
    statement fails with "interrupted". SQLite forgets an interrupt that comes
    before the statement starts when no other statement of the connection is
    active, so a read runs with `GUARD_SQL` open on its connection: an `end` at any
    moment after the read registered its connection ends it. Before registering,
    the read checks `end` was not called and `stop()` is not true.
    """

    def __init__(self, stop: Callable[[], bool]) -> None:
        self._stop = stop
        self._lock = threading.Lock()
        self._ended = False
        self._conn: sqlite3.Connection | None = None

    def end(self) -> None:
        """Any thread: end the read running now, and every later one of this scope."""
        with self._lock:
            self._ended = True
            if self._conn is not None:
                self._conn.interrupt()

    @contextlib.contextmanager
    def running(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Reader thread, holding `conn`'s lock: the read inside may be ended."""
        guard = conn.execute(GUARD_SQL)
        try:
            with self._lock:
                if self._ended or self._stop():
                    raise interrupted()
                self._conn = conn
            try:
                yield
            finally:
                with self._lock:
                    self._conn = None
        finally:
            guard.close()  # no statement left active: the next one clears the interrupt


class ReadStops(threading.local):
    """The scope of the reads of the thread that set it (`Store.interruptible`): the
    `/` filter's thread counts matches on a read connection, and a newer keystroke
    ends that count instead of waiting behind it."""

    current: ReadScope | None = None

    @contextlib.contextmanager
    def scope(self, stop: Callable[[], bool]) -> Iterator[Callable[[], None]]:
        """While inside, a long read of this thread fails (sqlite3.OperationalError,
        "interrupted") if `stop()` is true when it starts, or as soon as the callable
        yielded is called, from any thread."""
        before, self.current = self.current, ReadScope(stop)
        try:
            yield self.current.end
        finally:
            self.current = before

    def read(self, conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[Any]:
        """All rows of one long read, which this thread's scope may end; the caller
        holds the connection's lock."""
        with contextlib.nullcontext() if self.current is None else self.current.running(conn):
            return conn.execute(sql, params).fetchall()

    def read_pairs(
        self, conn: sqlite3.Connection, sql: str, params: list[Any]
    ) -> tuple[list[Any], list[Any]]:
        """The two columns of one long read as two lists (as `read`, without a list of
        row tuples held meanwhile: half the memory of a big filter's matches)."""
        firsts: list[Any] = []
        seconds: list[Any] = []
        with contextlib.nullcontext() if self.current is None else self.current.running(conn):
            for first, second in conn.execute(sql, params):
                firsts.append(first)
                seconds.append(second)
        return firsts, seconds
