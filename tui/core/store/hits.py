"""What a search hit shows of each kind, read from its row's stored JSON in SQL.

`tui.core.store.fts` finds the rows; this module says which JSON fields of each kind
it selects (`HIT_FIELDS`, extracted with json_extract so that `meetdeck lookup` need
not import json) and builds the plain `SearchRow` a hit is made of (`to_row`): a
person's name and e-mail, a meeting's subject, when and who, a group's name and
parent. Like fts, it imports no domain model, json or typing at run time.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, TypeAlias

    SearchKind: TypeAlias = Literal[
        "registrant",
        "organizer",
        "meeting",
        "training",
        "webinar",
        "recording",
        "support_session",
        "group",
    ]
else:
    SearchKind = str  # the Literal above, for the type checker only

SEARCH_KINDS: tuple[SearchKind, ...] = (
    "registrant",
    "organizer",
    "meeting",
    "training",
    "webinar",
    "recording",
    "support_session",
    "group",
)


def when(value: Any) -> str:
    """An ISO time as "YYYY-MM-DD HH:MM" (empty for none)."""
    text = str(value or "")
    return f"{text[:10]} {text[11:16]}".strip() if text else ""


class SearchRow:
    """One hit as plain values: what `lookup` prints and `SearchHit` is built from."""

    __slots__ = (
        "event_key",
        "event_title",
        "fetched_at",
        "key",
        "kind",
        "provider",
        "status",
        "subtitle",
        "title",
    )

    def __init__(
        self,
        kind: SearchKind,
        key: str,
        provider: str,
        title: str,
        subtitle: str,
        event_key: str | None,
        event_title: str | None,
        status: str | None,
        fetched_at: str,
    ) -> None:
        self.kind = kind
        self.key = key
        self.provider = provider
        self.title = title
        self.subtitle = subtitle
        self.event_key = event_key
        self.event_title = event_title
        self.status = status
        self.fetched_at = fetched_at

    def values(self) -> tuple[str | None, ...]:
        """The fields in their declared order."""
        return (
            self.kind,
            self.key,
            self.provider,
            self.title,
            self.subtitle,
            self.event_key,
            self.event_title,
            self.status,
            self.fetched_at,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchRow):
            return NotImplemented
        return self.values() == other.values()

    def __hash__(self) -> int:
        return hash(self.values())

    def __repr__(self) -> str:
        return f"SearchRow{self.values()!r}"


# What `to_row` reads of each kind's stored JSON (paths below `$`). They are extracted
# in SQL (json_extract), so that `meetdeck lookup` need not import json. A JSON null
# and a missing key both come back as no value, and `to_row` reads them alike: the
# fields it formats with a default are never null in the models.
HIT_FIELDS: dict[SearchKind, tuple[str, ...]] = {
    "registrant": (
        "key",
        "provider",
        "first_name",
        "last_name",
        "email",
        "event_key",
        "event_title",
        "status",
        "provider_status",
        "cancelled_here",
    ),
    "organizer": ("key", "provider", "first_name", "last_name", "email", "status"),
    "meeting": ("key", "provider", "organizer_name", "organizer_email", "start", "subject", "kind"),
    "training": ("key", "provider", "name", "times[0][0]"),
    "webinar": ("key", "provider", "topic", "start"),
    "recording": ("key", "provider", "name", "event_key", "event_title", "start", "status"),
    "support_session": (
        "key",
        "provider",
        "support_key",
        "notes",
        "technician_email",
        "created",
        "status",
    ),
    "group": ("key", "provider", "name", "parent_name", "status", "num_organizers"),
}


# Where a registrant's row keeps a field other than under its name in `data`: in a
# column, or under a short key (`tui.core.store.packing`).
_REGISTRANT_SQL = {
    "key": "t.key",
    "provider": "t.provider",
    "first_name": "json_extract(t.data, '$.f')",
    "last_name": "json_extract(t.data, '$.l')",
    "email": "coalesce(json_extract(t.data, '$.e'), t.email)",
    "event_key": "t.event_key",
    "event_title": "json_extract(t.data, '$.t')",
    "status": "t.status",
}


#: A registrant row's fetch time (aliased `t`): its scope's last successful sync, ''
#: when it has none (schema 12 keeps it once per scope).
REGISTRANT_FETCHED_AT = (
    "coalesce((SELECT s.fetched_at FROM registrant_scopes c JOIN sync_stamps s "
    "ON s.scope = c.scope WHERE c.id = t.sid), '')"
)


def picked(kind: SearchKind) -> str:
    """The SELECT list of a kind's hits, from an entity table aliased `t`."""
    where = _REGISTRANT_SQL if kind == "registrant" else {}
    columns = [where.get(path, f"json_extract(t.data, '$.{path}')") for path in HIT_FIELDS[kind]]
    fetched = REGISTRANT_FETCHED_AT if kind == "registrant" else "t.fetched_at"
    return ", ".join([*columns, fetched])


