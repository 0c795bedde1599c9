"""The cache's migration steps: step i takes a file from version i to version i + 1.

A step is an SQL script, or a function of the connection where SQL alone cannot do
it (schema 11 packs every registrant in Python). `tui.core.store.schema.migrate` runs
them, all in one transaction.
"""

# ruff: noqa: S608

from __future__ import annotations

# `meetdeck lookup` reads SCHEMA_VERSION on its fast path: sqlite3 (its dbapi2 brings
# datetime, 3 ms) is imported where a step runs, not here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    Step = str | Callable[[sqlite3.Connection], None]

# Columns every entity table has: the sync scope that owns the row, where it came
# from, when, its key, its folded search text and the full model as JSON.
_COMMON = """
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    provider TEXT NOT NULL,
    profile TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    key TEXT NOT NULL,
    search TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
"""

_V1 = f"""
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sync_stamps (scope TEXT PRIMARY KEY, fetched_at TEXT);

CREATE TABLE organizers ({_COMMON}
    email TEXT NOT NULL DEFAULT '',
    sort_name TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX organizers_name ON organizers (sort_name);
CREATE INDEX organizers_email ON organizers (email);
CREATE INDEX organizers_key ON organizers (key);

CREATE TABLE meetings ({_COMMON}
    kind TEXT NOT NULL,
    start TEXT NOT NULL DEFAULT '',
    sort_subject TEXT NOT NULL DEFAULT '',
    organizer_key TEXT,
    sort_organizer TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX meetings_kind_start ON meetings (kind, start);
CREATE INDEX meetings_start ON meetings (start);
CREATE INDEX meetings_organizer ON meetings (organizer_key, start);
CREATE INDEX meetings_key ON meetings (key);

CREATE TABLE events ({_COMMON}
    kind TEXT NOT NULL,
    start TEXT NOT NULL DEFAULT '',
    sort_title TEXT NOT NULL DEFAULT '',
    organizer_key TEXT,
    sort_organizer TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX events_start ON events (start);
CREATE INDEX events_key ON events (provider, key);
CREATE INDEX events_organizer ON events (organizer_key, start);

CREATE TABLE registrants ({_COMMON}
    event_key TEXT NOT NULL,
    event_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sort_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    registered_at TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX registrants_event_name ON registrants (event_key, sort_name);
CREATE INDEX registrants_event_status_name ON registrants (event_key, status, sort_name);
CREATE INDEX registrants_event_registered ON registrants (event_key, registered_at);
CREATE INDEX registrants_event_status_registered
    ON registrants (event_key, status, registered_at);
CREATE INDEX registrants_event_email ON registrants (event_key, email);
CREATE INDEX registrants_status_name ON registrants (status, sort_name);
CREATE INDEX registrants_key ON registrants (key);
-- Covers the '/' filter: a scan of it tests the search text and yields every sort key
-- without touching the wide table rows.
CREATE INDEX registrants_filter
    ON registrants (event_key, status, search, sort_name, email, registered_at);

CREATE TABLE recordings ({_COMMON}
    event_key TEXT NOT NULL DEFAULT '',
    start TEXT NOT NULL DEFAULT '',
    sort_name TEXT NOT NULL DEFAULT '',
    file_size INTEGER NOT NULL DEFAULT 0,
    UNIQUE (scope, key));
CREATE INDEX recordings_start ON recordings (start);
CREATE INDEX recordings_event ON recordings (event_key, start);

CREATE TABLE support_sessions ({_COMMON}
    status TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL DEFAULT '',
    sort_technician TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX support_created ON support_sessions (created);

CREATE TABLE training_sessions ({_COMMON}
    training_key TEXT NOT NULL,
    start TEXT NOT NULL DEFAULT '',
    UNIQUE (scope, key));
CREATE INDEX training_sessions_training ON training_sessions (training_key, start);

CREATE TABLE attendees ({_COMMON}
    event_key TEXT NOT NULL,
    join_time TEXT NOT NULL DEFAULT '');
CREATE INDEX attendees_event ON attendees (event_key, join_time);

CREATE VIRTUAL TABLE search_index USING fts5 (text, tokenize = 'trigram');
"""

