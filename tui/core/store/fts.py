"""Global search over names, emails, subjects and titles, without the domain models.

The index is one FTS5 table with the trigram tokenizer over each row's folded text
(lower-case, accents stripped: "zoe" finds "Zoë"), so any substring of three or more
characters is an index lookup, e-mail prefixes included. Terms shorter than three
characters (a two-character CJK name such as "山田") cannot use trigrams; they are
tested with `instr` on the matching rows, or, when the query has no longer term, on
the entity table itself (LIMIT stops the scan at the first rows found).

A query that is one whole e-mail address first takes `email_rows`, which reads the
address's rows through the e-mail indexes instead of merging the doclists of its
dozens of trigrams (most of them shared by every address of the domain); `find_rows`
falls back to the trigram search when the address is in no row.

This module answers with plain values (`SearchRow`, built in `tui.core.store.hits`)
and imports neither the domain models nor json, typing or threading, so that
`meetdeck lookup` stays quick; `tui.core.store.search` builds `SearchHit`s from them.
"""

from __future__ import annotations

from tui.core.store.folding import fold
from tui.core.store.hits import SEARCH_KINDS, SearchKind, SearchRow, picked, to_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    import threading
    from collections.abc import Sequence
    from typing import Any

#: A registrant's search text in SQL (`{t}`: the table's alias and a dot): most rows'
#: is their sort name and e-mail, and their `search` column is NULL (`tables.py`).
REGISTRANT_SEARCH = "coalesce({t}search, {t}sort_name || ' ' || {t}email)"

# kind: (table, search code, events.kind value). The codes are the tables'
# `search_code` (`tui.core.store.tables`); the index's rowid is the row's id * 8 + code.
_TABLES: dict[SearchKind, tuple[str, int, str | None]] = {
    "registrant": ("registrants", 4, None),
    "organizer": ("organizers", 1, None),
    "meeting": ("meetings", 2, None),
    "training": ("events", 3, "training"),
    "webinar": ("events", 3, "webinar"),
    "recording": ("recordings", 5, None),
    "support_session": ("support_sessions", 6, None),
    "group": ("organizer_groups", 7, None),
}


class _Unlocked:
    """Stands in for a lock when the connection has one user (`meetdeck lookup`)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_UNLOCKED = _Unlocked()


def fts_phrase(term: str) -> str:
    """One term as an FTS5 string literal (quotes doubled), so no operator sneaks in."""
    return '"' + term.replace('"', '""') + '"'


def fts_match(terms: Sequence[str]) -> str:
    """An FTS5 query for rows holding every trigram of `terms` (each of three or more
    characters). The index keeps no positions, so this finds a few rows where the
    trigrams are apart too: a caller confirms each term with `instr` on the row's text.
    """
    grams = dict.fromkeys(term[i : i + 3] for term in terms for i in range(len(term) - 2))
    return " AND ".join(fts_phrase(gram) for gram in grams)


def index_hits(conn: sqlite3.Connection, code: int, long_terms: Sequence[str], most: int) -> int:
    """The search index's hits of one kind (`code`) for `long_terms`, counted up to
    one over `most` and no further: the index's hits alone, without a row read."""
    (hits,) = conn.execute(
        "SELECT count(*) FROM (SELECT rowid FROM search_index WHERE search_index "
        "MATCH ? AND (rowid & 7) = ? LIMIT ?)",
        [fts_match(long_terms), code, most + 1],
    ).fetchone()
    return int(hits)


def search_text(table: str) -> str:
    """The search text of a row of `table` (aliased `t`) in SQL."""
    return REGISTRANT_SEARCH.format(t="t.") if table == "registrants" else "t.search"


def last_sync(conn: sqlite3.Connection) -> str | None:
    """The oldest successful sync time of any scope, as stored (ISO text)."""
    row = conn.execute(
        "SELECT min(fetched_at) FROM sync_stamps WHERE fetched_at IS NOT NULL"
    ).fetchone()
    return row[0] if row and row[0] else None


# Up to this many index hits are collected once for all kinds; a broader query (a
# word every row shares) asks the index per kind instead, where LIMIT stops early.
_MATCH_ONCE_CAP = 5000


def _match_once(conn: sqlite3.Connection, long_terms: Sequence[str]) -> list[int] | None:
    """Rowids of every indexed row matching all terms, or None past the cap."""
    rows = conn.execute(
        "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT ?",
        [fts_match(long_terms), _MATCH_ONCE_CAP + 1],
    ).fetchall()
    if len(rows) > _MATCH_ONCE_CAP:
        return None
    return [rowid for (rowid,) in rows]


