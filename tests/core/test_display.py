"""tui.core.display: the one cleaner and the one size formatter, shared by the CLI and the TUI."""

from __future__ import annotations

import json
import subprocess
import sys

from tui.core.display.cleaning import clean, json_line
from tui.core.display.sizes import size


def test_the_tui_cleans_with_the_same_function() -> None:
    import tui.text

    assert tui.text.clean is clean


def test_json_line_escapes_what_clean_would_change_and_keeps_the_data() -> None:
    record = {"name": "\x9bX\u202eY\u200bZ\x7f\ud800", "ok": "Zoë 山田 مريم\u200d"}
    line = json_line(record)
    assert line.isascii() is False  # readable UTF-8, not \\u-escaped throughout
    assert all(clean(ch) == ch for ch in line)
    assert "Zoë 山田 مريم\u200d" in line
    assert json.loads(line) == record


def test_sizes_are_decimal_everywhere() -> None:
    assert [size(n) for n in (None, 0, 999, 1000, 1_234_567, 2_500_000_000)] == [
        "",
        "0 B",
        "999 B",
        "1.0 KB",
        "1.2 MB",
        "2.5 GB",
    ]
    assert size(5_000_000_000_000) == "5000.0 GB"


def test_the_display_modules_import_nothing() -> None:
    code = (
        "import sys; before = set(sys.modules);"
        "import tui.core.display.cleaning, tui.core.display.sizes;"
        "print(sorted(m for m in set(sys.modules) - before\n"
        "             if m != '__future__' and not m.startswith('tui')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out == "[]"
