"""Sync scopes and progress events, shared by the sync engine, the Deck, the CLI and the TUI.

Light to import: no httpx, no pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from tui.core.errors import MeetdeckError
from tui.core.models import EventKind, Provider


class ScopeKind(StrEnum):
    """What a scope refreshes (the values are the `meetdeck sync --scope` names)."""

    ORGANIZERS = "organizers"
    MEETINGS = "meetings"
    HISTORICAL = "historical"
    EVENTS = "events"
    REGISTRANTS = "registrants"
    RECORDINGS = "recordings"
    SUPPORT = "support"
    GROUPS = "groups"


@dataclass(frozen=True, slots=True)
class Scope:
    """One unit of sync: its rows are replaced together, in one transaction.

    Attributes:
        kind: What it refreshes.
        provider: Which provider it asks.
        event_key: REGISTRANTS only: the training, webinar or meeting.
        event_kind: REGISTRANTS only: what `event_key` is.
        since: HISTORICAL only: the start of the scope's window (`history_window`); None
            for "every window of the history asked for".
    """

    kind: ScopeKind
    provider: Provider
    event_key: str | None = None
    event_kind: EventKind | None = None
    since: datetime | None = None

    @property
    def id(self) -> str:
        """A stable id, the key of the scope's rows and sync stamp in the store."""
        if self.event_key is not None:
            return f"{self.kind}:{self.provider}:{self.event_key}"
        if self.since is not None:
            return f"{self.kind}:{self.provider}@{self.since:%Y-%m-%d}"
        return f"{self.kind}:{self.provider}"

    @property
    def label(self) -> str:
        """A short human label, e.g. "Zoom registrants of 8123"."""
        if self.event_key is not None:
            what = (self.event_kind or "event").lower()
            return f"{self.provider.label} {self.kind} of {what} {self.event_key}"
        if self.since is not None:
            return f"{self.provider.label} {self.kind} from {self.since:%Y-%m-%d}"
        return f"{self.provider.label} {self.kind}"

    @classmethod
    def registrants(cls, provider: Provider, event_kind: EventKind, event_key: str) -> Scope:
        """The scope of one event's registrants."""
        return cls(ScopeKind.REGISTRANTS, provider, event_key, event_kind)


