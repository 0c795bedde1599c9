"""Global search as `SearchHit`s (command palette, the Deck); see `tui.core.store.fts`."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from tui.core.models import Provider, RegistrantStatus
from tui.core.store.codec import parse_iso
from tui.core.store.folding import fold
from tui.core.store.fts import search_rows
from tui.core.store.hits import SearchKind
from tui.core.store.views import SearchHit


def search(
    conn: sqlite3.Connection,
    lock: threading.RLock,
    text: str,
    *,
    limit: int = 50,
    kinds: Sequence[SearchKind] | None = None,
    status: RegistrantStatus | None = None,
) -> list[SearchHit]:
    """Hits whose text contains every term of `text`; prefix matches first.

    Args:
        conn: A read connection.
        lock: The lock guarding `conn`.
        text: What the person typed.
        limit: At most this many hits in all.
        kinds: Only these kinds (default: all); `status` implies registrants.
        status: Only registrants with this status.
    """
    rows = search_rows(
        conn, lock, text, limit=limit, kinds=kinds, status=status.value if status else None
    )
    hits = [
        SearchHit(
            r.kind,
            r.key,
            r.title,
            r.subtitle,
            Provider(r.provider),
            event_key=r.event_key,
            event_title=r.event_title,
            status=r.status,
            fetched_at=parse_iso(r.fetched_at),
        )
        for r in rows
    ]
    terms = fold(text).split()
    first = terms[0] if terms else ""
    # Rows whose title or email starts with the first term come first.
    hits.sort(
        key=lambda h: not (fold(h.title).startswith(first) or fold(h.subtitle).startswith(first))
    )
    return hits
