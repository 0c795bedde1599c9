"""The base of every tab: a status line, a `/` filter, a paged table and a detail panel.

A pane asks the Deck for a `ListView` built from its `ViewQuery` (filter text, scope
from a drill-down, pane-specific fields) and hands it to its `VirtualTable`. Reads are
synchronous and come from the cache; refreshes run elsewhere (the main screen's
workers) and end with `reload()`, which keeps the cursor on the same row by key.

What each tab declares is its `TabSpec` (tab_spec.py). The pane keeps the Textual
handlers and actions (Textual finds those only on the widget class) and hands each
concern to a helper it owns: the `/` filter (`PaneFilter`, pane_filter.py), the sort
(`PaneSort`, pane_sort.py), the keys and why a hidden write key does nothing
(pane_keys.py), event writes and start links (`PaneRequests`, pane_requests.py), and
the words of the status line (pane_status.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.core.errors import MeetdeckError
from tui.widgets import pane_requests
from tui.widgets.column_choice import ColumnsRequested, shown_sort, tab_of
from tui.widgets.detail import DetailPanel
from tui.widgets.filter_box import FilterBox
from tui.widgets.pane_filter import PaneFilter
from tui.widgets.pane_keys import PANE_BINDINGS, KeyActions, OpenKey, refuse_read_only
from tui.widgets.pane_requests import PaneRequests, StartUrlFetched, Write, WriteDone
from tui.widgets.pane_sort import PaneSort
from tui.widgets.pane_status import empty_text, status_line
from tui.widgets.pane_types import DeckHost, PaneScope, RowT, to_screen
from tui.widgets.safety_net import ForwardsWorkerState
from tui.widgets.tab_spec import TabSpec
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from tui.core.deck.api import ViewQuery
    from tui.core.deck.types import ListView

__all__ = ["DeckHost", "EntityPane", "PaneScope"]

DETAIL_DEBOUNCE = 0.05


class PaneBody(Horizontal):
    """The table and the detail panel side by side (stacked on narrow terminals)."""

    BLANK = True  # it draws nothing of its own: its children cover it


class EntityPane(ForwardsWorkerState, Vertical, TabSpec[RowT]):
    """One tab: a table over one entity (rows of type RowT), filterable, with a detail
    panel; what each tab declares is its `TabSpec` (tui/widgets/tab_spec.py)."""

    BLANK = True  # its children cover it: no line of its own to draw

    BINDINGS: ClassVar[list[BindingType]] = PANE_BINDINGS

    DEFAULT_CSS = """
    EntityPane {
        height: 1fr;
        & > .pane--status { height: 1; padding: 0 1; color: $text-muted; background: $panel; }
        & > Input#filter { display: none; height: 3; }
        & > Input#filter.-active { display: block; }
        & > PaneBody { height: 1fr; }
        & DetailPanel { width: 45%; border-left: vkey $foreground 20%; }
    }
    """

    class DrillRequested(Message):
        """Enter on a row that leads somewhere (an organizer's meetings, an event's
        registrants)."""

        def __init__(self, pane: EntityPane[Any], row: object) -> None:
            super().__init__()
            self.pane = pane
            self.row = row

    class BackRequested(Message):
        """Esc with nothing to clear: go back one drill-down level."""

    # Messages of the pane's requests (tui/widgets/pane_requests.py), named as its own.
    StartUrlFetched: TypeAlias = pane_requests.StartUrlFetched
    EventWriteRequested: TypeAlias = pane_requests.EventWriteRequested
    WriteDone: TypeAlias = pane_requests.WriteDone

    class ViewLoaded(Message):
        """The pane (re)read its rows: the header shows their age."""

        def __init__(self, pane: EntityPane[Any], count: int, fetched_at: datetime | None) -> None:
            super().__init__()
            self.pane = pane
            self.count = count
            self.fetched_at = fetched_at

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filter_text = ""
        self.sort: str | None = None
        """The sort asked for (None: the view's default); kept per tab by the app."""
        self.descending = False
        self.scope: PaneScope | None = None
        self.view: ListView[RowT] | None = None
        self.last_query: ViewQuery | None = None
        self.loaded = False
        self.syncing = False
        self.filter: PaneFilter[RowT] = PaneFilter(self)
        """The `/` filter's type-ahead and reader thread (tui/widgets/pane_filter.py)."""
        self.sorting: PaneSort[RowT] = PaneSort(self)
        """Stepping, reversing and saying the sort (tui/widgets/pane_sort.py)."""
        self.requests = PaneRequests(self)
        """Event writes and start links (tui/widgets/pane_requests.py)."""
        self.key_actions = KeyActions()
        """This pane's actions by key, after the keymap (tui/widgets/pane_keys.py)."""
        self.open_key = OpenKey()
        self._detail_timer: Timer | None = None

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    @property
    def table(self) -> VirtualTable[RowT]:
        table: VirtualTable[RowT] = self.query_one(VirtualTable)
        return table

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    def compose(self) -> ComposeResult:
        yield Static("", classes="pane--status", markup=False)
        with PaneBody():
            yield VirtualTable(
                self.COLUMNS,
                time_format=self.host.time_format,
                markable=self.MARKABLE,
                openable=self.OPENABLE,
                placeholder="Loading\u2026",
            )
            yield DetailPanel()

    # -- what a tab says (besides tui/widgets/tab_spec.py) ------------------------

    def build_query(self) -> ViewQuery:
        """The ViewQuery for the current filter and scope (subclasses add fields)."""
        # The Deck's module is loaded by the time a pane asks for rows (it opened the
        # Deck); importing it here keeps this module light for the first frame.
        from tui.core.deck.api import ViewQuery

        scope = self.scope
        # A sort by a column the person hid falls back to the default order.
        sort, descending = shown_sort(
            self.sort, self.descending, self.shown_columns(), self.visible_columns()
        )
        return ViewQuery(
            text=self.filter_text,
            sort=sort,
            descending=descending,
            organizer_key=scope.organizer_key if scope else None,
            group_key=scope.group_key if scope else None,
            event_key=scope.event_key if scope else None,
        )

    def columns_tab(self) -> str | None:
        """The id of the columns shown now in `[columns]` ("groups" in the groups view)."""
        return tab_of(self.visible_columns(), self.COLUMNS)

    def shown_columns(self) -> list[Column]:
        """`visible_columns()` less those the person hid (`C`, `[columns]`)."""
        return self.host.column_choices.shown(self.columns_tab(), self.visible_columns())

    def columns_changed(self) -> None:
        """The person changed which columns show: the table follows at once."""
        if self.loaded:
            self.load(keep_cursor=True)

    def action_choose_columns(self) -> None:
        if self.columns_tab() is not None:
            self.post_message(ColumnsRequested(self))

    def placeholder(self) -> str:
        """What the table says when it has no rows."""
        never_fetched = self.view is not None and self.view.fetched_at is None
        return empty_text(self.filter_text, syncing=self.syncing, never_fetched=never_fetched)

    # -- loading -----------------------------------------------------------------

    def load(self, *, keep_cursor: bool = True) -> None:
        """(Re)read the rows from the cache, keeping the cursor on the same row."""
        self.filter.stale()  # a filter still being read is now stale
        try:
            query = self.build_query()
            view = self.make_view(self.host.deck, query)
        except MeetdeckError as error:
            self.show_failure(error)
            return
        self.show_view(query, view, keep_cursor=keep_cursor)

    def show_view(
        self,
        query: ViewQuery,
        view: ListView[RowT],
        *,
        keep_cursor: bool,
        first_page: Sequence[RowT] | None = None,
        count: int | None = None,
    ) -> None:
        """Hand a view to the table (it counts the rows, once per view)."""
        columns = self.shown_columns()
        if columns != self.table.columns:
            self.table.columns = list(columns)
            self.table.clear_line_cache()
        try:
            self.last_query = query
            self.view = view
            self.table.placeholder = self.placeholder()
            self.table.set_source(view, keep_cursor=keep_cursor, first_page=first_page, count=count)
        except MeetdeckError as error:
            self.show_failure(error)
            return
        self.table.set_sort(view.sort or None, query.descending)
        count = self.table.row_count
        self.loaded = True
        self.update_status(count)
        to_screen(self, self.ViewLoaded(self, count, view.fetched_at))

    def show_failure(self, error: BaseException) -> None:
        """The rows could not be read: an empty table and the error's dialog."""
        self.view = None
        self.table.set_source(None)
        self.host.show_error(error)

    def show_count(self, count: int) -> None:
        """The full count of the rows shown arrived (a short filter counts after its
        first rows)."""
        self.table.set_row_count(count)
        self.update_status(count)
        fetched_at = self.view.fetched_at if self.view is not None else None
        to_screen(self, self.ViewLoaded(self, count, fetched_at))

    def ensure_loaded(self) -> None:
        """Load once, when the tab is first shown."""
        if not self.loaded:
            self.load(keep_cursor=False)

    def reload(self) -> None:
        """After a refresh: re-read, keeping the cursor; never moves focus."""
        if self.loaded:
            self.load(keep_cursor=True)

    def set_scope(self, scope: PaneScope | None) -> None:
        """Narrow to a drill-down scope (or widen again) and re-read."""
        self.scope = scope
        if self.is_mounted:
            # Rows first: the panel is filled for the new highlighted row a moment
            # later (`show_detail`), and never shows a row of the old scope meanwhile.
            self.detail.clear()
        if self.is_mounted and self.loaded:
            self.load(keep_cursor=False)

    def update_status(self, count: int | None = None) -> None:
        """Say on the status line what the table shows (tui/widgets/pane_status.py)."""
        line = status_line(
            self.table.row_count if count is None else count,
            counting=self.filter.counting,
            marks=self.table.mark_count,
            kinds=self.kind_words(),
            scope=self.scope.label if self.scope is not None else None,
            mode=self.mode_text(),
            filter_text=self.filter_text,
            sort=self.sorting.text(),
        )
        self.query_one(".pane--status", Static).update(line, layout=False)

    # -- the sort (tui/widgets/pane_sort.py) --------------------------------------

    def on_mount(self) -> None:
        self.sorting.restore()

    def action_sort(self, step: int) -> None:
        self.sorting.step(step)

    def action_reverse_sort(self) -> None:
        self.sorting.reverse()

    @on(VirtualTable.HeaderClicked)
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        event.stop()
        self.sorting.title_clicked(event.column)

    # -- the filter --------------------------------------------------------------

    @property
    def filter_box(self) -> Input | None:
        """The `/` input, once it has been opened."""
        boxes = self.query("#filter").results(Input)
        return next(boxes, None)

    async def mount_filter_box(self, box: FilterBox) -> None:
        """Mount the `/` box under the status line (on its first use)."""
        await self.mount(box, after=self.query_one(".pane--status"))

    async def action_start_filter(self) -> None:
        await self.filter.open()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.table:
            self.filter.typing_ahead = False

    def action_clear_filter(self) -> None:
        if not self.filter.clear():
            # Nothing to clear: Esc means "back" one level.
            self.post_message(self.BackRequested())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and self.host.deck.read_only:
            return False
        if action == "start_url":
            return self.START_URLS
        return True

    def on_key(self, event: events.Key) -> None:
        """Keys typed ahead of the filter box go into it; Enter opens the row (`OpenKey`);
        a write key whose binding is hidden (read-only, ...) says why it does nothing."""
        if self.filter.type_ahead(event) or self.app.focused is not self.table:
            return
        if (row := self.open_key.row(event, self.table, self.host.keymap)) is not None:
            self._row_selected(VirtualTable.RowSelected(self.table, self.table.cursor_row, row))
            return
        for name, parameters, description in self.key_actions.of(
            event, self._bindings, self.host.keymap
        ):
            if name == "start_filter":
                self.filter.slash_passing()
                return
            if name in self.WRITE_ACTIONS and not self.check_action(name, parameters):
                event.stop()
                event.prevent_default()
                self.explain_hidden(name, parameters, description or name)
                return

    def explain_hidden(self, action: str, parameters: tuple[object, ...], what: str) -> None:
        """Why the hidden write key `what` did nothing (default: the profile is read-only)."""
        if self.host.deck.read_only:
            self.refuse_read_only(what)

    def refuse_read_only(self, what: str) -> None:
        """Toast why a write key does nothing: the profile is read-only."""
        refuse_read_only(self, self.host.deck.profile_name, what)

    # -- event writes and start links (tui/widgets/pane_requests.py) -----------------

    def request_event_write(self, kind: str, row: object | None, what: str) -> None:
        """Ask the screen for the form of an event write (refused when read-only)."""
        self.requests.ask_event_write(kind, row, what)

    def send_write(self, write: Write) -> None:
        """Run a confirmed event write; `write` returns (sentence, ok, note)."""
        self.requests.send_write(write)

    def on_entity_pane_write_done(self, event: WriteDone) -> None:
        self.requests.write_done(event)

    def action_start_url(self) -> None:
        row = self.table.cursor_value
        target = self.start_target(row) if row is not None else None
        if target is None:
            return
        kind, key, provider, what = target
        self.app.notify(f"Fetching the host start link of {what}…", markup=False, timeout=3)
        self.requests.fetch_start_url(kind, key, provider, what)

    @on(StartUrlFetched)
    def _start_url_fetched(self, event: StartUrlFetched) -> None:
        event.stop()
        self.host.show_start_url(event.start, event.what)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.filter.keep()

    def on_unmount(self) -> None:
        self.filter.stop()

    # -- rows --------------------------------------------------------------------

    @on(VirtualTable.RowHighlighted)
    def _row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DEBOUNCE, self.show_detail)

    @property
    def settled(self) -> bool:
        """Nothing being read, counted or about to be shown in the detail panel (tests
        and screenshots wait for it instead of sleeping)."""
        return self._detail_timer is None and self.filter.idle

    def show_detail(self) -> None:
        """Fill the detail panel from the highlighted row."""
        self._detail_timer = None
        row = self.table.cursor_value
        if row is None:
            self.detail.show(None, self.host.time_format)
            return
        try:
            shown = self.detail_of(row)
        except MeetdeckError as error:
            self.detail.message(f"{error.title}: {error.sentence}")
            return
        self.detail.show(shown if shown is not None else row, self.host.time_format)

    @on(VirtualTable.RowSelected)
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        if self.can_drill(event.row):
            to_screen(self, self.DrillRequested(self, event.row))

    @on(VirtualTable.MarksChanged)
    def _marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self.update_status()

    def action_toggle_detail(self) -> None:
        narrow = self.screen.has_class("-narrow")
        self.detail.toggle_class("-forced" if narrow else "-hidden")
        self.call_after_refresh(self.show_detail)

    def action_copy(self, which: int) -> None:
        row = self.table.cursor_value
        if row is None:
            return
        value = self.copy_values(row)[which]
        self.host.copy_text(value, "ID" if value == str(row.key) else "email")

    def with_scope_fields(self, query: ViewQuery, **changes: Any) -> ViewQuery:
        """`query` with some fields changed (a helper for subclasses)."""
        return replace(query, **changes)
