"""Text folding that makes search case- and accent-blind (stdlib only, quick to import)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and strip accents, so "Zoë" and "ZOE" both fold to "zoe".

    Used on both the stored search text and the query, so the comparison is the same
    on both sides. CJK and other scripts without combining marks are kept as they are.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()
