"""The downloads screen (`o`): every recording download of this session, live.

Each download is one row: its file name, a progress bar, its speed and time left, or
where it was saved / why it stopped. Several run at once (the Deck's queue runs a few
and holds the rest). `x` cancels the highlighted one; its `.part` file stays, so
downloading it again resumes.

Progress comes from `Deck.watch_downloads` through the app, as messages that replace
older ones of the same file (`DownloadProgressed`, `tui/screens/download_flows.py`); the
app hands each to `download_progressed` here. Nothing here talks to the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Label, ProgressBar, Static

from tui.core.display.sizes import size
from tui.text import clean
from tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from tui.core.downloads.queue import DownloadProgress
    from tui.widgets.pane import DeckHost

_STATE_STYLE = {"done": "$text-success", "failed": "$text-error", "cancelled": "$text-warning"}


def speed_text(bytes_per_second: float) -> str:
    """A transfer speed, e.g. "2.4 MB/s"."""
    return f"{size(int(bytes_per_second))}/s" if bytes_per_second > 0 else ""


def eta_text(seconds: float | None) -> str:
    """Time left, e.g. "0:42" or "1:02:03" ("" when unknown)."""
    if seconds is None:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_text(progress: DownloadProgress) -> Content:
    """The line under a download's bar: bytes, speed and ETA, or how it ended."""
    state = str(progress.state)
    received = size(progress.received)
    total = size(progress.total) if progress.total else "?"
    if state == "running":
        parts = [f"{received} of {total}", speed_text(progress.speed)]
        eta = eta_text(progress.eta)
        if eta:
            parts.append(f"{eta} left")
        if progress.resumed_from:
            parts.append(f"resumed at {size(progress.resumed_from)}")
        text = " \u00b7 ".join(p for p in parts if p)
        if progress.error:  # a retry is coming
            return Content.assemble(
                text, (f" \u00b7 retrying: {clean(progress.error)}", "$text-warning")
            )
        return Content(text)
    if state == "queued":
        return Content.assemble(("queued", "$text-muted"))
    if state == "done":
        where = clean(str(progress.path)) if progress.path else ""
        return Content.assemble(("saved", _STATE_STYLE["done"]), f" \u00b7 {where}")
    if state == "failed":
        return Content.assemble(
            ("failed", _STATE_STYLE["failed"]), f" \u00b7 {clean(progress.error)}"
        )
    return Content.assemble(
        (state, _STATE_STYLE.get(state, "")), f" \u00b7 {received} kept; D again resumes"
    )


class DownloadRow(Vertical, can_focus=True):
    """One download: its name and bar on one line, its status on the next."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "app.focus_next", "Next", show=False, id="downloads-down"),
        Binding("k,up", "app.focus_previous", "Previous", show=False, id="downloads-up"),
    ]

    DEFAULT_CSS = """
    DownloadRow {
        height: 2;
        padding: 0 1;
        & > Horizontal { height: 1; }
        & .download--name { width: 1fr; text-style: bold; text-wrap: nowrap;
                            text-overflow: ellipsis; }
        & ProgressBar { width: 42; }
        & > .download--status { height: 1; color: $text-muted; text-wrap: nowrap;
                                text-overflow: ellipsis; }
        &:focus { background: $boost; }
        &:focus .download--name { color: $accent; }
    }
    """

    def __init__(self, progress: DownloadProgress) -> None:
        super().__init__(id=None)
        self.key = progress.key
        self.progress = progress

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(clean(self.progress.filename), classes="download--name", markup=False)
            yield ProgressBar(total=None, show_eta=False)
        yield Static("", classes="download--status")

    def on_mount(self) -> None:
        self.show(self.progress)

    def show(self, progress: DownloadProgress) -> None:
        """Draw `progress` (the newest snapshot of this file)."""
        self.progress = progress
        bar = self.query_one(ProgressBar)
        state = str(progress.state)
        if progress.total:
            bar.update(total=progress.total, progress=progress.received)
        elif state in ("done", "failed", "cancelled"):
            bar.update(total=max(progress.received, 1), progress=progress.received)
        self.query_one(".download--status", Static).update(status_text(progress))


class DownloadsScreen(Screen[None]):
    """Every download of this session with its progress; `x` cancels one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,o,backspace", "app.pop_screen", "Back", id="downloads-back"),
        Binding("x", "cancel_download", "Cancel download", id="cancel-download"),
    ]
    DEFAULT_CSS = """
    DownloadsScreen {
        & > #downloads-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
        & > #downloads-empty { padding: 1 2; color: $text-muted; }
        & > VerticalScroll { height: 1fr; }
        & DownloadRow { margin-bottom: 1; }
    }
    """

    @property
    def host(self) -> DeckHost:
        return cast("DeckHost", self.app)

    def compose(self) -> ComposeResult:
        yield Static("Downloads", id="downloads-title", markup=False)
        yield Static(
            "No downloads yet: press D on a recording (tab 5) or in a meeting's screen.",
            id="downloads-empty",
            markup=False,
        )
        yield VerticalScroll(id="downloads")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.add_rows(self.host.deck.downloads())

    def rows(self) -> list[DownloadRow]:
        """The download rows, in the order they were queued."""
        return list(self.query(DownloadRow).results(DownloadRow))

    async def add_rows(self, snapshots: Iterable[DownloadProgress]) -> None:
        """Show downloads not shown yet (and update those that are)."""
        known = {row.key: row for row in self.rows()}
        new = []
        for progress in snapshots:
            row = known.get(progress.key)
            if row is not None:
                row.show(progress)
            else:
                known[progress.key] = row = DownloadRow(progress)
                new.append(row)
        if new:
            await self.query_one("#downloads", VerticalScroll).mount_all(new)
            if len(new) == len(known):  # the first rows: highlight the first one
                new[0].focus()
        self.query_one("#downloads-empty").display = not known
        self.refresh_bindings()

    async def download_progressed(self, progress: DownloadProgress) -> None:
        """The app's hand-off of one progress snapshot (the newest of its file)."""
        await self.add_rows([progress])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_download":
            row = self.focused
            return isinstance(row, DownloadRow) and str(row.progress.state) in ("queued", "running")
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_cancel_download(self) -> None:
        row = self.focused
        if not isinstance(row, DownloadRow):
            return
        if self.host.deck.cancel_download(row.key):
            self.app.notify(
                f"Cancelled {clean(row.progress.filename)}; the partial file is kept for a resume.",
                markup=False,
                timeout=4,
            )
