"""The one place where text from an API becomes something a widget may show.

Names, subjects, notes and error sentences come from GoTo, Zoom or the cache. They are
data: a registrant called ``[@click=app.quit]x`` must show those characters and do
nothing, and a subject holding ``\\x1b]52;c;...`` must not reach the terminal as an
escape sequence. Every widget builds its text through :func:`clean`, :func:`literal`
or :func:`literal_text`; none passes an API string to markup.

The cleaning itself is Textual-free and shared with the CLI commands:
`tui.core.display.cleaning.clean` (C0 controls shown as control pictures, C1 controls,
bidi overrides, invisible characters and lone surrogates replaced, newlines marked on
one-line fields). This module builds the `Content` and `Text` objects on top of it.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from tui.core.display.cleaning import NEWLINE_MARK, clean

__all__ = ["NEWLINE_MARK", "clean", "labelled", "literal", "literal_text", "shorten"]


def literal(value: object, style: str = "", *, multiline: bool = False) -> Content:
    """Textual `Content` showing `value` literally (never parsed as markup).

    Args:
        value: The API string (or None).
        style: An optional style for the whole text, e.g. "bold" or "$accent".
        multiline: Keep newlines.
    """
    text = clean(value, multiline=multiline)
    if style and text:
        return Content.assemble((text, style))
    return Content(text)


def literal_text(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich `Text` showing `value` literally, for Rich-based renderables.

    Args:
        value: The API string (or None).
        style: An optional Rich style for the whole text.
        multiline: Keep newlines.
    """
    return Text(clean(value, multiline=multiline), style=style, end="")


def labelled(*parts: tuple[str, object] | str) -> Content:
    """Join our own labels and API values into one `Content`.

    A plain string part is our own text, shown as is (never markup either); a
    ``(style, value)`` tuple is an API value shown literally in that style.

    Example:
        ``labelled("Name: ", ("bold", registrant.name))``
    """
    pieces: list[str | tuple[str, str]] = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        else:
            style, value = part
            pieces.append((clean(value), style))
    return Content.assemble(*pieces)


def shorten(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending in an ellipsis when cut."""
    if limit <= 0:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
