"""What a pane needs from the app (`DeckHost`), what its rows have in common (`Row`),
where a drill-down led (`PaneScope`), and how its requests reach the screen
(`to_screen`).

Re-exported by `tui.widgets.pane`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker

from tui.widgets.formatting import Clock, TimeFormat

if TYPE_CHECKING:
    from pathlib import Path

    from tui.core.deck.api import DeckApi
    from tui.core.deck.types import ListView
    from tui.core.models import EventKind, Provider, Recording, StartUrl
    from tui.widgets.table_model import Column


def to_screen(widget: Widget, message: Message) -> None:
    """Post `message` straight to `widget`'s screen, its first handler (a drill-down's
    request, a view loaded): bubbling up, it woke the tab page, the switcher and the
    tabs in turn, none of which handles it (~0.05 ms each, before a drill's frame).
    A widget no longer on a screen posts to itself, as before (nothing handles it)."""
    if widget.is_attached:
        widget.screen.post_message(message)
    else:
        widget.post_message(message)


class Row(Protocol):
    """What every pane's rows have: a key and the provider they come from."""

    @property
    def key(self) -> str: ...

    @property
    def provider(self) -> Provider: ...


RowT = TypeVar("RowT", bound=Row)
"""The row type of a pane (`EntityPane[Organizer]`, ...)."""


class ShownColumns(Protocol):
    """Which columns each tab shows, and where a changed choice is kept
    (`ColumnChoices` in `tui.widgets.column_choice`)."""

    path: Path | None

    def ids(self, tab: str) -> tuple[str, ...]:
        """The ids of the columns `tab` shows."""

    def shown(self, tab: str | None, candidates: Sequence[Column]) -> list[Column]:
        """The `candidates` that `tab` shows."""

    def preview(self, tab: str, ids: Sequence[str]) -> None:
        """Show `ids` in `tab` for now."""

    def choose(self, tab: str, ids: Sequence[str]) -> str | None:
        """Show `ids` in `tab` and keep it; a sentence when it could not be kept."""


class DeckHost(Protocol):
    """What a pane needs from the app."""

    time_format: TimeFormat
    clock: Clock

    @property
    def column_choices(self) -> ShownColumns:
        """Which columns each tab shows (`tui.widgets.column_choice.ColumnChoices`)."""

    @property
    def keymap(self) -> Mapping[str, str]:
        """The person's keymap: binding id -> keys."""

    @property
    def deck(self) -> DeckApi: ...

    @property
    def sorts(self) -> Mapping[str, tuple[str, bool]]:
        """Each tab's sort (by its KIND): (sort name, descending)."""

    def remember_sort(self, tab: str, sort: str, descending: bool) -> None: ...

    def show_error(self, error: BaseException) -> None: ...

    def copy_text(self, text: str, what: str, *, secret: bool = False) -> None: ...

    def queue_downloads(self, recordings: Sequence[Recording]) -> None: ...

    def show_start_url(self, start: StartUrl, what: str) -> None: ...

    def export_view(self, view: ListView[Any], kind: str) -> None: ...

    def worker_state_changed(self, worker: Worker[Any]) -> None: ...

    async def prepare_sync(self) -> None: ...


@dataclass(frozen=True)
class PaneScope:
    """A drill-down narrowing: the rows of one organizer or one event.

    Attributes:
        label: What the breadcrumb shows (an API name; shown literally).
        organizer_key: Meetings and events of this organizer.
        group_key: Organizers of this GoTo group, and their meetings.
        event_key: Registrants (or recordings) of this event.
        provider: The event's provider (for a registrants refresh).
        event_kind: The event's kind (for a registrants refresh).
        trail: The breadcrumb that led here, before `label`.
    """

    label: str
    organizer_key: str | None = None
    group_key: str | None = None
    event_key: str | None = None
    provider: Provider | None = None
    event_kind: EventKind | None = None
    trail: tuple[str, ...] = ()
