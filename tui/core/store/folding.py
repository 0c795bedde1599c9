"""Text folding that makes search case- and accent-blind (stdlib only, quick to import)."""

from __future__ import annotations

import unicodedata


class _Marks(dict[int, int | None]):
    """`str.translate`'s table dropping combining marks: filled per code point as met,
    so a name is looked through in C, and the marks of the whole of Unicode are never
    listed up front (that would cost every start of the app)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Zoë" and "ZOE" both fold to "zoe".

    Used on both the stored search text and the query, so the comparison is the same
    on both sides. CJK and other scripts without combining marks are kept as they are.
    """
    if text.isascii():
        # No accents to strip, nothing to normalize: casefold is lower() on ASCII.
        return text.lower()
    stripped = unicodedata.normalize("NFKD", text).translate(_MARKS)
    return unicodedata.normalize("NFC", stripped).casefold()


def sort_key(text: str) -> str:
    """`fold(text)` from its first letter: how names and titles sort.

    Leading symbols, digits, brackets and control characters do not decide the order
    ("[bold]Eve" sorts under B, "'Ana" under A), so a name that opens with markup or
    an escape sequence is not the first row of every table. Text without a letter
    sorts as it folds.
    """
    return from_letter(fold(text))


def from_letter(folded: str) -> str:
    """Folded text from its first letter (`sort_key` of text already folded)."""
    if folded[:1].isalpha():
        return folded  # the usual name: no loop set up (a sync folds one a registrant)
    for index, char in enumerate(folded):
        if char.isalpha():
            return folded[index:] if index else folded
    return folded
