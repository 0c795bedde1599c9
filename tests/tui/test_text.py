"""tui.text: API strings are shown literally, never as markup or terminal escapes."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from tui.text import NEWLINE_MARK, clean, labelled, literal, literal_text, shorten

HOSTILE = [
    "[@click=app.quit]x",
    "[b]bold[/b] [red]red",
    "[link=https://evil.test]click[/link]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: would overwrite the clipboard
    "\x1b]8;;https://evil.test\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31m8-bit CSI",
    "bell\x07back\x08space\x00nul\x7fdel",
    "abc\u202eevil\u202c",  # right-to-left override
    "line1\nline2\r\n",
    "tab\there",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_clean_leaves_no_control_character(value: str) -> None:
    cleaned = clean(value)
    assert all(ch.isprintable() or ch == " " for ch in cleaned), repr(cleaned)
    assert "\x1b" not in cleaned and "\x9b" not in cleaned and "\u202e" not in cleaned


def test_escape_sequences_are_made_visible() -> None:
    assert clean("\x1b[31mred") == "\u241b[31mred"
    assert clean("a\x07b") == "a\u2407b"
    assert clean("\x9bX") == "\ufffdX"
    assert clean("x\x7f") == "x\u2421"


def test_newlines_are_marked_on_one_line_and_kept_in_multiline() -> None:
    assert clean("a\nb") == "a" + NEWLINE_MARK + "b"
    assert clean("a\r\nb", multiline=True) == "a\nb"
    assert clean("a\u2028b", multiline=True) == "a\nb"


def test_invisible_characters_show_and_joiners_stay() -> None:
    assert clean("ad\u200bmin") == "ad\ufffdmin"  # cannot pass for "admin"
    assert clean("\ufeffbom\u2060wj\u00adsoft\u200elrm") == "\ufffdbom\ufffdwj\ufffdsoft\ufffdlrm"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean(family) == family  # emoji and scripts need the zero-width joiners
    assert clean("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )


def test_ordinary_international_text_is_untouched() -> None:
    for text in ("Zoë Ångström", "山田 太郎", "مريم الحسن", "שלום", "a\u00a0b", "[not markup]"):
        assert clean(text) == text


def test_none_and_other_objects() -> None:
    assert clean(None) == ""
    assert clean(42) == "42"


def test_literal_is_not_markup() -> None:
    content = literal("[b]x[/b]", "bold")
    assert content.plain == "[b]x[/b]"
    assert literal_text("[@click=app.quit]x").plain == "[@click=app.quit]x"
    mixed = labelled("Name: ", ("bold", "[red]Eve"))
    assert mixed.plain == "Name: [red]Eve"


def test_shorten() -> None:
    assert shorten("abcdef", 4) == "abc\u2026"
    assert shorten("abc", 4) == "abc"
    assert shorten("abc", 0) == ""


def test_rich_rendering_emits_no_escape_from_the_data() -> None:
    console = Console(force_terminal=True, color_system=None, width=80, file=None)
    with console.capture() as capture:
        console.print(literal_text("\x1b]52;c;ZXZpbA==\x07[@click=app.quit]x"))
    out = capture.get()
    assert "\x1b]52" not in out and "\x07" not in out
    assert "[@click=app.quit]x" in out


class _ShowsHostile(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(literal("[@click=app.quit]x"), id="label")
        yield Static(labelled("Who: ", ("bold", "[@click=app.quit]y")), id="static")


async def test_clicking_a_hostile_name_does_not_quit() -> None:
    app = _ShowsHostile()
    async with app.run_test() as pilot:
        await pilot.click("#label")
        await pilot.click("#static", offset=(8, 0))
        await pilot.pause()
        assert app.is_running
        label = app.query_one("#label", Label)
        assert str(label.render()) == "[@click=app.quit]x"
        app.notify(clean("[@click=app.quit]z"), markup=False)
        await pilot.pause()
        assert app.is_running
