"""Zoom's registrant pages read fast: a page whose values all have the plain shape
becomes records without the wire models (`zoom_wire`), which read any other page; for
the sync, the page's own JSON objects, which the cache reads once into its rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tui.core.models import EventKind, Registrant, RegistrantStatus
from tui.core.net.apilog import redact_path
from tui.core.net.client import ApiClient
from tui.core.pages import ZOOM_TIME, PlainRegistrants, plain_fields
from tui.core.providers.base import ZOOM_PAGE_SIZE
from tui.core.providers.wire import aware
from tui.core.providers.zoom_paging import merged, pages
from tui.core.providers.zoom_wire import EXTRA_FIELDS, P, ZRegistrantsPage, registrant

__all__ = ["STATUSES", "RegistrantsPage", "RegistrantsReader", "listed"]

#: The statuses a registrant list is asked for (Zoom lists `approved` only unless asked).
STATUSES = ("pending", "approved", "denied")


class RegistrantsPage:
    """A page of registrants as domain records (or, read by a `plain` reader, a
    `PlainRegistrants`), and the token of the next page."""

    __slots__ = ("next_page_token", "registrants")

    def __init__(self, registrants: list[Any], next_page_token: str | None) -> None:
        self.registrants = registrants
        self.next_page_token = next_page_token


#: One registrant's plain values: key, e-mail, first name, last name, the status as the
#: provider said it (the listing's status when it said none), when they registered (in
#: UTC) or None, the join link or None, the answers ((title, value), ...), and the
#: custom fields in `EXTRA_FIELDS`' order (text, or "" or None when absent).
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
_PAGE = TypeAdapter(ZRegistrantsPage)
_TEXT_OR_NULL = frozenset({str, type(None)})
_NOTHING = ("",) * len(EXTRA_FIELDS)


class RegistrantsReader:
    """Reads a page of one listing's registrants (`validate_python`, as a TypeAdapter).

    A page whose every value has the plain shape (text where text is due, Zoom's form
    of a time) becomes records directly, about three times as fast; any other page goes
    through the tolerant wire models, which read odd values or raise ValidationError as
    they always do, into records. Both give the same records
    (tests/core/test_zoom_registrant_pages.py). A `plain` reader (the sync's) checks
    the page around the people and hands over their JSON objects as they are
    (`PlainRegistrants`): the cache reads each once into its row
    (`tui.core.store.plain_rows`), and a page with one person of another shape there is
    read whole as records (`records`), its refusal raised as `unreadable` makes it.
    """

    def __init__(
        self,
        event_key: str,
        kind: EventKind,
        status: str | None,
        title: str | None,
        *,
        plain: bool = False,
        unreadable: Callable[[ValidationError], Exception] | None = None,
    ) -> None:
        self.event_key, self.kind, self.status, self.title = event_key, kind, status, title
        self.keep_plain = plain
        self.unreadable = unreadable

    def validate_python(self, data: Any, /) -> RegistrantsPage:
        if self.keep_plain:
            checked = self._checked(data)
            if checked is not None:
                items, token = checked
                return RegistrantsPage(self._handed(items, lambda: self.records(data)), token)
            people = self._records(data)  # raises ValidationError as the wire models do
            return RegistrantsPage(
                self._handed(people.registrants, lambda: people.registrants), people.next_page_token
            )
        return self._records(data)

    def records(self, data: Any) -> list[Registrant]:
        """The records of a page (its refusal raised as `unreadable` makes it)."""
        try:
            return list(self._records(data).registrants)
        except ValidationError as exc:
            if self.unreadable is None:
                raise
            raise self.unreadable(exc) from None

    def _handed(
        self, items: list[Any], records: Callable[[], list[Registrant]]
    ) -> PlainRegistrants:
        return PlainRegistrants(
            items, P, self.event_key, self.kind, self.title, self.status, self._model, records
        )

    def _model(self, item: dict[str, Any]) -> Registrant | None:
        values = self._plain(item)
        return None if values is None else self.model(values)

    def _records(self, data: Any) -> RegistrantsPage:
        page = self.plain(data)
        if page is not None:
            return page
        wire = _PAGE.validate_python(data)
        people = [
            registrant(r, self.event_key, self.kind, self.status, self.title)
            for r in wire.registrants
        ]
        return RegistrantsPage(people, wire.next_page_token)

    @staticmethod
    def _checked(data: Any) -> tuple[list[Any], str | None] | None:
        """A page's people and next token, when the page around them is plain."""
        if type(data) is not dict:
            return None
        token = data.get("next_page_token")
        total = data.get("total_records")
        items = data.get("registrants", [])
        if (
            (token is not None and type(token) is not str)
            or (total is not None and type(total) is not int)
            or type(items) is not list
        ):
            return None
        return items, token

    def plain(self, data: Any) -> RegistrantsPage | None:
        """The page's records read without the wire models, or None when a value is not
        plain."""
        checked = self._checked(data)
        if checked is None:
            return None
        items, token = checked
        people: list[Any] = []
        for item in items:
            person = self._plain(item)
            if person is None:
                return None
            people.append(person)
        return RegistrantsPage(list(map(self.model, people)), token)

    def model(self, values: PlainValues) -> Registrant:
        """The record of a registrant's plain values."""
        key, email, first, last, raw, registered, url, questions, extra = values
        return Registrant(
            P,
            key,
            self.event_key,
            self.kind,
            email,
            first,
            last,
            RegistrantStatus.from_provider(raw),
            raw,
            registered,
            url,
            self.title,
            questions,
            {name: value for name, value in zip(EXTRA_FIELDS, extra, strict=True) if value},
        )

    def _plain(self, w: Any) -> PlainValues | None:
        if type(w) is not dict:
            return None
        fields = plain_fields(w)
        if fields is None:
            return None
        key, email, first, last, raw, at, url, asked = fields
        get = w.get
        registered = None
        if at is not None and at.strip():
            if not ZOOM_TIME.fullmatch(at):
                return None
            try:
                registered = aware(datetime.fromisoformat(at))
            except ValueError:  # no such day or hour: the wire models say which
                return None
        questions = []
        for q in asked:
            if type(q) is not dict:
                return None
            title, value = q.get("title", ""), q.get("value", "")
            if type(title) is not str or type(value) is not str:
                return None
            questions.append((title, value))
        # Each custom field is text or absent (null); those with a value are kept.
        values = list(map(get, EXTRA_FIELDS, _NOTHING))
        try:
            "".join(values)  # all text: the usual page, seen in C
        except TypeError:
            if not set(map(type, values)) <= _TEXT_OR_NULL:
                return None
        raw = raw or self.status or ""
        return (key, email, first, last or "", raw, registered, url, tuple(questions), values)


def _key(person: Any) -> str:
    """A listed registrant's key (its record's)."""
    return str(person.key)


async def listed(
    api: ApiClient,
    kind: EventKind,
    event_key: str,
    page_size: int,
    title: str | None,
    *,
    plain: bool = False,
) -> AsyncIterator[list[Any]]:
    """The registrants of a webinar or meeting, every status listed side by side and
    their pages yielded as they come: records, or for `plain`, `PlainRegistrants`."""
    path = f"/{kind.value}s/{event_key}/registrants"  # webinars or meetings

    async def listing(status: str) -> AsyncIterator[list[Any]]:
        params = {"status": status, "page_size": min(page_size, ZOOM_PAGE_SIZE)}
        endpoint = f"GET {redact_path(api.url(path))}"
        reader = RegistrantsReader(
            event_key,
            kind,
            status,
            title,
            plain=plain,
            unreadable=lambda exc: api.failures.unreadable(exc, endpoint),
        )
        key = None if plain else _key  # a sync's store keeps each person once
        read = pages(api, reader, path, params, lambda page: page.registrants, key, ahead=plain)
        async for page in read:
            if page:
                yield page

    async for people in merged([listing(status) for status in STATUSES]):
        yield people
