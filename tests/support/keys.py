"""Typing into the app as a fast typist does: every key queued at once.

`pilot.press` waits for the app to go idle after each key (two 20 ms idle checks at
least), which is what a test of one key needs and what makes a long text slow to
type. `type_at_once` posts the key events the way the terminal driver does, in order,
and waits once for the screen: the app handles the same keys in the same order.
"""

from __future__ import annotations

from typing import Any

from textual import events

from tui.app import MeetdeckApp


async def type_at_once(pilot: Any, app: MeetdeckApp, text: str) -> None:
    """Queue a key event for every character of `text` (letters and digits)."""
    for character in text:
        assert character.isalnum(), f"{character!r} needs its key name"
        event = events.Key(character, character)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()
