"""Text folding that makes search case- and accent-blind (stdlib only, quick to import)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Zoë" and "ZOE" both fold to "zoe".

    Used on both the stored search text and the query, so the comparison is the same
    on both sides. CJK and other scripts without combining marks are kept as they are.
    """
    if text.isascii():
        # No accents to strip, nothing to normalize: casefold is lower() on ASCII.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def sort_key(text: str) -> str:
    """`fold(text)` from its first letter: how names and titles sort.

    Leading symbols, digits, brackets and control characters do not decide the order
    ("[bold]Eve" sorts under B, "'Ana" under A), so a name that opens with markup or
    an escape sequence is not the first row of every table. Text without a letter
    sorts as it folds.
    """
    folded = fold(text)
    for index, char in enumerate(folded):
        if char.isalpha():
            return folded[index:] if index else folded
    return folded
