"""Baseline of the startup benchmark: a minimal Textual app that exits on its first frame.

A Header, a Static and a Footer; `python -m tests.benchmarks.baseline_minimal` in a pty.
The harness waits for the Static's text, exactly as it waits for meetdeck's first rows.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

MARKER = "minimal app first frame"


class MinimalApp(App[None]):
    """The smallest app with the same frame furniture as meetdeck."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(MARKER)
        yield Footer()

    def on_mount(self) -> None:
        # After the first refresh, i.e. once the first frame has been written.
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    MinimalApp().run()