#: Historical meetings are cached in windows of this many days, aligned on 1970-01-01,
#: each its own scope: a window that ended is fetched once, and widening the history
#: fetches only the windows not held yet.
HISTORY_WINDOW_DAYS = 30
#: A window counts as complete once fetched this long after its end (a meeting still
#: running at its end, or a recording still processing, shows up by then).
HISTORY_SETTLE = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def history_window(at: datetime) -> tuple[datetime, datetime]:
    """The aligned window [start, end) that holds the instant `at`."""
    step = timedelta(days=HISTORY_WINDOW_DAYS)
    start = _EPOCH + step * ((at - _EPOCH) // step)
    return start, start + step


def history_windows(since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """The aligned windows that cover [since, until], oldest first."""
    out: list[tuple[datetime, datetime]] = []
    start, end = history_window(since)
    while start <= until:
        out.append((start, end))
        start, end = end, end + timedelta(days=HISTORY_WINDOW_DAYS)
    return out


@dataclass(frozen=True, slots=True)
class SyncFocus:
    """What the screen shows: a sync fetches it first (`tui.core.sync.order`).

    Attributes:
        kinds: The open tab's scope kinds (Meetings: MEETINGS, or HISTORICAL for past
            meetings); the scopes that lead to them count too (an events scope leads
            to registrants, GoTo Training's to its recordings).
        organizer_key: The organizer being looked at: an account-wide scope asks for
            their meetings and trainings before everyone else's.
        scope: One scope being looked at (an event's registrants): first of all.
    """

    kinds: tuple[ScopeKind, ...] = ()
    organizer_key: str | None = None
    scope: Scope | None = None

    def wants(self, scope: Scope) -> bool:
        """Whether `scope` is (or leads to) what the screen shows."""
        if scope == self.scope:
            return True
        one_event = self.scope is not None and self.scope.kind is ScopeKind.REGISTRANTS
        if scope.kind is ScopeKind.REGISTRANTS:
            return not one_event and ScopeKind.REGISTRANTS in self.kinds
        if scope.kind in self.kinds:
            return True
        if scope.kind is not ScopeKind.EVENTS:
            return False
        leads_to_recordings = scope.provider is Provider.GOTO_TRAINING
        return (ScopeKind.REGISTRANTS in self.kinds and not one_event) or (
            leads_to_recordings and ScopeKind.RECORDINGS in self.kinds
        )


class ScopeState(StrEnum):
    """Where one scope is in a sync run."""

    STARTED = "started"
    #: It goes on: a page arrived, or its rows are being written (`SyncProgress.running`).
    WORKING = "working"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ScopeFailure:
    """One scope that failed, with the typed error that says why."""

    scope: Scope
    error: MeetdeckError


@dataclass(frozen=True, slots=True)
class SyncProblem:
    """One error of a run and every scope it stopped (a daily limit used up stops
    each event's registrants scope with the same sentence: it is one problem)."""

    error: MeetdeckError
    scopes: tuple[Scope, ...]


@dataclass(frozen=True, slots=True)
class ScopeStep:
    """How far one running scope has got.

    Attributes:
        scope: The scope.
        pages: Pages (or whole lists) received so far.
        rows: Rows received so far.
        writing: The pages are all in; the rows are being written to the cache.
    """

    scope: Scope
    pages: int = 0
    rows: int = 0
    writing: bool = False

    @property
    def detail(self) -> str:
        """E.g. "page 37, 11,100 rows", or "writing 100,000 rows"."""
        rows = "1 row" if self.rows == 1 else f"{self.rows:,} rows"
        if self.writing:
            return f"writing {rows}"
        if not self.pages:
            return "asking"
        return f"page {self.pages:,}, {rows}"

    def describe(self) -> str:
        """E.g. "Zoom registrants of webinar 8123: page 37, 11,100 rows"."""
        return f"{self.scope.label}: {self.detail}"


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A progress event: emitted when a scope starts, as it goes on (WORKING), and when
    it ends.

    Attributes:
        scope: The scope this event is about.
        state: STARTED, DONE, FAILED or CANCELLED.
        done: Scopes finished so far in this run (done or failed).
        total: Scopes known so far in this run (grows as events reveal registrant scopes).
        items: Rows stored for `scope` (DONE only).
        errors: Every failure of this run so far.
        note: DONE only: what the stored rows leave out, e.g. "1 user skipped: ana@x
            cannot host webinars (3161)".
        running: Every scope in flight after this event, the longest running first,
            with how far each has got (the newest event alone says everything).
    """

    scope: Scope
    state: ScopeState
    done: int
    total: int
    items: int = 0
    errors: tuple[ScopeFailure, ...] = ()
    note: str | None = None
    running: tuple[ScopeStep, ...] = ()


@dataclass(frozen=True, slots=True)
class SyncReport:
    """How a sync run ended.

    Attributes:
        synced: Scopes that stored fresh data.
        failed: Scopes that failed, with their errors (their old data stays).
        cancelled: True when the run was cancelled before it finished.
        cut: Scopes whose stored rows had text values cut to the store's limit (they
            end in "…"), with how many values each.
        notes: Synced scopes whose rows leave some users out, with the note that says
            who and why (see `SyncProgress.note`).
    """

    synced: tuple[Scope, ...] = ()
    failed: tuple[ScopeFailure, ...] = ()
    cancelled: bool = False
    cut: tuple[tuple[Scope, int], ...] = ()
    notes: tuple[tuple[Scope, str], ...] = ()

    @property
    def cut_values(self) -> int:
        """Text values cut to the store's limit, over every scope."""
        return sum(count for _scope, count in self.cut)

    def problems(self) -> tuple[SyncProblem, ...]:
        """The failures, one per distinct error (same title and sentence), in order."""
        grouped: dict[tuple[str, str], list[ScopeFailure]] = {}
        for failure in self.failed:
            grouped.setdefault((failure.error.title, failure.error.sentence), []).append(failure)
        return tuple(
            SyncProblem(group[0].error, tuple(f.scope for f in group)) for group in grouped.values()
        )

    @property
    def ok(self) -> bool:
        """True when every scope synced and nothing was cancelled."""
        return not self.failed and not self.cancelled
