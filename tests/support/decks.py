"""The one way tests open a real Deck on a sandbox, and the Deck steps they share.

`open_deck(base_url, paths, spec)` builds the demo profile pointing at the sandbox;
a `DeckSpec` says what differs between suites (profile name, client-side rate limit,
HTTP settings, the profiles the Deck knows, a pinned sync clock).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.support.control import Control
from tui.core.deck.facade import Deck
from tui.core.deck.from_profile import open_profile, open_profile_lazily
from tui.core.models import Provider, Recording, Registrant, RegistrantStatus
from tui.core.settings.config import HttpSettings, ProfileSettings, demo_profile
from tui.core.settings.paths import Paths, resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import Scope, ScopeKind

#: A couple of quick retries: the core tests' HTTP settings.
QUICK_RETRIES = HttpSettings(max_retries=2, max_backoff=0.5)


@dataclass(frozen=True)
class DeckSpec:
    """What a suite's Deck is made of.

    Attributes:
        name: The profile's name (it names the cache file).
        http: Retry and timeout settings of its HTTP clients.
        rate_limit: Client-side requests a second for GoTo and Zoom (None: the profile's,
            GoTo's 10 a second). By default 1000, as a user may set them: a test's sync
            at 10 a second spent most of its time waiting for its turn. Tests about
            pacing name their own rate (test_sync_first, test_rate_limits).
        profiles: The profile names the Deck offers (None: open_profile's default).
        sync_clock: Pins the sync engine's clock (the Deck is then built from its parts).
        sync_concurrency: Scopes the engine works on at once (with `sync_clock`).
    """

    name: str = "sbx"
    http: HttpSettings = field(default_factory=lambda: QUICK_RETRIES)
    rate_limit: float | None = 1000.0
    profiles: tuple[str, ...] | None = None
    sync_clock: Callable[[], datetime] | None = None
    sync_concurrency: int = 4


#: The core tests' Deck: a couple of quick retries, the client's pacing out of the way.
SANDBOX = DeckSpec()


def sandbox_profile(
    base_url: str,
    spec: DeckSpec = SANDBOX,
    *,
    zoom_only: bool = False,
    goto_only: bool = False,
    read_only: bool = False,
) -> ProfileSettings:
    """The demo profile on `base_url`, with the spec's rate limit and these changes."""
    updates: dict[str, Any] = {}
    if read_only:
        updates["read_only"] = True
    if spec.rate_limit is not None:
        updates.update(goto_rate_limit=spec.rate_limit, zoom_rate_limit=spec.rate_limit)
    if zoom_only:
        updates.update(goto_client_id=None, goto_client_secret=None)
    if goto_only:
        updates.update(zoom_account_id=None, zoom_client_id=None, zoom_client_secret=None)
    return demo_profile(base_url).model_copy(update=updates)


def open_deck(
    base_url: str,
    paths: Paths | None = None,
    spec: DeckSpec = SANDBOX,
    *,
    zoom_only: bool = False,
    goto_only: bool = False,
    profile_read_only: bool = False,
    read_only: bool = False,
    http: HttpSettings | None = None,
    engine: bool = True,
) -> Deck:
    """A Deck of the demo profile on the sandbox at `base_url`.

    Args:
        base_url: The sandbox.
        paths: Where its cache and tokens go (default: the test's isolated dirs).
        spec: The suite's kind of Deck.
        zoom_only: Leave GoTo out of the profile.
        goto_only: Leave Zoom out of the profile.
        profile_read_only: The profile itself says read_only.
        read_only: The Deck is opened read-only (as `--read-only` does).
        http: HTTP settings instead of the spec's.
        engine: False gives a cache-only Deck (no providers, no sync).
    """
    paths = paths or resolve_paths()
    profile = sandbox_profile(
        base_url, spec, zoom_only=zoom_only, goto_only=goto_only, read_only=profile_read_only
    )
    http = http or spec.http
    if spec.sync_clock is None and engine:
        if spec.profiles is None:
            return open_profile(
                paths, spec.name, profile, demo=True, read_only=read_only, http=http
            )
        return open_profile(
            paths,
            spec.name,
            profile,
            demo=True,
            read_only=read_only,
            http=http,
            profiles=spec.profiles,
        )
    return _deck_from_parts(paths, profile, spec, http, engine=engine, read_only=read_only)


def open_cached_deck(base_url: str, paths: Paths, spec: DeckSpec = SANDBOX) -> Deck:
    """A Deck that opens only its cache now and connects on first need, as `meetdeck`
    opens one (`open_profile_lazily`)."""
    from tui.core.deck.connection import DeckConnection

    profile = sandbox_profile(base_url, spec)

    def connect(store: Any) -> DeckConnection:
        return DeckConnection.build(store, paths, spec.name, profile, http=spec.http, demo=True)

    return open_profile_lazily(paths, spec.name, connect, demo=True, accent=profile.accent)


def _deck_from_parts(
    paths: Paths,
    profile: ProfileSettings,
    spec: DeckSpec,
    http: HttpSettings,
    *,
    engine: bool,
    read_only: bool,
) -> Deck:
    """A Deck built from its parts, so the sync engine's clock can be pinned."""
    from tui.core.deck.connection import sync_engine
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store

    store = Store.open(paths.cache_db(spec.name, demo=True), spec.name)
    if not engine:
        return Deck(store, profile_name=spec.name, accent=profile.accent, profiles=(spec.name,))
    providers = ProviderSet.for_profile(spec.name, profile, paths, http, demo=True)
    clock = spec.sync_clock
    sync = sync_engine(store, providers, concurrency=spec.sync_concurrency, now=clock)
    return Deck(
        store,
        profile_name=spec.name,
        engine=sync,
        providers=providers,
        accent=profile.accent,
        profiles=spec.profiles or (spec.name,),
        read_only=read_only,
        paths=paths,
    )


async def sync_events(deck: Deck, *, goto: bool = False) -> None:
    """Users and events (no registrants: each test refreshes the event it uses)."""
    if goto:
        await deck.demo_sign_in()
    report = await deck.sync_all(kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS])
    assert report.ok, report.failed


async def registrants_of(
    deck: Deck, provider: Provider, event_key: str, status: RegistrantStatus | None = None
) -> list[Registrant]:
    """Refresh one event's registrants from the sandbox and read them from the cache."""
    event = deck.parts_for_tests().store.event(event_key, provider)
    assert event is not None, f"event {event_key} is not cached"
    report = await deck.refresh(Scope.registrants(provider, event.kind, event_key))
    assert report.ok, report.failed
    view = deck.registrants(ViewQuery(event_key=event_key, status=status, sort="name"))
    return view.rows(0, view.count())


async def owner_recordings(deck: Deck, base_url: str) -> list[Recording]:
    """The Zoom account owner's cloud recording files of the last 30 days (one request)."""
    owner = Control(base_url).state()["zoom"]["owner_user_id"]
    providers = deck.parts_for_tests().providers
    assert providers is not None and providers.zoom is not None
    return await providers.zoom.recordings(owner)


def sync_cache(base_url: str, paths: Paths, spec: DeckSpec) -> None:
    """Sign in to the sandbox and sync everything into the cache under `paths` (the
    template a suite syncs once and copies for each test)."""
    import asyncio

    async def sync() -> None:
        deck = open_deck(base_url, paths, spec)
        try:
            await deck.demo_sign_in()
            report = await deck.sync_all()
            assert report.ok, report.failed
        finally:
            await deck.aclose()

    asyncio.run(sync())