def to_rows(kind: SearchKind, rows: list[Any]) -> list[SearchRow]:
    """Hits from the rows a `_picked` SELECT returned."""
    fields = HIT_FIELDS[kind]
    return [
        to_row(
            kind,
            {f: v for f, v in zip(fields, values[:-1], strict=True) if v is not None},
            values[-1],
        )
        for values in rows
    ]


def registrant_status(data: dict[str, Any]) -> str | None:
    """A registrant's status as `Registrant.status_text` words it (the provider's own
    value when meetdeck does not know it)."""
    status = data.get("status")
    if status == "other":
        return str(data.get("provider_status") or "").strip() or "(none)"
    if status == "cancelled" and data.get("cancelled_here"):
        return "cancelled here"
    return None if status is None else str(status)


def to_row(kind: SearchKind, data: dict[str, Any], fetched_at: str) -> SearchRow:
    """A hit's display values from the `HIT_FIELDS` of its stored JSON."""
    key, provider = str(data.get("key", "")), str(data.get("provider", ""))
    if kind == "registrant":
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        email = str(data.get("email", ""))
        return SearchRow(
            kind,
            key,
            provider,
            name or email,
            email,
            data.get("event_key"),
            data.get("event_title"),
            registrant_status(data),
            fetched_at,
        )
    if kind == "organizer":
        name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        email = str(data.get("email", ""))
        return SearchRow(
            kind, key, provider, name or email, email, None, None, data.get("status"), fetched_at
        )
    if kind == "meeting":
        who = data.get("organizer_name") or data.get("organizer_email") or ""
        subtitle = " · ".join(p for p in (when(data.get("start")), who) if p)
        return SearchRow(
            kind,
            key,
            provider,
            str(data.get("subject", "")),
            subtitle,
            None,
            None,
            data.get("kind"),
            fetched_at,
        )
    if kind == "training":
        start = when(data.get("times[0][0]"))  # the first session's start
        return SearchRow(
            kind, key, provider, str(data.get("name", "")), start, None, None, None, fetched_at
        )
    if kind == "recording":
        # The file's name, when it was recorded, and the meeting or training it is of.
        event_title = data.get("event_title")
        return SearchRow(
            kind,
            key,
            provider,
            str(data.get("name", "")),
            when(data.get("start")),
            data.get("event_key") or None,
            event_title,
            data.get("status"),
            fetched_at,
        )
    if kind == "support_session":
        # The support key and the notes' first line; the technician and when.
        notes = str(data.get("notes", "")).strip().splitlines()
        title = " \u00b7 ".join(p for p in (str(data.get("support_key", "")), *notes[:1]) if p)
        who = data.get("technician_email") or ""
        subtitle = " \u00b7 ".join(p for p in (when(data.get("created")), who) if p)
        return SearchRow(
            kind, key, provider, title, subtitle, None, None, data.get("status"), fetched_at
        )
    if kind == "group":
        # The group's name; its parent and how many organizers it has.
        count = data.get("num_organizers")
        size = None if count is None else f"{count} organizer{'' if count == 1 else 's'}"
        subtitle = " \u00b7 ".join(str(p) for p in (data.get("parent_name"), size) if p)
        return SearchRow(
            kind,
            key,
            provider,
            str(data.get("name", "")),
            subtitle,
            None,
            None,
            data.get("status"),
            fetched_at,
        )
    return SearchRow(
        kind,
        key,
        provider,
        str(data.get("topic", "")),
        when(data.get("start")),
        None,
        None,
        None,
        fetched_at,
    )
