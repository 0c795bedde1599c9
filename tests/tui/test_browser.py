"""Starting the browser: only a vetted link, as the opener's one argument, no secrets.

A stand-in `xdg-open` (a shell script first on PATH) records its arguments and its
environment, so the tests see exactly what a browser would have been given.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.opener import FakeOpener, fake_opener
from tui.browser import BrowserRefused, browser_env, open_start_link, opener_command
from tui.core.models import StartUrl

LINK = "https://us02web.zoom.us/s/81234567890?zak=secret-zak"


@pytest.fixture
def opener(tmp_path: Path) -> FakeOpener:
    return fake_opener(tmp_path)


def environment(opener: FakeOpener) -> dict[str, str]:
    return {
        "PATH": f"{opener.bin}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "DISPLAY": ":0",
        "HOME": "/home/x",
        "LANG": "C.UTF-8",
        "XAUTHORITY": "/x/.Xauthority",
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1/bus",
        "BROWSER": "firefox",
        "MEETDECK_ZOOM_CLIENT_SECRET": "zoom-secret",
        "MEETDECK_PROFILE": "work",
        "MEETDECK_CONFIG_DIR": "/x/config",
        "GITHUB_TOKEN": "ghp_x",
        "AWS_SECRET_ACCESS_KEY": "aws",
        "OPENAI_API_KEY": "sk-x",
        "PGPASSWORD": "pg",
        "SSH_AUTH_SOCK": "/tmp/agent",
        "VAULT_TOKEN": "v",
        "NPM_CONFIG__AUTH": "",
    }


def test_a_vetted_link_reaches_the_opener_alone_and_without_secrets(opener: FakeOpener) -> None:
    process = open_start_link(StartUrl(LINK, refusal=None), environment(opener), platform="linux")
    assert process.wait(timeout=30) == 0
    assert opener.ran
    assert opener.args() == [LINK]
    env = opener.env()
    for kept in ("DISPLAY", "HOME", "LANG", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS", "BROWSER"):
        assert env.get(kept) == environment(opener)[kept], kept
    leaked = sorted(
        name
        for name in env
        if name.startswith("MEETDECK_")
        or name
        in (
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "OPENAI_API_KEY",
            "PGPASSWORD",
            "SSH_AUTH_SOCK",
            "VAULT_TOKEN",
        )
    )
    assert not leaked
    assert not any(value in ("zoom-secret", "ghp_x", "aws", "sk-x", "pg") for value in env.values())


@pytest.mark.parametrize(
    "start",
    [
        StartUrl("--renderer-cmd-prefix=/bin/sh"),  # never vetted
        StartUrl(LINK),  # never vetted either: the default is "not checked"
        StartUrl("--renderer-cmd-prefix=/bin/sh", refusal="not the provider's"),
        StartUrl("-incognito", refusal=None),  # a bug upstream must still not pass
    ],
)
def test_anything_else_never_starts_a_process(opener: FakeOpener, start: StartUrl) -> None:
    with pytest.raises(BrowserRefused) as refused:
        open_start_link(start, environment(opener), platform="linux")
    assert str(refused.value)
    assert not opener.ran


def test_no_opener_installed_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(BrowserRefused, match="xdg-open"):
        open_start_link(StartUrl(LINK, refusal=None), {"PATH": str(tmp_path)}, platform="linux")


def test_opener_commands_put_the_link_last() -> None:
    assert opener_command(LINK, {"PATH": "/nonexistent"}, "win32") == [
        "rundll32",
        "url.dll,FileProtocolHandler",
        LINK,
    ]
    assert browser_env(
        {"MEETDECK_X": "1", "meetdeck_y": "2", "TERM": "xterm", "KEY_FILE": "k", "MONKEY": "m"}
    ) == {"TERM": "xterm", "MONKEY": "m"}
