"""The hostile-string corpus and the checks that none of it reaches the terminal.

`CORPUS` holds what an API could send in any text field: Textual and Rich markup, ANSI
and mode-changing CSI, OSC 0/2 (window title), OSC 8 (links), OSC 52 (clipboard, BEL-
and ST-terminated), DCS (tmux passthrough), 8-bit C1 controls (CSI, OSC, DCS, ST), NUL
and other controls, newlines, bidi overrides, a lone surrogate, bytes that are not
UTF-8. `HostileTransport` puts it in every text field of the sandbox's answers.

`assert_literal` checks what a running app shows (no control character, no link or
click action from the data); `assert_terminal_clean` checks the bytes the app would
write to the terminal for its current screen: only colour and cursor moves, no escape
sequence and no C1 control from the data.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.support.chaos import HTTP, PROFILE, fast_profile, paths_in
from tests.support.screen import screen_text
from tui.app import MeetdeckApp
from tui.core.deck.facade import Deck
from tui.core.settings.paths import Paths

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
    "osc0-title": "\x1b]0;PWNED title\x07t0",
    "osc2-title": "\x1b]2;PWNED title\x1b\\t2",
    "osc52-st": "\x1b]52;p;ZXZpbA==\x1b\\primary",
    "dcs-tmux": "\x1bPtmux;\x1b\x1b]52;c;ZXZpbA==\x07\x1b\\dcs",
    "c1-osc-dcs": "\x9d0;C1 title\x9c\x90$q m\x9cC1",
    "csi-modes": "\x1b[?1049h\x1b[?1000h\x1b[?25l\x1b[?2004l\x1b[12lmodes\x1bc",
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
TEXT_KEYS = frozenset(
    {
        "first_name",
        "last_name",
        "display_name",
        "dept",
        "topic",
        "agenda",
        "org",
        "job_title",
        "comments",
        "city",
        "title",
        "value",
        "firstName",
        "lastName",
        "groupName",
        "subject",
        "recordingName",
        "name",
        "description",
        "givenName",
        "surname",
        "sessionNotes",
    }
)
#: Never rewritten: sign-in and identity answers.
SKIP = ("/oauth/", "/zoom/oauth/", "/admin/")
#: Sequences that must never reach the terminal from the data.
PAYLOADS = (
    b"\x1b]52;c;ZXZpbA",
    b"\x1b]8;;https://evil",
    b"\x1b[2J\x1b[31mRed",
    b"\x9b31m",
    b"\xc2\x9b31m",
    b"\x07copied",
    b"\x1b[0m\x1b[H",
    b"\xe2\x80\xae",
    b"\x1b]0;PWNED",
    b"\x1b]2;PWNED",
    b"\x1b]52;p;",
    b"\x1bPtmux;",
    b"\x9d0;C1",
    b"\xc2\x9d0;C1",
    b"\xc2\x90$q",
    b"\x1b[12lmodes",
    b"\x1bc",
)
#: Characters that must never be in a rendered line.
FORBIDDEN = (
    "\x1b",
    "\x9b",
    "\x9d",
    "\x90",
    "\x9c",
    "\x07",
    "\x00",
    "\x08",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u2067",
)


class JsonRewritingTransport(httpx.AsyncBaseTransport):
    """Forwards to the sandbox and rewrites chosen string fields of its JSON answers."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    def applies(self, request: httpx.Request) -> bool:
        """Whether this request's answer is rewritten at all."""
        return True

    def replace(self, key: str, item: str) -> str | None:
        """The new value of a string field, or None to keep it."""
        return None

    def encode(self, data: Any) -> bytes:
        return json.dumps(data).encode()

    def _rewrite(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._rewrite(item) for item in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            new = self.replace(key, item) if isinstance(item, str) else None
            out[key] = self._rewrite(item) if new is None else new
        return out

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        kind = response.headers.get("content-type", "")
        if "json" not in kind or not body or not self.applies(request):
            return httpx.Response(
                response.status_code, headers=response.headers, content=body, request=request
            )
        raw = self.encode(self._rewrite(json.loads(body)))
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, content=raw, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class HostileTransport(JsonRewritingTransport):
    """Rewrites the text fields of JSON answers with the hostile corpus, in turn."""

    def __init__(self) -> None:
        super().__init__()
        self.names = list(CORPUS.values())
        self.used: Counter[str] = Counter()
        self._next = 0

    def applies(self, request: httpx.Request) -> bool:
        return not request.url.path.startswith(SKIP)

    def replace(self, key: str, item: str) -> str | None:
        if key not in TEXT_KEYS or not item:
            return None
        name = list(CORPUS)[self._next % len(CORPUS)]
        self._next += 1
        self.used[name] += 1
        return CORPUS[name]

    def encode(self, data: Any) -> bytes:
        raw = json.dumps(data, ensure_ascii=True).encode("ascii")
        return raw.replace(BAD_UTF8.encode(), b"\xff\xfe\xe9(")


def hostile_deck(paths: Paths, base_url: str, transport: httpx.AsyncBaseTransport) -> Deck:
    from tui.core.deck.connection import sync_engine
    from tui.core.providers.session import ProviderSet
    from tui.core.store.db import Store

    store = Store.open(paths.cache_db(PROFILE, demo=True), PROFILE)
    providers = ProviderSet.for_profile(
        PROFILE, fast_profile(base_url), paths, HTTP, demo=True, transport=transport
    )
    return Deck(
        store,
        profile_name=PROFILE,
        engine=sync_engine(store, providers),
        providers=providers,
        paths=paths,
        profiles=(PROFILE,),
    )


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
    assert_terminal_clean(app, where)


#: What Textual itself writes when it draws a screen: colours (SGR) and cursor moves.
_DRAWING = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H|\x1b\[\d*[ABCDGK]")


def terminal_output(app: MeetdeckApp) -> str:
    """The characters the app writes to the terminal to draw its current screen."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_terminal_clean(app: MeetdeckApp, where: str) -> None:
    """No escape sequence but colours and cursor moves, no C1 control, no BEL."""
    output = terminal_output(app)
    rest = _DRAWING.sub("", output)
    bad = sorted(
        {f"{ord(c):#x}" for c in rest if c == "\x1b" or c == "\x07" or "\x80" <= c <= "\x9f"}
    )
    assert not bad, f"{where}: {bad} in the terminal output"
    for payload in PAYLOADS:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:  # a raw 8-bit C1 byte: covered by the check above
            continue
        assert text not in output, (where, payload)


def sync_hostile(base_url: str, directory: Path) -> tuple[Paths, Counter[str]]:
    """Sync the sandbox at `base_url` through `HostileTransport` into a cache under
    `directory`; returns its paths and how often each corpus string landed."""
    paths = paths_in(directory)
    transport = HostileTransport()

    async def sync() -> None:
        deck = hostile_deck(paths, base_url, transport)
        try:
            await deck.demo_sign_in()
            report = await deck.sync_all()
            assert report.ok, [(f.scope.label, f.error) for f in report.failed]
        finally:
            await deck.aclose()

    asyncio.run(sync())
    return paths, transport.used
