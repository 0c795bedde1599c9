"""The `Store`: one profile's cache file, read by panes, written by sync.

`Store.open(path, profile)` creates, migrates or (for a newer or corrupt file) moves
aside and rebuilds the file; `notice` then says what happened. Reads are paged views
(`organizers(q)`, `registrants(q)`, ...) and `search`; writes go through a separate
connection, `writer()`, whose `replace(scope)` batches swap a scope's rows atomically.
"""

# SQL here is assembled from this package's own table and column names only; every
# value travels as a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from tui.core.models import (
    Attendee,
    Group,
    Meeting,
    MeetingKind,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    SupportSession,
    TrainingSession,
)
from tui.core.store import packing, tables
from tui.core.store.chained import ChainedView
from tui.core.store.clauses import oldest_stamp, sort_terms
from tui.core.store.codec import decode, parse_iso
from tui.core.store.filter_state import FilterMemo, ReadStops, RowMemo
from tui.core.store.hits import REGISTRANT_FETCHED_AT
from tui.core.store.query import TableView
from tui.core.store.rows import (
    ALL_COUNTS,
    EVENT_JOIN,
    EVENT_SELECT,
    MEETING_SELECT,
    MEETING_SORTS,
    RECORDING_SELECT,
    event_row,
    meeting_row,
    model_row,
    recording_row,
)
from tui.core.store.schema import connect, open_database
from tui.core.store.scopes import COUNT_COLUMNS, few_in_status, ids_follow_names
from tui.core.store.search import search as _search
from tui.core.store.views import ALL, Event, SearchHit, SearchKind, SyncStamp, ViewQuery
from tui.core.store.writer import StoreWriter

COUNT_CACHE_KIB = 2048
"""The page cache of the connection that counts (`Store._counter`)."""