# Version 2: sync stamps remember the last failure and the row count, and registrant
# counts per event are kept so the events pane needs no COUNT over 100k rows.
_V2 = """
ALTER TABLE sync_stamps ADD COLUMN items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_stamps ADD COLUMN error_title TEXT;
ALTER TABLE sync_stamps ADD COLUMN error TEXT;
ALTER TABLE sync_stamps ADD COLUMN error_at TEXT;
CREATE TABLE event_counts (
    scope TEXT NOT NULL,
    provider TEXT NOT NULL,
    event_key TEXT NOT NULL,
    pending INTEGER NOT NULL DEFAULT 0,
    approved INTEGER NOT NULL DEFAULT 0,
    denied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, event_key));
CREATE INDEX event_counts_scope ON event_counts (scope);
INSERT INTO event_counts (scope, provider, event_key, pending, approved, denied)
    SELECT MIN(scope), provider, event_key,
           SUM(status = 'pending'), SUM(status = 'approved'), SUM(status = 'denied')
    FROM registrants GROUP BY provider, event_key;
UPDATE sync_stamps SET items = (
    SELECT COUNT(*) FROM registrants WHERE registrants.scope = sync_stamps.scope)
    WHERE scope LIKE 'registrants:%';
"""

# Version 3: registrants by e-mail address alone, for `meetdeck lookup EMAIL` (the
# (event_key, email) index needs a skip-scan over every event, and statistics for it).
_V3 = """
CREATE INDEX registrants_email ON registrants (email);
"""

# Version 4: the '/' filter's covering index in name order within an event, so a short
# filter's first page is an ordered scan of the index alone (64 matches of "no" read
# ~60 index pages in sequence; the (event_key, sort_name) index and the table rows cost
# ~1,300 random page reads: 56 ms against 12 from a cold disk). Every equality filter
# but the event (the status) is still a column of it.
_V4 = """
DROP INDEX registrants_filter;
CREATE INDEX registrants_filter
    ON registrants (event_key, sort_name, id, search, status, email, registered_at);
"""

# Version 5: registrants who left (GoTo Training's UNREGISTERED and DELETED), those
# meetdeck cancelled while the provider still lists them, and statuses no spec
# documents are counted too: an event's registrants view takes its row count from here.
_V5 = """
ALTER TABLE event_counts ADD COLUMN unregistered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_counts ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_counts ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_counts ADD COLUMN other INTEGER NOT NULL DEFAULT 0;
"""

# Version 6: a sync stamp's note says what its stored rows leave out (Zoom users the
# service refused alone, e.g. "1 user skipped: ana@x cannot host webinars (3161)").
_V6 = """
ALTER TABLE sync_stamps ADD COLUMN note TEXT;
"""

# Version 7: recordings and support sessions are in the search index (the palette and
# `meetdeck lookup` find them); the rows already cached are indexed with their text.
_V7 = """
INSERT INTO search_index (rowid, text) SELECT id * 8 + 5, search FROM recordings;
INSERT INTO search_index (rowid, text) SELECT id * 8 + 6, search FROM support_sessions;
"""

# Version 8: GoTo Meeting's organizer groups; organizers by group (the key is read from
# the rows already cached); meetings going on now (`live`), which an upcoming view lists
# first. Cached GoTo meetings with status ACTIVE are live; Zoom's need a sync.
_V8 = (
    f"""
CREATE TABLE organizer_groups ({_COMMON}
    sort_name TEXT NOT NULL DEFAULT '',
    parent_key TEXT,
    UNIQUE (scope, key));
"""
    + """
CREATE INDEX organizer_groups_name ON organizer_groups (sort_name);
ALTER TABLE organizers ADD COLUMN group_key TEXT;
UPDATE organizers SET group_key = json_extract(data, '$.group_key');
CREATE INDEX organizers_group ON organizers (group_key, sort_name);
ALTER TABLE meetings ADD COLUMN live INTEGER NOT NULL DEFAULT 0;
UPDATE meetings SET live = 1, data = json_set(data, '$.live', json('true'))
    WHERE provider = 'goto_meeting' AND kind = 'upcoming'
    AND upper(json_extract(data, '$.status')) = 'ACTIVE';
CREATE INDEX meetings_live ON meetings (kind, live, start);
"""
)

# Version 9: every sort a tab offers reads its page from an index, whatever the status
# filter and with or without an event, so sorting 100,000 registrants never sorts them
# all (status sorts break ties by name, so (status, sort_name) serves them). The
# smaller tables, shown without a filter, get their sorts' indexes too.
_V9 = """
CREATE INDEX registrants_name ON registrants (sort_name);
CREATE INDEX registrants_registered ON registrants (registered_at);
CREATE INDEX registrants_status_email ON registrants (status, email);
CREATE INDEX registrants_status_registered ON registrants (status, registered_at);
CREATE INDEX organizers_provider ON organizers (provider, sort_name);
CREATE INDEX events_title ON events (sort_title);
CREATE INDEX events_organizer_name ON events (sort_organizer);
CREATE INDEX events_provider ON events (provider, start);
CREATE INDEX recordings_name ON recordings (sort_name);
CREATE INDEX recordings_size ON recordings (file_size);
CREATE INDEX recordings_provider ON recordings (provider, start);
CREATE INDEX support_status ON support_sessions (status, created);
CREATE INDEX support_technician ON support_sessions (sort_technician);
"""

