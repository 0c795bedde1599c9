"""Shared pieces of the wire models: tolerant base class, time and number types.

Wire models keep the field names of the public specs (camelCase for GoTo,
snake_case for Zoom). Unknown fields are ignored; keys arrive as strings in some
bodies and as int64 in others, so every key field accepts both and holds a string.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict


class Wire(BaseModel):
    """Base of every wire model: unknown fields ignored, numbers accepted as strings."""

    model_config = ConfigDict(
        extra="ignore", coerce_numbers_to_str=True, populate_by_name=True, frozen=True
    )


EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
"""The earliest time kept: two days inside `datetime`'s range, so that showing it in
any zone, or a few minutes before it, cannot overflow."""
LATEST = datetime(9999, 12, 29, tzinfo=UTC)
"""The latest time kept, two days inside the range for the same reason."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def aware(value: datetime) -> datetime:
    """Naive values taken as UTC; times past the ends of the range held at EARLIEST/LATEST.

    `0001-01-01T00:00:00+14:00` is valid ISO 8601 but has no UTC form in Python; such
    values are held at the nearest end instead of failing the whole page.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return EARLIEST if value.year < 5000 else LATEST
    if utc < EARLIEST:
        return EARLIEST
    if utc > LATEST:
        return LATEST
    return value


def later(start: datetime, minutes: int) -> datetime:
    """`start` plus `minutes`, held at LATEST (or EARLIEST) instead of overflowing."""
    try:
        return aware(start + timedelta(minutes=minutes))
    except OverflowError:
        return LATEST if minutes > 0 else EARLIEST


def _epoch_ms(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return _EPOCH + timedelta(milliseconds=value)
        except (OverflowError, ValueError):  # ValueError: NaN
            return LATEST if value > 0 else EARLIEST
    return value


def _lenient_int(value: Any) -> Any:
    """'12' -> 12; '' or 'n/a' -> None (some GoTo counts are typed string)."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(float(text)) if text else None
        except ValueError:
            return None
    return value


def _raw_text(value: Any) -> Any:
    """None -> ''; a number or boolean -> its text; anything else is left to fail."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


UtcDatetime = Annotated[datetime, AfterValidator(aware)]
"""An ISO 8601 date-time; naive values are taken as UTC."""

OptDatetime = Annotated[UtcDatetime | None, BeforeValidator(_blank_to_none)]
"""An optional date-time; empty strings read as absent."""

EpochMs = Annotated[datetime, BeforeValidator(_epoch_ms), AfterValidator(aware)]
"""Milliseconds since the epoch (GoTo Assist)."""

OptEpochMs = Annotated[EpochMs | None, BeforeValidator(_blank_to_none)]

RawText = Annotated[str, BeforeValidator(_raw_text)]
"""A provider's own value kept as text whatever its JSON type (a status, say): an odd
value in one record never fails the list it came in."""

LenientInt = Annotated[int | None, BeforeValidator(_lenient_int)]
"""An integer that may arrive as a string, or be unreadable (then None)."""


def iso_z(value: datetime) -> str:
    """UTC ISO 8601 with a Z, as GoTo's date query parameters want."""
    return aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text(value: str | None) -> str:
    """None -> ''."""
    return value or ""