class Store:
    """One profile's cache file, opened for reading (and, via `writer()`, for writing)."""

    def __init__(
        self, conn: sqlite3.Connection, path: Path, profile: str, notice: str | None = None
    ) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._memo = FilterMemo()
        """The last '/' filter's matches, narrowed by the next keystroke (query.py)."""
        self._row_memo = RowMemo()
        """The models of the rows a filter showed lately (query.py)."""
        self._stops = ReadStops()
        """What ends a long read of the thread that set it (`interruptible`)."""
        self._count_conn: tuple[sqlite3.Connection, threading.RLock] | None = None
        self.path = path
        self.profile = profile
        self.notice = notice
        """A sentence for the person when the file was moved aside and rebuilt."""

    @classmethod
    def open(cls, path: Path, profile: str, *, create: bool = True) -> Store:
        """Open the cache at `path` (see the module docstring).

        Raises:
            NoCache: `create` is False and the file does not exist.
            StorageError: The file or its folder cannot be written.
        """
        conn, notice = open_database(path, create=create)
        return cls(conn, path, profile, notice)

    def close(self) -> None:
        """Close the read connections."""
        with self._lock:
            self._conn.close()
            if self._count_conn is not None:
                conn, lock = self._count_conn
                with lock:
                    conn.close()

    def _counter(self) -> tuple[sqlite3.Connection, threading.RLock]:
        """A second read connection for the counts that read every row (a filter of
        one letter over a million rows takes a second): the pane's other reads, on
        the first, go on meanwhile. Opened on first need, with a small page cache."""
        with self._lock:
            if self._count_conn is None:
                self._count_conn = (
                    connect(self.path, cache_kib=COUNT_CACHE_KIB),
                    threading.RLock(),
                )
            return self._count_conn

    def writer(self) -> StoreWriter:
        """A separate write connection, for the sync worker's thread."""
        return StoreWriter(self.path, self.profile)

    def interruptible(self, stop: Callable[[], bool]) -> AbstractContextManager[Callable[[], None]]:
        """While inside, the views' long reads on this thread (a count, the matches of
        a filter, an ordered scan) raise sqlite3.OperationalError ("interrupted") when
        `stop()` is true as they start, or as soon as the callable the scope yields is
        called from another thread (`ReadScope.end`: no Python runs during the read);
        other threads' reads are untouched."""
        return self._stops.scope(stop)

    # -- views --------------------------------------------------------------------

    def _view(
        self, spec: tables.TableSpec, q: ViewQuery, decoder: Any, patterns: list[str], **kw: Any
    ) -> TableView[Any]:
        return TableView(
            self._conn,
            self._lock,
            spec,
            q,
            decode=decoder,
            memo=self._memo,
            row_memo=self._row_memo,
            stops=self._stops,
            counter=self._counter,
            fetched_at=oldest_stamp(self._conn, self._lock, patterns),
            **kw,
        )

    def _patterns(self, kinds: Sequence[str], q: ViewQuery, suffix: str = "") -> list[str]:
        provider = q.provider.value if q.provider else "%"
        return [f"{kind}:{provider}{suffix}" for kind in kinds]

    def organizers(self, q: ViewQuery = ALL) -> TableView[Organizer]:
        """Organizers and Zoom users. Sorts: name, email, provider."""
        return self._view(
            tables.ORGANIZERS, q, model_row(Organizer), self._patterns(["organizers"], q)
        )

    def meetings(self, q: ViewQuery = ALL) -> TableView[Meeting] | ChainedView[Meeting]:
        """Meetings (q.kind: upcoming or historical). Sorts: start, subject, organizer.

        Upcoming meetings (q.live left None) start with those going on now, whatever
        their start and the window (`since`/`until`), then the rest in the window.
        """
        kinds = {
            MeetingKind.UPCOMING: ["meetings"],
            MeetingKind.HISTORICAL: ["historical"],
            None: ["meetings", "historical"],
        }[q.kind]
        patterns = self._patterns(kinds, q)

        def view(query: ViewQuery) -> TableView[Meeting]:
            return self._view(
                tables.MEETINGS,
                query,
                meeting_row,
                patterns,
                select=MEETING_SELECT,
                sort_exprs=MEETING_SORTS,
            )

        if q.kind is MeetingKind.UPCOMING and q.live is None:
            live = replace(q, live=True, since=None, until=None)
            return ChainedView(q, view(live), view(replace(q, live=False)))
        return view(q)

    def groups(self, q: ViewQuery = ALL) -> TableView[Group]:
        """GoTo Meeting's organizer groups. Sorts: name."""
        return self._view(tables.GROUPS, q, model_row(Group), self._patterns(["groups"], q))

    def events(self, q: ViewQuery = ALL) -> TableView[Event]:
        """Trainings and webinars with registrant counts. Sorts: start, title, organizer,
        provider, kind, pending."""
        sorts = {
            name: (("coalesce(c.pending, -1)",) if name == "pending" else sort_terms(col))
            for name, col in tables.EVENTS.sorts.items()
        }
        return self._view(
            tables.EVENTS,
            q,
            event_row,
            self._patterns(["events"], q),
            select=EVENT_SELECT,
            join=EVENT_JOIN,
            sort_exprs=sorts,
        )

    def registrants(self, q: ViewQuery = ALL) -> TableView[Registrant]:
        """Registrants (usually of q.event_key). Sorts: name, email, registered, status."""
        suffix = f":{q.event_key}" if q.event_key else ""
        patterns = self._patterns(["registrants"], q, suffix if suffix else ":%")
        return self._view(
            tables.REGISTRANTS,
            q,
            packing.unpack,
            patterns,
            count=self._registrant_count(q),
            select=packing.SELECT,
            id_order=partial(ids_follow_names, self._conn, patterns[0]) if suffix else None,
            in_sort=not self._few_in_status(q),
        )

    def _few_in_status(self, q: ViewQuery) -> bool:
        with self._lock:
            return few_in_status(self._conn, q.event_key, q.status.value if q.status else None)

    def _registrant_count(self, q: ViewQuery) -> int | None:
        """How many rows an event's unfiltered registrants view has, from the counts
        the writer keeps per event (one row read instead of a COUNT over 100,000
        rows); None when the view is filtered otherwise or the event has no counts."""
        if q.event_key is None or q.text.strip() or q.since or q.until:
            return None
        column = q.status.value if q.status else ALL_COUNTS
        sql = f"SELECT sum({column}) FROM event_counts WHERE event_key = ?"
        params = [q.event_key]
        if q.provider is not None:
            sql += " AND provider = ?"
            params.append(q.provider.value)
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def recordings(self, q: ViewQuery = ALL) -> TableView[Recording]:
        """Recordings. Sorts: start, name, size."""
        return self._view(
            tables.RECORDINGS,
            q,
            recording_row,
            self._patterns(["recordings", "historical"], q),
            select=RECORDING_SELECT,
        )

    def support_sessions(self, q: ViewQuery = ALL) -> TableView[SupportSession]:
        """GoTo Assist sessions. Sorts: created, status, technician."""
        return self._view(
            tables.SUPPORT_SESSIONS, q, model_row(SupportSession), self._patterns(["support"], q)
        )

    # -- single rows and related rows ---------------------------------------------

    def _one(
        self, table: str, cls: type[Any], key: str, extra: str = "", params: Sequence[Any] = ()
    ) -> Any:
        with self._lock:
            row = self._conn.execute(
                f"SELECT data FROM {table} WHERE key = ? {extra} ORDER BY fetched_at DESC LIMIT 1",
                (key, *params),
            ).fetchone()
        return decode(cls, row[0]) if row else None

    def organizer(self, key: str, provider: Provider | None = None) -> Organizer | None:
        """One organizer by key."""
        extra, params = _provider_clause(provider)
        found: Organizer | None = self._one("organizers", Organizer, key, extra, params)
        return found

    def group(self, key: str) -> Group | None:
        """One organizer group by key."""
        found: Group | None = self._one("organizer_groups", Group, key)
        return found

    def meeting(self, key: str, provider: Provider | None = None) -> Meeting | None:
        """One meeting by key (the most recently fetched, upcoming or historical), with
        its organizer from the cached users when the listing gave only an id."""
        extra, params = _provider_clause(provider, "t.")
        with self._lock:
            row = self._conn.execute(
                f"SELECT {MEETING_SELECT} FROM meetings t WHERE t.key = ? {extra} "
                "ORDER BY t.fetched_at DESC LIMIT 1",
                (key, *params),
            ).fetchone()
        return meeting_row(tuple(row)) if row else None

    def event(self, key: str, provider: Provider | None = None) -> Event | None:
        """One training or webinar, with its registrant counts."""
        extra, params = _provider_clause(provider, "t.")
        with self._lock:
            row = self._conn.execute(
                f"SELECT {EVENT_SELECT} FROM events t {EVENT_JOIN} WHERE t.key = ? {extra} LIMIT 1",
                (key, *params),
            ).fetchone()
        return event_row(tuple(row)) if row else None

    def registrant(
        self, key: str, *, event_key: str | None = None, provider: Provider | None = None
    ) -> Registrant | None:
        """One registrant by key (narrowed by event and provider when given).

        The key's index finds the person; the event and provider only narrow (`+`: no
        index for them). Given the choice, SQLite walked the event's index instead, every
        registrant of a 100,000-person webinar for each detail shown (145 ms)."""
        extra, params = _provider_clause(provider, "+")
        if event_key is not None:
            extra, params = f"{extra} AND +event_key = ?", [*params, event_key]
        with self._lock:
            row = self._conn.execute(
                f"SELECT {packing.SELECT} FROM registrants t WHERE key = ? {extra} "
                f"ORDER BY {REGISTRANT_FETCHED_AT} DESC LIMIT 1",
                (key, *params),
            ).fetchone()
        return packing.unpack(row) if row else None

    def recording(self, key: str, provider: Provider | None = None) -> Recording | None:
        """One recording by key (the most recently fetched), with its event's title."""
        extra, params = _provider_clause(provider, "t.")
        with self._lock:
            row = self._conn.execute(
                f"SELECT {RECORDING_SELECT} FROM recordings t WHERE t.key = ? {extra} "
                "ORDER BY t.fetched_at DESC LIMIT 1",
                (key, *params),
            ).fetchone()
        return recording_row(tuple(row)) if row else None

    def support_session(self, key: str) -> SupportSession | None:
        """One support session by uuid."""
        found: SupportSession | None = self._one("support_sessions", SupportSession, key)
        return found

    def _related(
        self, table: str, cls: type[Any], column: str, value: str, order: str
    ) -> list[Any]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT data FROM {table} WHERE {column} = ? ORDER BY {order}, id", (value,)
            ).fetchall()
        return [decode(cls, r[0]) for r in rows]

    def attendees(self, event_key: str) -> list[Attendee]:
        """Attendees of a meeting or a training session."""
        found: list[Attendee] = self._related(
            "attendees", Attendee, "event_key", event_key, "join_time"
        )
        return found

    def training_sessions(self, training_key: str) -> list[TrainingSession]:
        """Past sessions of a training."""
        found: list[TrainingSession] = self._related(
            "training_sessions", TrainingSession, "training_key", training_key, "start"
        )
        return found

    def recordings_of(self, event_key: str) -> list[Recording]:
        """Recordings of a training or meeting."""
        found: list[Recording] = self._related(
            "recordings", Recording, "event_key", event_key, "start"
        )
        return found

    def counts(self, provider: Provider, event_key: str) -> dict[RegistrantStatus, int]:
        """Registrants of an event by status (empty when never synced): pending,
        approved and denied always, the other statuses when someone has them."""
        with self._lock:
            row = self._conn.execute(
                f"SELECT {COUNT_COLUMNS} FROM event_counts WHERE provider = ? AND event_key = ?",
                (provider.value, event_key),
            ).fetchone()
        if row is None:
            return {}
        # The three decisions always; who left, or has a status no spec documents, when any.
        decisions = (RegistrantStatus.PENDING, RegistrantStatus.APPROVED, RegistrantStatus.DENIED)
        return {
            status: int(n)
            for status, n in zip(RegistrantStatus, row, strict=True)
            if n or status in decisions
        }

    def search(
        self,
        text: str,
        *,
        limit: int = 50,
        kinds: Sequence[SearchKind] | None = None,
        status: RegistrantStatus | None = None,
    ) -> list[SearchHit]:
        """Search names, emails, subjects and titles (see `tui.core.store.search`)."""
        return _search(self._conn, self._lock, text, limit=limit, kinds=kinds, status=status)

    # -- sync stamps --------------------------------------------------------------

    def stamp(self, scope: str) -> SyncStamp | None:
        """How fresh one scope is (None: never attempted)."""
        stamps = self.stamps(scope, exact=True)
        return stamps[0] if stamps else None

    def stamps(self, prefix: str = "", *, exact: bool = False) -> list[SyncStamp]:
        """Stamps of every scope whose id starts with `prefix` (or equals it)."""
        clause, arg = (
            ("scope = ?", prefix) if exact else ("scope LIKE ? ESCAPE '\\'", _like_prefix(prefix))
        )
        with self._lock:
            rows = self._conn.execute(
                "SELECT scope, fetched_at, items, error_title, error, error_at, note FROM "
                f"sync_stamps WHERE {clause} ORDER BY scope",
                (arg,),
            ).fetchall()
        return [
            SyncStamp(s, parse_iso(f), int(n or 0), et, e, parse_iso(ea), note)
            for s, f, n, et, e, ea, note in rows
        ]

    def last_sync(self) -> datetime | None:
        """The oldest successful sync time of any scope (None: nothing synced)."""
        return oldest_stamp(self._conn, self._lock, ["%"])

    def scope_ids(self, prefix: str) -> list[str]:
        """Ids of scopes that have stamps, starting with `prefix`."""
        return [s.scope for s in self.stamps(prefix)]

    # -- health -------------------------------------------------------------------

    def integrity_ok(self) -> bool:
        """True when `PRAGMA integrity_check` finds nothing wrong."""
        try:
            with self._lock:
                rows = self._conn.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError:
            return False
        return [r[0] for r in rows] == ["ok"]


def _provider_clause(provider: Provider | None, prefix: str = "") -> tuple[str, list[Any]]:
    if provider is None:
        return "", []
    return f"AND {prefix}provider = ?", [provider.value]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
