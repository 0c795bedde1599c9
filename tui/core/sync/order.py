"""The order one sync run takes its scopes in (used by `tui.core.sync.engine`).

Three phases: the users first (the Zoom scopes ask per user, the account-wide GoTo
scopes per organizer), then every other scope, recordings last (GoTo Training's are
asked per cached training; they start as soon as the trainings are in, not after
every other scope). A phase starts when the one before it has ended, except the
recordings: they need only the users, and start once every scope before them has all
its pages, while the last writes still run (a big webinar's swap takes seconds to
minutes on the writer thread; the recordings' requests go on meanwhile, issue 18).
Within a phase, what the screen shows comes first (`SyncFocus`): its scopes are taken
before any other, a focused recordings scope joins the second phase, and while a
focused scope is queued or in flight no other scope of the same provider starts, so
the rows on screen have their API's whole rate; the other providers' scopes go on
meanwhile (each GoTo product has its own rate limit).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from tui.core.models import Provider
from tui.core.sync.types import Scope, ScopeKind, SyncFocus

#: The run's phases, in order (a scope kind in none of them runs in the middle one).
PHASES: tuple[frozenset[ScopeKind], ...] = (
    frozenset({ScopeKind.ORGANIZERS}),
    frozenset(set(ScopeKind) - {ScopeKind.ORGANIZERS, ScopeKind.RECORDINGS}),
    frozenset({ScopeKind.RECORDINGS}),
)
#: For each phase: whether it starts while the writes of the phase before still run
#: (it reads nothing that phase stores).
STARTS_BEFORE_WRITES_END: tuple[bool, ...] = (False, False, True)


class RunOrder:
    """The scopes of one run: which are known, queued, focused, and which comes next.

    Args:
        scopes: The scopes asked for (duplicates dropped); with `follow_events`, the
            focused scope of one event's registrants joins them.
        focus: What the screen shows (None: nothing in particular).
        follow_events: Registrants scopes of the synced events join the run.
    """

    def __init__(
        self, scopes: Sequence[Scope], focus: SyncFocus | None, *, follow_events: bool
    ) -> None:
        self.focus = focus or SyncFocus()
        self.known: list[Scope] = list(dict.fromkeys(scopes))
        one = self.focus.scope
        wanted = follow_events and one is not None and one.kind is ScopeKind.REGISTRANTS
        if one is not None and wanted and one not in self.known:
            self.known.insert(0, one)
        self._asked = list(self.known)
        self._first: list[Scope] = []  # focused, queued
        self._rest: list[Scope] = []  # the others, queued, in the order they came
        self._queued: set[Scope] = set()
        self._focused_running: list[Scope] = []
        self._phase = -1  # none started yet
        self._running: set[Scope] = set()  # taken, not ended
        self._fetching: set[Scope] = set()  # taken, not ended, pages still coming
        self._changed = asyncio.Event()
        # GoTo Training's recordings are asked per cached training: they follow its
        # trainings when both are in the run.
        self.after: dict[Scope, Scope] = {}
        events = Scope(ScopeKind.EVENTS, Provider.GOTO_TRAINING)
        recordings = Scope(ScopeKind.RECORDINGS, Provider.GOTO_TRAINING)
        if events in self.known and recordings in self.known:
            self.after[events] = recordings

    def phase_of(self, scope: Scope) -> int:
        """The phase `scope` runs in (a focused recordings scope runs in the middle)."""
        if scope.kind is ScopeKind.RECORDINGS and self.focus.wants(scope):
            return 1
        return next((i for i, kinds in enumerate(PHASES) if scope.kind in kinds), 1)

    def start_phase(self, phase: int) -> None:
        """Queue the scopes asked for that run in `phase` (not those that follow another)."""
        self._phase = phase
        self.add_all(
            s for s in self._asked if self.phase_of(s) == phase and s not in self.after.values()
        )

    def add_all(self, scopes: Iterable[Scope]) -> None:
        for scope in scopes:
            self.add(scope)

    def add(self, scope: Scope) -> None:
        """Queue `scope` (once per run; a scope found again is not asked twice)."""
        if scope not in self.known:
            self.known.append(scope)
        if scope in self._queued:
            return
        self._queued.add(scope)
        (self._first if self.focus.wants(scope) else self._rest).append(scope)
        self._changed.set()

    def take(self) -> Scope | None:
        """The next scope to start: a focused one, else the first whose provider has no
        focused scope queued or in flight; None when none may start now. With nothing
        queued, the next phase starts once the one before allows it."""
        while True:
            scope = self._next()
            if scope is not None:
                self._running.add(scope)
                self._fetching.add(scope)
                return scope
            if not self._next_phase_may_start():
                return None
            self.start_phase(self._phase + 1)

    def _next_phase_may_start(self) -> bool:
        following = self._phase + 1
        if following >= len(PHASES) or self._first or self._rest or self._fetching:
            return False
        return not self._running or STARTS_BEFORE_WRITES_END[following]

    def _next(self) -> Scope | None:
        if self._first:
            scope = self._first.pop(0)
            self._focused_running.append(scope)
            return scope
        busy = {s.provider for s in self._focused_running}
        for i, scope in enumerate(self._rest):
            if scope.provider not in busy:
                return self._rest.pop(i)
        return None

    def writing(self, scope: Scope) -> None:
        """`scope` has all its pages; its write is queued or runs."""
        if scope in self._fetching:
            self._fetching.discard(scope)
            self._changed.set()

    def done(self, scope: Scope) -> Scope | None:
        """`scope` ended (any way): the scope that follows it, which is queued, if any."""
        self._running.discard(scope)
        self._fetching.discard(scope)
        if scope in self._focused_running:
            self._focused_running.remove(scope)
        follower = self.after.pop(scope, None)
        if follower is not None:
            self.add(follower)
        self._changed.set()
        return follower

    @property
    def waiting(self) -> bool:
        """Scopes are queued (some may wait for a focused one to end), or a phase is
        still to start."""
        return bool(self._first or self._rest) or self._phase + 1 < len(PHASES)

    async def changed(self) -> None:
        """Wait until a scope ends or joins the queue (or `wake`)."""
        self._changed.clear()
        await self._changed.wait()

    def wake(self) -> None:
        """Wake the workers waiting in `changed` (the run is cancelled)."""
        self._changed.set()


__all__ = ["PHASES", "STARTS_BEFORE_WRITES_END", "RunOrder"]
