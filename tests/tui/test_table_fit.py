"""`fit`: a cell's text padded or cut to its width, measuring only what can show."""

from __future__ import annotations

import pytest
from rich.cells import cell_len, set_cell_size

from tui.widgets.formatting import TimeFormat
from tui.widgets.table_model import Column, fit, layout_columns, row_text

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


def _counting_measures(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Every text rich measures, and every text it cuts, for `fit` and `row_text`."""
    measured: list[str] = []
    cut: list[str] = []

    def counting_len(text: str) -> int:
        measured.append(text)
        return cell_len(text)

    def counting_cut(text: str, total: int) -> str:
        cut.append(text)
        return set_cell_size(text, total)

    monkeypatch.setattr("tui.widgets.table_model.cell_len", counting_len)
    monkeypatch.setattr("tui.widgets.table_model.set_cell_size", counting_cut)
    return measured, cut


def test_plain_ascii_rows_are_drawn_without_measuring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printable ASCII takes a cell a character: a row of it is cut and padded by
    length, and neither its cells nor the whole line go through rich's measuring (a
    filter keystroke draws a screenful of new rows)."""
    measured, cut = _counting_measures(monkeypatch)
    columns = [
        Column("name", "Name", lambda row, _tf: row[0], width=10),
        Column("email", "Email", lambda row, _tf: row[1], width=8),
    ]
    layout = layout_columns(columns, 19)
    line = row_text(
        ("Noah Andersson", "noah@example.com"), layout, TimeFormat(), 21, markable=True, marked=True
    )
    assert line == "\u25cf Noah Ande\u2026 noah@ex\u2026"
    assert cell_len(line) == 21
    assert fit("short", 8, "right") == "   short"
    assert measured == [] and cut == []


def test_a_text_rich_must_cut_is_cut_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """An event's title with a dash in it is on every row of its registrants: cutting
    it splits graphemes (0.1 ms), once, not once per row drawn."""
    _, cut = _counting_measures(monkeypatch)
    # A title no other test fits (what was cut before is kept for the process).
    title = f"Summit \u2013 keynote & Q&A #{id(cut)}"
    first = fit(title, 14)
    assert first == "Summit \u2013 keyn\u2026"
    assert len(cut) == 1
    for _ in range(50):
        assert fit(title, 14) == first
    assert len(cut) == 1
