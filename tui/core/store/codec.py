"""Domain models <-> JSON text, and the text folding that makes search accent-blind.

Each entity row keeps its full model as JSON in a `data` column (the indexed columns
beside it are for filtering and sorting), so adding a field to a model needs no schema
change. Decoding is driven by the dataclass field types, compiled once per class.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

from tui.core.store.folding import fold

__all__ = [
    "TEXT_LIMIT",
    "cap_text",
    "decode",
    "encode",
    "encode_capped",
    "fold",
    "iso",
    "parse_iso",
]

T = TypeVar("T")

TEXT_LIMIT = 16_384
"""The longest text value stored (characters): room for any real name, title or
agenda (Zoom caps agendas at 2,000). Longer ones (a 100,000-character name from a
broken or hostile API) are cut, and end in "…" to say so."""

_Decoder = Callable[[Any], Any]
_EMPTY: tuple[Any, ...] = (None, "", (), {}, False)


def iso(value: datetime | None) -> str | None:
    """A sortable UTC ISO string for an indexed column (naive times are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str | None) -> datetime | None:
    """The inverse of `iso` (also reads any ISO 8601 string `datetime` understands)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _jsonable(value: Any) -> Any:
    """What JSON cannot hold as it is: a time as ISO text, an enum as its value.

    (Text enums, tuples and dicts of text need nothing: JSON writes them as their text,
    lists and objects.)
    """
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot encode {type(value).__name__}")


# One encoder for every row (json.dumps with `default` builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _cap(value: Any, limit: int, cut: list[int]) -> Any:
    if isinstance(value, str):
        if len(value) <= limit:
            return value
        cut[0] += 1
        return value[: limit - 1] + "…"
    if isinstance(value, tuple):
        items = tuple(_cap(item, limit, cut) for item in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _fits(value: Any, limit: int) -> bool:
    """Whether no text in `value` (also inside tuples) is longer than `limit`."""
    if isinstance(value, str):
        return len(value) <= limit
    if isinstance(value, tuple):
        return all(_fits(item, limit) for item in value)
    return True


def cap_text(obj: T, limit: int = TEXT_LIMIT) -> tuple[T, int]:
    """A model with every text value (also inside tuples) at most `limit` characters,
    and how many were cut; the same object when none was too long."""
    values = _values_of(type(obj))(obj)  # type: ignore[arg-type]  # classes are hashable
    # Nearly every model fits: one look at the lengths, nothing rebuilt.
    if all(len(v) <= limit if isinstance(v, str) else _fits(v, limit) for v in values):
        return obj, 0
    cut = [0]
    changes = {}
    for name, _ in _fields_of(type(obj)):  # type: ignore[arg-type]  # classes are hashable
        value = getattr(obj, name)
        if isinstance(value, str | tuple):
            capped = _cap(value, limit, cut)
            if capped is not value:
                changes[name] = capped
    return (dataclasses.replace(obj, **changes) if changes else obj), cut[0]  # type: ignore[type-var]


def encode(obj: Any) -> str:
    """A dataclass model as compact JSON text.

    No text value in it is longer than the text (escapes only lengthen text), so text
    no longer than `TEXT_LIMIT` holds no value `cap_text` would cut.
    """
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"cannot encode {type(obj).__name__}")
    data = {}
    for name, default, emptiable in _encoding_of(type(obj)):
        value = getattr(obj, name)
        # Values equal to an empty default are left out: decode restores the default.
        if emptiable and value == default and value in _EMPTY:
            continue
        data[name] = value
    return _ENCODER.encode(data)


def encode_capped(obj: T) -> tuple[T, str, int]:
    """`obj` with its text cut to `TEXT_LIMIT`, its JSON, and how many values were cut.

    Only a model whose JSON is longer than the limit is looked through (and encoded
    again when something was cut): shorter JSON cannot hold a longer value.
    """
    data = encode(obj)
    if len(data) <= TEXT_LIMIT:
        return obj, data, 0
    model, cut = cap_text(obj)
    return model, (encode(model) if cut else data), cut


@cache
def _encoding_of(cls: type) -> tuple[tuple[str, Any, bool], ...]:
    """Each field's name, its default (None without one), and whether that default is
    an empty value that `encode` leaves out."""
    return tuple(
        (name, defaults[0] if defaults else None, bool(defaults) and defaults[0] in _EMPTY)
        for name, defaults in _fields_of(cls)
    )


@cache
def _values_of(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of every field's value of `cls` at once, as a tuple."""
    names = [name for name, _ in _fields_of(cls)]
    getter = attrgetter(*names)
    return getter if len(names) > 1 else lambda obj: (getter(obj),)


@cache
def _fields_of(cls: type) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """Each field's name and its default (from the factory, made once), if it has one:
    `fields()` and the factories cost more than encoding a row's values."""
    out = []
    for f in fields(cls):
        defaults: tuple[Any, ...] = ()
        if f.default is not MISSING:
            defaults = (f.default,)
        elif f.default_factory is not MISSING:
            defaults = (f.default_factory(),)
        out.append((f.name, defaults))
    return tuple(out)


def decode(cls: type[T], text: str) -> T:
    """Rebuild a model from `encode`'s text; unknown keys are ignored, missing take defaults."""
    data = json.loads(text)
    decoders = _decoders(cls)  # type: ignore[arg-type]  # classes are hashable
    kwargs = {name: conv(data[name]) for name, conv in decoders if name in data}
    return cls(**kwargs)


@cache
def _decoders(cls: type[Any]) -> tuple[tuple[str, _Decoder], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _decoder_for(hints[f.name])) for f in fields(cls))


def _decoder_for(hint: Any) -> _Decoder:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            one = _decoder_for(inner[0])
            return lambda v: None if v is None else one(v)
        return lambda v: v
    if hint is datetime:
        return parse_iso
    if isinstance(hint, type) and issubclass(hint, Enum):
        enum_cls = hint
        return lambda v: enum_cls(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder_for(args[0])
            return lambda v: tuple(item(x) for x in v)
        parts = [_decoder_for(a) for a in args]
        return lambda v: tuple(p(x) for p, x in zip(parts, v, strict=True))
    if origin is dict:
        return lambda v: dict(v)
    return lambda v: v
