"""After a full session, no token, client secret or start URL is anywhere but the token
store, nor on screen; the token store is private.

The session: a real profile (client secrets only in the environment), `meetdeck auth
login goto --code`, `meetdeck sync`, then the app (built like the
CLI's, on the same profile) with the access tokens expired under it (so it renews them),
a full sync, host start links fetched and copied for a Zoom and a GoTo meeting, a
training or webinar and a support session, a new support session created (a write: the
audit log), a recording downloaded, a CSV export and the API log shown. The
screen is captured (text and SVG) at every step. Then every file under the config,
data, cache and download dirs is searched, byte for byte, for every access and refresh
token the sandbox issued, the sign-in code, the client secrets (plain and as a Basic
header), every start URL the session saw and any start-link shape at all.
"""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import active, press, settle, show_tab
from tests.support.chaos import CLIENT_SECRETS, sandbox_config, tally, token_values
from tests.support.cli import NAME, authorize_code, run_cli, write_profile
from tests.support.control import Control
from tests.support.screen import screen_text
from tests.support.waits import wait_for
from tui.app import MeetdeckApp, build_app
from tui.core.deck.facade import Deck
from tui.core.deck.from_profile import open_profile
from tui.core.settings.paths import Paths
from tui.ui_options import UiOptions

#: Shapes of the sandbox's host start links (GoTo's hostURL/startUrl, Zoom's zak link).
START_LINK_SHAPES = (b"/_sandbox/start/", b"/zoom/s/", b"zak=")


def cli_app(paths: Paths) -> MeetdeckApp:
    """The app on the configured profile, its Deck opened as the CLI's full loader does."""
    from tui.core.settings.config import load_settings

    settings = load_settings(paths)
    names = tuple(sorted(settings.profiles))

    def factory(name: str | None) -> Deck:
        chosen = name or NAME
        return open_profile(
            paths, chosen, settings.profiles[chosen], http=settings.http, profiles=names
        )

    options = UiOptions(sync_on_start=False, timezone="UTC", download_dir=paths.download_dir)
    return build_app(factory, options, profile=NAME)


class Screens:
    """Everything the session showed: screen text and SVG screenshots."""

    def __init__(self, app: MeetdeckApp) -> None:
        self.app = app
        self.captured: list[str] = []

    def take(self) -> None:
        self.captured.append(screen_text(self.app))
        self.captured.append(self.app.export_screenshot())


async def fetch_start_link(
    pilot: Any, app: MeetdeckApp, screens: Screens, tab: str, pick: Any
) -> str:
    """Open the start link dialog on the first row `pick` accepts, copy the link, close."""
    pane = await show_tab(pilot, app, tab)
    rows = [pane.table.row_at(i) for i in range(pane.table.row_count)]
    pane.table.cursor_row = next(i for i, row in enumerate(rows) if pick(row))
    await press(pilot, app, "start-url")
    return await copy_start_link(pilot, app, screens)


async def copy_start_link(pilot: Any, app: MeetdeckApp, screens: Screens) -> str:
    """In the start link dialog (once it opens): copy the link, then close it."""
    # The dialog opens when the link has been fetched.
    await wait_for(
        pilot,
        lambda: type(app.screen).__name__ == "StartUrlDialog",
        what="the start link dialog",
        detail=lambda: screen_text(app),
    )
    assert type(app.screen).__name__ == "StartUrlDialog", screen_text(app)
    screens.take()
    await press(pilot, app, "start-copy")
    screens.take()
    link = app.clipboard
    assert link.startswith("http"), link
    await press(pilot, app, "start-close")
    return link


@pytest.fixture(scope="module")
def secrets_sandbox() -> Iterator[Any]:
    """A sandbox of this module's own: the session creates a support session in it."""
    from tui.sandbox.server import start_background

    with start_background(sandbox_config()) as handle:
        yield handle


