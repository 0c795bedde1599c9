"""The provider interface: what each API adapter offers, in domain types.

What each can do is `tui.core.providers.capabilities` (re-exported here). The Deck and
the sync engine code against these Protocols; the concrete classes in
`goto_meeting.py`, `goto_training.py`, `goto_assist.py` and `zoom.py` implement them
over `tui.core.net.client.ApiClient`. Every method returns provider-neutral models from
`tui.core.models` and raises only typed errors from `tui.core.errors`
(NotSignedIn, SessionExpired, NeedsAdmin, NotFound, RateLimited, ServiceUnavailable,
NetworkUnreachable, BadResponse, RequestRejected, DownloadError).

Recording downloads: `download_target(...)` answers a `tui.core.downloads.queue.DownloadTarget`
(final URL after the provider's redirect, headers to send there, expected size), which
is what `tui.core.downloads.queue` calls its resolver; call it again on every attempt, since
signed file URLs expire. `open_recording(...)` streams the bytes directly from an
offset, for callers that do not need the resumable manager.

Writes (register, cancel, approve, deny, create) are never retried blindly; reads are
retried by the HTTP layer. Start URLs are fetched on demand and never cached or logged.

Keys: every key is a string. GoTo Meeting historical meetings are keyed
"meetingId:sessionId" (a recurring meeting has many sessions), upcoming ones by
meetingId; methods taking a meeting id accept both forms. Registrant pages of Zoom
come in every status (the API alone would give approved only).

Build the adapters of a profile with `tui.core.providers.ProviderSet.for_profile(...)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from tui.core.downloads.target import DownloadTarget
from tui.core.models import (
    ActionResult,
    Attendee,
    Group,
    Meeting,
    Organizer,
    Progress,
    Recording,
    Registrant,
    StartUrl,
    SupportSession,
    Training,
    TrainingSession,
    Webinar,
    no_progress,
)
from tui.core.providers.capabilities import ALLOWED, Capabilities, Capability, RegistrantAction

# Zoom accepts at most this many registrants per status-update call.
ZOOM_STATUS_CHUNK = 30
# Zoom's largest registrant page.
ZOOM_PAGE_SIZE = 300
# GoTo Meeting's historical report accepts windows of at most this many days.
GOTO_HISTORY_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class ByteStream:
    """An open response body, from `offset`, with what the server said about it.

    Attributes:
        offset: The byte the stream starts at (0, or the Range start honoured).
        total: The whole file's size when known.
        etag: The server's validator, when given.
        content_type: Media type of the body.
        chunks: The body, chunk by chunk.
    """

    offset: int
    total: int | None
    etag: str | None
    content_type: str | None
    chunks: AsyncIterator[bytes]


@dataclass(frozen=True, slots=True)
class HistoricalMeetings:
    """GoTo Meeting history: the meetings, and the recordings some of them have."""

    meetings: tuple[Meeting, ...]
    recordings: tuple[Recording, ...]


@runtime_checkable
class GoToMeetingApi(Protocol):
    """GoTo Meeting (G2M REST v1)."""

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can do (may change after sign-in, e.g. the admin role)."""
        ...

    async def organizers(self, *, email: str | None = None) -> list[Organizer]:
        """All organizers of the account (admin role), or the one with `email`."""
        ...

    async def groups(self) -> list[Group]:
        """Organizer groups (admin role; 403 -> NeedsAdmin)."""
        ...

    async def upcoming_meetings(
        self, *, organizer_key: str | None = None, group_key: str | None = None
    ) -> list[Meeting]:
        """Upcoming meetings: the signed-in organizer's, one organizer's or one group's."""
        ...

    async def historical_meetings(
        self,
        since: datetime,
        until: datetime,
        *,
        organizer_key: str | None = None,
        group_key: str | None = None,
    ) -> HistoricalMeetings:
        """Past meetings in [since, until], fetched in windows of at most 30 days.

        Windows are merged and deduplicated by (meetingId, sessionId); recordings of
        those sessions come back as Recording objects. Another organizer's or a
        group's history needs the admin role (NeedsAdmin).
        """
        ...

    async def meetings(self, *, organizer_key: str | None = None) -> list[Meeting]:
        """Scheduled meetings (GET /meetings or /organizers/{key}/meetings)."""
        ...

    async def meeting(self, meeting_id: str) -> Meeting:
        """One meeting (the API answers with a one-element array)."""
        ...

    async def attendees(
        self, meeting_id: str, /, *, start: datetime | None = None, end: datetime | None = None
    ) -> list[Attendee]:
        """Attendees of a past meeting's sessions (of one, given its start and end)."""
        ...

    async def start_url(self, meeting_id: str) -> StartUrl:
        """The host URL to start a meeting. Fetched now, never cached, never logged."""
        ...


