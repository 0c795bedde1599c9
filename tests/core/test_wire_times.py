"""Date-times at the ends of the calendar, as an API may send them, read without a crash.

`0001-01-01T00:00:00+14:00` and `9999-12-31T23:59:59-12:00` are valid ISO 8601 but
have no UTC form in Python; epoch milliseconds can be any number. Each is held two days
inside the calendar, so that showing it in any zone, or adding a meeting's length to
it, cannot overflow either.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import TypeAdapter

from tui.core.providers.wire import EARLIEST, LATEST, OptDatetime, OptEpochMs, later
from tui.core.providers.zoom_wire import ZEvent, meeting

ISO: TypeAdapter[datetime | None] = TypeAdapter(OptDatetime)
EPOCH: TypeAdapter[datetime | None] = TypeAdapter(OptEpochMs)
ZONES = [UTC, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12"), ZoneInfo("Asia/Tokyo")]


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("0001-01-01T00:00:00Z", EARLIEST),
        ("0001-01-01T00:00:00+14:00", EARLIEST),
        ("9999-12-31T23:59:59Z", LATEST),
        ("9999-12-31T23:59:59-12:00", LATEST),
        ("9999-12-31T23:59:59", LATEST),
    ],
)
def test_far_iso_times_are_held_inside_the_calendar(text: str, held: datetime) -> None:
    value = ISO.validate_python(text)
    assert value == held
    for zone in ZONES:
        value.astimezone(zone)  # any zone can show it
        (value - timedelta(minutes=5)).astimezone(zone)


def test_ordinary_times_keep_their_offset() -> None:
    value = ISO.validate_python("2025-03-04T10:00:00+09:00")
    assert value is not None and value.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("raw", "held"),
    [
        (10**20, LATEST),
        (-(10**20), EARLIEST),
        (str(10**20), LATEST),
        (float("inf"), LATEST),
        (float("nan"), EARLIEST),
    ],
)
def test_far_epoch_milliseconds_are_held_inside_the_calendar(raw: object, held: datetime) -> None:
    assert EPOCH.validate_python(raw) == held


def test_epoch_milliseconds_read_as_before() -> None:
    assert EPOCH.validate_python(1_700_000_000_123) == datetime(
        2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC
    )


def test_a_meeting_at_the_end_of_time_has_an_end_too() -> None:
    assert later(LATEST, 10**9) == LATEST and later(EARLIEST, -(10**9)) == EARLIEST
    wire = ZEvent.model_validate(
        {"id": 1, "start_time": "9999-12-31T23:59:59Z", "duration": 10**9, "type": 2}
    )
    assert meeting(wire).end == LATEST
