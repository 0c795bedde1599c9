"""A profile switch from the palette repaints everything the profile decides, both ways.

The app is built by `meetdeck` itself (`tui.cmd.tui.run`, its run loop swapped for a
pilot) from a config.toml with two Zoom profiles on one loopback sandbox: "Prod",
red and read-only (by its table, or by environment: `MEETDECK_PROFILES__PROD__READ_ONLY`,
whose case is not the table's), and "staging", writable; it starts with `--profile
prod` or `--profile staging`. Whichever it starts on, after each switch
the header shows the profile now open (its name, its accent, READ-ONLY or not), the
footer offers Approve only where writes are allowed, and an approval is refused (read
only: nothing sent) or sent (writable) as that profile says.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.screen import screen_lines
from tui.app import MeetdeckApp
from tui.cli_parser import build_parser
from tui.core.models import Provider
from tui.screens.main import MainScreen
from tui.widgets.header import DeckHeader, accent_colour


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    from tui.sandbox.server import SandboxConfig, start_background

    # No server-side rate limits: the sync before each switch is not what this checks.
    with start_background(
        SandboxConfig(port=0, seed=11, registrants=40, rate_limit_scale=0)
    ) as handle:
        yield handle.base_url


def zoom_profile(base_url: str, extra: str = "") -> str:
    return (
        f'zoom_account_id = "demo-account"\nzoom_client_id = "demo-zoom"\n'
        f'zoom_client_secret = "demo-zoom-secret"\nzoom_api_base = "{base_url}/zoom/v2"\n'
        f'zoom_auth_base = "{base_url}/zoom"\nzoom_rate_limit = 10000.0\n{extra}'
    )


def build(
    monkeypatch: pytest.MonkeyPatch, base_url: str, start: str, read_only_by: str
) -> MeetdeckApp:
    """The app as `meetdeck --profile START` builds it; Prod is read-only by its table
    in the file or by the environment."""
    config = Path(os.environ["MEETDECK_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    in_file = "read_only = true\n" if read_only_by == "file" else ""
    prod = zoom_profile(base_url, f'accent = "red"\n{in_file}')
    staging = zoom_profile(base_url, 'accent = "blue"\n')
    (config / "config.toml").write_text(
        f'timezone = "UTC"\n[profiles.Prod]\n{prod}[profiles.staging]\n{staging}', encoding="utf-8"
    )
    if read_only_by == "environment":
        monkeypatch.setenv("MEETDECK_PROFILES__PROD__READ_ONLY", "true")
    monkeypatch.setenv("TEXTUAL_FPS", "120")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    seen: dict[str, Any] = {}

    def fake_run(self: MeetdeckApp, **kwargs: Any) -> None:
        seen["app"] = self

    monkeypatch.setattr(MeetdeckApp, "run", fake_run)
    from tui.cmd import tui as cmd

    assert cmd.run(build_parser().parse_args(["--profile", start])) == 0
    app: MeetdeckApp = seen["app"]
    return app


async def settle(app: MeetdeckApp, pilot: Any) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def try_to_approve(app: MeetdeckApp, pilot: Any, base_url: str) -> tuple[str, list[str]]:
    """Open a Zoom webinar with someone pending, press `a` on them and confirm if asked:
    the footer there, and the writes the sandbox saw."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await pilot.press("3")
    await settle(app, pilot)
    events = screen.active_pane
    found = [
        i
        for i in range(events.table.row_count)
        if (row := events.table.row_at(i)) is not None
        and row.provider is Provider.ZOOM
        and str(row.kind) == "webinar"
        and (row.pending or 0) > 0
    ]
    assert found, "no Zoom webinar with pending registrants"
    events.table.cursor_row = found[0]
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("v")  # pending only
    await pilot.pause()
    footer = screen_lines(app)[-1]
    seq = Control(base_url).mark()
    await pilot.press("a")
    await pilot.pause()
    if type(app.screen).__name__ == "ConfirmActionDialog":
        await pilot.press("tab", "enter")  # the Approve button
    await settle(app, pilot)
    return footer, Control(base_url).writes_since(seq)


def shown(app: MeetdeckApp) -> tuple[str, bool, str]:
    """(the header's profile, READ-ONLY shown, its accent)."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    header = screen.query_one(DeckHeader)
    line = screen_lines(app)[0]
    return (
        header.profile,
        "READ-ONLY" in line,
        accent_colour(header.profile, header.accent).lower(),
    )


@pytest.mark.parametrize("read_only_by", ["file", "environment"])
@pytest.mark.parametrize("start", ["staging", "prod"])
async def test_switching_profile_repaints_header_footer_and_write_gate(
    monkeypatch: pytest.MonkeyPatch, base_url: str, start: str, read_only_by: str
) -> None:
    app = build(monkeypatch, base_url, start, read_only_by)
    other = "staging" if start == "prod" else "Prod"
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(app, pilot)
        seen = {app.deck.profile_name: shown(app)}
        results = {app.deck.profile_name: await try_to_approve(app, pilot, base_url)}
        await app.open_profile(other)
        await settle(app, pilot)
        seen[app.deck.profile_name] = shown(app)
        results[app.deck.profile_name] = await try_to_approve(app, pilot, base_url)
    assert set(seen) == {"Prod", "staging"}  # `--profile prod` is [profiles.Prod]
    assert seen["Prod"] == ("Prod", True, "#ff0000"), seen
    assert seen["staging"] == ("staging", False, "#0000ff"), seen
    prod_footer, prod_writes = results["Prod"]
    staging_footer, staging_writes = results["staging"]
    assert "Approve" not in prod_footer and "Approve" in staging_footer
    assert prod_writes == [], "a read-only profile sent a write"
    assert staging_writes and all(w.startswith("PUT ") for w in staging_writes)
