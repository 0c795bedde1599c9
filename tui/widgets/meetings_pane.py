"""The Meetings tab: upcoming or past meetings of a date window; Enter shows attendees.

`h` switches between upcoming and past, `w` cycles the window's length and `W` asks
for dates of one's own; a past window reaching before the GoTo Meeting history the
cache holds asks the screen to fetch the missing part. `n`, `c` and `X` create, change
and delete a meeting (the screen opens their forms), `s` fetches a host start link.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message

from tui.core.models import Meeting, MeetingKind, Provider
from tui.core.sync.types import ScopeKind
from tui.widgets import columns
from tui.widgets.pane import EntityPane
from tui.widgets.pane_keys import START_LINK

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi, ViewQuery
    from tui.core.deck.types import ListView

#: The window lengths `w` cycles through, in days.
WINDOWS = (7, 30, 90, 180)


class MeetingsPane(EntityPane[Meeting]):
    """Upcoming or historical meetings in a date window; Enter shows attendees."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "toggle_kind", "Upcoming/Past", id="upcoming-historical"),
        Binding("w", "cycle_window", "Window", id="window"),
        Binding("W", "custom_window", "Custom window", show=False, id="custom-window"),
        START_LINK,
        Binding("n", "meeting_write('create_meeting')", "New meeting", id="new-meeting"),
        Binding(
            "c",
            "meeting_write('update_meeting')",
            "Change",
            show=False,
            id="change-meeting",
            tooltip="Change the highlighted upcoming meeting",
        ),
        Binding(
            "X",
            "meeting_write('delete_meeting')",
            "Delete",
            show=False,
            id="delete-meeting",
            tooltip="Delete the highlighted upcoming meeting (its subject or ID is typed)",
        ),
    ]

    TITLE = "Meetings"
    KIND = "meetings"
    KIND_ONE = "meeting"
    COLUMNS = columns.MEETINGS
    START_URLS = True
    WRITE_ACTIONS = frozenset({"meeting_write"})

    def action_meeting_write(self, kind: str) -> None:
        row = self.table.cursor_value  # a new meeting goes where the highlighted one is
        if kind != "create_meeting" and row is None:
            self.app.notify("Highlight a meeting first.", markup=False, timeout=4)
            return
        what = {"create_meeting": "New meeting", "update_meeting": "Change"}.get(kind, "Delete")
        self.request_event_write(kind, row, what)

    class CustomWindowRequested(Message):
        """`W`: the person wants to choose the window's dates (the screen asks them,
        then calls `use_custom_window`)."""

        def __init__(self, pane: MeetingsPane) -> None:
            super().__init__()
            self.pane = pane

    class HistoryWanted(Message):
        """The past window shown reaches before the history the cache holds: the
        screen fetches the missing part (`since` onwards)."""

        def __init__(self, pane: MeetingsPane, since: datetime) -> None:
            super().__init__()
            self.pane = pane
            self.since = since

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meeting_kind = MeetingKind.UPCOMING
        self.window_days: int | None = 30
        self.custom_window: tuple[datetime, datetime] | None = None

    def refresh_kinds(self) -> tuple[ScopeKind, ...]:
        if self.meeting_kind is MeetingKind.HISTORICAL:
            return (ScopeKind.HISTORICAL,)
        return (ScopeKind.MEETINGS,)

    def refresh_since(self) -> datetime | None:
        if self.meeting_kind is MeetingKind.HISTORICAL:
            return self.window()[0]
        return None

    def history_from(self) -> datetime | None:
        """Where the GoTo Meeting history the cache holds starts (None: none held)."""
        for health in self.host.deck.health():
            if health.provider is Provider.GOTO_MEETING and health.configured:
                return health.history_from
        return None

    def _want_history(self) -> None:
        """Ask for the part of a past window the cache does not hold yet."""
        if self.meeting_kind is not MeetingKind.HISTORICAL:
            return
        since = self.window()[0]
        held = self.history_from()
        if held is not None and since < held:
            self.post_message(self.HistoryWanted(self, since))

    def window(self) -> tuple[datetime, datetime]:
        """The (since, until) the table shows."""
        if self.custom_window is not None:
            return self.custom_window
        now = self.host.clock()
        span = timedelta(days=self.window_days or 30)
        if self.meeting_kind is MeetingKind.HISTORICAL:
            return now - span, now
        return now, now + span

    def build_query(self) -> ViewQuery:
        since, until = self.window()
        return self.with_scope_fields(
            super().build_query(), kind=self.meeting_kind, since=since, until=until
        )

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[Meeting]:
        return deck.meetings(query)

    def detail_of(self, row: Meeting) -> object:
        return self.host.deck.detail("meeting", row.key, provider=row.provider)

    def can_drill(self, row: Meeting) -> bool:
        return True

    def start_target(self, row: Meeting) -> tuple[str, str, Provider, str] | None:
        return ("meeting", row.key, row.provider, row.subject or f"meeting {row.key}")

    def mode_text(self) -> str:
        label = "Upcoming" if self.meeting_kind is MeetingKind.UPCOMING else "Historical"
        if self.custom_window is not None:
            since, until = self.custom_window
            fmt = self.host.time_format
            return f"{label}, {fmt.short(since)[:10]} to {fmt.short(until)[:10]}{self._held_text()}"
        direction = "next" if self.meeting_kind is MeetingKind.UPCOMING else "last"
        return f"{label}, {direction} {self.window_days} days{self._held_text()}"

    def _held_text(self) -> str:
        """For a past window reaching before the cached history: from when it is held."""
        if self.meeting_kind is not MeetingKind.HISTORICAL:
            return ""
        held = self.history_from()
        if held is None or held <= self.window()[0]:
            return ""
        return f" (GoTo history cached from {self.host.time_format.short(held)[:10]})"

    def action_toggle_kind(self) -> None:
        historical = self.meeting_kind is MeetingKind.UPCOMING
        self.meeting_kind = MeetingKind.HISTORICAL if historical else MeetingKind.UPCOMING
        self.load(keep_cursor=False)
        self._want_history()

    def action_cycle_window(self) -> None:
        current = self.window_days if self.custom_window is None else None
        index = WINDOWS.index(current) + 1 if current in WINDOWS else 0
        self.window_days = WINDOWS[index % len(WINDOWS)]
        self.custom_window = None
        self.load()
        self._want_history()

    def action_custom_window(self) -> None:
        self.post_message(self.CustomWindowRequested(self))

    def use_custom_window(self, window: tuple[datetime, datetime]) -> None:
        """Show the meetings of a window the person chose."""
        self.custom_window = window
        self.load()
        self._want_history()
