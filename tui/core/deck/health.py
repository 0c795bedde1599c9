"""Provider health: configured, signed in, last success, last error, offline, skips.

The Deck's syncs report progress through `Health.track`, which remembers each scope's
latest outcome, and its API calls through `Health.called`; a provider not asked this
session is judged from its stored sync stamps, whose failures come back as the typed
error of the same title. Users a scope's last sync skipped come from the stamps' notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tui.core.deck.types import ProviderHealth
from tui.core.errors import MeetdeckError, NeedsAdmin, NetworkUnreachable, ServiceUnavailable
from tui.core.models import Provider
from tui.core.store.views import SyncStamp
from tui.core.sync.types import Scope, ScopeKind, ScopeState, SyncProgress

if TYPE_CHECKING:
    from tui.core.net.apilog import ApiLogEntry
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine

#: A progress callback; called on the event loop's thread.
ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True, slots=True)
class _Seen:
    """One scope's latest outcome: its error (None: it synced) and when."""

    scope: str
    error: MeetdeckError | None
    at: datetime


class Health:
    """Each provider's state, from this session's syncs and the stored sync stamps.

    A provider's state is read from each of its scopes' latest outcome, so one scope's
    failure does not hide that the others sync:

    - a scope that failed and then synced is fine again;
    - "cannot reach the service" (offline) ends with any later success of the provider,
      a scope synced or an API call answered;
    - "needs the admin role" on some scopes while others sync is a plain organizer's
      view, not a failure: it is listed in `ProviderHealth.limited`.

    Args:
        store: The cache (its sync stamps).
        clock: The current time (UTC).
    """

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._now = clock or (lambda: datetime.now(UTC))
        self._seen: dict[Provider, dict[str, _Seen]] = {}
        self._answered: dict[Provider, datetime] = {}

    def track(self, on_progress: ProgressCallback | None) -> ProgressCallback:
        """`on_progress`, after noting each scope's failure or recovery."""

        def track(event: SyncProgress) -> None:
            scope = event.scope
            seen = self._seen.setdefault(scope.provider, {})
            if event.state is ScopeState.DONE:
                seen[scope.id] = _Seen(scope.id, None, self._now())
            elif event.state is ScopeState.FAILED:
                for failure in event.errors:
                    if failure.scope == scope:
                        seen[scope.id] = _Seen(scope.id, failure.error, self._now())
            if on_progress is not None:
                on_progress(event)

        return track

    def called(self, entry: ApiLogEntry) -> None:
        """An API call ended: an answer (below 400) shows its provider is reachable."""
        try:
            provider = Provider(entry.api)
        except ValueError:
            return  # a sign-in or a file host: not one product's API
        if entry.status is not None and entry.status < 400:
            # When it was sent: a call already on its way when a failure was noted
            # says nothing about after it.
            self._answered[provider] = entry.at - timedelta(milliseconds=entry.duration_ms)

    def report(
        self, providers: ProviderSet | None, engine: SyncEngine | None
    ) -> list[ProviderHealth]:
        """See `Deck.health`."""
        signed = _signed_in(providers)
        all_stamps = self._store.stamps()
        out = []
        for provider in Provider:
            stamps = [s for s in all_stamps if _provider_of(s.scope) == provider.value]
            successes = [s.fetched_at for s in stamps if s.fetched_at is not None]
            if provider in self._seen:
                outcomes = list(self._seen[provider].values())
            else:  # not synced this session: what the stored stamps recorded
                outcomes = [_stored(stamp, provider) for stamp in stamps]
            error, limited = _judge(outcomes, self._answered.get(provider), provider)
            configured = engine.available(provider) if engine else False
            out.append(
                ProviderHealth(
                    provider,
                    configured,
                    signed.get(provider, False),
                    max(successes) if successes else None,
                    error,
                    isinstance(error, NetworkUnreachable | ServiceUnavailable),
                    tuple(
                        f"{_label(s.scope, provider)}: {s.note}"
                        for s in stamps
                        if s.note and s.fetched_at is not None
                    ),
                    limited,
                    own_only=configured
                    and provider in (Provider.GOTO_MEETING, Provider.GOTO_TRAINING)
                    and providers is not None
                    and providers.goto_admin() is False,
                    history_from=engine.history_from(provider)
                    if engine is not None and provider is Provider.GOTO_MEETING
                    else None,
                )
            )
        return out


def _stored(stamp: SyncStamp, provider: Provider) -> _Seen:
    if stamp.failed:
        return _Seen(stamp.scope, _stored_error(stamp, provider), stamp.error_at or _EPOCH)
    return _Seen(stamp.scope, None, stamp.fetched_at or _EPOCH)


def _judge(
    outcomes: list[_Seen], answered: datetime | None, provider: Provider
) -> tuple[MeetdeckError | None, tuple[str, ...]]:
    """The error a provider's header shows (the newest that still stands), and the
    scopes only an admin may sync while others did."""
    synced = [seen.at for seen in outcomes if seen.error is None]
    if answered is not None:
        synced.append(answered)
    latest = max(synced, default=None)
    standing: list[_Seen] = []
    limited: list[str] = []
    for seen in outcomes:
        error = seen.error
        if error is None:
            continue
        if isinstance(error, NetworkUnreachable | ServiceUnavailable):
            if latest is not None and latest >= seen.at:
                continue  # reached since
        elif isinstance(error, NeedsAdmin) and any(s.error is None for s in outcomes):
            limited.append(f"{_label(seen.scope, provider)}: {error.title}")
            continue
        standing.append(seen)
    newest = max(standing, key=lambda seen: seen.at, default=None)
    return (newest.error if newest is not None else None), tuple(sorted(limited))


def _provider_of(scope_id: str) -> str:
    """The provider part of a scope id ("historical:goto_meeting@2025-01-01" ->
    "goto_meeting")."""
    parts = scope_id.split(":")
    return parts[1].partition("@")[0] if len(parts) > 1 else ""


def _label(scope_id: str, provider: Provider) -> str:
    """The label of a top-level scope id ("events:zoom" -> "Zoom events")."""
    kind = scope_id.split(":")[0]
    try:
        return Scope(ScopeKind(kind), provider).label
    except ValueError:
        return scope_id


def _signed_in(providers: ProviderSet | None) -> dict[Provider, bool]:
    if providers is None:
        return {}
    by_cloud = {s.provider: s.signed_in for s in providers.auth_status()}
    goto = by_cloud.get("goto", False)
    return {
        Provider.GOTO_MEETING: goto,
        Provider.GOTO_TRAINING: goto,
        Provider.GOTO_ASSIST: goto,
        Provider.ZOOM: by_cloud.get("zoom", False),
    }


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _stored_error(stamp: SyncStamp, provider: Provider) -> MeetdeckError:
    """The typed error of a stored failure: the error class with that title, built anew."""
    by_title = {cls.title: cls for cls in _error_classes(MeetdeckError)}
    cls = by_title.get(stamp.error_title or "", MeetdeckError)
    return cls(stamp.error or "", provider=provider.value)


def _error_classes(base: type[MeetdeckError]) -> list[type[MeetdeckError]]:
    out = [base]
    for sub in base.__subclasses__():
        out.extend(_error_classes(sub))
    return out


__all__ = ["Health", "ProgressCallback"]