@runtime_checkable
class GoToTrainingApi(Protocol):
    """GoTo Training (G2T REST v1). Most paths need the signed-in organizer key."""

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can do (may change after sign-in, e.g. the admin role)."""
        ...

    async def organizers(self, account_key: str | None = None) -> list[Organizer]:
        """Organizers of the account (GET /accounts/{accountKey}/organizers)."""
        ...

    async def trainings(self, *, organizer_key: str | None = None) -> list[Training]:
        """All trainings of the organizer (default: the signed-in one)."""
        ...

    async def training(self, training_key: str, *, organizer_key: str | None = None) -> Training:
        """One training."""
        ...

    async def registrants(
        self, training_key: str, *, organizer_key: str | None = None
    ) -> list[Registrant]:
        """Every registrant of a training (WAITING, APPROVED, DENIED)."""
        ...

    async def registrant(
        self, training_key: str, registrant_key: str, *, organizer_key: str | None = None
    ) -> Registrant:
        """One registrant."""
        ...

    async def register(
        self,
        training_key: str,
        *,
        email: str,
        given_name: str,
        surname: str,
        organizer_key: str | None = None,
    ) -> Registrant:
        """Register one person (POST, never retried). 409 -> RequestRejected."""
        ...

    async def cancel_registrants(
        self,
        training_key: str,
        registrant_keys: Sequence[str],
        *,
        organizer_key: str | None = None,
        progress: Progress = no_progress,
    ) -> ActionResult:
        """Cancel registrations one DELETE each; per-key outcomes, never retried, each
        handed to `progress` before the next DELETE."""
        ...

    async def start_url(self, training_key: str, *, organizer_key: str | None = None) -> StartUrl:
        """GET .../trainings/{key}/startUrl (a bare JSON string). Never cached or logged."""
        ...

    async def start(self, training_key: str) -> StartUrl:
        """GET /trainings/{key}/start ({hostURL}). Never cached or logged."""
        ...

    async def manage_url(self, training_key: str, *, organizer_key: str | None = None) -> StartUrl:
        """The admin-site link where approvals happen (a bare JSON string)."""
        ...

    async def update_registration_settings(
        self,
        training_key: str,
        *,
        disable_confirmation_email: bool,
        disable_web_registration: bool,
        organizer_key: str | None = None,
    ) -> None:
        """PUT .../registrationSettings (idempotent)."""
        ...

    async def sessions(
        self, training_key: str, *, organizer_key: str | None = None
    ) -> list[TrainingSession]:
        """Past sessions of a training with attendance counts."""
        ...

    async def sessions_between(
        self, since: datetime, until: datetime, *, organizer_key: str | None = None
    ) -> list[TrainingSession]:
        """Past sessions of every training in a date range (a read-only POST report)."""
        ...

    async def attendance(
        self, session_key: str, *, organizer_key: str | None = None
    ) -> list[Attendee]:
        """Attendees of one session."""
        ...

    async def recordings(self, training_key: str) -> list[Recording]:
        """Recordings of a training."""
        ...

    async def download_target(self, training_key: str, recording_id: str) -> DownloadTarget:
        """Resolve the 302 to the file without sending the GoTo token to another host."""
        ...

    def open_recording(
        self, training_key: str, recording_id: str, *, offset: int = 0
    ) -> AbstractAsyncContextManager[ByteStream]:
        """Stream a recording from `offset` (Range); HTML instead of a file -> DownloadError."""
        ...


@runtime_checkable
class GoToAssistApi(Protocol):
    """GoTo Assist Seeit (v1)."""

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can do (may change after sign-in, e.g. the admin role)."""
        ...

    def session_pages(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        page_size: int = 100,
    ) -> AsyncIterator[list[SupportSession]]:
        """Support sessions page by page (all pages)."""
        ...

    async def sessions(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[SupportSession]:
        """Every support session in the range (all pages)."""
        ...

    async def session(self, uuid: str) -> SupportSession:
        """One support session."""
        ...

    async def create_session(self) -> tuple[SupportSession, StartUrl | None]:
        """Create a session (POST, never retried); its start URL is returned, not stored."""
        ...


@runtime_checkable
class ZoomApi(Protocol):
    """Zoom REST v2 (Server-to-Server OAuth)."""

    @property
    def capabilities(self) -> Capabilities:
        """What this provider can do (may change after sign-in, e.g. the admin role)."""
        ...

    async def users(self) -> list[Organizer]:
        """Every user of the account (all pages)."""
        ...

    async def webinars(self, user_id: str = "me") -> list[Webinar]:
        """A user's webinars (all pages)."""
        ...

    async def webinar(self, webinar_id: str) -> Webinar:
        """One webinar."""
        ...

    def webinar_registrant_pages(
        self, webinar_id: str, *, page_size: int = ZOOM_PAGE_SIZE, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        """Registrants of every status (pending, approved, denied), one page at a time
        (each with `event_title`, when given: Zoom's lists do not name the event)."""
        ...

    async def webinar_registrants(self, webinar_id: str) -> list[Registrant]:
        """All registrants of every status (collects `webinar_registrant_pages`)."""
        ...

    async def webinar_registrant(self, webinar_id: str, registrant_id: str) -> Registrant:
        """One webinar registrant."""
        ...

    async def set_webinar_registrant_status(
        self,
        webinar_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult:
        """Approve/deny/cancel, at most 30 per call; outcomes confirmed by a 2xx only,
        each call's outcomes handed to `progress` before the next call."""
        ...

    async def meetings(self, user_id: str = "me") -> list[Meeting]:
        """A user's scheduled meetings (all pages)."""
        ...

    async def meeting(self, meeting_id: str) -> Meeting:
        """One meeting (its start_url is dropped; see `start_url`)."""
        ...

    async def start_url(self, meeting_id: str) -> StartUrl:
        """The host start URL, from GET /meetings/{id}. Never cached or logged."""
        ...

    def meeting_registrant_pages(
        self, meeting_id: str, *, page_size: int = ZOOM_PAGE_SIZE, event_title: str | None = None
    ) -> AsyncIterator[list[Registrant]]:
        """Meeting registrants of every status, one page at a time (each with
        `event_title`, when given)."""
        ...

    async def meeting_registrants(self, meeting_id: str) -> list[Registrant]:
        """All meeting registrants of every status."""
        ...

    async def meeting_registrant(self, meeting_id: str, registrant_id: str) -> Registrant:
        """One meeting registrant."""
        ...

    async def set_meeting_registrant_status(
        self,
        meeting_id: str,
        action: RegistrantAction,
        registrants: Sequence[Registrant],
        progress: Progress = no_progress,
    ) -> ActionResult:
        """Approve/deny/cancel meeting registrants, at most 30 per call."""
        ...

    async def recordings(
        self,
        user_id: str = "me",
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Recording]:
        """Cloud recording files of a user's meetings (all pages)."""
        ...

    async def meeting_recordings(self, meeting_id: str) -> list[Recording]:
        """Recording files of one meeting."""
        ...

    async def download_target(self, recording: Recording) -> DownloadTarget:
        """What to send to fetch a recording file (the Zoom bearer, to Zoom only)."""
        ...


__all__ = [
    "ALLOWED",
    "GOTO_HISTORY_WINDOW_DAYS",
    "ZOOM_PAGE_SIZE",
    "ZOOM_STATUS_CHUNK",
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
