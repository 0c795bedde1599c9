"""The local cache: one SQLite file per profile (WAL), read by panes, written by sync.

`db.Store.open(path, profile)` creates, migrates or (for a newer or corrupt file) moves
aside and rebuilds the file; `notice` then says what happened. Reads are paged views
(`organizers(q)`, `registrants(q)`, ...) and `search`; writes go through a separate
connection, `writer()`, whose `replace(scope)` batches (`writer.StoreWriter`) swap a
scope's rows atomically. Row types are in `views`, the schema and its errors in
`schema`, search folding in `folding`.

This package re-exports nothing: callers import from the module they need, so that
`meetdeck lookup` can import `schema` and `fts` without the domain models (`db` costs
tens of milliseconds through pydantic).
"""
