"""One API's failures as typed errors: what an `ApiClient` raises, and its sentences.

The outcomes themselves are mapped in `tui.core.net.errors` (a status, no answer, a
daily limit) and `tui.core.net.bounds` (too slow, too large); `ApiFailures` binds once
what every sentence of one API names (the product's label, the API's log name, its
host, whether a 403 means the admin role) and adds the two failures of reading a body
(not JSON, not the schema). Sentences name the endpoint, never a query string or a
secret, and clean any text that came from the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from pydantic import ValidationError

from tui.core.errors import BadResponse, MeetdeckError, NetworkUnreachable, ResponseTooLarge
from tui.core.net.bounds import too_large_error, too_slow_error
from tui.core.net.errors import clean_text, daily_limit_error, network_error, status_error
from tui.core.net.limits import DailyBlock


@dataclass(frozen=True, slots=True)
class ApiFailures:
    """The typed error of each way a request to one API can fail.

    Args:
        label: The product named in sentences ("GoTo Meeting").
        api: The API's short name in logs and errors ("goto_meeting").
        host: The API's host, named when it cannot be reached.
        forbidden_means_admin: A 403 is NeedsAdmin (GoTo) instead of RequestRejected.
        admin_hint: Sentence appended to NeedsAdmin errors.
    """

    label: str
    api: str
    host: str
    forbidden_means_admin: bool = False
    admin_hint: str = ""

    def status(
        self, response: httpx.Response, endpoint: str, expired: MeetdeckError | None
    ) -> MeetdeckError:
        """A non-2xx answer (after retries and a token refresh); `expired` for a 401."""
        return status_error(
            response,
            label=self.label,
            api=self.api,
            endpoint=endpoint,
            expired=expired,
            forbidden_means_admin=self.forbidden_means_admin,
            admin_hint=self.admin_hint,
        )

    def network(self, error: Exception | None, endpoint: str) -> NetworkUnreachable:
        """No answer at all: a connect failure, a reset or a timeout."""
        return network_error(
            error, label=self.label, api=self.api, host=self.host, endpoint=endpoint
        )

    def too_slow(self, endpoint: str, deadline: float) -> NetworkUnreachable:
        """The answer was not complete after `deadline` seconds."""
        return too_slow_error(
            label=self.label, api=self.api, host=self.host, endpoint=endpoint, deadline=deadline
        )

    def too_large(self, endpoint: str, limit_bytes: int) -> ResponseTooLarge:
        """The answer was longer than `limit_bytes`."""
        return too_large_error(
            label=self.label, api=self.api, endpoint=endpoint, limit_bytes=limit_bytes
        )

    def daily(self, block: DailyBlock, endpoint: str, now: datetime) -> MeetdeckError:
        """The API's daily limit is used up until `block.resets_at`."""
        return daily_limit_error(
            label=self.label,
            api=self.api,
            endpoint=endpoint,
            limit=block.name,
            resets_at=block.resets_at,
            now_=now,
        )

    def not_json(self, endpoint: str) -> BadResponse:
        """The body is not valid JSON (or is nested too deeply to read)."""
        return BadResponse(
            f"{self.label} sent a body for {endpoint} that is not valid JSON (or is "
            "nested too deeply to read). This is usually temporary; try again, and "
            "report it if it persists.",
            provider=self.api,
            endpoint=endpoint,
        )

    def unreadable(self, error: ValidationError, endpoint: str) -> BadResponse:
        """The body is JSON but not the schema: the sentence names the first field."""
        first = error.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "(body)"
        return BadResponse(
            f"{self.label} sent data for {endpoint} that meetdeck cannot read: field "
            f"'{clean_text(where, 80)}' {clean_text(first['msg'], 120).lower()}. Try again "
            "later, and report it if it persists.",
            field=where,
            provider=self.api,
            endpoint=endpoint,
        )