# Version 10: GoTo Meeting's organizer groups are in the search index (the palette and
# `meetdeck lookup` find them by name, parent or key); groups already cached are indexed.
_V10 = """
INSERT INTO search_index (rowid, text) SELECT id * 8 + 7, search FROM organizer_groups;
"""

# Version 11: a registrant holds each value once (issue 18: 2,293 bytes per registrant
# at 100,000, of which the row 1,358, thirteen indexes 850 and the search index 254).
# The row: `data` keeps only what the search hits read in SQL, `more` the rest
# compressed, the columns what they index (`tui.core.store.packing`); the registration
# time is microseconds; the search text is stored only where it is not the sort name
# and e-mail (`tables.REGISTRANT_SEARCH`). The indexes: the ones a view's order needs,
# with status inside where a status filter scans them; the event's name order is the
# filter's covering index. The search index keeps no copy of the text (the tables have
# it; a match is checked against it) and no positions: a term is looked up as its
# trigrams, and `instr` confirms it.
_V11_TABLE = """
CREATE TABLE registrants_v11 (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL,
    provider TEXT NOT NULL,
    profile TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    key TEXT NOT NULL,
    search TEXT,
    data TEXT NOT NULL,
    event_key TEXT NOT NULL,
    event_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sort_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    registered_at INTEGER,
    more BLOB,
    UNIQUE (scope, key));
"""
_V11_INDEXES = """
DROP TABLE registrants;
ALTER TABLE registrants_v11 RENAME TO registrants;
CREATE INDEX registrants_key ON registrants (key);
CREATE INDEX registrants_email ON registrants (email);
CREATE INDEX registrants_filter
    ON registrants (event_key, sort_name, id, search, status, email, registered_at);
CREATE INDEX registrants_event_status_name ON registrants (event_key, status, sort_name);
CREATE INDEX registrants_event_email ON registrants (event_key, email);
CREATE INDEX registrants_event_registered ON registrants (event_key, registered_at);
CREATE INDEX registrants_name ON registrants (sort_name);
CREATE INDEX registrants_registered ON registrants (registered_at);
CREATE INDEX registrants_status_name ON registrants (status, sort_name);
CREATE INDEX registrants_status_email ON registrants (status, email);
CREATE INDEX registrants_status_registered ON registrants (status, registered_at);
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (
    text, tokenize = 'trigram', content = '', columnsize = 0, detail = none);
"""


def _v11(conn: sqlite3.Connection) -> None:
    """Step 11: registrants rewritten one by one (their JSON is split and packed in
    Python), then the search index rebuilt from every table's search text."""
    from tui.core.models import Registrant
    from tui.core.store.codec import decode
    from tui.core.store.tables import ALL_TABLES, REGISTRANTS

    for statement in statements(_V11_TABLE):
        conn.execute(statement)
    names = ", ".join(
        (
            "id",
            "scope",
            "provider",
            "profile",
            "fetched_at",
            "key",
            "data",
            "search",
            *REGISTRANTS.columns,
        )
    )
    marks = ", ".join("?" * (8 + len(REGISTRANTS.columns)))
    insert = f"INSERT INTO registrants_v11 ({names}) VALUES ({marks})"
    rows = conn.execute(
        "SELECT id, scope, provider, profile, fetched_at, key, data FROM registrants"
    )
    while batch := rows.fetchmany(2000):
        out = []
        for row_id, scope, provider, profile, fetched_at, key, data in batch:
            try:
                model = decode(Registrant, data)
            except (ValueError, TypeError, KeyError):
                continue  # a row this meetdeck cannot read: the next sync brings it back
            search, *columns = REGISTRANTS.extract(model)
            out.append(
                (
                    row_id,
                    scope,
                    provider,
                    profile,
                    fetched_at,
                    key,
                    REGISTRANTS.encode(model),
                    search,
                    *columns,
                )
            )
        conn.executemany(insert, out)
    for statement in statements(_V11_INDEXES):
        conn.execute(statement)
    for spec in ALL_TABLES:
        if spec.search_code is not None:
            conn.execute(spec.index("1"))


