"""Displayed times: the ends of the calendar in any zone, years written in full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tui.widgets.formatting import TimeFormat


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def test_times_at_the_ends_of_the_calendar_show_in_every_zone(zone: str) -> None:
    fmt = TimeFormat.build(zone, None)
    for _ in fmt.choices:
        fmt.cycle()
        for value in (
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
            datetime(1, 1, 1),
            datetime.max,
            datetime.min,
        ):
            assert fmt.short(value)[:4] in ("0001", "9999")
            assert fmt.full(value)


def test_early_years_have_four_digits() -> None:
    fmt = TimeFormat.build("UTC", None)
    assert fmt.short(datetime(1, 1, 3, 12, 0, tzinfo=UTC)) == "0001-01-03 12:00"
    assert fmt.full(datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC)) == "0999-05-06 07:08:09 +0000"
