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

import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chaos.chaosfix import HTTP, PROFILE, SyncedCache, fast_profile, paths_in, tally
from tests.chaos.uifix import SIZE, TABS, active, key_of, press, settle, show_tab
from tests.tui.screen_text import screen_text
from tui.app import MeetdeckApp, UiOptions, build_app
from tui.core.models import Provider
from tui.core.paths import Paths
from tui.core.service import Deck, ViewQuery

BAD_UTF8 = "@@BAD-UTF8@@"
CORPUS: dict[str, str] = {
    "markup-click": "[@click=app.quit]x",
    "markup-style": "[bold red]Mallory[/bold red] [/]",
    "markup-link": "[link=https://evil.example/]click me[/link]",
    "markup-variable": "$accent $text [$accent]x[/] :skull:",
    "ansi": "\x1b[2J\x1b[31mRed\x1b[0m\x1b[H",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\",
    "osc52-clipboard": "\x1b]52;c;ZXZpbA==\x07copied",
    "csi-8bit": "\x9b31mC1\x9b0m",
    "long-10k": "Ł" + "o" * 9_998 + "ng",
    "nul": "nul\x00byte",
    "controls": "bell\x07back\x08tab\tvt\x0bff\x0cdel\x7fesc\x1b",
    "newlines": "line1\nline2\r\nline3\u2028line4",
    "rtl-override": "\u202egpj.exe\u202c",
    "bidi-isolate": "\u2066\u2067abc\u2069",
    "zero-width": "ze\u200bro\ufeffwidth",
    "lone-surrogate": "half an emoji \ud83d here",
    "invalid-utf8": f"Zo{BAD_UTF8}",
    "sql": "Robert'); DROP TABLE registrants;--",
    "format": "%s %d {0} {name} %(x)s",
}
#: The text fields of the wire formats that the app shows (from a clean sync's bodies).
TEXT_KEYS = frozenset({
    "first_name", "last_name", "display_name", "dept", "topic", "agenda", "org",
    "job_title", "comments", "city", "title", "value", "firstName", "lastName",
    "groupName", "subject", "recordingName", "name", "description", "givenName",
    "surname", "sessionNotes",
})
#: Never rewritten: sign-in and identity answers.
SKIP = ("/oauth/", "/zoom/oauth/", "/admin/")
#: Sequences that must never reach the terminal from the data.
PAYLOADS = (b"\x1b]52;c;ZXZpbA", b"\x1b]8;;https://evil", b"\x1b[2J\x1b[31mRed",
            b"\x9b31m", b"\xc2\x9b31m", b"\x07copied", b"\x1b[0m\x1b[H", b"\xe2\x80\xae")
#: Characters that must never be in a rendered line.
FORBIDDEN = ("\x1b", "\x9b", "\x07", "\x00", "\x08", "\x7f", "\u202e", "\u2066", "\u2067")