# Version 12: what every registrant of a scope shares is kept once (issue 18: 1,144
# bytes per registrant at 100,000). A row names its scope by a small number
# (`registrant_scopes`); its profile is the file's, and its fetch time its scope's
# sync stamp. No unique (scope, key) index: a swap keeps the last of a person listed
# twice itself (`writer.py`), and a scope's rows are found by the number's index. Row
# ids stay, so the search index stays as it is.
_V12 = """
CREATE TABLE registrant_scopes (id INTEGER PRIMARY KEY, scope TEXT NOT NULL UNIQUE);
INSERT INTO registrant_scopes (scope) SELECT DISTINCT scope FROM registrants ORDER BY scope;
CREATE TABLE registrants_v12 (
    id INTEGER PRIMARY KEY,
    sid INTEGER NOT NULL,
    provider TEXT NOT NULL,
    key TEXT NOT NULL,
    search TEXT,
    data TEXT NOT NULL,
    event_key TEXT NOT NULL,
    event_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    sort_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    registered_at INTEGER,
    more BLOB);
INSERT INTO registrants_v12 (id, sid, provider, key, search, data, event_key, event_kind,
    status, sort_name, email, registered_at, more)
    SELECT r.id, s.id, r.provider, r.key, r.search, r.data, r.event_key, r.event_kind,
        r.status, r.sort_name, r.email, r.registered_at, r.more
    FROM registrants r JOIN registrant_scopes s ON s.scope = r.scope ORDER BY r.id;
DROP TABLE registrants;
ALTER TABLE registrants_v12 RENAME TO registrants;
CREATE INDEX registrants_scope ON registrants (sid);
CREATE INDEX registrants_key ON registrants (key);
CREATE INDEX registrants_email ON registrants (email);
CREATE INDEX registrants_filter
    ON registrants (event_key, sort_name, id, search, status, email, registered_at);
CREATE INDEX registrants_event_status_name ON registrants (event_key, status, sort_name);
CREATE INDEX registrants_event_email ON registrants (event_key, email);
CREATE INDEX registrants_event_registered ON registrants (event_key, registered_at);
CREATE INDEX registrants_name ON registrants (sort_name);
CREATE INDEX registrants_registered ON registrants (registered_at);
CREATE INDEX registrants_status_name ON registrants (status, sort_name);
CREATE INDEX registrants_status_email ON registrants (status, email);
CREATE INDEX registrants_status_registered ON registrants (status, registered_at);
"""

# Version 13: registrants' `more` in the token form (`packing.py`, issue 18). Nothing is
# converted: older rows read as they are until their next sync writes them anew. The
# number tells an older meetdeck, which cannot read the new form, the file is newer.
_V13 = ""

# Version 14: a scope whose registrants' ids follow their name order (as a swap inserts
# them; each converted scope is checked) says so: a '/' filter in name order takes its
# first matches in the search index's id order instead of sorting them (issue 18).
_V14 = """
ALTER TABLE registrant_scopes ADD COLUMN ordered INTEGER NOT NULL DEFAULT 0;
UPDATE registrant_scopes SET ordered = 1 WHERE id NOT IN (SELECT sid FROM (SELECT sid, id,
    lag(id) OVER (PARTITION BY sid ORDER BY sort_name, id) AS before FROM registrants)
    WHERE before > id);
"""

# Version 15: ten registrant indexes, not twelve (a big sync builds each afresh, issue
# 18). The e-mail and registration time indexes, with and without the event, end with
# (id, status): a view in that order with a status filter tests the status there
# (`TableSpec.tested_in_sort`), as the dropped (status, ...) ones did.
_V15 = """
DROP INDEX registrants_status_email;
DROP INDEX registrants_status_registered;
DROP INDEX registrants_email;
DROP INDEX registrants_registered;
DROP INDEX registrants_event_email;
DROP INDEX registrants_event_registered;
CREATE INDEX registrants_email ON registrants (email, id, status);
CREATE INDEX registrants_registered ON registrants (registered_at, id, status);
CREATE INDEX registrants_event_email ON registrants (event_key, email, id, status);
CREATE INDEX registrants_event_registered ON registrants (event_key, registered_at, id, status);
"""

#: Migration steps; step i takes a file from version i to version i + 1.
MIGRATIONS: tuple[Step, ...] = (
    _V1,
    _V2,
    _V3,
    _V4,
    _V5,
    _V6,
    _V7,
    _V8,
    _V9,
    _V10,
    _v11,
    _V12,
    _V13,
    _V14,
    _V15,
)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    import sqlite3

    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out
