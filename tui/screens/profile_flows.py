"""Opening another profile, from `P` or the palette's "profile: switch to".

The switcher (`tui/screens/profiles.py`) lists the profiles; the one picked is opened
in a thread (its cache may be one an older meetdeck wrote, converted first, which takes
minutes for a big one: the screen stays live on the open profile, and a toast says what
is happening when it takes a while), then becomes the open profile
(`DeckSession.adopt`), the main screen starts over on its Deck, and the previous Deck is
closed in the background. A profile whose Deck cannot be opened is an error dialog, and
the open one stays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from textual.app import App

from tui.core.errors import MeetdeckError
from tui.text import clean
from tui.widgets.pane_types import DeckHost

if TYPE_CHECKING:
    from tui.deck_session import DeckSession

#: Seconds an open may take before a toast says a profile is being opened.
SLOW_OPEN = 0.5


class ProfileFlows:
    """Open another profile (`P`, the palette) in `app`.

    Args:
        app: The app (its screens, toasts and workers).
        session: The open profile, which `open` replaces.
        known: What the first frame read of each profile: name -> (accent, read-only).
        opened: Called once another profile is shown (the app's sync on start).
    """

    def __init__(
        self,
        app: App[Any],
        session: DeckSession,
        known: Mapping[str, tuple[str | None, bool]],
        opened: Callable[[], None],
    ) -> None:
        self._app = app
        self._session = session
        self._known = known
        self._opened = opened
        self._opening: str | None = None
        """The profile being opened (as shown), while its Deck is opened."""

    async def choose(self) -> None:
        """`P`: the switcher; the one picked opens as the palette opens it."""
        from tui.screens.main import MainScreen
        from tui.screens.profiles import ProfileSwitcher, switcher_entries

        app = self._app
        deck = self._session.open_deck
        if deck is None or not isinstance(app.screen, MainScreen):
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                app.run_worker(self.open(name), group="profile", exit_on_error=False)

        await app.push_screen(ProfileSwitcher(switcher_entries(deck, self._known)), chosen)

    async def open(self, profile: str | None) -> None:
        """Open `profile`'s Deck and show it, closing the previous one."""
        app = self._app
        if self._opening is not None:
            app.notify(
                f"Still opening profile {self._opening}; pick again once it is open.",
                severity="warning",
                markup=False,
            )
            return
        shown = self._opening = clean(profile) if profile else "(default)"
        slow = app.set_timer(
            SLOW_OPEN,
            lambda: app.notify(
                f"Opening profile {shown}\u2026 A cache written by an older meetdeck is "
                "converted first, which can take minutes; the open profile stays usable "
                "until then.",
                title="Opening profile",
                markup=False,
            ),
        )
        try:
            deck = await asyncio.to_thread(self._session.factory, profile)
        except MeetdeckError as error:
            cast(DeckHost, app).show_error(error)
            return
        finally:
            slow.stop()
            self._opening = None
        old = self._session.adopt(deck)
        self._session.relay()
        from tui.screens.main import MainScreen

        main = next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            await app.switch_screen(MainScreen())
        else:
            await main.reset()
        if old is not None:
            app.run_worker(old.aclose(), group="close-deck", exit_on_error=False)
        app.notify(f"Switched to profile {clean(self._session.deck.profile_name)}.", markup=False)
        self._opened()
