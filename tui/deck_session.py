"""The open profile as the app holds it: its Deck, and what goes with the Deck.

Which Deck is open (opened through the factory the app was given), the time format of
its profile's zone, the sign-in the demo's sandbox needs before its first request, and
the two relays the app keeps on the Deck (each API call to every screen's log panel,
each download's progress to the app, as messages), moved to the new Deck when another
profile opens, and the Deck closed at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from tui.core.deck.service_loop import Batched
from tui.screens.download_flows import DownloadProgressed
from tui.widgets.formatting import TimeFormat

#: Seconds between the batches of API calls posted to the log panels.
LOG_EVERY = 0.15

if TYPE_CHECKING:
    from tui.core.deck.api import DeckApi
    from tui.core.downloads.queue import DownloadProgress
    from tui.ui_options import DeckFactory, UiOptions


class DeckSession:
    """The Deck the app shows, and what the app keeps subscribed on it.

    Args:
        app: The app the relays post to.
        factory: Opens a profile's Deck (None: the default profile).
        options: The zones (and whether the Deck is the demo's: sign in first).
    """

    def __init__(self, app: App[Any], factory: DeckFactory, options: UiOptions) -> None:
        self._app = app
        self.factory = factory
        self._options = options
        self.time_format = TimeFormat()
        """How times show: the preferred zone, else the open profile's (`t` cycles)."""
        self._deck: DeckApi | None = None
        self._signed_in = False
        self._unsubscribe: Callable[[], None] | None = None
        self._unwatch: Callable[[], None] | None = None

    @property
    def deck(self) -> DeckApi:
        """The open profile's Deck (opened on mount)."""
        if self._deck is None:
            raise RuntimeError("the Deck is opened when the app mounts")
        return self._deck

    @property
    def open_deck(self) -> DeckApi | None:
        """The Deck, or None before one is open."""
        return self._deck

    def open(self, profile: str | None) -> DeckApi | None:
        """Open `profile`'s Deck and make it current, with its zone's time format;
        returns the previous Deck, for the caller to close.

        The relays stay on the previous Deck until `relay` moves them.

        Raises:
            MeetdeckError: The profile's Deck could not be opened (nothing changed).
        """
        return self.adopt(self.factory(profile))

    def adopt(self, deck: DeckApi) -> DeckApi | None:
        """Make `deck` (opened by the factory, in any thread) current, with its zone's
        time format; returns the previous Deck, for the caller to close."""
        old, self._deck = self._deck, deck
        self._signed_in = False
        zone = self._options.profile_zones.get(deck.profile_name)
        self.time_format = TimeFormat.build(self._options.timezone, zone)
        return old

    def relay(self) -> None:
        """Follow the current Deck's downloads and API calls (and no other Deck's)."""
        self.drop_relays()
        deck = self.deck
        self._unwatch = deck.watch_downloads(self._progressed)
        # The Deck relays its calls from the moment it connects, which is after this.
        # They come from the Deck's service thread, a dozen a second in a sync: one
        # message per batch, not per call.
        try:
            batched = Batched(self._called, interval=LOG_EVERY)
        except RuntimeError:  # no running loop: each call as it comes
            self._unsubscribe = deck.watch_api_calls(self._called_one)
            return
        unsubscribe = deck.watch_api_calls(batched)

        def unfollow() -> None:
            unsubscribe()
            batched.close()  # a batch of this Deck's calls is not posted after it

        self._unsubscribe = unfollow

    def _called_one(self, entry: object) -> None:
        self._called([entry])

    def _called(self, entries: list[object]) -> None:
        # post_message is thread-safe. Every screen's log panel follows (the main
        # screen's, under a dialog, too).
        from tui.widgets.api_log import ApiLogPanel

        for screen in self._app.screen_stack:
            screen.post_message(ApiLogPanel.Called(entries))

    def _progressed(self, progress: DownloadProgress) -> None:
        # Called on the event loop; widgets change only in the message handler.
        self._app.post_message(DownloadProgressed(progress))

    def drop_relays(self) -> None:
        """Stop following the Deck (before another opens, or at exit)."""
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def prepare_sync(self) -> None:
        """Before a request: in the demo, sign in to the sandbox (once per Deck)."""
        if self._options.demo and not self._signed_in:
            await self.deck.demo_sign_in()
            self._signed_in = True

    async def close(self) -> None:
        """At exit: stop following the Deck and close it (a failure is logged, never
        raised: closing must not turn an exit into a traceback)."""
        self.drop_relays()
        if self._deck is not None:
            try:
                await self._deck.aclose()
            except Exception:
                self._app.log.error("closing the deck failed")
