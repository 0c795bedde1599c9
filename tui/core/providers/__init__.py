"""API adapters, one per product, behind the Protocols of `base.py`.

Build them per profile with `ProviderSet.for_profile(...)` (see `session.py`); it
owns the HTTP clients and auth managers and closes them in `aclose()`.
"""

from __future__ import annotations

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
from tui.core.providers.session import ProviderSet

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