def search_rows(
    conn: sqlite3.Connection,
    lock: threading.RLock | None,
    text: str,
    *,
    limit: int = 50,
    kinds: Sequence[SearchKind] | None = None,
    status: str | None = None,
) -> list[SearchRow]:
    """Rows whose folded text contains every term of `text`, of the given kinds.

    Args:
        conn: A read connection.
        lock: The lock guarding `conn` (None: the caller is its only user).
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
    hits: list[SearchRow] = []
    with lock or _UNLOCKED:
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
                params.append("[" + ",".join(map(str, ids)) + "]")  # a JSON array
            elif long_terms:
                source = (
                    f"FROM search_index f JOIN {table} t ON t.id = (f.rowid >> 3) "
                    "WHERE search_index MATCH ? AND (f.rowid & 7) = ?"
                )
                params += [fts_match(long_terms), code]
            else:
                # The registrants' covering index holds the search text: scanning it
                # is several times cheaper than scanning the wide table.
                hint = " INDEXED BY registrants_filter" if table == "registrants" else ""
                source = f"FROM {table} t{hint} WHERE 1"
            # Every term is confirmed on the row's text: the index finds its trigrams.
            for term in terms:
                conditions.append(f"instr({search_text(table)}, ?) > 0")
                params.append(term)
            if event_kind is not None:
                conditions.append("t.kind = ?")
                params.append(event_kind)
            if status is not None:
                conditions.append("t.status = ?")
                params.append(status)
            extra = "".join(f" AND {c}" for c in conditions)
            rows = conn.execute(
                f"SELECT {picked(kind)} {source}{extra} LIMIT ?",
                [*params, limit - len(hits)],
            ).fetchall()
            hits.extend(to_rows(kind, rows))
            if len(hits) >= limit:
                break
    return hits[:limit]


def email_address(text: str) -> str | None:
    """The folded address when `text` is one whole e-mail address (x@y), else None."""
    terms = fold(text).split()
    if len(terms) != 1:
        return None
    local, _, domain = terms[0].partition("@")
    return terms[0] if local and domain and "@" not in domain else None


# The rows of each kind holding an address, through indexes: registrants and organizers
# by their (folded) e-mail column (registrants_email, organizers_email); meetings and
# webinars of an organizer with that address (meetings_organizer, events_organizer),
# when their search text holds it too (it has the organizer's or host's address). A
# training's text holds no address, nor a recording's. A support session's holds its
# technician's: the few sessions of the last 90 days are scanned.
_BY_EMAIL: dict[SearchKind, str] = {
    "registrant": "FROM registrants t WHERE t.email = :email",
    "organizer": "FROM organizers t WHERE t.email = :email",
    "meeting": (
        "FROM meetings t WHERE t.organizer_key IN "
        "(SELECT key FROM organizers WHERE email = :email) "
        "AND instr(t.search, :email) > 0"
    ),
    "webinar": (
        "FROM events t WHERE t.kind = 'webinar' AND t.organizer_key IN "
        "(SELECT key FROM organizers WHERE email = :email) "
        "AND instr(t.search, :email) > 0"
    ),
    "support_session": "FROM support_sessions t WHERE instr(t.search, :email) > 0",
}


def email_rows(
    conn: sqlite3.Connection,
    lock: threading.RLock | None,
    text: str,
    *,
    limit: int = 50,
    kinds: Sequence[SearchKind] | None = None,
    status: str | None = None,
) -> list[SearchRow] | None:
    """The rows of the e-mail address `text`, case- and accent-blind, through indexes.

    Registrants and organizers with exactly that address, and the meetings and webinars
    of an organizer with it. Each hit is one the trigram search finds too, in the same
    order (by kind, then as stored); that search also finds other addresses holding
    this one ("jo@x.com" in "ajo@x.com"), which this path leaves out.

    Returns:
        The hits (maybe none), or None when `text` is not one e-mail address.
    """
    address = email_address(text)
    if address is None:
        return None
    wanted = [k for k in (kinds or SEARCH_KINDS) if status is None or k == "registrant"]
    hits: list[SearchRow] = []
    with lock or _UNLOCKED:
        for kind in wanted:
            source = _BY_EMAIL.get(kind)
            if source is None or len(hits) >= limit:
                continue
            narrow = " AND t.status = :status" if status is not None else ""
            rows = conn.execute(
                f"SELECT {picked(kind)} {source}{narrow} ORDER BY t.id LIMIT :limit",
                {"email": address, "status": status, "limit": limit - len(hits)},
            ).fetchall()
            hits.extend(to_rows(kind, rows))
    return hits


def find_rows(
    conn: sqlite3.Connection,
    lock: threading.RLock | None,
    text: str,
    *,
    limit: int = 50,
    kinds: Sequence[SearchKind] | None = None,
    status: str | None = None,
) -> list[SearchRow]:
    """`email_rows` for one whole address found in the cache, else `search_rows`.

    A partial address, a name or an address no row has takes the trigram search.
    """
    if limit <= 0:
        return []
    exact = email_rows(conn, lock, text, limit=limit, kinds=kinds, status=status)
    if exact:
        return exact
    return search_rows(conn, lock, text, limit=limit, kinds=kinds, status=status)
