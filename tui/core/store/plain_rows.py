"""A page of one event's registrants as Zoom's JSON objects, made into the rows the
writer stages in one pass: each person read from its object straight into its row,
without a `Registrant` or a tuple of plain values between them (issue 18: a sync of a
100,000-registrant webinar spent most of its time building and taking apart records).

Zoom's page reader (`tui.core.providers.zoom_registrants.RegistrantsReader`) checks
the page around the people (`PlainRegistrants`, `tui.core.pages`); `staged_rows` reads
each person whose values all have the plain shape (text where text is due, or null
where Zoom allows it; Zoom's form of a time) as the reader's `plain` does, and gives
the row `ScopeBatch.add` stages: the same values `staging.encoded` and the table's
`extract` give its record (tests/core/test_plain_rows.py compares them). A person the
token form cannot hold, or whose text is over the cache's limit, goes the record's way;
a page with one person of another shape is read whole by the wire models, which read
odd values or name the field they refuse, as they always did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as quote
from typing import Any

from tui.core.models import Registrant, RegistrantStatus
from tui.core.pages import ZOOM_TIME, PlainRegistrants, plain_fields
from tui.core.store.codec import TEXT_LIMIT
from tui.core.store.folding import fold, from_letter
from tui.core.store.packing import EMAIL, FIRST, LAST, PLAIN_EXTRA, TITLE, NotPlain, plain_more

__all__ = ["staged_rows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
#: The provider's status -> the stored status and whether it is OTHER. Text, not the
#: enum: sqlite3 binds a `str` at once but looks an enum up in its adapters first (a
#: fifth of the staging insert's time).
_STATUS_OF: dict[str, tuple[str, bool]] = {}
_NOTHING = ("",) * len(PLAIN_EXTRA)
_TEXT_OR_NULL = frozenset({str, type(None)})
_ASKED = 3 + len(PLAIN_EXTRA)  # where the answers start in a person's values
# Times from these years on, or before, take the record's way (`wire.aware` holds
# the ends of the range at its earliest and latest times).
_FIRST_YEAR, _LAST_YEAR = "0002", "9999"
# What `data` says before each value (`packing`'s short keys).
_FIRST, _LAST, _EMAIL = f'"{FIRST}":', f'"{LAST}":', f'"{EMAIL}":'
_OTHER = '"provider_status":'
#: Names folded lately (`_fold`), and how many are kept.
_FOLDED: dict[str, str] = {}
_FOLDED_KEPT = 8192


class _Odd(Exception):
    """A person whose values are not all of the plain shape: the page is read whole
    by the wire models."""


def staged_rows(
    page: PlainRegistrants, slow: Callable[[Registrant], tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The staged row of each of `page` in its order: Zoom's objects read here, records
    (and people only a record can say) by `slow`. A page with one person whose values
    are not all plain is `page.records()`, each by `slow` (or their error)."""
    try:
        return _rows(page, slow)
    except _Odd:
        return [slow(record) for record in page.records()]


def _rows(
    page: PlainRegistrants, slow: Callable[[Registrant], tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    provider, event_key, title = page.provider.value, page.event_key, page.title
    kind, listed = page.kind.value, page.status or ""
    fixed = len(event_key) + len(title or "")
    titled = f'"{TITLE}":{quote(title)}' if title is not None else ""
    statuses = _STATUS_OF
    zoom_time = ZOOM_TIME.fullmatch
    for w in page:
        if type(w) is not dict:
            if isinstance(w, Registrant):
                append(slow(w))
                continue
            raise _Odd
        fields = plain_fields(w)
        if fields is None:
            raise _Odd
        key, email, first, last, raw, at, url, asked = fields
        get = w.get
        registered = None
        if at is not None and at.strip():
            if not zoom_time(at):
                raise _Odd
            if not _FIRST_YEAR <= at < _LAST_YEAR:
                append(_slow(page, w, slow))  # held at an end of the range
                continue
            try:
                registered = (datetime.fromisoformat(at) - _EPOCH) // _MICRO
            except ValueError:  # no such day or hour: the wire models say which
                raise _Odd from None
        last = last or ""
        raw = raw or listed
        known = statuses.get(raw)
        if known is None:
            if len(statuses) >= 64:
                statuses.clear()
            said = RegistrantStatus.from_provider(raw)
            known = statuses[raw] = (said.value, said is RegistrantStatus.OTHER)
        status, other = known
        total = fixed + len(key) + len(email) + len(first) + len(last) + len(raw)
        # Each custom field is text or absent (null); those with a value are kept.
        values: list[str] = ["" if other else raw, "", url or "", *map(get, PLAIN_EXTRA, _NOTHING)]
        for q in asked:
            if type(q) is not dict:
                raise _Odd
            question, answer = q.get("title", ""), q.get("value", "")
            if type(question) is not str or type(answer) is not str:
                raise _Odd
            total += len(question) + len(answer)
            values += (question, answer)
        try:
            plain = "".join(values)  # all text: the usual person, seen in C
        except TypeError:
            extra = values[3:_ASKED]
            if not set(map(type, extra)) <= _TEXT_OR_NULL:
                raise _Odd from None
            values[3:_ASKED] = [v or "" for v in extra]
            plain = "".join(values)
        if url is not None:
            total += len(url)
        more: bytes | None = None
        if total <= TEXT_LIMIT and url != "" and (other or raw):
            try:
                more = plain_more(values, key, event_key, plain)
            except NotPlain:
                total = TEXT_LIMIT + 1
        else:
            total = TEXT_LIMIT + 1
        if total > TEXT_LIMIT:
            append(_slow(page, w, slow))
            continue
        who = f"{first} {last}".strip()
        if who.isascii():
            full = who.lower()
        elif first.strip() != first or last.strip() != last:  # a space at an end
            full = fold(who)
        else:  # no space at their ends: the name folds as its parts do
            full = f"{_fold(first)} {_fold(last)}" if first and last else _fold(first or last)
        folded = email.lower() if email.isascii() else fold(email)
        name = from_letter(full if who else folded)
        # The search text, None when it is the name and e-mail the row holds anyway
        # (`full` and `name` differ only when the name opens with no letter).
        if who and email:
            search = None if name == full else f"{full} {folded}"
        else:
            search = full if who else folded
            if search == f"{name} {folded}":
                search = None
        parts = []
        if first:
            parts.append(_FIRST + quote(first))
        if last:
            parts.append(_LAST + quote(last))
        if titled:
            parts.append(titled)
        if email != folded:
            parts.append(_EMAIL + quote(email))
        if other:
            parts.append(_OTHER + quote(raw))
        append(
            (
                provider,
                key,
                search,
                "{" + ",".join(parts) + "}",
                event_key,
                kind,
                status,
                name,
                folded,
                registered,
                more,
            )
        )
    return rows


def _fold(text: str) -> str:
    """`fold(text)`, remembered: first and last names repeat across a webinar's people
    (a name with a letter outside ASCII took a third of its row's time to fold). A
    name without a space at its ends folds as its parts do: `fold` works on each
    character and on each letter's marks, and a space between them joins no two."""
    folded = _FOLDED.get(text)
    if folded is None:
        if len(_FOLDED) >= _FOLDED_KEPT:
            _FOLDED.clear()
        folded = _FOLDED[text] = fold(text)
    return folded


def _slow(
    page: PlainRegistrants, person: dict[str, Any], slow: Callable[[Registrant], tuple[Any, ...]]
) -> tuple[Any, ...]:
    """The row of a person only a record can say (its checks found one more odd value:
    the page is read whole by the wire models)."""
    record = page.model(person)
    if record is None:
        raise _Odd
    return slow(record)
