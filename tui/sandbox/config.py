"""Settings of the sandbox and its fixed demo credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

TOKEN_SHAPES = ("current", "legacy")
"""GoTo token replies the sandbox can give: today's host's, and the old host's."""


@dataclass
class SandboxConfig:
    """How the sandbox is served and what it generates.

    Attributes:
        host: Interface to bind; only loopback addresses are allowed.
        port: TCP port; 0 picks an ephemeral one (see `start_background`).
        seed: Seed of the generated data (same seed + anchor + size -> same data).
        registrants: Registrants of the one "big" Zoom webinar.
        organizers: GoTo organizers in the account (28 by default, the demo's). Above
            28, the extra ones come in groups of 20 to 60 (some over GoTo's 50-organizer
            cap on group calls), with meetings and trainings like the others.
        latency_ms: Delay added to every emulated request.
        error_rate: Probability of a random 500/502/503/504 on emulated requests.
        token_ttl: Lifetime of access tokens in seconds (`expires_in`).
        rate_limit_scale: Multiplier of every per-second rate limit; 0 disables them.
        zoom_plan: The Zoom account's plan, which sets its per-second limits ("pro",
            "business", "business_plus", "enterprise", "education"); the control API
            changes it at run time.
        anchor: The day the data is generated around (UTC); None means today's UTC
            midnight. Historical data lies before it, upcoming data after it.
        recording_bytes: Typical size of a recording file (each varies around it).
        large_recording_bytes: Size of the one "large" recording per product.
        request_log_size: Entries the request log keeps (oldest dropped first).
        seeit_409_ms: For this long after `POST /sessions`, `GET /sessions/{uuid}`
            answers 409 as the spec allows ("not consistent yet"); 0 turns it off.
        goto_token_shape: What `POST /oauth/token` answers: "current" (today's
            authentication.logmeininc.com: no organizer or account key, `expires_in` a
            number, no new `refresh_token` on refresh) or "legacy" (api.getgo.com's
            /oauth/v2: keys and `expires_in` as strings, the same refresh token again).
            `/oauth/v2/token` always answers the legacy shape.
        goto_refresh_rotates: A refresh consumes the refresh token sent and issues a
            new one (what one older copy of GoTo's page said); off by default, as
            neither host documents it today.
        registrant_lag_s: For this long (sandbox time) after a G2T registrant is
            deleted, the training's registrant list still shows them as they were: GoTo's
            registrant data "can take as long as two hours" to update. 0 turns it off;
            `POST /_sandbox/config` changes it while running.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    seed: int = 1
    registrants: int = 500
    organizers: int = 28
    latency_ms: int = 0
    error_rate: float = 0.0
    token_ttl: int = 3600
    rate_limit_scale: float = 1.0
    zoom_plan: str = "pro"
    anchor: datetime | None = None
    recording_bytes: int = 4_000_000
    large_recording_bytes: int = 2_500_000_000
    request_log_size: int = 5000
    seeit_409_ms: int = 0
    goto_token_shape: str = "current"  # noqa: S105 (a reply shape, not a secret)
    goto_refresh_rotates: bool = False
    registrant_lag_s: int = 0

    def __post_init__(self) -> None:
        if self.organizers < 2:
            raise ValueError("organizers must be at least 2 (the admin and an organizer)")
        if self.goto_token_shape not in TOKEN_SHAPES:
            raise ValueError(f"goto_token_shape must be one of {', '.join(TOKEN_SHAPES)}")

    def resolved_anchor(self) -> datetime:
        """The anchor as an aware UTC datetime (today's UTC midnight by default)."""
        if self.anchor is None:
            now = datetime.now(UTC)
            return now.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.anchor.tzinfo is None:
            return self.anchor.replace(tzinfo=UTC)
        return self.anchor.astimezone(UTC)


GOTO_ADMIN_CLIENT = ("demo-admin", "demo-admin-secret")
GOTO_ORGANIZER_CLIENT = ("demo-organizer", "demo-organizer-secret")
ZOOM_ACCOUNT_ID = "demo-account"
ZOOM_CLIENT = ("demo-zoom", "demo-zoom-secret")
