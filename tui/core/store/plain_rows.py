"""A page of one event's registrants as their plain values, made into the rows the
writer stages in one pass, without a `Registrant` per person (issue 18: a sync of a
100,000-registrant webinar spent most of its time building and taking apart records).

Zoom's page reader (`tui.core.providers.zoom_registrants.RegistrantsReader`) gives
each registrant whose values all have the plain shape as a `PlainValues` tuple
(`tui.core.pages`); the rest (a page the tolerant wire models read) as records.
`staged_rows` gives each the row `ScopeBatch.add` stages, the same values
`staging.encoded` and the table's `extract` give its record (tests/core/
test_plain_rows.py compares them). A person the token form cannot hold, or whose text
is over the cache's limit, goes the record's way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as quote
from typing import Any

from tui.core.models import Registrant, RegistrantStatus
from tui.core.pages import PlainRegistrants
from tui.core.store.codec import TEXT_LIMIT
from tui.core.store.folding import fold, from_letter
from tui.core.store.packing import EMAIL, FIRST, LAST, TITLE, NotPlain, plain_more

__all__ = ["staged_rows"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
#: The provider's status -> the stored status and whether it is OTHER. Text, not the
#: enum: sqlite3 binds a `str` at once but looks an enum up in its adapters first (a
#: fifth of the staging insert's time).
_STATUS_OF: dict[str, tuple[str, bool]] = {}


def staged_rows(
    page: PlainRegistrants, slow: Callable[[Registrant], tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The staged row of each of `page` in its order: plain values made here, records
    (and plain values only a record can say) by `slow`."""
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    provider, event_key, title = page.provider.value, page.event_key, page.title
    kind = page.kind.value
    fixed = len(event_key) + len(title or "")
    titled = f'"{TITLE}":{quote(title)}' if title is not None else ""
    statuses = _STATUS_OF
    for item in page:
        if type(item) is not tuple:
            append(slow(item))  # type: ignore[arg-type]  # a record
            continue
        key, email, first, last, raw, at, url, asked, extra = item
        known = statuses.get(raw)
        if known is None:
            if len(statuses) >= 64:
                statuses.clear()
            said = RegistrantStatus.from_provider(raw)
            known = statuses[raw] = (said.value, said is RegistrantStatus.OTHER)
        status, other = known
        total = fixed + len(key) + len(email) + len(first) + len(last) + len(raw)
        values: list[str] = ["" if other else raw, "", url or ""]
        values += [v or "" for v in extra] if None in extra else extra  # type: ignore[arg-type]
        for question, answer in asked:
            total += len(question) + len(answer)
            values += (question, answer)
        if url is not None:
            total += len(url)
        more: bytes | None = None
        if total <= TEXT_LIMIT and url != "" and (other or raw):
            try:
                more = plain_more(values, key, event_key)
            except NotPlain:
                total = TEXT_LIMIT + 1
        else:
            total = TEXT_LIMIT + 1
        if total > TEXT_LIMIT:
            append(slow(page.model(item)))
            continue
        who = f"{first} {last}".strip()
        full = who.lower() if who.isascii() else fold(who)
        folded = email.lower() if email.isascii() else fold(email)
        search = f"{full} {folded}" if who and email else full if who else folded
        name = from_letter(full if who else folded)
        parts = []
        if first:
            parts.append(f'"{FIRST}":{quote(first)}')
        if last:
            parts.append(f'"{LAST}":{quote(last)}')
        if titled:
            parts.append(titled)
        if email != folded:
            parts.append(f'"{EMAIL}":{quote(email)}')
        if other:
            parts.append(f'"provider_status":{quote(raw)}')
        append(
            (
                provider,
                key,
                None if search == f"{name} {folded}" else search,
                "{" + ",".join(parts) + "}",
                event_key,
                kind,
                status,
                name,
                folded,
                None if at is None else (at - _EPOCH) // _MICRO,
                more,
            )
        )
    return rows
