"""How a registrant is kept in its row: a small JSON `data`, a compressed `more`, and
the columns beside them.

Registrants are nearly all of a big cache, so their rows hold each value once. The
columns keep what they index (key, provider, event, kind, status, the folded e-mail,
the registration time in microseconds); `data` keeps, as JSON under short keys, what
the search hits read in SQL (names, the event's title; `cancelled_here` and
`provider_status` under their own names, which the writer's status updates set); `more`
keeps the rest (join link, answers, custom fields) as raw deflate with a dictionary:
the field names and values Zoom documents, and the row's own keys, which its join
link repeats. A value a column already holds is left out and read back from it.

`more` has three forms. The token form (schema 13) is one byte that no deflate stream
starts with, then the values alone in a fixed order as UTF-8, each value Zoom's spec
enumerates (a status, a company size, a time frame, a role) as one control character,
and the join link's parts (the row's keys, Zoom's host) as one each: about the bytes
of deflate's output at a tenth of its time, which was the biggest part of a sync's
writing (issue 18). The plain form (schema 12) is the same values compressed with
deflate; a registrant with a control character in a value keeps it. A registrant with
a value neither can say (a separator inside a value, a custom field Zoom does not
document) keeps the JSON form, which rows written before schema 12 have too. A `more`
that cannot be read (a damaged file) reads as empty: the row shows what its columns
and `data` hold.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as _quote
from typing import Any

from tui.core.models import EventKind, Provider, Registrant, RegistrantStatus
from tui.core.store.folding import fold

__all__ = [
    "PLAIN_EXTRA",
    "REGISTRANT_FIELDS",
    "SELECT",
    "NotPlain",
    "data_of",
    "micros",
    "more_of",
    "plain_more",
    "unpack",
]

# Short keys in `data`: the search hits read them with json_extract (`hits.py`).
FIRST, LAST, TITLE, EMAIL = "f", "l", "t", "e"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Version 1 of `more`'s dictionary. It must never change: rows written with it are
# read with it. Zoom's registrant fields and the values its spec enumerates.
_DICTIONARY = (
    b"1-20|21-50|51-100|101-250|251-500|501-1,000|1,001-5,000|5,001-10,000|"
    b"More than 10,000|Within a month|1-3 months|4-6 months|More than 6 months|"
    b"No timeframe|Decision Maker|Evaluator/Recommender|Influencer|Not involved"
    b'"provider_status":"approved","pending","denied","WAITING","APPROVED","DENIED",'
    b'"join_url":"https://zoom.us/w/?tk=","custom_questions":[["","extra":{"address":"",'
    b'"city":"","state":"","zip":"","country":"US","phone":"","industry":"","org":"",'
    b'"job_title":"","purchasing_time_frame":"","role_in_purchase_process":"",'
    b'"no_of_employees":"","comments":"","registered_at":"'
)
_WBITS = -11  # raw deflate, a 2 KiB window: rows and the dictionary fit in it
# A deflate block of type 3 is reserved: no raw deflate stream starts with this byte,
# so it marks the plain form.
_PLAIN = 0x07
_PLAIN_MARK = bytes([_PLAIN])
_SEP = "\x1f"
# The plain form's custom fields, in the order Zoom's adapter lists them (it must
# never change: rows written with it are read with it).
_PLAIN_EXTRA = (
    "address",
    "city",
    "state",
    "zip",
    "country",
    "phone",
    "org",
    "job_title",
    "industry",
    "comments",
    "no_of_employees",
    "purchasing_time_frame",
    "role_in_purchase_process",
)
_NOTHING = ("",) * len(_PLAIN_EXTRA)
#: The custom fields' order in the plain values (`plain_more`).
PLAIN_EXTRA = _PLAIN_EXTRA
# Whether a registrant's custom fields, named in this order, are in the plain form's
# (a few sets of names repeat across every registrant of a webinar).
_ORDERED: dict[tuple[str, ...], bool] = {}
_ORDERED_KEPT = 4096
_PLAIN_HEAD = 3 + len(_PLAIN_EXTRA)
# The values the token form looks up: the provider's status and the custom fields
# whose values Zoom's spec enumerates (a token found anywhere reads back).
_ENUMERATED = (
    0,
    *(
        3 + _PLAIN_EXTRA.index(name)
        for name in ("no_of_employees", "purchasing_time_frame", "role_in_purchase_process")
    ),
)  # provider status, registration time, join link
# The plain form's dictionary (it must never change either): the values Zoom's spec
# enumerates, without the JSON form's field names (less to hash for every row).
_PLAIN_DICTIONARY = (
    b"1-20|21-50|51-100|101-250|251-500|501-1,000|1,001-5,000|5,001-10,000|"
    b"More than 10,000|Within a month|1-3 months|4-6 months|More than 6 months|"
    b"No timeframe|Decision Maker|Evaluator/Recommender|Influencer|Not involved|"
    b"approved|pending|denied|WAITING|APPROVED|DENIED|https://zoom.us/w/"
)
# The token form: one more byte no raw deflate stream starts with (block type 3).
_TOKENS = 0x06
_TOKENS_MARK = bytes([_TOKENS])
# Its whole-value tokens, \x01 onwards (the list must never change, only grow at its
# end: rows written with it are read with it): the values Zoom's spec enumerates.
_WHOLE = (
    "approved",
    "pending",
    "denied",
    "WAITING",
    "APPROVED",
    "DENIED",
    "1-20",
    "21-50",
    "51-100",
    "101-250",
    "251-500",
    "501-1,000",
    "1,001-5,000",
    "5,001-10,000",
    "More than 10,000",
    "Within a month",
    "1-3 months",
    "4-6 months",
    "More than 6 months",
    "No timeframe",
    "Decision Maker",
    "Evaluator/Recommender",
    "Influencer",
    "Not involved",
)
_TOKEN_OF = {value: chr(1 + i) for i, value in enumerate(_WHOLE)}
_VALUE_OF = {chr(1 + i): value for i, value in enumerate(_WHOLE)}
# The join link's parts, each one character (replaced in this order, read back in the
# reverse one): the registrant's key, the event's, then Zoom's own text.
_KEY, _EVENT, _TK, _HOST, _HTTPS = "\x19", "\x1a", "\x1b", "\x1c", "\x1d"
_ZOOM_HOST = "zoom.us/w/"  # also an account's own host's end ("us06web.zoom.us/w/")
# No value of the token form holds these (a value that does takes the plain form).
_RESERVED = re.compile("[\x00-\x1e]")
# A value with one of these cannot be said by the token form (its separator, or one of
# the characters it reserves).
_CONTROL = re.compile("[\x00-\x1f]")
# One encoder for every row (json.dumps with options builds a new one per call).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

#: Every field of `Registrant`, each read back from one place (a test checks the list).
REGISTRANT_FIELDS = (
    "provider",  # column
    "key",  # column
    "event_key",  # column
    "event_kind",  # column
    "email",  # column when it folds to itself, else data
    "first_name",  # data
    "last_name",  # data
    "status",  # column
    "provider_status",  # data when the status is OTHER (hits show it), else more
    "registered_at",  # column when in UTC, else more
    "join_url",  # more
    "event_title",  # data
    "custom_questions",  # more
    "extra",  # more
    "cancelled_here",  # data
)


def micros(value: datetime | None) -> int | None:
    """A time as microseconds since 1970 UTC (naive times are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


def _dictionary(key: str, event_key: str, base: bytes = _DICTIONARY) -> bytes:
    return base + f"/{event_key}?tk={key}/{event_key}/{key}".encode()


def data_of(r: Registrant) -> str:
    """A registrant's `data`: what the search hits read in SQL, as JSON (written as
    `json.dumps(..., ensure_ascii=False, separators=(",", ":"))` writes it)."""
    parts = []
    if r.first_name:
        parts.append(f'"{FIRST}":{_quote(r.first_name)}')
    if r.last_name:
        parts.append(f'"{LAST}":{_quote(r.last_name)}')
    if r.event_title is not None:
        parts.append(f'"{TITLE}":{_quote(r.event_title)}')
    if r.email != fold(r.email):
        parts.append(f'"{EMAIL}":{_quote(r.email)}')
    if r.cancelled_here is not None:
        parts.append(f'"cancelled_here":{_quote(r.cancelled_here.isoformat())}')
    if r.status is RegistrantStatus.OTHER:
        parts.append(f'"provider_status":{_quote(r.provider_status)}')
    return "{" + ",".join(parts) + "}"


def _plain_values(r: Registrant) -> list[str] | None:
    """The plain form's values of `r`, or None when it cannot say them all."""
    extra = r.extra
    if extra:
        names = tuple(extra)
        ordered = _ORDERED.get(names)
        if ordered is None:
            ordered = list(names) == [name for name in _PLAIN_EXTRA if name in extra]
            if len(_ORDERED) < _ORDERED_KEPT:
                _ORDERED[names] = ordered
        if not ordered or not all(extra.values()):
            return None  # a field Zoom does not document, another order, or ""
    # OTHER's is in `data`. The others' stays here: a cancellation here changes the
    # status column and keeps what the provider said.
    status = "" if r.status is RegistrantStatus.OTHER else r.provider_status
    if r.status is not RegistrantStatus.OTHER and not status:
        return None
    at = r.registered_at
    local = (
        at.isoformat()
        if at is not None and at.tzinfo is not None and at.utcoffset() != timedelta(0)
        else ""
    )
    url = r.join_url
    if url == "":
        return None  # "" and None would read back the same
    values = [status, local, url or "", *map(extra.get, _PLAIN_EXTRA, _NOTHING)]
    for title, answer in r.custom_questions:
        values += (title, answer)
    return values


def more_of(r: Registrant) -> bytes | None:
    """A registrant's `more`: the rest, compressed (None when there is none)."""
    values = _plain_values(r)
    text = _SEP.join(values) if values is not None else ""
    # A separator inside a value would split it: such a person keeps the JSON form.
    if values is not None and text.count(_SEP) == len(values) - 1:
        if not any(values):
            return None
        key, event = r.key, r.event_key
        if key and event and _RESERVED.search(f"{text}{key}{event}") is None:
            return _tokened(values, key, event)
        packer = zlib.compressobj(
            9,
            zlib.DEFLATED,
            _WBITS,
            8,
            zlib.Z_DEFAULT_STRATEGY,
            _dictionary(r.key, r.event_key, _PLAIN_DICTIONARY),
        )
        return _PLAIN_MARK + packer.compress(text.encode()) + packer.flush()
    rest: dict[str, Any] = {}
    if r.status is not RegistrantStatus.OTHER:
        rest["provider_status"] = r.provider_status
    at = r.registered_at
    if at is not None and at.tzinfo is not None and at.utcoffset() != timedelta(0):
        rest["registered_at"] = at.isoformat()
    if r.join_url is not None:
        rest["join_url"] = r.join_url
    if r.custom_questions:
        rest["custom_questions"] = [list(pair) for pair in r.custom_questions]
    if r.extra:
        rest["extra"] = r.extra
    if not rest:
        return None
    raw = _JSON(rest).encode()
    packer = zlib.compressobj(
        9, zlib.DEFLATED, _WBITS, 2, zlib.Z_DEFAULT_STRATEGY, _dictionary(r.key, r.event_key)
    )
    return packer.compress(raw) + packer.flush()


def _tokened(values: list[str], key: str, event: str) -> bytes:
    """The token form of plain values that it can hold (`values` is changed)."""
    url = values[2]
    if url:
        values[2] = (
            url.replace(key, _KEY)
            .replace(event, _EVENT)
            .replace("?tk=", _TK)
            .replace(_ZOOM_HOST, _HOST)
            .replace("https://", _HTTPS)
        )
    tokens = _TOKEN_OF
    status, size, frame, role = _ENUMERATED
    value = values[status]
    values[status] = tokens.get(value, value)
    value = values[size]
    values[size] = tokens.get(value, value)
    value = values[frame]
    values[frame] = tokens.get(value, value)
    value = values[role]
    values[role] = tokens.get(value, value)
    return _TOKENS_MARK + _SEP.join(values).encode()


class NotPlain(Exception):
    """Values the token form cannot hold (`more_of` of the model says them)."""


def plain_more(
    values: list[str], key: str, event_key: str, plain: str | None = None
) -> bytes | None:
    """`more_of` of a registrant whose plain values (`_plain_values`: the status, "",
    the join link, the 13 custom fields, then each answer's title and value) are
    `values`, when the token form holds them (`values` is changed); None when there
    are none. NotPlain when only another form can (a separator or control character
    in a value, no key). `plain`: the values joined, when the caller has them.
    """
    if plain is None:
        plain = "".join(values)
    if not plain:
        return None
    if key and event_key and f"{plain}{key}{event_key}".isprintable():
        return _tokened(values, key, event_key)  # no control character anywhere
    # Text with no control character at all is printable (the look is quick in C).
    if not plain.isprintable() and _CONTROL.search(plain) is not None:
        raise NotPlain
    ids = key + event_key
    if not key or not event_key or (not ids.isprintable() and _RESERVED.search(ids)):
        raise NotPlain
    return _tokened(values, key, event_key)


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _plain_rest(text: str) -> dict[str, Any]:
    """The plain form's values under the JSON form's names."""
    values = text.split(_SEP)
    status, local, url = values[:3]
    rest: dict[str, Any] = {}
    if status:
        rest["provider_status"] = status
    if local:
        rest["registered_at"] = local
    if url:
        rest["join_url"] = url
    extra = {
        name: value
        for name, value in zip(_PLAIN_EXTRA, values[3:_PLAIN_HEAD], strict=True)
        if value
    }
    if extra:
        rest["extra"] = extra
    asked = values[_PLAIN_HEAD:]
    if asked:
        rest["custom_questions"] = [asked[i : i + 2] for i in range(0, len(asked), 2)]
    return rest


def _untokened(text: str, key: str, event_key: str) -> str:
    """The token form's values as the plain form's text."""
    values = [_VALUE_OF.get(v, v) for v in text.split(_SEP)]
    url = values[2]
    if url:
        values[2] = (
            url.replace(_HTTPS, "https://")
            .replace(_HOST, _ZOOM_HOST)
            .replace(_TK, "?tk=")
            .replace(_EVENT, event_key)
            .replace(_KEY, key)
        )
    return _SEP.join(values)


def _rest(more: bytes, key: str, event_key: str) -> dict[str, Any]:
    """What `more` holds, under the JSON form's names; nothing when it cannot be read
    (a damaged file: the row still shows what its columns and `data` hold)."""
    try:
        form = more[0]
        if form == _TOKENS:
            return _plain_rest(_untokened(more[1:].decode(), key, event_key))
        plain = form == _PLAIN
        base = _PLAIN_DICTIONARY if plain else _DICTIONARY
        unpacker = zlib.decompressobj(_WBITS, _dictionary(key, event_key, base))
        raw = unpacker.decompress(more[1:] if plain else more) + unpacker.flush()
        rest = _plain_rest(raw.decode()) if plain else json.loads(raw)
    except (zlib.error, ValueError, IndexError, TypeError):
        return {}
    return rest if isinstance(rest, dict) else {}


#: The columns `unpack` reads, in its order, from a registrants table aliased `t`.
SELECT = (
    "t.data, t.more, t.key, t.provider, t.event_key, t.event_kind, t.status, t.email, "
    "t.registered_at"
)


def unpack(row: tuple[Any, ...]) -> Registrant:
    """The registrant of a row read with `SELECT`."""
    text, more, key, provider, event_key, event_kind, status, email, registered = row[:9]
    data: dict[str, Any] = json.loads(text)
    rest = _rest(more, key, event_key) if more is not None else {}
    at = rest.get("registered_at")
    return Registrant(
        provider=Provider(provider),
        key=key,
        event_key=event_key,
        event_kind=EventKind(event_kind),
        email=str(data.get(EMAIL, email)),
        first_name=str(data.get(FIRST, "")),
        last_name=str(data.get(LAST, "")),
        status=RegistrantStatus(status),
        # The writer's status updates set it in `data`, which wins over `more`.
        provider_status=str(data.get("provider_status", rest.get("provider_status", status))),
        registered_at=(
            _time(at)
            if at
            else None
            if registered is None
            else _EPOCH + timedelta(microseconds=int(registered))
        ),
        join_url=rest.get("join_url"),
        event_title=data.get(TITLE),
        custom_questions=tuple(
            (str(pair[0]), str(pair[1])) for pair in rest.get("custom_questions", ())
        ),
        extra=dict(rest.get("extra", {})),
        cancelled_here=_time(data.get("cancelled_here")),
    )
