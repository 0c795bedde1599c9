"""`CacheView`: what a profile's cache answers, synchronously, without the network.

Every read of the Deck is cache-first: a `ListView` answers from the local SQLite cache
in milliseconds (filter, sort and paging happen in SQL) and says how old its data is.
The first frame of the TUI and `meetdeck lookup` need nothing else; the `Deck` is a
`CacheView` that also connects, refreshes, writes and downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from tui.core.deck.details import Details
from tui.core.models import EventKind, Provider
from tui.core.store.views import ALL, SearchKind, ViewQuery
from tui.core.sync.types import Scope

if TYPE_CHECKING:
    from tui.core.deck.types import Detail, ListView
    from tui.core.models import (
        Group,
        Meeting,
        Organizer,
        Recording,
        Registrant,
        SupportSession,
    )
    from tui.core.store.db import Store
    from tui.core.store.views import Event, SearchHit, SyncStamp


class CacheView:
    """Reads of one profile's cache: lists, single records, details, search, freshness.

    Args:
        store: The profile's cache.
        profile_name: The profile's name (shown in the header).
        accent: The profile's header colour.
        profiles: Names of every configured profile.
    """

    def __init__(
        self,
        store: Store,
        *,
        profile_name: str,
        accent: str | None = None,
        profiles: Sequence[str] = (),
    ) -> None:
        self._store = store
        self.profile_name = profile_name
        self.accent = accent
        self._profiles = tuple(profiles)
        self._details = Details(store, None, None)

    @property
    def notice(self) -> str | None:
        """A sentence to show once when the cache file was moved aside and rebuilt."""
        return self._store.notice

    def profiles(self) -> tuple[str, ...]:
        """Names of the configured profiles (to switch)."""
        return self._profiles

    # -- reads (synchronous, from the cache) --------------------------------------

    def organizers(self, q: ViewQuery = ALL) -> ListView[Organizer]:
        """Organizers (GoTo) and users (Zoom). Sorts: name, email, provider."""
        return self._store.organizers(q)

    def groups(self, q: ViewQuery = ALL) -> ListView[Group]:
        """GoTo Meeting's organizer groups. Sorts: name."""
        return self._store.groups(q)

    def meetings(self, q: ViewQuery = ALL) -> ListView[Meeting]:
        """Meetings; `q.kind` picks upcoming or historical (live ones first). Sorts:
        start, subject, organizer."""
        return self._store.meetings(q)

    def events(self, q: ViewQuery = ALL) -> ListView[Event]:
        """Trainings and webinars side by side. Sorts: start, title, organizer, pending."""
        return self._store.events(q)

    def registrants(self, q: ViewQuery = ALL) -> ListView[Registrant]:
        """Registrants, usually of `q.event_key`. Sorts: name, email, registered, status."""
        return self._store.registrants(q)

    def recordings(self, q: ViewQuery = ALL) -> ListView[Recording]:
        """Recordings. Sorts: start, name, size."""
        return self._store.recordings(q)

    def interruptible(self, stop: Callable[[], bool]) -> AbstractContextManager[Callable[[], None]]:
        """While inside, this thread's long reads of a view (a count, a filter's
        matches) end with an error when `stop()` is true as they start, or as soon as
        the callable the scope yields is called (from any thread): the `/` filter's
        thread stops counting when a newer keystroke comes."""
        return self._store.interruptible(stop)

    def support_sessions(self, q: ViewQuery = ALL) -> ListView[SupportSession]:
        """GoTo Assist support sessions. Sorts: created, status, technician."""
        return self._store.support_sessions(q)

    def recording(self, key: str, *, provider: Provider | None = None) -> Recording | None:
        """One cached recording by key (None: not in the cache)."""
        return self._store.recording(key, provider)

    def registration_events(self, key: str, provider: Provider | None = None) -> list[Scope]:
        """The registrants scopes of the cached events whose key is `key`: trainings,
        webinars and Zoom meetings that take registrations (one per provider at most;
        none when the cache does not know the key)."""
        found: list[Scope] = []
        for each in (provider,) if provider is not None else tuple(Provider):
            event = self._store.event(key, each)
            if event is not None:
                found.append(Scope.registrants(event.provider, event.kind, event.key))
                continue
            meeting = self._store.meeting(key, each)
            if meeting is not None and meeting.has_registration:
                found.append(Scope.registrants(meeting.provider, EventKind.MEETING, meeting.key))
        return found

    def detail(
        self,
        kind: SearchKind | str,
        key: str,
        *,
        provider: Provider | None = None,
        event_key: str | None = None,
    ) -> Detail | None:
        """The full object with its related rows, or None if the cache lacks it.

        More: `Details.read`.
        """
        return self._details.read(kind, key, provider=provider, event_key=event_key)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Search names, emails, subjects, titles, recordings' file names and support
        sessions' keys and notes (FTS5), prefix matches first."""
        return self._store.search(text, limit=limit)

    def stamp(self, scope: Scope) -> SyncStamp | None:
        """How fresh one scope is (None: never synced)."""
        return self._store.stamp(scope.id)


__all__ = ["CacheView"]
