"""Esc and a digit that arrive in one read are Esc, then the digit.

Textual reads ESC followed by a top-row key as the character macOS's Option key types
there (WezTerm sends ESC 2 for Option+2: "™"). Over a slow SSH link, Esc and then a
digit arrive in one read and look the same; in meetdeck they are Esc, then the digit.
`plain_escape_digits` makes such a read reach the app as alt+DIGIT, and
`MeetdeckApp.on_event` turns alt+DIGIT (`escaped_digit`) into Esc, then the digit.
"""

from __future__ import annotations

from typing import cast

#: The sequences Textual maps to an Option-key character: ESC + a top-row key.
OPTION_ROW = tuple(f"\x1b{key}" for key in "1234567890-=§")


def plain_escape_digits() -> None:
    """Make ESC + a top-row key reach the app as alt+KEY, not an Option-key character.

    Textual is pinned, and the table this edits is checked by a test.
    """
    from textual import _ansi_sequences

    keys = cast("dict[str, object]", _ansi_sequences.ANSI_SEQUENCES_KEYS)
    for sequence in OPTION_ROW:
        keys.pop(sequence, None)


def escaped_digit(key: str) -> str | None:
    """The digit of "alt+1" (Esc and 1 in one read), else None."""
    if key.startswith("alt+") and len(key) == 5 and key[4].isdigit():
        return key[4]
    return None
