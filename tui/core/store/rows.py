"""How a list's rows are read: the columns selected beside each row's `data`, and the
decoder that makes the record of them.

A row's full model is JSON in `data` (`codec`); some lists add what the row's own
listing lacked from another cached table: an event's registrant counts, a Zoom
meeting's host as the cached users know them, a recording's event title.
"""

# SQL here is assembled from this package's own table and column names only.

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tui.core.models import (
    EventKind,
    Meeting,
    Organizer,
    Recording,
    RegistrantStatus,
    Training,
    Webinar,
)
from tui.core.store import tables
from tui.core.store.clauses import sort_terms
from tui.core.store.codec import decode
from tui.core.store.views import Event

EVENT_SELECT = "t.data, t.kind, " + ", ".join(f"c.{s.value}" for s in RegistrantStatus)
ALL_COUNTS = " + ".join(s.value for s in RegistrantStatus)
EVENT_JOIN = "LEFT JOIN event_counts c ON c.provider = t.provider AND c.event_key = t.key"


def event_row(row: tuple[Any, ...]) -> Event:
    data, kind, pending, *others = row
    source: Training | Webinar
    if kind == "training":
        source = decode(Training, data)
        title, organizer = source.name, ", ".join(source.organizer_names)
        org_key = source.organizer_keys[0] if source.organizer_keys else None
        start, tz, event_kind = source.start, source.timezone, EventKind.TRAINING
    else:
        source = decode(Webinar, data)
        title, organizer, org_key = source.topic, source.host_email or "", source.host_key
        start, tz, event_kind = source.start, source.timezone, EventKind.WEBINAR
    total = None if pending is None else int(pending) + sum(int(n) for n in others)
    return Event(
        source.provider,
        source.key,
        event_kind,
        title,
        start,
        organizer,
        org_key,
        tz,
        total,
        None if pending is None else int(pending),
        source,
    )


def model_row(cls: type[Any]) -> Any:
    return lambda row: decode(cls, row[0])


# A meeting's organizer as the cached users know them: Zoom lists a meeting with its
# host's id only, and the user with that id is in the organizers table.
_HOST = (
    "(SELECT o.data FROM organizers o WHERE o.key = t.organizer_key "
    "AND o.provider = t.provider ORDER BY o.fetched_at DESC LIMIT 1)"
)
MEETING_SELECT = f"t.data, CASE WHEN t.sort_organizer = '' THEN {_HOST} END"
MEETING_SORTS: dict[str, tuple[str, ...]] = {
    name: (
        (
            "coalesce(nullif(t.sort_organizer, ''), "
            "(SELECT o.sort_name FROM organizers o WHERE o.key = t.organizer_key "
            "AND o.provider = t.provider ORDER BY o.fetched_at DESC LIMIT 1), '')",
        )
        if name == "organizer"
        else sort_terms(column)
    )
    for name, column in tables.MEETINGS.sorts.items()
}


def meeting_row(row: tuple[Any, ...]) -> Meeting:
    """A meeting, its organizer's name and e-mail taken from the cached user when the
    listing gave only the host's id."""
    meeting = decode(Meeting, row[0])
    if row[1] is None or meeting.organizer_name:
        return meeting
    host = decode(Organizer, row[1])
    return replace(
        meeting,
        organizer_name=host.name or None,
        organizer_email=meeting.organizer_email or host.email or None,
    )


# A recording's meeting or training title from the cached event, when its listing
# gave none (GoTo Training's recordings come with the training's key only).
_EVENT_TITLE = (
    "(SELECT coalesce(json_extract(e.data, '$.name'), json_extract(e.data, '$.topic')) "
    "FROM events e WHERE e.key = t.event_key AND e.provider = t.provider LIMIT 1)"
)
RECORDING_SELECT = (
    f"t.data, CASE WHEN json_extract(t.data, '$.event_title') IS NULL THEN {_EVENT_TITLE} END"
)


def recording_row(row: tuple[Any, ...]) -> Recording:
    recording = decode(Recording, row[0])
    if row[1] is None or recording.event_title:
        return recording
    return replace(recording, event_title=str(row[1]))


__all__ = [
    "ALL_COUNTS",
    "EVENT_JOIN",
    "EVENT_SELECT",
    "MEETING_SELECT",
    "MEETING_SORTS",
    "RECORDING_SELECT",
    "event_row",
    "meeting_row",
    "model_row",
    "recording_row",
]
