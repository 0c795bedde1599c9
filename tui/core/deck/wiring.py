"""What a Deck is built on, and the collaborators it builds over that.

The Deck's methods are its contract; the work is done by collaborators built with
exactly what each needs: `Details`, `Refresh`, `StartLinks`, the writes through the one
write gate (`Writes`, `EventWrites`, `MeetingChanges`) and `Files`. They are built
again when a cache-only Deck connects (`Deck.connect` adds the providers and engine).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from tui.core.audit import ConfirmedTargets
from tui.core.deck.details import Details
from tui.core.deck.event_writes import EventWrites
from tui.core.deck.files import Files
from tui.core.deck.meeting_writes import MeetingChanges
from tui.core.deck.refresh import Refresh
from tui.core.deck.start_links import StartLinks
from tui.core.deck.writes import Writes

if TYPE_CHECKING:
    from datetime import datetime

    from tui.core.deck.gate import WriteGate
    from tui.core.deck.health import Health
    from tui.core.downloads.queue import DownloadProgress
    from tui.core.models import Provider
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine


class DeckParts(NamedTuple):
    """What a Deck is built on, for tests that set up or inspect a cache directly."""

    store: Store
    providers: ProviderSet | None
    engine: SyncEngine | None


class Collaborators:
    """The Deck's collaborators over one set of parts.

    Args:
        parts: The store, and the providers and engine (None for a cache-only Deck).
        gate: The one write gate (its audit log says which cancellations were ours).
        health: Keeps each scope's latest outcome.
        paths: Where downloads and exports go.
        http: Timeouts of the download client.
        private_files: Recordings and exports are written 0600.
        download_watchers: Every download progress snapshot goes to them.
        keep: Holds a background task until it ends.
    """

    def __init__(
        self,
        parts: DeckParts,
        gate: WriteGate,
        health: Health,
        *,
        paths: Paths,
        http: HttpSettings | None,
        private_files: bool,
        download_watchers: Callable[[DownloadProgress], None],
        keep: Callable[[asyncio.Future[Any]], None],
    ) -> None:
        store, providers, engine = parts
        confirmed = ConfirmedTargets(gate.audit, profile=gate.profile, action="cancel")

        def cancels(provider: Provider, event: str, since: datetime) -> dict[str, datetime]:
            return confirmed.of(provider.value, event, since)

        if engine is not None:
            engine.keep_cancellations(cancels)
        self.details = Details(store, providers, engine)
        self.refresh = Refresh(engine, health)
        self.links = StartLinks(store, providers)
        self.writes = Writes(
            store,
            gate,
            providers,
            engine,
            self.links,
            profile_name=gate.profile,
            keep=keep,
            cancels=cancels,
        )
        self.event_writes = EventWrites(store, gate, providers, engine, profile_name=gate.profile)
        self.meetings = MeetingChanges(store, gate, providers, engine, profile_name=gate.profile)
        self.files = Files(
            paths, download_watchers, providers=providers, http=http, private=private_files
        )


__all__ = ["Collaborators", "DeckParts"]
