"""How each domain model maps onto its table: indexed columns, search text, sorts, filters."""

# SQL here is assembled from this package's own table and column names only.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.core.models import (
    Attendee,
    Group,
    Meeting,
    Organizer,
    Recording,
    Registrant,
    SupportSession,
    Training,
    TrainingSession,
    Webinar,
)
from tui.core.store.codec import encode, fold, iso
from tui.core.store.folding import from_letter, sort_key
from tui.core.store.fts import REGISTRANT_SEARCH
from tui.core.store.packing import data_of, micros, more_of

Extract = Callable[[Any], tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One entity table.

    Attributes:
        name: The table.
        columns: Table-specific columns, in the order `extract` returns them.
        extract: A model -> (search text, *column values).
        sorts: Sort name -> column, or columns "a,b" (ties of a ordered by b; the row id
            breaks the last ties); the first is the default. A pane's column whose key
            is a sort name can be sorted by.
        filters: ViewQuery field -> column it narrows ("since"/"until" use `time_column`).
        related: ViewQuery field -> a condition on another table, with one parameter
            (meetings of a group's organizers).
        time_column: The column `since`/`until` compare with, if any.
        search_code: The code of its rows in the search index, if it is searchable.
        text_index: A covering index to scan for the '/' filter (large tables).
        text_order: (ViewQuery field, sort name) such that `text_index` is in that
            sort's order once the field is fixed: a filtered view narrowed by the field
            and in that order reads its pages from the index alone.
        encode: A model -> its `data` column (the other columns come from `extract`).
        search_sql: The row's search text in SQL, `{t}` standing for the table's alias
            and a dot ("t."), or nothing: what the search index holds for the row, and
            what the '/' filter tests.
        time_value: A time -> the value `time_column` compares with.
        scoped: The condition on the table's columns (`{t}` as in `search_sql`) that
            selects one scope's rows, with one parameter: the scope id.
        base: The columns every row has before `columns`, as the writer fills them:
            the registrants' name their scope by number (`registrant_scopes`) and keep
            neither the profile nor the fetch time (their scope's stamp has it).
        tested_in_sort: Sort name -> the `filters` fields that the sort's indexes carry
            after its column: a view in that sort reads its index in order and tests
            those filters there, and their own indexes are kept out of it (the planner
            took the filter's index and sorted every match: its statistics are averages
            over events, and a big webinar is not average).
    """

    name: str
    columns: tuple[str, ...]
    extract: Extract
    sorts: dict[str, str]
    filters: dict[str, str]
    time_column: str | None = None
    search_code: int | None = None
    text_index: str | None = None
    text_order: tuple[str, str] | None = None
    related: dict[str, str] = field(default_factory=dict)
    encode: Callable[[Any], str] = encode
    search_sql: str = "{t}search"
    time_value: Callable[[datetime], Any] = iso
    scoped: str = "{t}scope = ?"
    base: tuple[str, ...] = ("scope", "provider", "profile", "fetched_at", "key", "search", "data")
    tested_in_sort: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def in_scope(self, alias: str = "", *, plus: bool = False) -> str:
        """The condition selecting one scope's rows (one parameter, the scope id);
        `plus` keeps the planner off its index ("+scope": the rows are found by id)."""
        return ("+" if plus else "") + self.scoped.format(t=f"{alias}." if alias else "")

    def search(self, alias: str = "t") -> str:
        """The row's search text as SQL over the table aliased `alias` ("": no alias)."""
        return self.search_sql.format(t=f"{alias}." if alias else "")

    def index(self, where: str) -> str:
        """SQL that adds the rows `where` selects to the search index."""
        return (
            f"INSERT INTO search_index (rowid, text) SELECT id * 8 + {self.search_code}, "
            f"{self.search('')} FROM {self.name} WHERE {where}"
        )

    def unindex(self, where: str) -> str:
        """SQL that takes the rows `where` selects out of the search index, before they
        are deleted. The index keeps no copy of the text: it is given the text it was
        given for the row, which the row still holds."""
        return (
            "INSERT INTO search_index (search_index, rowid, text) SELECT 'delete', "
            f"id * 8 + {self.search_code}, {self.search('')} FROM {self.name} WHERE {where}"
        )


def _text(*parts: str | None) -> str:
    return fold(" ".join(p for p in parts if p))


def _organizer(o: Organizer) -> tuple[Any, ...]:
    return (
        _text(o.name, o.email, o.group_name),
        fold(o.email),
        sort_key(o.name or o.email),
        o.group_key,
    )


def _group(g: Group) -> tuple[Any, ...]:
    return (_text(g.name, g.parent_name, g.key), sort_key(g.name), g.parent_key)


def _meeting(m: Meeting) -> tuple[Any, ...]:
    who = m.organizer_name or m.organizer_email or ""
    return (
        _text(m.subject, m.organizer_name, m.organizer_email, m.key),
        m.kind.value,
        iso(m.start) or "",
        sort_key(m.subject),
        m.organizer_key,
        sort_key(who),
        int(m.live),
    )


def _event(e: Training | Webinar) -> tuple[Any, ...]:
    if isinstance(e, Training):
        who = ", ".join(e.organizer_names)
        return (
            _text(e.name, who, e.key),
            "training",
            iso(e.start) or "",
            sort_key(e.name),
            e.organizer_keys[0] if e.organizer_keys else None,
            fold(who),
        )
    return (
        _text(e.topic, e.host_email, e.key),
        "webinar",
        iso(e.start) or "",
        sort_key(e.topic),
        e.host_key,
        fold(e.host_email or ""),
    )


def _registrant(r: Registrant) -> tuple[Any, ...]:
    # Each folded once: fold(a + " " + b) is fold(a) + " " + fold(b) (a space joins
    # nothing in either normal form and keeps no mark).
    who = r.name
    full, email = fold(who), fold(r.email)
    search = f"{full} {email}" if who and r.email else full if who else email
    name = from_letter(full if who else email)
    return (
        # Most rows' search text is their sort name and e-mail: it is stored only when
        # it is not (see REGISTRANT_SEARCH).
        None if search == f"{name} {email}" else search,
        r.event_key,
        # Text enums: each is its value (str), which SQLite stores as it is.
        r.event_kind,
        r.status,
        name,
        email,
        micros(r.registered_at),
        more_of(r),
    )


def _recording(r: Recording) -> tuple[Any, ...]:
    # The name, its file name as a download saves it ("Board call (Audio).m4a"), and
    # the meeting's topic or training's name.
    ext = (r.file_extension or "").lower()
    file_name = f"{r.name}.{ext}" if ext and not r.name.lower().endswith(f".{ext}") else None
    return (
        _text(r.name, file_name, r.event_title, r.file_type),
        r.event_key,
        iso(r.start) or "",
        sort_key(r.name),
        r.file_size or 0,
    )


def _support(s: SupportSession) -> tuple[Any, ...]:
    return (
        _text(s.support_key, s.technician_email, s.notes, s.status, s.key),
        s.status,
        iso(s.created) or "",
        fold(s.technician_email or ""),
    )


def _training_session(s: TrainingSession) -> tuple[Any, ...]:
    return (_text(s.training_name), s.training_key, iso(s.start) or "")


def _attendee(a: Attendee) -> tuple[Any, ...]:
    return (_text(a.name, a.email), a.event_key, iso(a.join_time) or "")


ORGANIZERS = TableSpec(
    "organizers",
    ("email", "sort_name", "group_key"),
    _organizer,
    sorts={"name": "sort_name", "email": "email", "provider": "provider,sort_name"},
    filters={"provider": "provider", "group_key": "group_key"},
    search_code=1,
)
GROUPS = TableSpec(
    "organizer_groups",
    ("sort_name", "parent_key"),
    _group,
    sorts={"name": "sort_name", "provider": "provider"},
    filters={"provider": "provider"},
    search_code=7,
)
#: Meetings whose organizer is in the group (the `?`).
_OF_GROUP = "t.organizer_key IN (SELECT o.key FROM organizers o WHERE o.group_key = ?)"
MEETINGS = TableSpec(
    "meetings",
    ("kind", "start", "sort_subject", "organizer_key", "sort_organizer", "live"),
    _meeting,
    sorts={
        "start": "start",
        "subject": "sort_subject",
        "organizer": "sort_organizer",
        "provider": "provider,start",
    },
    filters={
        "provider": "provider",
        "kind": "kind",
        "organizer_key": "organizer_key",
        "live": "live",
    },
    time_column="start",
    search_code=2,
    related={"group_key": _OF_GROUP},
)
EVENTS = TableSpec(
    "events",
    ("kind", "start", "sort_title", "organizer_key", "sort_organizer"),
    _event,
    sorts={
        "start": "start",
        "title": "sort_title",
        "organizer": "sort_organizer",
        "provider": "provider,start",
        "kind": "kind,start",
        "pending": "pending",
    },
    filters={"provider": "provider", "organizer_key": "organizer_key"},
    time_column="start",
    search_code=3,
)
REGISTRANTS = TableSpec(
    "registrants",
    ("event_key", "event_kind", "status", "sort_name", "email", "registered_at", "more"),
    _registrant,
    sorts={
        "name": "sort_name",
        "email": "email",
        "registered": "registered_at",
        "status": "status,sort_name",
    },
    filters={"provider": "provider", "event_key": "event_key", "status": "status"},
    time_column="registered_at",
    search_code=4,
    text_index="registrants_filter",
    text_order=("event_key", "name"),
    encode=data_of,
    search_sql=REGISTRANT_SEARCH,
    time_value=micros,
    scoped="{t}sid = (SELECT id FROM registrant_scopes WHERE scope = ?)",
    base=("sid", "provider", "key", "search", "data"),
    # Schema 14: the e-mail and registration time indexes end with the status.
    tested_in_sort={"email": ("status",), "registered": ("status",)},
)
RECORDINGS = TableSpec(
    "recordings",
    ("event_key", "start", "sort_name", "file_size"),
    _recording,
    sorts={
        "start": "start",
        "name": "sort_name",
        "size": "file_size",
        "provider": "provider,start",
    },
    filters={"provider": "provider", "event_key": "event_key"},
    time_column="start",
    search_code=5,
)
SUPPORT_SESSIONS = TableSpec(
    "support_sessions",
    ("status", "created", "sort_technician"),
    _support,
    sorts={"created": "created", "status": "status,created", "technician": "sort_technician"},
    filters={"provider": "provider"},
    time_column="created",
    search_code=6,
)
TRAINING_SESSIONS = TableSpec(
    "training_sessions",
    ("training_key", "start"),
    _training_session,
    sorts={"start": "start"},
    filters={"event_key": "training_key"},
    time_column="start",
)
ATTENDEES = TableSpec(
    "attendees",
    ("event_key", "join_time"),
    _attendee,
    sorts={"join": "join_time"},
    filters={"event_key": "event_key"},
)

#: Which table a model type is stored in.
TABLE_OF: dict[type[Any], TableSpec] = {
    Organizer: ORGANIZERS,
    Meeting: MEETINGS,
    Training: EVENTS,
    Webinar: EVENTS,
    Registrant: REGISTRANTS,
    Recording: RECORDINGS,
    SupportSession: SUPPORT_SESSIONS,
    TrainingSession: TRAINING_SESSIONS,
    Attendee: ATTENDEES,
    Group: GROUPS,
}

ALL_TABLES: tuple[TableSpec, ...] = (
    ORGANIZERS,
    GROUPS,
    MEETINGS,
    EVENTS,
    REGISTRANTS,
    RECORDINGS,
    SUPPORT_SESSIONS,
    TRAINING_SESSIONS,
    ATTENDEES,
)
