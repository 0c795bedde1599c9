"""What each sync scope asks its provider for, page by page (used by `tui.core.sync.engine`).

Zoom scopes ask per cached Zoom user ("me" before the users were synced); GoTo
Training recordings per cached training. Events scopes, and Zoom meetings scopes,
name the registrants scopes that follow from them (`registrant_scopes`).

Signed in as a GoTo admin, the GoTo scopes cover the whole account: meetings per
organizer group where a group call can serve it (at most 50 organizers), else per
cached organizer; trainings per GoTo Training organizer, and each training's
registrants through its own organizer (those calls: `tui.core.sync.account`). A plain
organizer gets their own. Historical meetings come in aligned windows
(`history_window`), one scope each.

A Zoom user who is pending or deactivated is not asked (those calls cannot succeed),
and one Zoom refuses alone (`UserUnavailable`: 1001, 3161) is skipped: everyone else's
rows are stored, and the skip is noted on the scope (`Found.skipped`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from tui.core.errors import MeetdeckError, UserUnavailable
from tui.core.models import (
    LIST_LAG,
    EventKind,
    Meeting,
    Organizer,
    Provider,
    Recording,
    Registrant,
    RegistrantStatus,
    Training,
    Webinar,
    with_parent_names,
)
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery
from tui.core.sync.account import gathered, once, per_trainer, per_unit, unseen
from tui.core.sync.types import HISTORY_SETTLE, HISTORY_WINDOW_DAYS, Scope, ScopeKind

Pages = AsyncIterator[Sequence[Any]]
#: Zoom user statuses whose per-user lists cannot succeed (Zoom answers 1001).
UNASKED_STATUSES = frozenset({"pending", "inactive"})
#: Skipped users named in a scope's note; the rest are counted.
NAMED_SKIPS = 5
#: Meetings starting this soon after a window's end belong to the next window.
_NEXT_WINDOW = timedelta(minutes=1)


@dataclasses.dataclass(slots=True)
class Found:
    """What a scope's fetch found besides its rows.

    Attributes:
        children: Registrants scopes that follow from the rows (events, meetings).
        settled: Those of `children` whose event ended before their registrants were
            last fetched: nothing but meetdeck's own writes changes them now.
        skipped: Users left out of a per-user scope, each as "who reason".
    """

    children: list[Scope] = dataclasses.field(default_factory=list)
    settled: set[Scope] = dataclasses.field(default_factory=set)
    skipped: list[str] = dataclasses.field(default_factory=list)

    def note(self) -> str | None:
        """The skips in a sentence ("1 user skipped: ana@x cannot host webinars
        (3161)"), or None."""
        if not self.skipped:
            return None
        count = len(self.skipped)
        named = "; ".join(self.skipped[:NAMED_SKIPS])
        more = f"; and {count - NAMED_SKIPS} more" if count > NAMED_SKIPS else ""
        return f"{count} user{'s' if count != 1 else ''} skipped: {named}{more}"


#: Registrant key -> when meetdeck's cancellation was confirmed, for the registrations of
#: one event (provider, event key) cancelled at the given time or later.
CancelledHere = Callable[[Provider, str, datetime], Mapping[str, datetime]]


def none_cancelled(provider: Provider, event_key: str, since: datetime) -> Mapping[str, datetime]:
    """A `CancelledHere` that knows of no cancellation."""
    return {}


def keep_cancelled_here(
    people: Sequence[Registrant], cancelled: Mapping[str, datetime]
) -> list[Registrant]:
    """`people` as listed, except that those meetdeck cancelled and the provider still
    lists as registered show as CANCELLED (with when); once the provider lists them as
    gone (unregistered, deleted), its word stands."""
    if not cancelled:
        return list(people)
    return [
        dataclasses.replace(r, status=RegistrantStatus.CANCELLED, cancelled_here=cancelled[r.key])
        if r.key in cancelled and not r.status.withdrawn
        else r
        for r in people
    ]


def registrant_scopes(
    events: Iterable[Training | Webinar | Meeting], available: Callable[[Provider], bool]
) -> list[Scope]:
    """One registrants scope per training, webinar, and meeting that takes registration
    (of the providers `available` says the profile has)."""
    return [scope for _event, scope in registrant_scopes_of(events, available)]


def registrant_scopes_of(
    events: Iterable[Training | Webinar | Meeting], available: Callable[[Provider], bool]
) -> list[tuple[Training | Webinar | Meeting, Scope]]:
    """`registrant_scopes`, each with its event."""
    out: list[tuple[Training | Webinar | Meeting, Scope]] = []
    for event in events:
        if isinstance(event, Meeting):
            if not event.has_registration:
                continue
            kind = EventKind.MEETING
        else:
            kind = EventKind.TRAINING if isinstance(event, Training) else EventKind.WEBINAR
        if available(event.provider):
            out.append((event, Scope.registrants(event.provider, kind, event.key)))
    return out


def event_end(event: Training | Webinar | Meeting) -> datetime | None:
    """When an event ends: a training's last session, a meeting's end, else the start
    plus the duration (None: not known)."""
    if isinstance(event, Training):
        return max((end for _start, end in event.times), default=None)
    if isinstance(event, Meeting) and event.end is not None:
        return event.end
    if event.start is None or not event.duration_minutes:
        return None
    return event.start + timedelta(minutes=event.duration_minutes)


class ScopeFetcher:
    """Yields a scope's rows from its provider's adapter.

    Args:
        store: The profile's cache (cached users, events and meetings are read here).
        api: The adapter of a provider, or None where the profile has none.
        history: How far back historical data is fetched.
        now: The clock.
        account_wide: True when the GoTo sign-in is an admin's (the whole account is
            synced), False for a plain organizer (their own).
    """

    def __init__(
        self,
        store: Store,
        api: Callable[[Provider], Any],
        history: timedelta,
        now: Callable[[], datetime],
        account_wide: Callable[[], bool] = lambda: False,
    ) -> None:
        self._store = store
        self._api = api
        self._history = history
        self._now = now
        self.account_wide = account_wide
        self.widest: datetime | None = None
        """The oldest start of history asked for in this session (the UI's window)."""
        self.cancelled_here: CancelledHere = none_cancelled
        """Registrations meetdeck cancelled (the Deck reads them from its audit log)."""
        self.first_organizer: str | None = None
        """The organizer on screen: account-wide scopes ask for theirs first."""
        self.refetch = False
        """A refresh someone asked for: what ended is asked again too."""

    def available(self, provider: Provider) -> bool:
        return self._api(provider) is not None

    def cached_registration_events(self) -> list[Training | Webinar | Meeting]:
        """Every cached training and webinar, and the cached Zoom meetings that take
        registration."""
        events = self._store.events(ViewQuery())
        meetings = self._store.meetings(ViewQuery(provider=Provider.ZOOM))
        return [
            *(e.source for e in events.rows(0, events.count())),
            *(m for m in meetings.rows(0, meetings.count()) if m.has_registration),
        ]

    def _follow(self, events: Sequence[Training | Webinar | Meeting], found: Found) -> None:
        """The registrants scopes of `events` join `found`, those settled marked so."""
        for event, scope in registrant_scopes_of(events, self.available):
            found.children.append(scope)
            if self.settled(event, scope):
                found.settled.add(scope)

    def settled(self, event: Training | Webinar | Meeting, scope: Scope) -> bool:
        """Whether `event` ended before its registrants (`scope`) were last fetched:
        they change no more, but by meetdeck's own writes (which update the cache)."""
        end = event_end(event)
        if end is None or end > self._now():
            return False
        stamp = self._store.stamp(scope.id)
        return stamp is not None and stamp.fetched_at is not None and stamp.fetched_at > end

    def since(self, now: datetime) -> datetime:
        """Where history starts: `history_days` back, or further if the UI asked."""
        configured = now - self._history
        return configured if self.widest is None else min(configured, self.widest)

    async def pages(self, scope: Scope, found: Found) -> Pages:
        """The scope's rows, page by page (a whole list is one page); registrants
        scopes that follow from them, and users skipped, go to `found`."""
        now = self._now()
        since = self.since(now)
        api = self._api(scope.provider)
        if api is None:
            raise MeetdeckError(
                f"The profile has no {scope.provider.label} credentials.",
                provider=scope.provider.value,
            )
        kind, provider = scope.kind, scope.provider
        if kind is ScopeKind.ORGANIZERS:
            yield await (api.users() if provider is Provider.ZOOM else api.organizers())
        elif kind is ScopeKind.MEETINGS:
            if provider is Provider.ZOOM:
                async for meetings in self._per_user(api.meetings, found):
                    self._follow(meetings, found)
                    yield meetings
            elif self.account_wide():

                def upcoming(organizer: str | None, group: str | None) -> Any:
                    return api.upcoming_meetings(organizer_key=organizer, group_key=group)

                seen: set[str] = set()
                async for meetings in per_unit(self._store, upcoming, found, self.first_organizer):
                    yield unseen(meetings, seen)
            else:
                yield await api.upcoming_meetings()
        elif kind is ScopeKind.HISTORICAL:
            async for page in self._history_pages(scope, api, found, now):
                yield page
        elif kind is ScopeKind.EVENTS:
            if provider is Provider.ZOOM:
                async for webinars in self._per_user(api.webinars, found):
                    self._follow(webinars, found)
                    yield webinars
            elif self.account_wide():
                seen = set()
                async for trainings in per_trainer(self._store, api, found, self.first_organizer):
                    fresh = unseen(trainings, seen)
                    self._follow(fresh, found)
                    yield fresh
            else:
                trainings = await api.trainings()
                self._follow(trainings, found)
                yield trainings
        elif kind is ScopeKind.REGISTRANTS:
            async for page in self._registrant_pages(scope, api):
                yield page
        elif kind is ScopeKind.RECORDINGS:
            if provider is Provider.ZOOM:

                def recordings(user: str) -> Any:
                    return api.recordings(user, since=since, until=now)

                async for page in self._per_user(recordings, found):
                    yield page
            else:
                training_recordings: Callable[[str], Awaitable[list[Recording]]] = api.recordings
                ask, kept = self._training_recordings_to_ask(scope)
                yield kept
                async for found_recordings in gathered(ask, training_recordings):
                    yield found_recordings
        elif kind is ScopeKind.SUPPORT:
            async for page in api.session_pages(since=since, until=now):
                yield page
        elif kind is ScopeKind.GROUPS:
            yield with_parent_names(await api.groups())

    async def _registrant_pages(self, scope: Scope, api: Any) -> Pages:
        key = scope.event_key or ""
        title = self._event_title(scope)

        def titled(page: Sequence[Registrant]) -> list[Registrant]:
            if title is None or all(r.event_title for r in page):
                return list(page)
            return [r if r.event_title else dataclasses.replace(r, event_title=title) for r in page]

        if scope.provider is Provider.GOTO_TRAINING:
            owner = self._training_owner(key) if self.account_wide() else None
            people = await (
                api.registrants(key, organizer_key=owner) if owner else api.registrants(key)
            )
            since = self._now() - LIST_LAG[scope.provider]
            cancelled = await asyncio.to_thread(self.cancelled_here, scope.provider, key, since)
            yield titled(keep_cancelled_here(people, cancelled))
            return
        from tui.core.providers.zoom import Zoom  # here: a sync of GoTo alone needs none

        if isinstance(api, Zoom):
            # Plain values, staged without a record per person (each holds the title).
            kind = scope.event_kind or EventKind.WEBINAR
            async for plain in api.registrant_rows(kind, key, event_title=title):
                yield plain
            return
        pages = (
            api.meeting_registrant_pages(key, event_title=title)
            if scope.event_kind is EventKind.MEETING
            else api.webinar_registrant_pages(key, event_title=title)
        )
        async for page in pages:
            yield titled(page)

    async def _per_user(self, fetch: Callable[[str], Any], found: Found) -> Pages:
        """`fetch(user)` of each cached Zoom user who can answer ("me" before the users
        were synced). Pending and deactivated users are not asked; a user Zoom refuses
        alone is noted in `found.skipped` and the others go on."""
        view = self._store.organizers(ViewQuery(provider=Provider.ZOOM))
        cached: list[Organizer] = view.rows(0, view.count())
        users = [
            (user.key, user.email or user.key)
            for user in cached
            if (user.status or "").lower() not in UNASKED_STATUSES
        ]
        for key, name in users if cached else [("me", "me")]:
            try:
                rows = await fetch(key)
            except UserUnavailable as exc:
                found.skipped.append(f"{name} {exc.reason}")
                continue
            yield rows

    async def _history_pages(self, scope: Scope, api: Any, found: Found, now: datetime) -> Pages:
        """A window's past meetings (or, for a scope without one, the whole history),
        and the recordings of those meetings. The report's range includes both ends, so
        a meeting that starts at the window's end (in the next window's first minute)
        is left to the next window: no meeting is held by two. A meeting GoTo lists
        with a start outside the range asked for is kept (one odd record never drops)."""
        start = scope.since or self.since(now)
        end = start + timedelta(days=HISTORY_WINDOW_DAYS) if scope.since is not None else now
        until = min(end, now)

        def history(organizer: str | None, group: str | None) -> Any:
            if organizer is None and group is None:
                return api.historical_meetings(start, until)
            return api.historical_meetings(start, until, organizer_key=organizer, group_key=group)

        meetings: dict[str, Meeting] = {}
        recordings: dict[str, Recording] = {}
        async for found_history in (
            per_unit(self._store, history, found, self.first_organizer)
            if self.account_wide()
            else once(history(None, None))
        ):
            for m in found_history.meetings:
                if scope.since is None or not end <= m.start < end + _NEXT_WINDOW:
                    meetings.setdefault(m.key, m)
            for r in found_history.recordings:
                recordings.setdefault(r.key, r)
        yield sorted(meetings.values(), key=lambda m: m.start)
        yield [r for r in recordings.values() if r.event_key in meetings]

    def _training_owner(self, training_key: str) -> str | None:
        """The first organizer of a cached training (an admin asks through them)."""
        event = self._store.event(training_key, Provider.GOTO_TRAINING)
        source = event.source if event is not None else None
        if isinstance(source, Training) and source.organizer_keys:
            return source.organizer_keys[0]
        return None

    def _training_recordings_to_ask(self, scope: Scope) -> tuple[list[str], list[Recording]]:
        """The cached trainings whose recordings are asked for, and the cached
        recordings kept as they are: those of a training that ended a day
        (`HISTORY_SETTLE`) before the scope was last fetched, unless `refetch`."""
        stamp = self._store.stamp(scope.id)
        last = stamp.fetched_at if stamp is not None and not self.refetch else None
        view = self._store.events(ViewQuery(provider=scope.provider))
        ask: list[str] = []
        done: set[str] = set()
        for event in view.rows(0, view.count()):
            end = event_end(event.source)
            if last is not None and end is not None and end + HISTORY_SETTLE <= last:
                done.add(event.key)
            else:
                ask.append(event.key)
        if not done:
            return ask, []
        held = self._store.recordings(ViewQuery(provider=scope.provider))
        return ask, [r for r in held.rows(0, held.count()) if r.event_key in done]

    def _event_title(self, scope: Scope) -> str | None:
        """The cached title of a registrants scope's training, webinar or meeting."""
        key = scope.event_key or ""
        if scope.event_kind is EventKind.MEETING:
            meeting = self._store.meeting(key, scope.provider)
            return meeting.subject if meeting else None
        event = self._store.event(key, scope.provider)
        return event.title if event else None


__all__ = [
    "CancelledHere",
    "Found",
    "Pages",
    "ScopeFetcher",
    "keep_cancelled_here",
    "none_cancelled",
    "registrant_scopes",
]
