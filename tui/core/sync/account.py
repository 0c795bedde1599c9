"""Signed in as a GoTo admin, a scope covers the whole account: the calls it makes.

GoTo Meeting's meetings are asked per organizer group where a group call can serve it
(at most 50 organizers), else per cached organizer; GoTo Training's trainings per
GoTo Training organizer of the account. A few calls are in flight at once
(`gathered`; the HTTP layer paces them per API), and their rows come in the units'
order, so the cache holds them in the same order on every run. The organizer on
screen (`SyncFocus.organizer_key`) is asked first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from tui.core.errors import NotFound, RequestRejected
from tui.core.models import Organizer, Provider, Training
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery

#: GoTo Meeting's group calls serve groups of at most this many organizers.
GROUP_CALL_MAX = 50
#: Calls one account-wide scope keeps in flight (the HTTP layer paces them per API).
UNIT_CONCURRENCY = 4
T = TypeVar("T")
U = TypeVar("U")


class Keyed(Protocol):
    """A row with a key (meetings, trainings)."""

    @property
    def key(self) -> str: ...


K = TypeVar("K", bound=Keyed)


class Skips(Protocol):
    """Where the users a scope leaves out are noted (`tui.core.sync.fetch.Found`)."""

    @property
    def skipped(self) -> list[str]: ...


async def per_unit(
    store: Store,
    fetch: Callable[[str | None, str | None], Any],
    found: Skips,
    first: str | None = None,
) -> AsyncIterator[Any]:
    """`fetch(organizer_key, group_key)` over the whole GoTo account: one call per
    group the group calls serve (2 to 50 cached organizers), one per other cached
    organizer; the signed-in organizer's own call when none are cached. A group
    call refused (a group larger than the cache knew) falls back to its members;
    an organizer GoTo no longer knows is skipped and noted. The unit of organizer
    `first` (the one on screen) is asked first."""
    view = store.organizers(ViewQuery(provider=Provider.GOTO_MEETING))
    cached: list[Organizer] = view.rows(0, view.count())
    if not cached:
        yield await fetch(None, None)
        return
    members: dict[str, list[Organizer]] = {}
    for person in cached:
        members.setdefault(person.group_key or "", []).append(person)
    units: list[tuple[str | None, str | None, list[Organizer]]] = []
    for group, people in members.items():
        if group and 2 <= len(people) <= GROUP_CALL_MAX:
            units.append((None, group, people))
        else:
            units.extend((p.key, None, [p]) for p in people)
    if first is not None:
        units.sort(key=lambda unit: all(p.key != first for p in unit[2]))

    async def one(unit: tuple[str | None, str | None, list[Organizer]]) -> list[Any]:
        organizer, group, people = unit
        try:
            return [await fetch(organizer, group)]
        except RequestRejected:
            if group is None:
                raise
        except NotFound as exc:
            if organizer is None:
                raise
            found.skipped.append(f"{people[0].email or organizer} {exc.sentence}")
            return []
        out: list[Any] = []
        for person in people:  # the group call is refused: ask its members
            out.extend(await one((person.key, None, [person])))
        return out

    async for results in gathered(units, one):
        for result in results:
            yield result


async def per_trainer(
    store: Store, api: Any, found: Skips, first: str | None = None
) -> AsyncIterator[list[Training]]:
    """The trainings of every GoTo Training organizer of the account (the account's
    G2T organizers; the cached organizers with GoTo Training when GoTo gave no
    account key); organizer `first` (the one on screen) first."""
    try:
        trainers = [o.key for o in await api.organizers()]
    except NotFound:
        view = store.organizers(ViewQuery(provider=Provider.GOTO_MEETING))
        cached: list[Organizer] = view.rows(0, view.count())
        trainers = [o.key for o in cached if "G2T" in o.products]
        if not cached:
            yield await api.trainings()
            return

    if first is not None:
        trainers.sort(key=lambda key: key != first)

    async def one(key: str) -> list[Training]:
        try:
            trainings: list[Training] = await api.trainings(organizer_key=key)
        except NotFound as exc:
            found.skipped.append(f"{key} {exc.sentence}")
            return []
        return trainings

    async for trainings in gathered(trainers, one):
        yield trainings


def unseen(rows: Sequence[K], seen: set[str]) -> list[K]:
    """The rows whose key is not in `seen` yet (which they join)."""
    out = []
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            out.append(row)
    return out


async def once(awaitable: Any) -> AsyncIterator[Any]:
    """One awaited result as an async iterator."""
    yield await awaitable


async def gathered(
    items: Sequence[T], fetch: Callable[[T], Awaitable[U]], limit: int = UNIT_CONCURRENCY
) -> AsyncIterator[U]:
    """`await fetch(item)` for each item, at most `limit` at once, yielded in the
    items' order (so the cache's rows come in the same order on every run). The first
    error cancels the calls still running and is raised."""
    if not items:
        return
    slots = asyncio.Semaphore(limit)

    async def run(item: T) -> U:
        async with slots:
            return await fetch(item)

    tasks = [asyncio.ensure_future(run(item)) for item in items]
    try:
        for task in tasks:
            yield await task
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


__all__ = [
    "GROUP_CALL_MAX",
    "UNIT_CONCURRENCY",
    "gathered",
    "once",
    "per_trainer",
    "per_unit",
    "unseen",
]