@pytest.mark.slow
async def test_no_secret_leaves_the_token_store(
    secrets_sandbox: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    base_url = secrets_sandbox.base_url
    sandbox_tokens = secrets_sandbox.state.tokens
    control = Control(base_url)
    paths = write_profile(base_url, monkeypatch)
    code = authorize_code(base_url)
    signed = run_cli("auth", "login", "goto", "--profile", NAME, f"--code={code}")
    assert signed.returncode == 0, signed.stderr
    token_file = paths.token_file(NAME)
    seen_tokens = set(token_values(token_file))
    synced_cli = run_cli("sync", "--profile", NAME)
    assert synced_cli.returncode == 0, synced_cli.stderr
    seen_tokens |= set(token_values(token_file))

    outputs = [signed.stdout + signed.stderr, synced_cli.stdout + synced_cli.stderr]

    control.expire()  # the app must renew both clouds' tokens mid-session
    links: list[str] = []
    app = cli_app(paths)
    screens = Screens(app)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await press(pilot, app, "sync-all")
        screens.take()
        links.append(
            await fetch_start_link(
                pilot, app, screens, "meetings", lambda r: r.provider.value == "zoom"
            )
        )
        links.append(
            await fetch_start_link(
                pilot, app, screens, "meetings", lambda r: r.provider.value == "goto_meeting"
            )
        )
        links.append(await fetch_start_link(pilot, app, screens, "events", lambda r: True))
        links.append(
            await fetch_start_link(
                pilot, app, screens, "support", lambda r: r.status in ("CREATED", "STARTED")
            )
        )
        # A write: a new support session (audited), whose start link the dialog offers.
        await press(pilot, app, "new-session")
        screens.take()
        await pilot.click("#confirm")
        links.append(await copy_start_link(pilot, app, screens))
        seen_tokens |= set(token_values(token_file))

        pane = await show_tab(pilot, app, "recordings")
        rows = [pane.table.row_at(i) for i in range(pane.table.row_count)]
        pane.table.cursor_row = next(
            i for i, r in enumerate(rows) if r is not None and r.provider.value == "goto_training"
        )
        await press(pilot, app, "download")

        def ended() -> bool:
            states = {str(p.state) for p in app.deck.downloads()}
            return bool(states) and states <= {"done", "failed"}

        await wait_for(pilot, ended, what="the download to end")
        assert {str(p.state) for p in app.deck.downloads()} == {"done"}, app.deck.downloads()
        await settle(pilot, app)
        screens.take()
        await press(pilot, app, "export", "api-log")
        screens.take()
        assert active(app).KIND == "recordings"
    seen_tokens |= set(token_values(token_file))

    secrets = {
        *seen_tokens,
        *sandbox_tokens.access,
        *sandbox_tokens.refresh,
        code,
        *CLIENT_SECRETS,
        *links,
    }
    for client, secret in (("demo-admin", CLIENT_SECRETS[0]), ("demo-zoom", CLIENT_SECRETS[1])):
        secrets.add(base64.b64encode(f"{client}:{secret}".encode()).decode())
    assert len(set(links)) == 5 and len(seen_tokens) >= 4, (links, len(seen_tokens))

    # Nothing secret on screen or in the CLI's output.
    for shown in [*screens.captured, *outputs]:
        found = [s[:16] for s in secrets if s in shown]
        assert not found, f"secret on screen or in output: {found}"
        assert not any(shape.decode() in shown for shape in START_LINK_SHAPES)

    # Nothing secret in any file but the token store.
    files = [
        p
        for root in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.download_dir)
        for p in root.rglob("*")
        if p.is_file()
    ]
    scanned = [p for p in files if p != token_file]
    names = {p.name for p in scanned}
    assert {"api.log", "audit.jsonl", f"{NAME}.sqlite3"} <= names, names
    assert any(p.suffix == ".csv" for p in scanned), names
    encoded = [s.encode() for s in secrets]
    for path in scanned:
        data = path.read_bytes()
        found = [s[:16] for s in encoded if s in data]
        assert not found, f"{path.relative_to(tmp_path)} holds a secret: {found}"
        shapes = [s for s in START_LINK_SHAPES if s in data]
        assert not shapes, f"{path.relative_to(tmp_path)} holds a start link: {shapes}"

    # The token store itself is private.
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
    tally(request, "secrets", 1)
    print(
        f"\nsecrets: {len(secrets)} values searched in {len(scanned)} files and "
        f"{len(screens.captured)} screen captures"
    )
