"""The Deck's links: host start links and a training's admin page, fetched on demand.

Start links are reads: fetched when asked for and handed back, never stored, logged or
audited. Each comes back vetted by the link policy of the provider that sent it
(`tui.core.deck.links`): the UI opens only a link whose `StartUrl.refusal` is None.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tui.core.deck.links import link_policy, vetted
from tui.core.errors import NotFound, NotSupported
from tui.core.models import Provider, StartUrl

if TYPE_CHECKING:
    from tui.core.providers.roles import ManageLinks, WebinarStartLinks
    from tui.core.providers.roles import StartLinks as StartLinkSource
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store

#: Zoom documents start URLs of regular users as valid for two hours.
ZOOM_START_URL_LIFETIME = timedelta(hours=2)
ZOOM_START_URL_NOTE = (
    "Zoom start URLs of regular users expire about two hours after they "
    "are fetched; fetch a new one after that."
)


class StartLinks:
    """Fetch start links and admin pages, and vet each one.

    Args:
        store: The cache (which provider holds a meeting).
        providers: The adapters and the profile whose link policy applies; None for a
            cache-only Deck.
    """

    def __init__(self, store: Store, providers: ProviderSet | None) -> None:
        self._store = store
        self._providers = providers

    def _missing(self, provider: Provider) -> NotSupported:
        return NotSupported(
            f"This profile has no {provider.label} credentials; add them to the profile to use it.",
            provider=provider.value,
        )

    def _zoom(self) -> WebinarStartLinks:
        api = self._providers.zoom if self._providers is not None else None
        if api is None:
            raise self._missing(Provider.ZOOM)
        return api

    def _source(self, provider: Provider) -> StartLinkSource:
        providers = self._providers
        api: StartLinkSource | None = None
        if providers is not None:
            if provider is Provider.GOTO_MEETING:
                api = providers.goto_meeting
            elif provider is Provider.GOTO_TRAINING:
                api = providers.goto_training
            elif provider is Provider.GOTO_ASSIST:
                api = providers.goto_assist
            else:
                api = providers.zoom
        if api is None:
            raise self._missing(provider)
        return api

    def _admin_pages(self) -> ManageLinks:
        api = self._providers.goto_training if self._providers is not None else None
        if api is None:
            raise self._missing(Provider.GOTO_TRAINING)
        return api

    def vet(self, provider: Provider, start: StartUrl) -> StartUrl:
        """`start` judged by the link policy of `provider` in this profile."""
        providers = self._providers
        if providers is None:
            return start  # nothing to judge it by: it stays unvetted, never opened
        return vetted(start, link_policy(provider, providers.profile, demo=providers.demo))

    async def manage_url(self, event_key: str) -> StartUrl:
        """See `Deck.manage_url`."""
        url = await self._admin_pages().manage_url(event_key)
        return self.vet(Provider.GOTO_TRAINING, url)

    def _meeting_provider(self, key: str, provider: Provider | None) -> Provider:
        if provider is not None:
            return provider
        cached = self._store.meeting(key)
        if cached is not None:
            return cached.provider
        providers = self._providers
        configured = (
            []
            if providers is None
            else [
                p
                for p, api in (
                    (Provider.GOTO_MEETING, providers.goto_meeting),
                    (Provider.ZOOM, providers.zoom),
                )
                if api is not None
            ]
        )
        if len(configured) == 1:
            return configured[0]
        raise NotFound(
            f"Meeting {key} is not in the cache, so its provider is unknown. "
            "Refresh the meetings and try again."
        )

    async def start_url(self, kind: str, key: str, provider: Provider | None) -> StartUrl:
        """Fetch a host start URL now: never cached, never logged, never audited.

        Args:
            kind: "meeting" (GoTo Meeting or Zoom), "training" (GoTo Training),
                "webinar" (Zoom) or "support_session" (GoTo Assist).
            key: The meeting id (a GoTo historical key "meetingId:sessionId" works
                too), training key, webinar id or session uuid.
            provider: Which provider, when `kind` alone does not say (a meeting): by
                default the one the cache holds it under.

        Returns:
            The URL, with `expires_at` where the API documents a lifetime (Zoom:
            about two hours) and a `note` saying so.

        The link comes back vetted (`StartUrl.refusal`).
        """
        if kind == "meeting":
            which = self._meeting_provider(key, provider)
            if which is Provider.ZOOM:
                url = _zoom_lifetime(await self._zoom().start_url(key))
            elif which is Provider.GOTO_MEETING:
                url = await self._source(Provider.GOTO_MEETING).start_url(key)
            else:
                raise NotSupported(f"{which.label} has no meetings to start.")
        elif kind == "webinar":
            which = Provider.ZOOM
            url = _zoom_lifetime(await self._zoom().start_url(key, webinar=True))
        elif kind == "training":
            which = Provider.GOTO_TRAINING
            url = await self._source(which).start_url(key)
        elif kind == "support_session":
            which = Provider.GOTO_ASSIST
            url = await self._source(which).start_url(key)
        else:
            raise ValueError(f"unknown start URL kind {kind!r}")
        return self.vet(which, url)


def _zoom_lifetime(url: StartUrl) -> StartUrl:
    return StartUrl(url.url, datetime.now(UTC) + ZOOM_START_URL_LIFETIME, ZOOM_START_URL_NOTE)


__all__ = ["ZOOM_START_URL_LIFETIME", "ZOOM_START_URL_NOTE", "StartLinks"]
