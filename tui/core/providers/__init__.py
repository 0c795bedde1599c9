"""API adapters, one per product, behind the Protocols of `base.py`.

Build them per profile with `ProviderSet.for_profile(...)` (see `session.py`); it
owns the HTTP clients and auth managers and closes them in `aclose()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.providers.base import (
    ByteStream,
    Capabilities,
    Capability,
    GoToAssistApi,
    GoToMeetingApi,
    GoToTrainingApi,
    HistoricalMeetings,
    RegistrantAction,
    ZoomApi,
)

if TYPE_CHECKING:
    from tui.core.providers.session import ProviderSet


def __getattr__(name: str) -> Any:
    # ProviderSet pulls in httpx, pydantic and the auth code: imported on first use,
    # so that reading `base` (the Protocols) stays cheap for the first frame.
    if name == "ProviderSet":
        from tui.core.providers.session import ProviderSet

        return ProviderSet
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ByteStream",
    "Capabilities",
    "Capability",
    "GoToAssistApi",
    "GoToMeetingApi",
    "GoToTrainingApi",
    "HistoricalMeetings",
    "ProviderSet",
    "RegistrantAction",
    "ZoomApi",
]
