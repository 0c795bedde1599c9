"""Builders of domain models for the store, sync and Deck tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.downloads.queue import DownloadProgress, DownloadState
from tui.core.models import (
    EventKind,
    Meeting,
    MeetingKind,
    Organizer,
    Provider,
    Registrant,
    RegistrantStatus,
    Training,
    Webinar,
)
from tui.core.store.db import Store
from tui.core.store.schema import migrate
from tui.core.store.tables import REGISTRANTS

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def registrant(
    i: int,
    event_key: str = "w1",
    *,
    first: str = "Ann",
    last: str = "Lee",
    status: RegistrantStatus = RegistrantStatus.PENDING,
    provider: Provider = Provider.ZOOM,
    email: str | None = None,
    **kw: Any,
) -> Registrant:
    return Registrant(
        provider,
        f"r{i}",
        event_key,
        EventKind.WEBINAR if provider is Provider.ZOOM else EventKind.TRAINING,
        email or f"{first.lower()}.{last.lower()}{i}@example.com",
        first,
        last,
        status,
        status.value,
        registered_at=T0 + timedelta(minutes=i),
        **kw,
    )


def webinar(key: str = "w1", topic: str = "Quarterly all-hands", host: str = "u1") -> Webinar:
    return Webinar(Provider.ZOOM, key, topic, T0, 60, "UTC", host, "host@example.com")


def training(key: str = "t1", name: str = "Onboarding") -> Training:
    return Training(
        Provider.GOTO_TRAINING,
        key,
        name,
        times=((T0, T0 + timedelta(hours=1)),),
        organizer_keys=("o1",),
        organizer_names=("Olga Ivanova",),
    )


def organizer(
    key: str = "u1", email: str = "host@example.com", provider: Provider = Provider.ZOOM
) -> Organizer:
    return Organizer(provider, key, email, "Hana", "Host")


def meeting(
    key: str = "m1", subject: str = "Weekly sync", kind: MeetingKind = MeetingKind.UPCOMING
) -> Meeting:
    return Meeting(
        Provider.GOTO_MEETING,
        key,
        kind,
        subject,
        T0,
        organizer_key="o1",
        organizer_name="Olga Ivanova",
    )


def put(
    store: Store,
    scope: str,
    models: Iterable[Any],
    provider: str = "zoom",
    when: datetime | None = None,
) -> int:
    """Replace one scope's rows through a writer, as sync does."""
    writer = store.writer()
    try:
        with writer.replace(scope, provider) as batch:
            batch.add(list(models))
            return batch.commit(when)
    finally:
        writer.close()


def old_cache(path: Path, version: int = 2) -> None:
    """A cache as meetdeck wrote it at `version`, with one registrant."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, 0, to=version)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "INSERT INTO registrants (scope, provider, profile, fetched_at, key, search, data, "
        "event_key, event_kind, status, email) VALUES ('registrants:zoom:w1', 'zoom', 'p', "
        "'2025-01-01T00:00:00.000000Z', 'r1', 'ann lee ann@example.com', ?, 'w1', "
        "'webinar', 'pending', 'ann@example.com')",
        (
            '{"provider":"zoom","key":"r1","event_key":"w1","event_kind":"webinar",'
            '"email":"Ann@Example.com","first_name":"Ann","last_name":"Lee",'
            '"status":"pending","provider_status":"pending"}',
        ),
    )
    conn.execute(
        "INSERT INTO search_index (rowid, text) SELECT id * 8 + 4, search FROM registrants"
    )
    conn.close()


def registrants_of_old(conn: sqlite3.Connection, people: Iterable[Registrant]) -> None:
    """Rows of a cache at schema 12 to 14 on `conn`: each person in the scope of its
    event (`registrant_scopes`, numbered as first met), ids from 1 in this order."""
    scopes: dict[str, int] = {}
    for n, r in enumerate(people, 1):
        if r.event_key not in scopes:
            scopes[r.event_key] = len(scopes) + 1
            conn.execute(
                "INSERT INTO registrant_scopes (id, scope) VALUES (?, ?)",
                (scopes[r.event_key], f"registrants:zoom:{r.event_key}"),
            )
        search, *columns = REGISTRANTS.extract(r)
        conn.execute(
            "INSERT INTO registrants (id, sid, provider, key, search, data, event_key, "
            "event_kind, status, sort_name, email, registered_at, more) "
            "VALUES (?, ?, 'zoom', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (n, scopes[r.event_key], r.key, search, REGISTRANTS.encode(r), *columns),
        )


def fixed_downloads(*, failed: bool) -> list[DownloadProgress]:
    """Three downloads as the Deck reports them, with fixed figures (real speeds and times
    change on every run): one running and resumed, one saved with its path, and one
    failed with its reason (`failed`) or still queued. The downloads snapshot and the
    README's screenshot both show them."""
    third = (
        DownloadProgress(
            "rec-3",
            "Board review.mp4",
            DownloadState.FAILED,
            received=1_048_576,
            total=73_400_320,
            error="The connection dropped while downloading Board review.mp4; "
            "the partial file is kept and the next attempt resumes it.",
        )
        if failed
        else DownloadProgress("rec-3", "Board review.mp4", DownloadState.QUEUED)
    )
    return [
        DownloadProgress(
            "rec-1",
            "Town hall – March.mp4",
            DownloadState.RUNNING,
            received=41_943_040,
            total=104_857_600,
            speed=2_621_440.0,
            resumed_from=10_485_760,
        ),
        DownloadProgress(
            "rec-2",
            "Weekly sync (audio only).m4a",
            DownloadState.DONE,
            received=5_242_880,
            total=5_242_880,
            path=Path("/home/me/Downloads/Weekly sync (audio only).m4a"),
        ),
        third,
    ]
