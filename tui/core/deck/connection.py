"""What `Deck.connect` adds to a cache-only Deck: the providers and the sync engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import HttpSettings, ProfileSettings
    from tui.core.settings.paths import Paths
    from tui.core.store.db import Store
    from tui.core.sync.engine import SyncEngine


class DeckConnection:
    """What `Deck.connect` adds to a cache-only Deck: providers and a sync engine."""

    __slots__ = ("accent", "engine", "http", "private_files", "providers", "read_only")

    def __init__(
        self,
        providers: ProviderSet,
        engine: SyncEngine,
        *,
        http: HttpSettings | None,
        read_only: bool,
        accent: str | None,
        private_files: bool = True,
    ) -> None:
        self.private_files = private_files
        self.providers = providers
        self.engine = engine
        self.http = http
        self.read_only = read_only
        self.accent = accent

    @classmethod
    def build(
        cls,
        store: Store,
        paths: Paths,
        profile_name: str,
        profile: ProfileSettings,
        *,
        http: HttpSettings | None = None,
        demo: bool = False,
        concurrency: int | None = None,
        private_files: bool = True,
    ) -> DeckConnection:
        """Build a profile's providers and its sync engine over `store`."""
        from tui.core.providers.session import ProviderSet
        from tui.core.sync.engine import SyncEngine

        providers = ProviderSet.for_profile(profile_name, profile, paths, http, demo=demo)
        limit = concurrency or (http.max_concurrency if http else 4)
        engine = SyncEngine(store, providers, concurrency=limit)
        return cls(
            providers,
            engine,
            http=http,
            read_only=profile.read_only,
            accent=profile.accent,
            private_files=private_files,
        )


__all__ = ["DeckConnection"]
