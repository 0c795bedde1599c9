"""The one place where text from an API is made safe to show on a terminal.

Names, subjects, notes and error sentences come from GoTo, Zoom or the cache. They are
data: a subject holding ``\\x1b]52;c;...`` must not reach the terminal as an escape
sequence, and "ad\\u200bmin" must not pass for "admin". The TUI (`tui.text`), `meetdeck
lookup`, `sync`, `download` and `audit` all clean through :func:`clean`; JSON output
escapes the same characters through :func:`json_line`, and a CSV cell (the TUI's
export, `meetdeck list --csv`) goes through :func:`csv_cell`.

What :func:`clean` does:

- C0 controls (including ESC) and DEL become their visible Unicode "control picture"
  (``\\x1b`` shows as ``␛``), so an escape sequence is shown, not executed;
- C1 controls (U+0080-U+009F, e.g. the 8-bit CSI) become U+FFFD;
- bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) become U+FFFD,
  so right-to-left text displays but cannot reorder the rest of a line;
- invisible characters (zero-width space, word joiner, byte-order mark, soft hyphen,
  direction marks) become U+FFFD; the zero-width joiners that scripts and emoji need
  (U+200C, U+200D) stay;
- lone UTF-16 surrogates (which no terminal encoding can write) become U+FFFD;
- tabs become a space; newlines become `` ⏎ `` on one-line fields and stay in
  multi-line ones; carriage returns are dropped.

Right-to-left scripts, CJK and accents pass through untouched. Imports nothing: the
tables are built on the first string that needs them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

REPLACEMENT = "\ufffd"
NEWLINE_MARK = " \u23ce "

_BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: Lone UTF-16 surrogates cannot be encoded for the terminal at all.
_SURROGATES = range(0xD800, 0xE000)
_INVISIBLE = (0x00AD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x2060, 0x2065), 0xFEFF)
#: The translation tables (one-line, multi-line), built on first use.
_TABLES: list[dict[int, str | None]] = []


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


def _tables() -> list[dict[int, str | None]]:
    if not _TABLES:
        _TABLES.extend((_table(multiline=False), _table(multiline=True)))
    return _TABLES


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
    return text.translate(_tables()[1 if multiline else 0])


def json_line(record: dict[str, Any]) -> str:
    """`record` as one line of JSON, readable (UTF-8) but with every character that
    :func:`clean` would change written as a ``\\uXXXX`` escape: the data stays exact
    for a program, and nothing reaches the terminal raw (not even an 8-bit C1 control).
    """
    import json  # only for --json output: it costs more than lookup's query

    text = json.dumps(record, ensure_ascii=False)
    if text.isprintable():
        return text
    unsafe = _tables()[0]
    # Outside strings JSON is ASCII, so every such character is inside a string, where
    # an escape is valid; none of them is above U+FFFF.
    return "".join(f"\\u{ord(ch):04x}" if ord(ch) in unsafe else ch for ch in text)


#: A cell starting with one of these would run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters kept out of a CSV cell (newlines stay: the CSV quotes them).
_CSV_CONTROLS = {
    code: REPLACEMENT for code in (*range(0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0))
}


def csv_cell(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs as a formula: terminal escapes and
    other control characters become U+FFFD, and a cell that starts like a formula
    (=, +, -, @) is written as text, behind an apostrophe."""
    text = text.translate(_CSV_CONTROLS)
    return f"'{text}" if text.startswith(_FORMULA_START) else text
