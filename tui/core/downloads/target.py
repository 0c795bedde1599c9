"""Where a download's bytes are: the one record both halves of a download share.

A provider resolves a recording to a `DownloadTarget` (URL, headers, expected size,
checksum) on every attempt; `tui.core.downloads.queue` fetches it and
`tui.core.downloads.files` checks the finished file against it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DownloadTarget:
    """Where the bytes are: the URL and the headers to send there (maybe none)."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    expected_size: int | None = None
    checksum: tuple[str, str] | None = None  # (algorithm, hex digest), e.g. ("md5", "...")


#: Answers where to fetch the bytes from; called again on every attempt (URLs expire).
Resolver = Callable[[], Awaitable[DownloadTarget]]

__all__ = ["DownloadTarget", "Resolver"]
