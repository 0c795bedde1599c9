"""The columns of each pane's table.

Priorities decide what survives a narrow terminal: 0 stays longest. Cell text goes
through `tui.text.clean` in the table itself, so these functions return raw values.
A column reads its row's fields by name (`_attr("email")`), or through the small
Protocol of what it needs (`Person`, `Meeting`, `Recording`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from tui.core.display.sizes import size
from tui.widgets.formatting import TimeFormat, duration
from tui.widgets.virtual_table import Column

_SHORT_PROVIDER = {
    "goto_meeting": "Meeting",
    "goto_training": "Training",
    "goto_assist": "Assist",
    "zoom": "Zoom",
}


if TYPE_CHECKING:
    from tui.core.models import Group, Meeting, Recording
    from tui.widgets.pane_types import Row

CellText = Callable[[object, TimeFormat], str]
"""A cell's text from any row (a field read by name)."""


class Person(Protocol):
    """A row that names a person (an organizer, a registrant)."""

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...


def short_provider(value: object) -> str:
    """A provider's short label for narrow columns and the header."""
    return _SHORT_PROVIDER.get(str(value), str(value))


def _attr(name: str) -> CellText:
    def get(row: object, _fmt: TimeFormat) -> str:
        value = getattr(row, name, None)
        return "" if value is None else str(value)

    return get


def _time(name: str) -> CellText:
    def get(row: object, fmt: TimeFormat) -> str:
        return fmt.short(getattr(row, name, None))

    return get


def _provider(row: Row, _fmt: TimeFormat) -> str:
    return short_provider(row.provider)


def _person(row: Person, _fmt: TimeFormat) -> str:
    return str(row.name or row.email)


def _organizer_of_meeting(row: Meeting, _fmt: TimeFormat) -> str:
    return str(row.organizer_name or row.organizer_email or "")


def _meeting_start(row: Meeting, fmt: TimeFormat) -> str:
    """The start, or for a meeting going on now "● LIVE" and the time it began."""
    if row.live:
        return f"\u25cf LIVE {fmt.clock(row.start)}"
    return fmt.short(row.start)


def _group_parent(row: Group, _fmt: TimeFormat) -> str:
    """The parent group's name ("" for a top-level group; its key when not cached)."""
    if row.top_level:
        return ""
    return str(row.parent_name or row.parent_key or "")


def _meeting_duration(row: Meeting, _fmt: TimeFormat) -> str:
    return duration(row.duration_minutes)


def _count(name: str) -> CellText:
    def get(row: object, _fmt: TimeFormat) -> str:
        value = getattr(row, name, None)
        return "-" if value is None else str(value)

    return get


def _file_size(row: Recording, _fmt: TimeFormat) -> str:
    """The size; "processing" while the service makes the file; a dash when the
    service gives none (the detail says why: `Recording.no_size_reason`)."""
    if row.processing:
        return "processing"
    return "\u2014" if row.file_size is None else size(row.file_size)


def _yes_no(name: str) -> CellText:
    def get(row: object, _fmt: TimeFormat) -> str:
        value = getattr(row, name, None)
        return "" if value is None else ("yes" if value else "no")

    return get


ORGANIZERS = [
    Column("name", "Name", _person, width=24, min_width=12, grow=2, priority=0),
    Column("email", "Email", _attr("email"), width=28, min_width=14, grow=2, priority=1),
    Column("provider", "Provider", _provider, width=8, min_width=7, priority=2),
    Column("group", "Group", _attr("group_name"), width=16, min_width=8, grow=1, priority=5),
    Column("status", "Status", _attr("status"), width=9, min_width=7, priority=4),
    Column("key", "ID", _attr("key"), width=14, min_width=8, priority=6),
]

GROUPS = [
    Column("name", "Name", _attr("name"), width=24, min_width=12, grow=2, priority=0),
    Column("parent", "Parent", _group_parent, width=20, min_width=10, grow=1, priority=2),
    Column("status", "Status", _attr("status"), width=9, min_width=7, priority=1),
    Column(
        "organizers",
        "Organizers",
        _count("num_organizers"),
        width=10,
        min_width=5,
        priority=1,
        align="right",
    ),
    Column("key", "ID", _attr("key"), width=14, min_width=8, priority=6),
]

