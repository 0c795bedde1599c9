"""Baseline of the registrants benchmark: Textual's stock DataTable holding every row.

`python -m tests.benchmarks.baseline_datatable CACHE_DB PROFILE EVENT_KEY` shows an empty
DataTable; `l` (the "selection") reads the event's registrants from the same SQLite
cache through the same store view meetdeck uses, turns them into the same columns, adds
them all with `add_rows` and lets the table paint. The harness then presses the same
cursor keys as in meetdeck and reads the peak RSS.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

READY = "stock DataTable ready"
PAGE = 5000


def columns() -> list[Any]:
    """meetdeck's registrant columns for one event (no Event column, as when scoped)."""
    from tui.widgets.columns import REGISTRANTS

    return [c for c in REGISTRANTS if c.key != "event"]


class StockTableApp(App[None]):
    """A DataTable over every registrant of one event."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("l", "load", "Load", priority=True)]
    # Fill the space between the status line and the footer (not under the footer).
    CSS = "DataTable { height: 1fr; }"

    def __init__(self, cache: Path, profile: str, event_key: str) -> None:
        super().__init__()
        self.cache, self.profile, self.event_key = cache, profile, event_key

    def compose(self) -> ComposeResult:
        yield Static(READY, id="status")
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in columns():  # meetdeck's preferred widths (auto width would
            table.add_column(column.title, width=column.width)  # follow a 200-char name)
        table.focus()

    def action_load(self) -> None:
        from rich.markup import escape

        from tui.core.store.db import Store
        from tui.core.store.views import ViewQuery
        from tui.text import clean
        from tui.widgets.formatting import TimeFormat

        store = Store.open(self.cache, self.profile, create=False)
        view = store.registrants(ViewQuery(event_key=self.event_key))
        count = view.count()
        fmt = TimeFormat()
        cols = columns()
        table = self.query_one(DataTable)
        # Plain strings, as most apps pass them (escaped: names hold markup); read in
        # pages so that the peak is the table's, not a list of 100,000 models.
        for offset in range(0, count, PAGE):
            table.add_rows(
                [
                    tuple(escape(clean(c.value(row, fmt))) for c in cols)
                    for row in view.rows(offset, PAGE)
                ]
            )
        self.query_one("#status", Static).update(f"{count:,} rows loaded")
        store.close()


if __name__ == "__main__":
    StockTableApp(Path(sys.argv[1]), sys.argv[2], sys.argv[3]).run()
