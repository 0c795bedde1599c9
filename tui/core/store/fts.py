"""Global search over names, emails, subjects and titles, without the domain models.

The index is one FTS5 table with the trigram tokenizer over each row's folded text
(lower-case, accents stripped: "zoe" finds "Zoë"), so any substring of three or more
characters is an index lookup, e-mail prefixes included. Terms shorter than three
characters (a two-character CJK name such as "山田") cannot use trigrams; they are
tested with `instr` on the matching rows, or, when the query has no longer term, on
the entity table itself (LIMIT stops the scan at the first rows found).

This module answers with plain dicts (`SearchRow`) so that `meetdeck lookup` need not
import the domain models; `tui.core.store.search` turns them into `SearchHit`s.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

from tui.core.store.text import fold

SearchKind = Literal["registrant", "organizer", "meeting", "training", "webinar"]
SEARCH_KINDS: tuple[SearchKind, ...] = ("registrant", "organizer", "meeting", "training",
                                         "webinar")

_TABLES: dict[SearchKind, tuple[str, int, str | None]] = {
    # kind: (table, search code, events.kind value)
    "registrant": ("registrants", 4, None),
    "organizer": ("organizers", 1, None),
    "meeting": ("meetings", 2, None),
    "training": ("events", 3, "training"),
    "webinar": ("events", 3, "webinar"),
}


class SearchRow(NamedTuple):
    """One hit as plain values: what `lookup` prints and `SearchHit` is built from."""

    kind: SearchKind
    key: str
    provider: str
    title: str
    subtitle: str
    event_key: str | None
    event_title: str | None
    status: str | None
    fetched_at: str


def fts_phrase(term: str) -> str:
    """One term as an FTS5 string literal (quotes doubled), so no operator sneaks in."""
    return '"' + term.replace('"', '""') + '"'


def _when(value: Any) -> str:
    text = str(value or "")
    return f"{text[:10]} {text[11:16]}".strip() if text else ""


def to_row(kind: SearchKind, data: dict[str, Any], fetched_at: str) -> SearchRow:
    """A hit's display values from the stored JSON of its model."""
    key, provider = str(data.get("key", "")), str(data.get("provider", ""))
    if kind == "registrant":
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        email = str(data.get("email", ""))
        return SearchRow(kind, key, provider, name or email, email, data.get("event_key"),
                         data.get("event_title"), data.get("status"), fetched_at)
    if kind == "organizer":
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        email = str(data.get("email", ""))
        return SearchRow(kind, key, provider, name or email, email, None, None,
                         data.get("status"), fetched_at)
    if kind == "meeting":
        who = data.get("organizer_name") or data.get("organizer_email") or ""
        subtitle = " · ".join(p for p in (_when(data.get("start")), who) if p)
        return SearchRow(kind, key, provider, str(data.get("subject", "")), subtitle, None,
                         None, data.get("kind"), fetched_at)
    if kind == "training":
        times = data.get("times") or []
        start = _when(times[0][0]) if times else ""
        return SearchRow(kind, key, provider, str(data.get("name", "")), start, None, None,
                         None, fetched_at)
    return SearchRow(kind, key, provider, str(data.get("topic", "")),
                     _when(data.get("start")), None, None, None, fetched_at)


def last_sync(conn: sqlite3.Connection) -> str | None:
    """The oldest successful sync time of any scope, as stored (ISO text)."""
    row = conn.execute("SELECT min(fetched_at) FROM sync_stamps "
                       "WHERE fetched_at IS NOT NULL").fetchone()
    return row[0] if row and row[0] else None


# Up to this many index hits are collected once for all kinds; a broader query (a
# word every row shares) asks the index per kind instead, where LIMIT stops early.
_MATCH_ONCE_CAP = 5000


def _match_once(conn: sqlite3.Connection, long_terms: Sequence[str]) -> list[int] | None:
    """Rowids of every indexed row matching all terms, or None past the cap."""
    phrase = " AND ".join(fts_phrase(t) for t in long_terms)
    rows = conn.execute("SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?",
                        [phrase, _MATCH_ONCE_CAP + 1]).fetchall()
    if len(rows) > _MATCH_ONCE_CAP:
        return None
    return [rowid for (rowid,) in rows]


def search_rows(
    conn: sqlite3.Connection,
    lock: threading.RLock,
    text: str,
    *,
    limit: int = 50,
    kinds: Sequence[SearchKind] | None = None,
    status: str | None = None,
) -> list[SearchRow]:
    """Rows whose folded text contains every term of `text`, of the given kinds.

    Args:
        conn: A read connection.
        lock: The lock guarding `conn`.
        text: What the person typed.
        limit: At most this many hits in all.
        kinds: Only these kinds (default: all); `status` implies registrants.
        status: Only registrants with this status.
    """
    terms = fold(text).split()
    if not terms or limit <= 0:
        return []
    wanted = list(kinds or SEARCH_KINDS)
    if status is not None:
        wanted = [k for k in wanted if k == "registrant"]
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    hits: list[SearchRow] = []
    with lock:
        matched = _match_once(conn, long_terms) if long_terms else None
        for kind in wanted:
            table, code, event_kind = _TABLES[kind]
            params: list[Any] = []
            conditions: list[str] = []
            if matched is not None:
                # The index was asked once for every kind: its rowids carry the kind.
                ids = [rowid >> 3 for rowid in matched if rowid & 7 == code]
                if not ids:
                    continue
                source = "FROM json_each(?) j JOIN " + table + " t ON t.id = j.value WHERE 1"
                params.append(json.dumps(ids))
            elif long_terms:
                source = (f"FROM search_index f JOIN {table} t ON t.id = (f.rowid >> 3) "
                          "WHERE search_index MATCH ? AND (f.rowid & 7) = ?")
                params += [" AND ".join(fts_phrase(t) for t in long_terms), code]
            else:
                # The registrants' covering index holds the search text: scanning it
                # is several times cheaper than scanning the wide table.
                hint = " INDEXED BY registrants_filter" if table == "registrants" else ""
                source = f"FROM {table} t{hint} WHERE 1"
            for term in short_terms:
                conditions.append("instr(t.search, ?) > 0")
                params.append(term)
            if event_kind is not None:
                conditions.append("t.kind = ?")
                params.append(event_kind)
            if status is not None:
                conditions.append("t.status = ?")
                params.append(status)
            extra = "".join(f" AND {c}" for c in conditions)
            rows = conn.execute(
                f"SELECT t.data, t.fetched_at {source}{extra} LIMIT ?",
                [*params, limit - len(hits)],
            ).fetchall()
            hits.extend(to_row(kind, json.loads(data), fetched) for data, fetched in rows)
            if len(hits) >= limit:
                break
    return hits[:limit]