class HostileTransport(httpx.AsyncBaseTransport):
    """Forwards to the sandbox and rewrites the text fields of JSON answers."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.names = list(CORPUS.values())
        self.used: Counter[str] = Counter()
        self._next = 0

    def _rewrite(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._rewrite(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key in TEXT_KEYS and isinstance(item, str) and item:
                name = list(CORPUS)[self._next % len(CORPUS)]
                self._next += 1
                self.used[name] += 1
                out[key] = CORPUS[name]
            else:
                out[key] = self._rewrite(item)
        return out

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        kind = response.headers.get("content-type", "")
        if "json" not in kind or request.url.path.startswith(SKIP) or not body:
            return httpx.Response(response.status_code, headers=response.headers,
                                  content=body, request=request)
        data = self._rewrite(json.loads(body))
        raw = json.dumps(data, ensure_ascii=True).encode("ascii")
        raw = raw.replace(BAD_UTF8.encode(), b"\xff\xfe\xe9(")
        headers = [(k, v) for k, v in response.headers.items()
                   if k.lower() not in ("content-length", "content-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=raw,
                              request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def hostile_deck(paths: Paths, base_url: str, transport: httpx.AsyncBaseTransport) -> Deck:
    from tui.core.providers.session import ProviderSet
    from tui.core.store import Store
    from tui.core.sync import SyncEngine

    store = Store.open(paths.cache_db(PROFILE, demo=True), PROFILE)
    providers = ProviderSet.for_profile(PROFILE, fast_profile(base_url), paths, HTTP,
                                        demo=True, transport=transport)
    return Deck(store, profile_name=PROFILE, engine=SyncEngine(store, providers),
                providers=providers, paths=paths, profiles=(PROFILE,))


@pytest.fixture(scope="module")
def hostile_cache(synced_shared: SyncedCache, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[Paths, Counter[str]]]:
    """A cache synced through the hostile transport (and how often each string landed)."""
    paths = paths_in(tmp_path_factory.mktemp("hostile"))
    transport = HostileTransport()

    async def sync() -> None:
        deck = hostile_deck(paths, synced_shared.base_url, transport)
        try:
            await deck.demo_sign_in()
            report = await deck.sync_all()
            assert report.ok, [(f.scope.label, f.error) for f in report.failed]
        finally:
            await deck.aclose()

    asyncio.run(sync())
    yield paths, transport.used


def test_every_hostile_string_is_stored_as_data(hostile_cache: tuple[Paths, Counter[str]],
                                                request: pytest.FixtureRequest) -> None:
    paths, used = hostile_cache
    assert set(used) == set(CORPUS), set(CORPUS) - set(used)
    assert min(used.values()) >= 5, used
    from tui.core.store import Store

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


def bad_styles(app: MeetdeckApp) -> list[str]:
    """Links and click actions in the rendered screen that came from the data."""
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                found.append(f"link {style.link}")
            click = (style.meta or {}).get("@click")
            if click and "quit" in str(click):
                found.append(f"@click {click}")
    return found


def assert_literal(app: MeetdeckApp, where: str) -> None:
    text = screen_text(app)
    for char in FORBIDDEN:
        assert char not in text, f"{where}: {char!r} reached the screen"
    assert not any("\ud800" <= ch <= "\udfff" for ch in text), where
    assert not bad_styles(app), (where, bad_styles(app))
    assert app.is_running and app.return_code is None, where


async def test_the_app_shows_hostile_data_literally(
        hostile_cache: tuple[Paths, Counter[str]], synced_shared: SyncedCache,
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    paths, _used = hostile_cache
    from tests.chaos.chaosfix import open_deck

    def factory(name: str | None) -> Deck:
        return open_deck(paths, synced_shared.base_url)

    app = build_app(factory, UiOptions(sync_on_start=False, timezone="UTC",
                                       download_dir=tmp_path / "dl"), profile=PROFILE)
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
        # The palette shows its hits in batches (every 0.25 s): wait for them, a fixed
        # 0.4 s missed them once under a full parallel run.
        for _ in range(50):
            await pilot.pause(0.1)
            if "DROP TAB" in screen_text(app):
                break
        assert_literal(app, "palette")
        assert "DROP TAB" in screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot, app)
        assert_literal(app, "end")
    for literal in ("[@click=app.quit]x", "[bold red]Mallory", "[link=https://evil",
                    "\u241b[2J", "\u241b]52;c;ZXZpbA==", "nul\u2400byte", "Łoooo", "DROP TAB",
                    "\ufffdgpj.exe\ufffd"):
        assert literal in seen, literal
    tally(request, "hostile-screen", len(CORPUS))


@pytest.mark.slow
def test_no_hostile_escape_reaches_the_terminal(
        hostile_cache: tuple[Paths, Counter[str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """The real CLI in a pseudo-terminal, on the hostile cache, offline."""
    from tests.chaos.procfix import NAME, write_profile
    from tests.tui.realdeck import unreachable_url

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

    output, status = run_in_pty([sys.executable, "-m", "tui", "--profile", NAME],
                                keys=[b"4", b"jjjjjj", b"3", b"jjj", b"6", b"q"],
                                ready=b"OFFLINE")
    assert status == 0, output[-2000:]
    assert b"Traceback" not in output
    assert b"OFFLINE" in output  # it did start, and said the API is unreachable
    for payload in PAYLOADS:
        assert payload not in output, f"{payload!r} reached the terminal"
    assert "\u241b[2J".encode() in output or b"[@click=app.quit]x" in output
    tally(request, "hostile-terminal", len(CORPUS))


def run_in_pty(argv: list[str], keys: list[bytes], *, ready: bytes, cols: int = 150,
               rows: int = 40, timeout: float = 30.0) -> tuple[bytes, int]:
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
