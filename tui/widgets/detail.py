"""The detail panel: every field of the highlighted row and what belongs to it.

Values are API data and go through `tui.text` (never markup). The Deck's detail
objects add related rows: attendees of a past meeting, sessions and attendance of a
training, custom questions of a Zoom registrant, an organizer's meetings and events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime, tzinfo
from enum import Enum
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from tui.core.display.links import masked_link
from tui.core.display.sizes import size
from tui.core.models import LIST_LAG, Recording
from tui.text import clean
from tui.widgets.formatting import TimeFormat, duration
from tui.widgets.scrollbar import scrollbar_cells

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from tui.core.models import Attendee, Registrant

# Fields that are shown elsewhere in the panel or are internal.
_SKIP = {"source", "custom_questions", "extra", "times", "first_name", "last_name"}
_LABELS = {
    "key": "ID",
    "join_url": "Join URL",
    "registration_url": "Registration URL",
    "play_url": "Play URL",
    "share_url": "Share URL",
    "download_url": "Download URL",
    "file_size": "Size",
    "duration_minutes": "Duration",
    "num_attendees": "Attendees",
    "num_organizers": "Organizers",
}
MAX_RELATED = 200


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def _value(name: str, value: object, fmt: TimeFormat) -> str:
    if isinstance(value, datetime):
        return fmt.full(value)
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "duration_minutes" and isinstance(value, int):
        return duration(value)
    if name == "file_size" and isinstance(value, int):
        return size(value)
    if isinstance(value, tuple | list):
        return ", ".join(clean(v) for v in value)
    if name.endswith("_url") and isinstance(value, str):
        return clean(masked_link(value))
    return clean(value)


class DetailBuilder:
    """Collects labelled lines into one Content."""

    def __init__(self, fmt: TimeFormat) -> None:
        self.fmt = fmt
        self.parts: list[str | tuple[str, str]] = []

    def title(self, text: object) -> None:
        self.parts.append((clean(text) or "(untitled)", "bold $accent"))
        self.parts.append("\n")

    def heading(self, text: str) -> None:
        self.parts.append(("\n" + text, "bold"))
        self.parts.append("\n")

    def field(self, label: str, value: str) -> None:
        if value == "":
            return
        self.parts.append((f"{label}: ", "$text-muted"))
        self.parts.append(clean(value))
        self.parts.append("\n")

    def item(self, text: str, muted: str = "") -> None:
        self.parts.append("  " + clean(text))
        if muted:
            self.parts.append(("  " + clean(muted), "$text-muted"))
        self.parts.append("\n")

    def fields_of(
        self, obj: DataclassInstance | type[DataclassInstance], skip: Iterable[str] = ()
    ) -> None:
        """Every set field of a dataclass, in declaration order."""
        skipped = _SKIP | set(skip)
        for f in dataclasses.fields(obj):
            if f.name in skipped:
                continue
            value = getattr(obj, f.name)
            if value is None or value == "" or value == ():
                continue
            self.field(_label(f.name), _value(f.name, value, self.fmt))
        times = getattr(obj, "times", ())
        for start, end in times:
            self.field("Session", f"{self.fmt.short(start)} - {self.fmt.short(end)}")
        questions = getattr(obj, "custom_questions", ())
        if questions:
            self.heading("Custom questions")
            for question, answer in questions:
                self.field(clean(question), clean(answer))
        extra = getattr(obj, "extra", None) or {}
        if extra:
            self.heading("More")
            for key, value in sorted(extra.items()):
                self.field(clean(key), clean(value))

    def build(self) -> Content:
        return Content.assemble(*self.parts).rstrip()


def _title_of(obj: object) -> object:
    for name in ("title", "subject", "topic", "name"):
        value = getattr(obj, name, None)
        if value:
            return value
    return getattr(obj, "email", None) or getattr(obj, "key", "")


def _attendees(out: DetailBuilder, attendees: Iterable[Attendee], heading: str) -> None:
    people = list(attendees)
    out.heading(f"{heading} ({len(people)})")
    for person in people[:MAX_RELATED]:
        joined = out.fmt.short(person.join_time)
        out.item(person.name or person.email or "?", f"{person.email or ''} {joined}".strip())
    if len(people) > MAX_RELATED:
        out.item(f"... and {len(people) - MAX_RELATED} more")


def _recordings(out: DetailBuilder, recordings: Iterable[Recording]) -> None:
    items = list(recordings)
    if not items:
        return
    out.heading(f"Recordings ({len(items)})")
    for rec in items[:MAX_RELATED]:
        out.item(rec.name, f"{out.fmt.short(rec.start)} {size(rec.file_size)}".strip())


def cancelled_note(registrant: Registrant, fmt: TimeFormat) -> str:
    """Why a person shows as cancelled although the provider still lists them, e.g.
    "cancelled here at 14:02; GoTo may list them for up to 2 h" ("" for anyone else)."""
    at = registrant.cancelled_here
    lag = LIST_LAG.get(registrant.provider)
    if at is None or lag is None:
        return ""
    hours = lag.total_seconds() / 3600
    service = registrant.provider.label.split()[0]
    return f"cancelled here at {fmt.clock(at)}; {service} may list them for up to {hours:g} h"


def describe(obj: object, fmt: TimeFormat) -> Content:
    """The detail panel's text for a row or a Deck detail object."""
    # Loaded with the Deck by the time a row is shown; kept off the first frame's imports.
    from tui.core.deck.types import EventDetail, MeetingDetail, OrganizerDetail, RegistrantDetail

    out = DetailBuilder(fmt)
    if isinstance(obj, MeetingDetail):
        out.title(obj.meeting.subject)
        out.fields_of(obj.meeting, skip=() if obj.meeting.live else {"live"})
        if obj.attendees or obj.meeting.kind == "historical":
            _attendees(out, obj.attendees, "Attendees")
        _recordings(out, obj.recordings)
    elif isinstance(obj, EventDetail):
        event = obj.event
        out.title(event.title)
        out.fields_of(event, skip={"title"})
        out.fields_of(
            event.source,
            skip={
                "key",
                "provider",
                "name",
                "topic",
                "start",
                "timezone",
                "organizer_keys",
                "host_key",
            },
        )
        if obj.counts:
            out.heading("Registrants")
            for status, count in sorted(obj.counts.items(), key=lambda kv: str(kv[0])):
                out.field(str(status).capitalize(), str(count))
        if obj.sessions:
            out.heading(f"Sessions ({len(obj.sessions)})")
            for session in obj.sessions[:MAX_RELATED]:
                attended = obj.attendance.get(session.key, ())
                attendance = session.attendance_count
                shown = (
                    f"{attendance} attended"
                    if attendance is not None
                    else f"{len(attended)} attended"
                )
                out.item(fmt.short(session.start), shown)
                for person in attended[:20]:
                    out.item("  " + (person.name or person.email or "?"), person.email or "")
        _recordings(out, obj.recordings)
    elif isinstance(obj, RegistrantDetail):
        out.title(obj.registrant.name or obj.registrant.email)
        note = cancelled_note(obj.registrant, fmt)
        if note:
            out.field("Note", note)
        out.fields_of(obj.registrant, skip={"cancelled_here"})
        if obj.event is not None:
            out.heading("Event")
            out.field("Title", clean(obj.event.title))
            out.field("Start", fmt.full(obj.event.start))
    elif isinstance(obj, OrganizerDetail):
        out.title(obj.organizer.name or obj.organizer.email)
        out.fields_of(obj.organizer)
        if obj.meetings:
            out.heading(f"Meetings ({len(obj.meetings)})")
            for meeting in obj.meetings[:MAX_RELATED]:
                out.item(fmt.short(meeting.start), meeting.subject)
        if obj.events:
            out.heading(f"Trainings and webinars ({len(obj.events)})")
            for event in obj.events[:MAX_RELATED]:
                out.item(fmt.short(event.start), event.title)
    elif isinstance(obj, Recording):
        out.title(obj.name)
        out.fields_of(obj)
        reason = obj.no_size_reason
        if reason:
            out.field("Size", f"\u2014 ({reason})")
    elif dataclasses.is_dataclass(obj):
        out.title(_title_of(obj))
        out.fields_of(obj)
    else:
        out.item(clean(obj))
    return out.build()


