"""A page of one event's registrants as a provider hands it to the store during a sync:
each person as plain values, or as a record where only a record can say them (issue 18:
a 100,000-registrant webinar spent most of its sync building and taking apart records).

Neither side owns it: Zoom's page reader (`tui.core.providers.zoom_registrants`) makes
these pages, the store's writer (`tui.core.store.plain_rows.staged_rows`) stages them,
and the sync (`tui.core.sync.swap`) hands them over; both import only this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from tui.core.models import EventKind, Provider, Registrant

__all__ = ["PlainRegistrants", "PlainValues"]

#: One registrant's plain values: key, e-mail, first name, last name, the status as the
#: provider said it (the listing's status when it said none), when they registered (in
#: UTC) or None, the join link or None, the answers ((title, value), ...), and the
#: custom fields in `tui.core.store.packing.PLAIN_EXTRA`'s order (text, or "" or None when absent).
PlainValues = tuple[
    str,
    str,
    str,
    str,
    str,
    datetime | None,
    str | None,
    tuple[tuple[str, str], ...],
    list[str | None],
]


class PlainRegistrants(list[PlainValues | Registrant]):
    """A page of one event's registrants: plain values, or records (any mix).

    Attributes:
        provider: Whose registrants they are.
        event_key: The event's key.
        kind: The event's kind.
        title: The event's title, when known (every row holds it).
        model: The record of plain values (for a person `staged_rows` cannot say).
    """

    def __init__(
        self,
        items: Iterable[PlainValues | Registrant],
        provider: Provider,
        event_key: str,
        kind: EventKind,
        title: str | None,
        model: Callable[[PlainValues], Registrant],
    ) -> None:
        super().__init__(items)
        self.provider, self.event_key, self.kind, self.title = provider, event_key, kind, title
        self.model = model
