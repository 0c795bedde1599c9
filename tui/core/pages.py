"""A page of one event's registrants as a provider hands it to the store during a sync:
each person as the provider's own JSON object, or as a record where only a record can
say them (issue 18: a 100,000-registrant webinar spent most of its sync building and
taking apart records, then tuples of plain values between the page and its rows).

Neither side owns it: Zoom's page reader (`tui.core.providers.zoom_registrants`) makes
these pages, the store's writer (`tui.core.store.plain_rows.staged_rows`) stages them,
each person read once from its JSON object into its row, and the sync
(`tui.core.sync.swap`) hands them over; both import only this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from tui.core.models import EventKind, Provider, Registrant

__all__ = ["ZOOM_TIME", "PlainRegistrants", "plain_fields"]

#: Zoom's own form of a time ("2026-10-20T02:38:26Z"), which `datetime` reads as the
#: wire models would.
ZOOM_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?Z")


#: A Zoom registrant object's fields a plain read keeps (`plain_fields`).
PlainFields = tuple[str, str, str, str | None, str, str | None, str | None, list[Any]]


def plain_fields(w: dict[str, Any]) -> PlainFields | None:
    """A Zoom registrant object's id, email, first and last name, status, create_time,
    join_url and custom_questions, if each has the type a plain read takes (text; null
    where Zoom may leave it out; a list of answers); else None, and the wire models read
    it and name what is wrong. The time's form is its reader's to check (`ZOOM_TIME`)."""
    get = w.get
    key, email, first = get("id"), get("email", ""), get("first_name", "")
    last, raw, at = get("last_name"), get("status", ""), get("create_time")
    url, asked = get("join_url"), get("custom_questions", [])
    if (
        type(key) is not str
        or type(email) is not str
        or type(first) is not str
        or type(raw) is not str
        or (last is not None and type(last) is not str)
        or (at is not None and type(at) is not str)
        or (url is not None and type(url) is not str)
        or type(asked) is not list
    ):
        return None
    return key, email, first, last, raw, at, url, asked


class PlainRegistrants(list[Any]):
    """A page of one event's registrants: Zoom's registrant objects as its JSON said
    them (the page around them checked, each person not yet), or records.

    Attributes:
        provider: Whose registrants they are.
        event_key: The event's key.
        kind: The event's kind.
        title: The event's title, when known (every row holds it).
        status: The listing's status (a person's when their own says none).
        model: The record of a person whose values all have the plain shape (text
            where text is due, Zoom's form of a time), or None when one has not.
        records: The whole page read by the provider's tolerant wire models, as records;
            raises the provider's error naming the field they refuse (`BadResponse`).
    """

    def __init__(
        self,
        items: Iterable[Any],
        provider: Provider,
        event_key: str,
        kind: EventKind,
        title: str | None,
        status: str | None,
        model: Callable[[dict[str, Any]], Registrant | None],
        records: Callable[[], list[Registrant]],
    ) -> None:
        super().__init__(items)
        self.provider, self.event_key, self.kind, self.title = provider, event_key, kind, title
        self.status = status
        self.model = model
        self.records = records
