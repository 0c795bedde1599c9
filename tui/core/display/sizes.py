"""The one size formatter: bytes for people, in decimal (SI) units.

1 KB is 1000 bytes and 1 MB is 1,000,000, as the units say (IEC 80000-13) and as disks,
network speeds and most file managers count; the TUI, `meetdeck download` and error
sentences all print sizes through :func:`size`, so the same file shows the same figure
everywhere.
"""

from __future__ import annotations

_UNITS = ("B", "KB", "MB", "GB")


def size(num_bytes: int | float | None) -> str:
    """A size for people: "512 B", "1.2 MB", "2.5 GB" ("" for None)."""
    if num_bytes is None:
        return ""
    value = float(num_bytes)
    for unit in _UNITS:
        if abs(value) < 1000 or unit == _UNITS[-1]:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