MEETINGS = [
    Column("start", "Start", _meeting_start, width=16, min_width=16, priority=0),
    Column("subject", "Subject", _attr("subject"), width=30, min_width=14, grow=3, priority=0),
    Column(
        "organizer", "Organizer", _organizer_of_meeting, width=20, min_width=10, grow=1, priority=2
    ),
    Column("provider", "Provider", _provider, width=8, min_width=7, priority=1),
    Column(
        "attendees",
        "Att.",
        _count("num_attendees"),
        width=4,
        min_width=4,
        priority=5,
        align="right",
    ),
    Column(
        "duration", "Length", _meeting_duration, width=7, min_width=6, priority=6, align="right"
    ),
    Column("key", "ID", _attr("key"), width=12, min_width=8, priority=7),
]

EVENTS = [
    Column("start", "Start", _time("start"), width=16, min_width=16, priority=0),
    Column("title", "Title", _attr("title"), width=30, min_width=14, grow=3, priority=0),
    Column("provider", "Provider", _provider, width=8, min_width=7, priority=1),
    Column("kind", "Kind", _attr("kind"), width=8, min_width=7, priority=3),
    Column(
        "organizer", "Organizer", _attr("organizer"), width=20, min_width=10, grow=1, priority=4
    ),
    Column(
        "registrants",
        "Reg.",
        _count("registrants"),
        width=6,
        min_width=5,
        priority=2,
        align="right",
    ),
    Column("pending", "Pend.", _count("pending"), width=5, min_width=5, priority=2, align="right"),
    Column("key", "ID", _attr("key"), width=12, min_width=8, priority=7),
]

# Name, email, status and event fit the table beside the detail panel at 120 columns
# (63 cells): their preferred widths stay within the 20% that `layout_columns`
# squeezes before it drops a column; a name of 18 cells and every status stay whole.
REGISTRANTS = [
    Column("name", "Name", _person, width=22, min_width=18, grow=2, priority=0),
    Column("email", "Email", _attr("email"), width=24, min_width=14, grow=2, priority=1),
    Column("status", "Status", _attr("status_text"), width=12, min_width=12, priority=0),
    Column("registered", "Registered", _time("registered_at"), width=16, min_width=16, priority=4),
    Column("event", "Event", _attr("event_title"), width=14, min_width=10, grow=1, priority=2),
    Column("provider", "Provider", _provider, width=8, min_width=7, priority=5),
    Column("key", "ID", _attr("key"), width=12, min_width=8, priority=7),
]

RECORDINGS = [
    Column("start", "Start", _time("start"), width=16, min_width=16, priority=0),
    Column("name", "Name", _attr("name"), width=28, min_width=12, grow=3, priority=0),
    Column("event", "Event", _attr("event_title"), width=22, min_width=10, grow=1, priority=3),
    Column("provider", "Provider", _provider, width=8, min_width=7, priority=2),
    Column("size", "Size", _file_size, width=10, min_width=8, priority=1, align="right"),
    Column("type", "Type", _attr("file_extension"), width=5, min_width=4, priority=5),
    Column("key", "ID", _attr("key"), width=12, min_width=8, priority=7),
]

SUPPORT = [
    Column("created", "Created", _time("created"), width=16, min_width=16, priority=0),
    Column("status", "Status", _attr("status"), width=10, min_width=8, priority=0),
    Column(
        "technician",
        "Technician",
        _attr("technician_email"),
        width=26,
        min_width=12,
        grow=2,
        priority=1,
    ),
    Column("support_key", "Support key", _attr("support_key"), width=11, min_width=9, priority=2),
    Column("notes", "Notes", _attr("notes"), width=24, min_width=10, grow=2, priority=4),
    Column("recorded", "Rec.", _yes_no("recorded"), width=4, min_width=4, priority=5),
    Column("key", "ID", _attr("key"), width=12, min_width=8, priority=6),
]

ATTENDEES = [
    Column("name", "Name", _attr("name"), width=24, min_width=12, grow=2, priority=0),
    Column("email", "Email", _attr("email"), width=26, min_width=12, grow=2, priority=1),
    Column("join", "Joined", _time("join_time"), width=16, min_width=16, priority=2),
    Column("leave", "Left", _time("leave_time"), width=16, min_width=16, priority=3),
]