class DetailPanel(Widget, can_focus=False):
    """Shows the highlighted row in full; the mouse wheel scrolls it when it is long.

    A line widget with its own scroll offset: showing another row repaints this panel
    alone and never changes the screen's layout (as a scrolling container with a
    Static inside would on every cursor move).
    """

    DEFAULT_CSS = """
    DetailPanel {
        padding: 0 1;
        background: $surface;
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: object = None
        self._zone: tuple[int, list[tuple[str, tzinfo | None]]] | None = None
        """The time zone `shown` was described in, and the zones to cycle through."""
        self._content = Content("")
        self._strips: tuple[Size, list[Strip]] | None = None
        self._top = 0
        self._bar: tuple[tuple[int, int, int], list[Strip]] | None = None

    def show(self, obj: object, fmt: TimeFormat) -> None:
        """Describe `obj` (a row or a Deck detail); None clears the panel. The row
        shown already (typing on in the filter keeps the first match highlighted) is
        not described and drawn again (4-12 ms a keystroke)."""
        zone = (fmt.index, list(fmt.choices))  # a copy: the format cycles in place
        if obj is not None and obj == self.shown and zone == self._zone:
            return
        self.shown, self._zone = obj, zone
        if obj is None:
            self._set(Content.assemble(("Nothing selected.", "$text-muted")))
        else:
            self._set(describe(obj, fmt))

    def clear(self) -> None:
        """Show nothing (until the next row is shown): an empty panel costs nothing to
        draw, so the frame that brings new rows is not held up by the old row's text."""
        self.shown = None
        self._set(Content(""))

    def message(self, text: str) -> None:
        """Show a note of our own (loading, an error) instead of a row."""
        self.shown = None
        self._set(Content.assemble((text, "$text-muted italic")))

    @property
    def text(self) -> str:
        """What the panel shows, as plain text (for tests and the copy-by-hand dialog)."""
        return self._content.plain

    def _set(self, content: Content) -> None:
        self._content = content
        self._strips = None
        self._top = 0
        self.refresh()

    def _lines(self) -> list[Strip]:
        """The content wrapped to the panel's width (a column less when a bar shows)."""
        size = self.content_size
        if self._strips is None or self._strips[0] != size:
            width, height = size
            style = self.visual_style
            strips = Visual.to_strips(self, self._content, width, None, style, pad=True)
            if len(strips) > height > 0 and width > 1:
                strips = Visual.to_strips(self, self._content, width - 1, None, style, pad=True)
            self._strips = (size, strips)
        return self._strips[1]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Empty (cleared for a drill-down's first frame, until the new row's detail),
        # every line is the same: one is styled (its side border, its padding) and
        # repeated, not each of them (~2 ms of that frame for 34 lines). Text, a top or
        # bottom edge (the narrow layout's) or a title: each line as usual.
        border, outline = self.styles.border, self.styles.outline
        if (
            self._content.cell_length
            or border.top[0]
            or border.bottom[0]
            or outline
            or self.border_title
            or self.border_subtitle
            or crop.height < 2
        ):
            return super().render_lines(crop)
        # The line past the (empty) text: blank cells of the panel's background.
        return super().render_lines(Region(crop.x, crop.y + 1, crop.width, 1)) * crop.height

    def render_line(self, y: int) -> Strip:
        width, height = self.content_size
        lines = self._lines()
        index = self._top + y
        base = self.visual_style.rich_style
        if len(lines) <= height:
            return lines[index] if index < len(lines) else Strip.blank(width, base)
        line = lines[index] if index < len(lines) else Strip.blank(width - 1, base)
        key = (self._top, len(lines), height)
        if self._bar is None or self._bar[0] != key:
            cells = scrollbar_cells(self, height, len(lines), self._top)
            self._bar = (key, [Strip([cell], 1) for cell in cells])
        return Strip.join([line, self._bar[1][y]])

    def _scroll(self, delta: int) -> None:
        height = self.content_size.height
        top = max(0, min(self._top + delta, len(self._lines()) - height))
        if top != self._top:
            self._top = top
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll(-3)

    def on_resize(self) -> None:
        # A tab shown again is "resized" to the size it had: the wrapped lines (kept
        # by size) and the scroll offset stay, and nothing is drawn again for it.
        if self._strips is not None and self._strips[0] != self.content_size:
            self._top = 0
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = None
        self._bar = None
