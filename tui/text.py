"""The one place where text from an API becomes something a widget may show.

Names, subjects, notes and error sentences come from GoTo, Zoom or the cache. They are
data: a registrant called ``[@click=app.quit]x`` must show those characters and do
nothing, and a subject holding ``\\x1b]52;c;...`` must not reach the terminal as an
escape sequence. Every widget builds its text through :func:`clean`, :func:`literal`
or :func:`literal_text`; none passes an API string to markup.

What :func:`clean` does:

- C0 controls (including ESC) and DEL become their visible Unicode "control picture"
  (``\\x1b`` shows as ``␛``), so an escape sequence is shown, not executed;
- C1 controls (U+0080-U+009F, e.g. the 8-bit CSI) become U+FFFD;
- bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD,
  so right-to-left text displays but cannot reorder the rest of a line;
- invisible characters (zero-width space, word joiner, byte-order mark, soft hyphen,
  direction marks) become U+FFFD, so "ad\u200bmin" cannot pass for "admin" on screen;
  the zero-width joiners that scripts and emoji need (U+200C, U+200D) stay;
- lone UTF-16 surrogates (which no terminal encoding can write) become U+FFFD;
- tabs become a space; newlines become `` ⏎ `` on one-line fields and stay in
  multi-line ones; carriage returns are dropped.

Right-to-left scripts, CJK and accents pass through untouched.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

REPLACEMENT = "\ufffd"
NEWLINE_MARK = " \u23ce "

_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: Lone UTF-16 surrogates cannot be encoded for the terminal at all.
_SURROGATES = range(0xD800, 0xE000)
_INVISIBLE = (0x00AD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x2060, 0x2065), 0xFEFF)


def _table(multiline: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = REPLACEMENT
    for code in (*_BIDI_CONTROLS, *_INVISIBLE, *_SURROGATES):
        table[code] = REPLACEMENT
    table[0x09] = " "
    table[0x0D] = None
    table[0x0A] = "\n" if multiline else NEWLINE_MARK
    # Line and paragraph separators break lines in some terminals.
    table[0x2028] = "\n" if multiline else NEWLINE_MARK
    table[0x2029] = "\n" if multiline else NEWLINE_MARK
    return table


_ONE_LINE = _table(multiline=False)
_MULTI_LINE = _table(multiline=True)


def clean(value: object, *, multiline: bool = False) -> str:
    """Return `value` as a string that is safe to show and carries no control codes.

    Args:
        value: Anything; None becomes "", other objects their `str()`.
        multiline: Keep newlines (for notes, agendas) instead of marking them.

    Returns:
        Plain text with every control character made visible or replaced.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return text.translate(_MULTI_LINE if multiline else _ONE_LINE)


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
