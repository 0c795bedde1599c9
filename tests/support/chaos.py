"""Helpers of the chaos suite: a fast sandbox, its control API, Decks on copied caches.

The sandbox here has no rate limits (`rate_limit_scale=0`) and the profile allows
itself 1000 requests a second, so a full sync takes well under a second and a fault
scenario costs what its fault costs. Each test works on its own copy of a cache synced
once per module, and signs in afresh (GoTo refresh tokens rotate, so sharing a token
file between tests would make one test's refresh another's dead session).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.chaos.summary import TALLY
from tests.support.control import Control
from tests.support.decks import DeckSpec, sandbox_profile, sync_cache
from tui.core.deck.facade import Deck
from tui.core.models import Provider
from tui.core.settings.config import HttpSettings, ProfileSettings
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery

SEED = 21
REGISTRANTS = 320
PROFILE = "chaos"
#: One retry with a short backoff: enough to see that retries happen, fast to give up.
HTTP = HttpSettings(
    max_retries=1, max_backoff=0.2, connect_timeout=2.0, read_timeout=3.0, max_concurrency=4
)
#: For scenarios whose answers are slow to build (bodies of many megabytes): on a
#: loaded machine the sandbox takes longer than HTTP's three seconds to answer, and the
#: scenario is about what the client does with the body, not about time.
PATIENT_HTTP = HttpSettings(
    max_retries=1, max_backoff=0.2, connect_timeout=10.0, read_timeout=120.0, max_concurrency=4
)
#: The secrets of the sandbox's demo apps (they must never leave config and token store).
CLIENT_SECRETS = ("demo-admin-secret", "demo-zoom-secret")


def sandbox_config(**changes: Any) -> Any:
    """A sandbox without rate limits and with small files (fast to sync and download)."""
    from tui.sandbox.server import SandboxConfig

    settings: dict[str, Any] = {
        "port": 0,
        "seed": SEED,
        "registrants": REGISTRANTS,
        "recording_bytes": 60_000,
        "rate_limit_scale": 0,
    }
    settings.update(changes)
    return SandboxConfig(**settings)


#: The chaos suite's Deck: its own profile, no client-side rate limits to speak of.
CHAOS = DeckSpec(name=PROFILE, http=HTTP, rate_limit=1000.0, profiles=(PROFILE,))


def fast_profile(base_url: str) -> ProfileSettings:
    """The demo profile on `base_url`, without client-side rate limits."""
    return sandbox_profile(base_url, CHAOS)


def paths_in(base: Path) -> Paths:
    return Paths(base / "config", base / "data", base / "cache", base / "download")


def tally(request: pytest.FixtureRequest, kind: str, count: int = 1) -> None:
    """Count `count` fault scenarios of `kind` for the terminal summary."""
    request.node.user_properties.append((TALLY, (kind, count)))


# -- a cache synced once, copied per test ------------------------------------------------


@dataclass
class SyncedCache:
    """A sandbox and a cache synced from it (stamps back-dated two hours)."""

    base_url: str
    template: Path
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def control(self) -> Control:
        return Control(self.base_url)

    def install(self, base: Path) -> Paths:
        """Copy the cache (not the tokens) under `base`; the Paths there."""
        paths = paths_in(base)
        shutil.copytree(paths_in(self.template).cache_dir, paths.cache_dir)
        return paths


def sync_template(base_url: str, folder: Path) -> SyncedCache:
    """Sign in, sync everything into `folder`'s cache, back-date its stamps by 2 hours."""
    paths = paths_in(folder)
    sync_cache(base_url, paths, CHAOS)
    backdate(paths.cache_db(PROFILE, demo=True), timedelta(hours=2))
    return SyncedCache(base_url, folder, Control(base_url).state())


def backdate(db: Path, by: timedelta) -> None:
    """Move every sync stamp `by` into the past (so the screen shows an age)."""
    when = (datetime.now(UTC) - by).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(
                "UPDATE sync_stamps SET fetched_at = ? WHERE fetched_at IS NOT NULL", (when,)
            )
    finally:
        conn.close()


def fingerprint(deck: Deck) -> dict[str, int]:
    """Row counts of every list, per provider: what the panes would show."""
    counts: dict[str, int] = {}
    for provider in Provider:
        q = ViewQuery(provider=provider)
        counts[f"organizers:{provider}"] = deck.organizers(q).count()
        counts[f"meetings:{provider}"] = deck.meetings(q).count()
        counts[f"events:{provider}"] = deck.events(q).count()
        counts[f"registrants:{provider}"] = deck.registrants(q).count()
        counts[f"recordings:{provider}"] = deck.recordings(q).count()
    counts["support"] = deck.support_sessions().count()
    return counts


# -- secrets -----------------------------------------------------------------------------


def token_values(token_file: Path) -> list[str]:
    """Every access and refresh token in a token file."""
    import json

    if not token_file.exists():
        return []
    data = json.loads(token_file.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("access_token", "refresh_token") and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found


def leaks(text: str, secrets: list[str]) -> list[str]:
    """The secrets (shortened) that occur in `text`."""
    return [s[:12] + "..." for s in secrets if s and s in text]
