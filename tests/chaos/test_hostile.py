"""Hostile strings in every text field, from the wire to the screen and the terminal.

A proxy transport between the real providers and the sandbox rewrites every text field
the app shows (names, subjects, topics, agendas, notes, group names, custom answers)
with a corpus of hostile strings: Textual and Rich markup (`[@click=app.quit]x`), ANSI,
OSC 8 and OSC 52 escapes, an 8-bit CSI, a 10,000-character name, NUL and other control
characters, newlines, bidi overrides and isolates, a lone UTF-16 surrogate and bytes
that are not UTF-8 at all. Then:

- the sync stores everything (nothing fails, nothing is dropped);
- the app shows every tab and the palette with the strings literal: no escape or
  control character reaches a rendered line, no link and no click action comes from
  the data, clicking and pressing keys on hostile rows triggers nothing, the app runs;
- the real CLI in a pseudo-terminal shows the same cache and quits cleanly, and none of
  the hostile escape sequences appear in the bytes it wrote to the terminal.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.support.app import SIZE, TABS, active, key_of, press, settle, show_tab
from tests.support.chaos import PROFILE, SyncedCache, tally
from tests.support.hostile import CORPUS, PAYLOADS, assert_literal, sync_hostile
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.app import build_app
from tui.core.deck.facade import Deck
from tui.core.models import Provider
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery
from tui.ui_options import UiOptions


@pytest.fixture(scope="module")
def hostile_cache(
    synced_shared: SyncedCache, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Paths, Counter[str]]:
    """A cache synced through the hostile transport (and how often each string landed)."""
    return sync_hostile(synced_shared.base_url, tmp_path_factory.mktemp("hostile"))


def test_every_hostile_string_is_stored_as_data(
    hostile_cache: tuple[Paths, Counter[str]], request: pytest.FixtureRequest
) -> None:
    paths, used = hostile_cache
    assert set(used) == set(CORPUS), set(CORPUS) - set(used)
    assert min(used.values()) >= 5, used
    from tui.core.store.db import Store

    store = Store.open(paths.cache_db(PROFILE, demo=True), PROFILE)
    try:
        assert store.integrity_ok()
        people = store.registrants(ViewQuery(provider=Provider.ZOOM))
        firsts = {r.first_name for r in people.rows(0, people.count())}
        assert CORPUS["markup-click"] in firsts
        assert CORPUS["long-10k"] in firsts
        assert CORPUS["nul"] in firsts  # NUL survives the round trip through SQLite
        assert "Zo\ufffd\ufffd\ufffd(" in firsts  # not-UTF-8 bytes: replaced, not fatal
        assert "half an emoji \ufffd here" in firsts  # a lone surrogate: replaced
        assert any(CORPUS["markup-click"] in h.title for h in store.search("click=app"))
    finally:
        store.close()
    tally(request, "hostile", len(CORPUS))


async def test_the_app_shows_hostile_data_literally(
    hostile_cache: tuple[Paths, Counter[str]],
    synced_shared: SyncedCache,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    paths, _used = hostile_cache
    from tests.support.chaos import CHAOS
    from tests.support.decks import open_deck

    def factory(name: str | None) -> Deck:
        return open_deck(synced_shared.base_url, paths, CHAOS)

    app = build_app(
        factory,
        UiOptions(sync_on_start=False, timezone="UTC", download_dir=tmp_path / "dl"),
        profile=PROFILE,
    )
    seen = ""
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for tab in TABS:
            pane = await show_tab(pilot, app, tab)
            assert pane.table.row_count > 0, tab
            # Walk some rows: each highlighted row fills the detail panel too.
            await pilot.press(*[key_of(app, "down")] * min(pane.table.row_count - 1, 3))
            await pilot.pause()
            assert_literal(app, f"tab {tab}")
            seen += screen_text(app)
        # The markup-named person: filter to her, click her row, Enter, copy.
        await show_tab(pilot, app, "registrants")
        await press(pilot, app, "filter")
        await pilot.press(*"click=app", "enter")
        await settle(pilot, app)
        pane = active(app)
        assert pane.table.row_count > 0
        region = pane.table.region
        await pilot.click(offset=(region.x + 4, region.y + 1))
        await pilot.press("enter")
        await press(pilot, app, "copy")
        assert_literal(app, "clicked row")
        assert app.clipboard and "\x1b" not in app.clipboard
        # The palette searches the same names.
        await press(pilot, app, "palette")
        await pilot.press(*"Robert")
        # The palette shows its hits in batches (every 0.25 s): wait for them.
        await wait_for(
            pilot,
            lambda: "DROP TAB" in screen_text(app),
            what="the palette's hits",
            detail=lambda: screen_text(app),
        )
        assert_literal(app, "palette")
        assert "DROP TAB" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot, app)
        assert_literal(app, "end")
    for literal in (
        "[@click=app.quit]x",
        "[bold red]Mallory",
        "[link=https://evil",
        "\u241b[2J",
        "\u241b]52;c;ZXZpbA==",
        "nul\u2400byte",
        "Łoooo",
        "DROP TAB",
        "\ufffdgpj.exe\ufffd",
    ):
        assert literal in seen, literal
    tally(request, "hostile-screen", len(CORPUS))


@pytest.mark.slow
def test_no_hostile_escape_reaches_the_terminal(
    hostile_cache: tuple[Paths, Counter[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """The real CLI in a pseudo-terminal, on the hostile cache, offline."""
    from tests.support.cli import NAME, write_profile
    from tests.support.demo import unreachable_url

    paths, _used = hostile_cache
    real = write_profile(unreachable_url(), monkeypatch)
    target = real.cache_db(NAME)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = paths.cache_db(PROFILE, demo=True)
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # the WAL's content too
    src.close()
    dst.close()

    output, status = run_in_pty(
        [sys.executable, "-m", "tui", "--profile", NAME],
        keys=[b"4", b"jjjjjj", b"3", b"jjj", b"6", b"q"],
        ready=b"OFFLINE",
    )
    assert status == 0, output[-2000:]
    assert b"Traceback" not in output
    assert b"OFFLINE" in output  # it did start, and said the API is unreachable
    for payload in PAYLOADS:
        assert payload not in output, f"{payload!r} reached the terminal"
    assert "\u241b[2J".encode() in output or b"[@click=app.quit]x" in output
    tally(request, "hostile-terminal", len(CORPUS))


def run_in_pty(
    argv: list[str],
    keys: list[bytes],
    *,
    ready: bytes,
    cols: int = 150,
    rows: int = 40,
    timeout: float = 30.0,
) -> tuple[bytes, int]:
    """Run `argv` on a pseudo-terminal; once `ready` was written and the output has
    settled, send `keys` one by one. Returns every byte written and the exit status."""
    import fcntl
    import pty
    import select
    import struct
    import termios

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on the pty
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.chdir(str(Path(__file__).resolve().parents[2]))
        os.execvpe(argv[0], argv, env)  # noqa: S606 - a fixed argv, no shell
    output = bytearray()
    pending = list(keys)
    status: int | None = None
    last_output = time.monotonic()
    deadline = last_output + timeout
    try:
        while status is None and time.monotonic() < deadline:
            readable, _, _ = select.select([fd], [], [], 0.05)
            now = time.monotonic()
            if readable:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child has closed the terminal
                    chunk = b""
                if chunk:
                    output += chunk
                    last_output = now
            elif pending and ready in output and now - last_output > 0.15:
                os.write(fd, pending.pop(0))
                last_output = now
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(code)
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return bytes(output), -9 if status is None else status
