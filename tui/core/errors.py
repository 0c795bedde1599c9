"""Typed errors at the service boundary.

Every error that can reach a person is one of these: it carries a short `title` and a
`sentence` that says what happened and what to do. Nothing here may contain a token,
a client secret or a start URL.
"""

from __future__ import annotations

# typing costs more than `meetdeck lookup`'s query, which imports this module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import ClassVar


class MeetdeckError(Exception):
    """Base class: a problem a person can act on."""

    title: ClassVar[str] = "Something went wrong"

    def __init__(
        self,
        sentence: str,
        *,
        provider: str | None = None,
        endpoint: str | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.provider = provider
        self.endpoint = endpoint
        self.code = code
        """The service's own error code from the answer's body (Zoom `code`), if any."""

    def __str__(self) -> str:
        return f"{self.title}: {self.sentence}"


class ConfigError(MeetdeckError):
    title = "Configuration problem"


class NotSignedIn(MeetdeckError):
    title = "Not signed in"


class SessionExpired(MeetdeckError):
    title = "Session expired"


class NeedsAdmin(MeetdeckError):
    title = "Needs the admin role"


class IdentityUnknown(MeetdeckError):
    """A sign-in the service accepted without saying who it is (no organizer key)."""

    title = "Organizer key unknown"


class NotFound(MeetdeckError):
    title = "Not found"


class RateLimited(MeetdeckError):
    title = "Rate limited"

    def __init__(
        self,
        sentence: str,
        *,
        retry_after: float | None = None,
        provider: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(sentence, provider=provider, endpoint=endpoint)
        self.retry_after = retry_after


class DailyLimitReached(RateLimited):
    """An API's daily limit is used up: no call to it is made again before `resets_at`.

    Attributes:
        limit: What the limit covers, as the sentence names it (an API such as
            "GET /webinars/{id}/registrants", or a rate category).
        resets_at: When the service takes calls again (aware, UTC); None only for an
            error rebuilt from a stored sentence.
    """

    title = "Daily limit reached"

    def __init__(
        self,
        sentence: str,
        *,
        limit: str = "",
        resets_at: datetime | None = None,
        retry_after: float | None = None,
        provider: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(sentence, retry_after=retry_after, provider=provider, endpoint=endpoint)
        self.limit = limit
        self.resets_at = resets_at


class ServiceUnavailable(MeetdeckError):
    title = "Service unavailable"


class BadResponse(MeetdeckError):
    title = "Bad response from the service"

    def __init__(
        self,
        sentence: str,
        *,
        field: str | None = None,
        provider: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(sentence, provider=provider, endpoint=endpoint)
        self.field = field


class ResponseTooLarge(BadResponse):
    """An answer bigger than `[http] max_body_bytes`; reading it was stopped."""

    title = "Answer too large"


class NotSupported(MeetdeckError):
    title = "Not supported by this provider"


class NetworkUnreachable(MeetdeckError):
    title = "Network unreachable"


class ReadOnlyMode(MeetdeckError):
    title = "Read-only profile"


class RequestRejected(MeetdeckError):
    """A 4xx the other classes do not cover (a validation error, a conflict)."""

    title = "Request rejected"


class UserUnavailable(MeetdeckError):
    """A per-user list the service refuses for that user alone (Zoom: a user who does not
    exist or is not in the account, 1001; one not allowed to host, 3161). A sync skips
    the user and keeps everyone else's rows."""

    title = "User skipped"

    def __init__(
        self,
        sentence: str,
        *,
        reason: str,
        provider: str | None = None,
        endpoint: str | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(sentence, provider=provider, endpoint=endpoint, code=code)
        self.reason = reason
        """What is wrong with the user, to follow its name: "cannot host webinars (3161)"."""


class RecordingNotReady(MeetdeckError):
    """A recording the service is still processing: nothing to download yet."""

    title = "Recording not ready"


class StorageError(MeetdeckError):
    """The local disk refused a write (full, read-only, permissions)."""

    title = "Cannot write to disk"


class StorageReadError(StorageError):
    """The local disk refused a read (an I/O error, permissions)."""

    title = "Cannot read from disk"


class DownloadError(MeetdeckError):
    title = "Download failed"
