"""`fit`: a cell's text padded or cut to its width, measuring only what can show."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui.widgets.table_model import fit

HOSTILE = [
    "a" * 50_000,
    "界" * 50_000,
    "x\u0301" * 25_000,  # a combining accent on every letter
    "\u0301" * 40_000 + "tail",  # zero-width marks, then text
    "ab界" * 20_000,
    " " * 30_000 + "x",
]


@pytest.mark.parametrize("width", [1, 2, 3, 7, 30, 120])
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_a_long_text_is_cut_to_exactly_the_width_with_an_ellipsis(text: str, width: int) -> None:
    out = fit(text, width)
    assert cell_len(out) == width
    if cell_len(text) <= width:
        assert out.rstrip(" ") == text.rstrip(" ")
    elif width > 1:
        assert out.endswith("\u2026")
        # What shows is the text's start (a wide character that does not fit whole
        # becomes a space).
        assert text.startswith(out[:-1].rstrip(" ")) or text.startswith(out[:-1])


@pytest.mark.parametrize("text", ["", "short", "界界", "x\u0301y"])
@pytest.mark.parametrize("align", ["left", "right"])
def test_a_text_that_fits_is_padded_not_cut(text: str, align: str) -> None:
    out = fit(text, 10, align)
    assert cell_len(out) == 10 and out.strip(" ") == text.strip(" ")
    assert out.startswith(text) if align == "left" else out.endswith(text)


def test_only_a_head_of_a_long_text_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50,000-character name in a 30-cell column measures a few dozen characters, not
    all of them (rendering a screen of such rows took seconds)."""
    measured: list[int] = []

    def counting(text: str) -> int:
        measured.append(len(text))
        return cell_len(text)

    monkeypatch.setattr("tui.widgets.table_model.cell_len", counting)
    for text in HOSTILE[:3]:
        measured.clear()
        fit(text, 30)
        assert sum(measured) < 1_000, (text[:3], measured)
