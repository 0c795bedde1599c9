"""Display formatting shared by tables, detail panels and the header.

Times are stored in UTC; `TimeFormat` shows them in the zone the person chose (`t`
cycles local, UTC and the profile's zone). Ages ("3m ago") take the app's injected
clock so snapshots stay the same from run to run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real, timezone-aware current time."""
    return datetime.now(UTC)


def load_zone(name: str | None) -> tzinfo | None:
    """An IANA zone by name, or None when unset or unknown."""
    if not name:
        return None
    if name.upper() == "UTC":
        return UTC
    # Imported here: zoneinfo loads sysconfig, ~1.5 ms of a first frame that names no zone.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@dataclass
class TimeFormat:
    """The zones a person can cycle through, and which one is shown.

    Attributes:
        choices: (label, zone) pairs; a zone of None means the machine's local time.
        index: The selected choice.
    """

    choices: list[tuple[str, tzinfo | None]] = field(
        default_factory=lambda: [("local", None), ("UTC", UTC)]
    )
    index: int = 0

    @classmethod
    def build(cls, preferred: str | None, profile_zone: str | None) -> TimeFormat:
        """Local, UTC, then the profile's zone; start on `preferred` when it is set."""
        choices: list[tuple[str, tzinfo | None]] = [("local", None), ("UTC", UTC)]
        for name in (profile_zone, preferred):
            zone = load_zone(name)
            if name and zone is not None and name not in [label for label, _ in choices]:
                choices.append((name, zone))
        fmt = cls(choices=choices)
        if preferred and load_zone(preferred) is not None:
            labels = [label for label, _ in choices]
            fmt.index = labels.index("UTC" if preferred.upper() == "UTC" else preferred)
        return fmt

    @property
    def label(self) -> str:
        """The name of the zone shown."""
        return self.choices[self.index][0]

    @property
    def zone(self) -> tzinfo | None:
        """The zone shown (None: local)."""
        return self.choices[self.index][1]

    def cycle(self) -> str:
        """Select the next zone and return its label."""
        self.index = (self.index + 1) % len(self.choices)
        return self.label

    def convert(self, value: datetime) -> datetime:
        """`value` in the displayed zone (naive values are taken as UTC).

        A time at the very ends of the calendar (year 1 or 9999) that the zone would
        push out of range is shown as it is, with its own offset, rather than failing.
        """
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        try:
            return value.astimezone(self.zone)
        except (OverflowError, ValueError):
            return value

    def short(self, value: datetime | None) -> str:
        """A compact date and time, e.g. 2025-03-04 14:30."""
        if value is None:
            return ""
        return _strftime(self.convert(value), "%Y-%m-%d %H:%M")

    def clock(self, value: datetime) -> str:
        """The time of day alone, e.g. 14:02 (for a note about today)."""
        return _strftime(self.convert(value), "%H:%M")

    def full(self, value: datetime | None) -> str:
        """Date, time and zone offset, for detail panels."""
        if value is None:
            return "-"
        return _strftime(self.convert(value), "%Y-%m-%d %H:%M:%S %z")


def _strftime(value: datetime, pattern: str) -> str:
    """strftime with a four-digit year everywhere (glibc writes the year 1 as "1")."""
    return value.strftime(pattern.replace("%Y", f"{value.year:04d}"))


def age(then: datetime | None, now: datetime) -> str:
    """How long ago `then` was, coarsely: "just now", "5m ago", "3h ago", "2d ago"."""
    if then is None:
        return "never synced"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60}m ago"
    if seconds < 86400:
        return f"{seconds // 3600}h ago"
    return f"{seconds // 86400}d ago"


def duration(minutes: int | None) -> str:
    """Minutes as 1h 05m."""
    if minutes is None:
        return ""
    hours, mins = divmod(minutes, 60)
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"
