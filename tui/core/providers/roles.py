"""What the Deck asks of a provider, one small Protocol per capability.

`base.py` describes each product's whole API; the Deck needs only a few calls of each,
and it names them here: the registrant writes, the start and admin links, creating a
support session, the reports a detail view adds, and where a recording's bytes are.
The adapters of `ProviderSet` satisfy these structurally (mypy checks it where the Deck
takes them), so the Deck never calls a provider through `Any`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from tui.core.downloads.target import DownloadTarget
from tui.core.models import (
    ActionResult,
    Attendee,
    EventKind,
    Meeting,
    MeetingDraft,
    Progress,
    Recording,
    Registrant,
    StartUrl,
    SupportSession,
    TrainingSession,
    no_progress,
)
from tui.core.providers.capabilities import Capabilities, RegistrantAction


class HasCapabilities(Protocol):
    """Any adapter: what it can do in this profile."""

    @property
    def capabilities(self) -> Capabilities: ...


class RegistrantStatusWrites(Protocol):
    """Approve or deny (or cancel) registrants of a meeting or a webinar (Zoom)."""

    async def set_meeting_registrant_status(
        self,
        meeting_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult: ...

    async def set_webinar_registrant_status(
        self,
        webinar_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult: ...


class RegistrantCancels(Protocol):
    """Cancel registrations of a training (GoTo Training)."""

    async def cancel_registrants(
        self,
        training_key: str,
        registrant_keys: Sequence[str],
        *,
        progress: Progress = no_progress,
    ) -> ActionResult: ...


class TrainingRegistration(Protocol):
    """Register one person for a training, and its registration settings (GoTo Training)."""

    async def register(
        self, training_key: str, *, email: str, given_name: str, surname: str
    ) -> Registrant: ...

    async def update_registration_settings(
        self,
        training_key: str,
        *,
        disable_confirmation_email: bool,
        disable_web_registration: bool,
    ) -> None: ...


class EventRegistration(Protocol):
    """Register one person for a meeting or a webinar, maybe approved at once (Zoom)."""

    async def register(
        self,
        event_key: str,
        kind: EventKind,
        *,
        email: str,
        first_name: str,
        last_name: str,
        auto_approve: bool = False,
    ) -> Registrant: ...


class MeetingWrites(Protocol):
    """Create, change and delete meetings (GoTo Meeting, Zoom)."""

    async def create_meeting(self, draft: MeetingDraft) -> Meeting: ...

    async def update_meeting(self, meeting_id: str, draft: MeetingDraft) -> None: ...

    async def delete_meeting(self, meeting_id: str) -> None: ...


class HostedMeetingCreation(Protocol):
    """Create a meeting for another user of the account (Zoom: by user id or email)."""

    async def create_meeting(self, draft: MeetingDraft, user_id: str = "me") -> Meeting: ...


class StartLinks(Protocol):
    """A host start link for one meeting, training or support session."""

    async def start_url(self, key: str, /) -> StartUrl: ...


class WebinarStartLinks(Protocol):
    """A host start link for a meeting or, with `webinar`, a webinar (Zoom)."""

    async def start_url(self, key: str, /, *, webinar: bool = False) -> StartUrl: ...


class ManageLinks(Protocol):
    """The admin page of a training, where its approvals happen (GoTo Training)."""

    async def manage_url(self, training_key: str, /) -> StartUrl: ...


class SupportSessionCreation(Protocol):
    """Create a support session and maybe its start link (GoTo Assist)."""

    async def create_session(self) -> tuple[SupportSession, StartUrl | None]: ...


class TrainingReports(Protocol):
    """A training's past sessions and who attended each (GoTo Training)."""

    async def sessions(
        self, training_key: str, /, *, organizer_key: str | None = None
    ) -> list[TrainingSession]: ...

    async def attendance(
        self, session_key: str, /, *, organizer_key: str | None = None
    ) -> list[Attendee]: ...


class MeetingAttendees(Protocol):
    """Who attended a past meeting (GoTo Meeting)."""

    async def attendees(
        self, meeting_id: str, /, *, start: datetime | None = None, end: datetime | None = None
    ) -> list[Attendee]: ...


class RecordingDownloads(Protocol):
    """Where a recording's bytes are, asked anew on every attempt (GoTo Meeting, Zoom)."""

    async def download_target(self, recording: Recording, /) -> DownloadTarget: ...


class TrainingRecordingDownloads(Protocol):
    """Where a training recording's bytes are (GoTo Training: by training and id)."""

    async def download_target(self, training_key: str, recording_id: str, /) -> DownloadTarget: ...


__all__ = [
    "EventRegistration",
    "HasCapabilities",
    "HostedMeetingCreation",
    "ManageLinks",
    "MeetingAttendees",
    "MeetingWrites",
    "RecordingDownloads",
    "RegistrantCancels",
    "RegistrantStatusWrites",
    "StartLinks",
    "SupportSessionCreation",
    "TrainingRecordingDownloads",
    "TrainingRegistration",
    "TrainingReports",
    "WebinarStartLinks",
]
