"""The Deck's refreshes: one scope now, or every scope, through the sync engine.

Progress of each goes to the caller's callback and to `Health`, which keeps each
scope's latest outcome for `Deck.health`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.core.errors import NotSupported
from tui.core.sync.types import Scope, ScopeKind, SyncFocus, SyncReport

if TYPE_CHECKING:
    from datetime import datetime

    from tui.core.deck.health import Health, ProgressCallback
    from tui.core.sync.engine import SyncEngine


class Refresh:
    """Refresh scopes through the sync engine, reporting progress to `health` too.

    Args:
        engine: The sync engine; None for a view of the cache that cannot sync.
        health: Keeps each scope's latest outcome.
    """

    def __init__(self, engine: SyncEngine | None, health: Health) -> None:
        self._engine = engine
        self._health = health

    def _need_engine(self) -> SyncEngine:
        if self._engine is None:
            raise NotSupported("This view of the cache cannot sync; open the profile.")
        return self._engine

    async def scope(self, scope: Scope, on_progress: ProgressCallback | None) -> SyncReport:
        """See `Deck.refresh`."""
        return await self._need_engine().refresh(scope, self._health.track(on_progress))

    async def every(
        self,
        on_progress: ProgressCallback | None,
        *,
        kinds: Sequence[ScopeKind] | None,
        since: datetime | None,
        refetch: bool,
        first: SyncFocus | None = None,
    ) -> SyncReport:
        """Refresh every scope (or those of `kinds`), reporting progress. Cancellable.
        What the screen shows (`first`) is fetched before the rest.

        Asking for REGISTRANTS alone refreshes the registrants of every cached event;
        with EVENTS too, those of the freshly synced events. `since` takes history
        (past meetings, Zoom recordings) back that far, beyond `history_days`; only
        the past meetings not held yet are fetched, and those still open, unless
        `refetch` (a refresh someone asked for) asks every window again. The
        registrants of an event that ended before they were last fetched are asked
        again only with `refetch`.
        """
        engine = self._need_engine()
        wanted = list(kinds) if kinds else list(ScopeKind)
        scopes = engine.scopes(wanted, since=since, refetch=refetch)
        follow = ScopeKind.REGISTRANTS in wanted
        if follow and ScopeKind.EVENTS not in wanted:
            scopes += engine.registrant_scopes(refetch=refetch)
        return await engine.run(
            scopes,
            self._health.track(on_progress),
            follow_events=follow,
            first=first,
            refetch=refetch,
        )

    def cancel(self) -> None:
        """Cancel a running refresh of every scope (its finished scopes stay stored)."""
        if self._engine is not None:
            self._engine.cancel()


__all__ = ["Refresh"]
