"""What `Deck.connect` adds to a cache-only Deck: the providers and the sync engine.

`open_profile_lazily` (`tui.core.deck.from_profile`) shows the cache before the
settings' validation, httpx, pydantic and the providers are imported; a `Connector`
builds them once, on first need, in a thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings, ProfileSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine


class DeckConnection:
    """What `Deck.connect` adds to a cache-only Deck: providers and a sync engine."""

    __slots__ = ("accent", "engine", "http", "private_files", "providers", "read_only")

    def __init__(
        self,
        providers: ProviderSet,
        engine: SyncEngine,
        *,
        http: HttpSettings | None,
        read_only: bool,
        accent: str | None,
        private_files: bool = True,
    ) -> None:
        self.private_files = private_files
        self.providers = providers
        self.engine = engine
        self.http = http
        self.read_only = read_only
        self.accent = accent

    @classmethod
    def build(
        cls,
        store: Store,
        paths: Paths,
        profile_name: str,
        profile: ProfileSettings,
        *,
        http: HttpSettings | None = None,
        demo: bool = False,
        concurrency: int | None = None,
        private_files: bool = True,
    ) -> DeckConnection:
        """Build a profile's providers and its sync engine over `store`."""
        from tui.core.providers.session import ProviderSet

        providers = ProviderSet.for_profile(profile_name, profile, paths, http, demo=demo)
        limit = concurrency or (http.max_concurrency if http else 4)
        engine = sync_engine(store, providers, concurrency=limit, history_days=profile.history_days)
        return cls(
            providers,
            engine,
            http=http,
            read_only=profile.read_only,
            accent=profile.accent,
            private_files=private_files,
        )


class Connector:
    """Builds a cache-only Deck's `DeckConnection` once, on first need.

    Args:
        connect: Builds the connection over the Deck's store (in a thread); None when
            there is nothing to build (the Deck was opened whole, or is a plain view
            of the cache).
    """

    def __init__(self, connect: Callable[[Store], DeckConnection] | None) -> None:
        self._connect = connect
        self._lock: asyncio.Lock | None = None

    @property
    def pending(self) -> bool:
        """True until the connection is built (never, for nothing to build)."""
        return self._connect is not None

    def _pending(self) -> Callable[[Store], DeckConnection] | None:
        return self._connect

    async def connect(self, store: Store) -> DeckConnection | None:
        """The connection, built now; None when it was built before or there is none.

        Concurrent calls wait for the first; a failure leaves it pending (the next
        call tries again).

        Raises:
            MeetdeckError: The settings are invalid (ConfigError) or the providers
                could not be built.
        """
        if self._connect is None:
            return None
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            connect = self._pending()
            if connect is None:  # connected while this call waited for the lock
                return None
            connection = await asyncio.to_thread(connect, store)
            self._connect = None
            return connection


def sync_engine(
    store: Store,
    providers: ProviderSet,
    *,
    concurrency: int = 4,
    history_days: int = 90,
    now: Callable[[], datetime] | None = None,
) -> SyncEngine:
    """The sync engine of a profile's providers over its cache: an admin's GoTo sign-in
    syncs the whole account, and GoTo Training reaches a cached training through its
    own organizer."""
    from tui.core.sync.engine import SyncEngine

    if providers.goto_training is not None:
        providers.goto_training.organizers_of = lambda key: _training_organizers(store, key)
    if providers.goto_meeting is not None:
        providers.goto_meeting.organizer_of = lambda key: _meeting_organizer(store, key)
    return SyncEngine(
        store,
        providers,
        concurrency=concurrency,
        history_days=history_days,
        now=now,
        account_wide=lambda: providers.goto_admin() is True,
    )


def _meeting_organizer(store: Store, meeting_key: str) -> str | None:
    """The organizer key of a cached GoTo Meeting meeting (None if not cached)."""
    from tui.core.models import Provider

    meeting = store.meeting(meeting_key, Provider.GOTO_MEETING)
    return meeting.organizer_key if meeting is not None else None


def _training_organizers(store: Store, training_key: str) -> tuple[str, ...]:
    """The organizer keys of a cached GoTo Training training (none if not cached)."""
    from tui.core.models import Provider, Training

    event = store.event(training_key, Provider.GOTO_TRAINING)
    source = event.source if event is not None else None
    return source.organizer_keys if isinstance(source, Training) else ()


__all__ = ["Connector", "DeckConnection", "sync_engine"]
