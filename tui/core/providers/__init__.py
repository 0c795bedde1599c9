"""API adapters, one per product, behind the Protocols of `base.py`.

Build them per profile with `session.ProviderSet.for_profile(...)`; it owns the HTTP
clients and auth managers and closes them in `aclose()`. The package re-exports only
the Protocols of `base` (cheap for the first frame); import `ProviderSet` from
`session`, which pulls in httpx, pydantic and the auth code.
"""

from __future__ import annotations

from tui.core.providers.base import (
    ByteStream,
    GoToAssistApi,
    GoToMeetingApi,
    GoToTrainingApi,
    HistoricalMeetings,
    ZoomApi,
)
from tui.core.providers.capabilities import Capabilities, Capability, RegistrantAction

__all__ = [
    "ByteStream",
    "Capabilities",
    "Capability",
    "GoToAssistApi",
    "GoToMeetingApi",
    "GoToTrainingApi",
    "HistoricalMeetings",
    "RegistrantAction",
    "ZoomApi",
]
