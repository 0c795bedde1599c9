"""Opening a profile's Deck: from the settings and paths to a Deck on its cache.

Two ways, one per caller: `open_profile` builds everything now (the commands, which
sync or write at once); `open_profile_lazily` opens only the cache and hands the Deck a
connector that builds the providers and the sync engine on first need (the TUI, whose
first frame needs nothing but the cache). Both keep the demo's cache apart
(`Paths.cache_db(name, demo=True)`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tui.core.deck.connection import DeckConnection
from tui.core.deck.facade import Deck

if TYPE_CHECKING:
    from tui.core.settings.config import HttpSettings, ProfileSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store


def open_profile(
    paths: Paths,
    profile_name: str,
    profile: ProfileSettings,
    *,
    http: HttpSettings | None = None,
    demo: bool = False,
    read_only: bool = False,
    profiles: Sequence[str] = (),
    concurrency: int | None = None,
    private_files: bool = True,
) -> Deck:
    """Open the profile's cache and build its providers and sync engine."""
    from tui.core.store.db import Store

    store = Store.open(paths.cache_db(profile_name, demo=demo), profile_name)
    connection = DeckConnection.build(
        store, paths, profile_name, profile, http=http, demo=demo, concurrency=concurrency
    )
    return Deck(
        store,
        profile_name=profile_name,
        engine=connection.engine,
        providers=connection.providers,
        read_only=read_only or profile.read_only,
        accent=profile.accent,
        profiles=profiles,
        paths=paths,
        http=http,
        private_files=private_files,
    )


def open_profile_lazily(
    paths: Paths,
    profile_name: str,
    connect: Callable[[Store], DeckConnection],
    *,
    demo: bool = False,
    read_only: bool = False,
    accent: str | None = None,
    profiles: Sequence[str] = (),
) -> Deck:
    """Open only the cache now; `connect(store)` builds the rest when first needed.

    The first frame needs nothing but the cache: the settings' validation, httpx,
    pydantic and the providers are imported by `connect`, which `Deck.connect` runs in
    a thread after that frame (or the first refresh or action that needs them). Until
    then the Deck is read-only. The providers and every sync run on the Deck's own
    thread and event loop (`tui.core.deck.service_loop`), off the UI's.
    """
    from tui.core.deck.service_loop import ServiceLoop
    from tui.core.store.db import Store

    store = Store.open(paths.cache_db(profile_name, demo=demo), profile_name)
    return Deck(
        store,
        profile_name=profile_name,
        read_only=read_only,
        accent=accent,
        profiles=profiles,
        paths=paths,
        connector=connect,
        service=ServiceLoop(),
    )
