"""Provider health: configured, signed in, last success, last error, offline, skips.

The Deck's syncs report progress through `Health.track`, which remembers each
provider's latest error (or its recovery); a provider not synced this session shows the
failure its stored sync stamps recorded, as the typed error of the same title. Users a
scope's last sync skipped come from the stamps' notes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.core.deck.types import ProviderHealth
from tui.core.errors import MeetdeckError, NetworkUnreachable, ServiceUnavailable
from tui.core.models import Provider
from tui.core.store.views import SyncStamp
from tui.core.sync.types import Scope, ScopeKind, ScopeState, SyncProgress

if TYPE_CHECKING:
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine

#: A progress callback; called on the event loop's thread.
ProgressCallback = Callable[[SyncProgress], None]


class Health:
    """Each provider's state, from this session's syncs and the stored sync stamps.

    Args:
        store: The cache (its sync stamps).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._errors: dict[Provider, MeetdeckError | None] = {}

    def track(self, on_progress: ProgressCallback | None) -> ProgressCallback:
        """`on_progress`, after noting each provider's failure or recovery."""

        def track(event: SyncProgress) -> None:
            provider = event.scope.provider
            if event.state is ScopeState.DONE:
                self._errors[provider] = None
            elif event.state is ScopeState.FAILED:
                for failure in event.errors:
                    if failure.scope == event.scope:
                        self._errors[provider] = failure.error
            if on_progress is not None:
                on_progress(event)

        return track

    def report(
        self, providers: ProviderSet | None, engine: SyncEngine | None
    ) -> list[ProviderHealth]:
        """See `Deck.health`."""
        signed = _signed_in(providers)
        out = []
        for provider in Provider:
            stamps = [s for s in self._store.stamps() if _provider_of(s.scope) == provider.value]
            successes = [s.fetched_at for s in stamps if s.fetched_at is not None]
            error = self._errors.get(provider)
            if provider not in self._errors:
                failed = sorted((s for s in stamps if s.failed), key=lambda s: s.error_at or _EPOCH)
                if failed:
                    error = _stored_error(failed[-1], provider)
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
