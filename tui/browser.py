"""Starting the local browser on a start link, without handing it meetdeck's secrets.

`webbrowser` starts the browser with this process's whole environment, which holds
`MEETDECK_*` client secrets and whatever tokens the shell exported; and it passes the
link as the browser's first argument, where ``--renderer-cmd-prefix=...`` is an
option. So meetdeck starts the system's URL opener itself: only with a link the Deck
vetted (`StartUrl.refusal` is None: an https:// link on the provider's own hosts, or
the demo's own sandbox), with an environment from which secret-looking variables are
removed, with no terminal attached, in a session of its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.models import StartUrl

#: Variable names a browser never needs and that may hold a secret or grant access.
SECRET_NAME = re.compile(
    r"^MEETDECK_|SECRET|TOKEN|PASSW|PASSPHRASE|CREDENTIAL|PRIVATE|COOKIE|SESSION_?KEY"
    r"|API_?KEY|ACCESS_?KEY|AUTH_SOCK|(^|_)KEY($|_)|^GPG_AGENT|^SSH_AGENT",
    re.IGNORECASE,
)


def browser_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without the variables whose names look secret (see `SECRET_NAME`)."""
    return {name: value for name, value in env.items() if not SECRET_NAME.search(name)}


def opener_command(
    url: str, env: Mapping[str, str], platform: str = sys.platform
) -> list[str] | None:
    """The argv that opens `url` with the system's URL opener (None: none found)."""
    path = env.get("PATH", os.defpath)
    if platform == "darwin":
        opener = shutil.which("open", path=path)
        return [opener, url] if opener else None
    if platform.startswith("win"):
        return ["rundll32", "url.dll,FileProtocolHandler", url]
    for name in ("xdg-open", "gio"):
        opener = shutil.which(name, path=path)
        if opener:
            return [opener, url] if name == "xdg-open" else [opener, "open", url]
    return None


class BrowserRefused(Exception):
    """The link was not opened; the message says why, in a sentence."""


def open_start_link(
    start: StartUrl, env: Mapping[str, str] | None = None, platform: str = sys.platform
) -> subprocess.Popen[bytes]:
    """Start the system's URL opener on a vetted start link.

    Args:
        start: The link, as the Deck vetted it.
        env: The environment to start from (default: this process's); secret-looking
            variables are removed before the opener sees it.
        platform: `sys.platform` (tests).

    Returns:
        The opener's process (it usually hands the link to a running browser and ends).

    Raises:
        BrowserRefused: The link was not vetted, or no opener is installed.
    """
    if start.refusal is not None:
        raise BrowserRefused(start.refusal)
    if not start.url.startswith(("https://", "http://")):  # vetted links always do
        raise BrowserRefused("Only http(s) links are opened.")
    source = os.environ if env is None else env
    argv = opener_command(start.url, source, platform)
    if argv is None:
        raise BrowserRefused(
            "No program to open links was found (xdg-open); copy the link instead."
        )
    try:
        return subprocess.Popen(  # noqa: S603 - a vetted https link, never a shell
            argv,
            env=browser_env(source),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError as error:
        raise BrowserRefused(
            f"The browser could not be started ({error.strerror}); copy the link instead."
        ) from None
