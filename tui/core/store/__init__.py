"""The local cache: one SQLite file per profile (WAL), read by panes, written by sync.

`Store.open(path, profile)` creates, migrates or (for a newer or corrupt file) moves
aside and rebuilds the file; `notice` then says what happened. Reads are paged views
(`organizers(q)`, `registrants(q)`, ...) and `search`; writes go through a separate
connection, `writer()`, whose `replace(scope)` batches swap a scope's rows atomically.

Names are loaded on first use, so that `meetdeck lookup` can import
`tui.core.store.schema` and `tui.core.store.fts` without the domain models.
"""

from __future__ import annotations

import importlib

# `meetdeck lookup` imports this package: typing would cost more than its query.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from tui.core.store.db import Store
    from tui.core.store.schema import SCHEMA_VERSION, NoCache, storage_error
    from tui.core.store.text import fold
    from tui.core.store.views import ALL, Event, SearchHit, SearchKind, SyncStamp, ViewQuery
    from tui.core.store.writer import ScopeBatch, StoreWriter

_WHERE = {
    "Store": "db",
    "SCHEMA_VERSION": "schema", "NoCache": "schema", "storage_error": "schema",
    "fold": "text",
    "ALL": "views", "Event": "views", "SearchHit": "views", "SearchKind": "views",
    "SyncStamp": "views", "ViewQuery": "views",
    "ScopeBatch": "writer", "StoreWriter": "writer",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ALL",
    "SCHEMA_VERSION",
    "Event",
    "NoCache",
    "ScopeBatch",
    "SearchHit",
    "SearchKind",
    "Store",
    "StoreWriter",
    "SyncStamp",
    "ViewQuery",
    "fold",
    "storage_error",
]
