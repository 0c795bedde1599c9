"""The CLI run as a subprocess, and the profiles it runs with on a sandbox.

`write_zoom_profile` writes a Zoom-only profile with its secret in config.toml.

`write_profile` puts the sandbox's own `[profiles.sandbox]` block (`profile_toml`) in
config.toml, without its client secrets: those come from the environment
(`MEETDECK_PROFILES__SANDBOX__*_CLIENT_SECRET`), so that a file scan can tell whether
meetdeck itself ever wrote one down. `sign_in` signs in the way a person does over SSH:
`meetdeck auth login goto --code=CODE` with the code of the sandbox's authorize page.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.support.chaos import CLIENT_SECRETS
from tui.core.settings.paths import Paths, resolve_paths

REPO = Path(__file__).resolve().parents[2]
NAME = "sandbox"
SECRET_ENV = {
    "MEETDECK_PROFILES__SANDBOX__GOTO_CLIENT_SECRET": CLIENT_SECRETS[0],
    "MEETDECK_PROFILES__SANDBOX__ZOOM_CLIENT_SECRET": CLIENT_SECRETS[1],
}
TABLES = ("organizers", "meetings", "events", "registrants", "recordings", "support_sessions")


def write_profile(base_url: str, monkeypatch: Any) -> Paths:
    """config.toml with the sandbox's profile (secrets in the environment), fast limits."""
    from tui.sandbox.server import profile_toml

    block = [line for line in profile_toml(base_url).splitlines() if "client_secret" not in line]
    block += ["goto_rate_limit = 1000.0", "zoom_rate_limit = 1000.0"]
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f'default_profile = "{NAME}"\n\n'
        + "\n".join(block)
        + "\n\n[http]\nmax_retries = 1\nmax_backoff = 0.2\n",
        encoding="utf-8",
    )
    for key, value in SECRET_ENV.items():
        monkeypatch.setenv(key, value)
    return paths


def cli(*argv: str, prelude: str = "") -> list[str]:
    """`python -m tui ARGV`; with `prelude`, that Python code runs first in the child
    (a setting patched, a signal handler set), then meetdeck as `-m tui` would."""
    if not prelude:
        return [sys.executable, "-m", "tui", *argv]
    run = "import runpy; runpy.run_module('tui', run_name='__main__')"
    return [sys.executable, "-c", f"{prelude}\n{run}", *argv]


def run_cli(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGV` with the test's environment (its dirs and secrets)."""
    return subprocess.run(
        cli(*argv),
        cwd=REPO,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=timeout,
        check=False,
    )


def run_here(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`meetdeck ARGV` called in this process, as `run_cli` would run it: stdout and
    stderr captured, stdin `stdin` (not a terminal), the exit code of `main` or of its
    SystemExit. For tests about what a command prints and stores, not about the process
    (signals, pipes, a terminal, start-up): a new interpreter costs ~0.4 s of CPU."""
    import contextlib
    import io

    from tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exit_:  # argparse's --help and usage errors
                code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    finally:
        sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["meetdeck", *argv], code, out.getvalue(), err.getvalue())


def write_zoom_profile(base_url: str, name: str = "ops") -> None:
    """config.toml with one Zoom-only profile pointing at the sandbox.

    The client allows itself 1000 requests a second: at the default 20 a second, the
    sync a command runs first (about 70 requests) took 3.5 s of pacing.
    """
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        f'default_profile = "{name}"\n\n[profiles.{name}]\n'
        'zoom_account_id = "demo-account"\nzoom_client_id = "demo-zoom"\n'
        'zoom_client_secret = "demo-zoom-secret"\n'
        f'zoom_api_base = "{base_url}/zoom/v2"\nzoom_auth_base = "{base_url}/zoom"\n'
        "zoom_rate_limit = 1000.0\n\n"
        "[http]\nmax_retries = 3\nmax_backoff = 1.0\n",
        encoding="utf-8",
    )
    paths.config_file.chmod(0o600)  # it holds a client secret, as the README advises


def spawn(*argv: str) -> subprocess.Popen[str]:
    """Start `python -m tui ARGV`; stdout is a pipe (plain progress lines)."""
    return subprocess.Popen(
        cli(*argv),
        cwd=REPO,
        env=os.environ.copy(),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def authorize_code(base_url: str) -> str:
    """A fresh code from the sandbox's authorize page (it consents at once)."""
    response = httpx.get(
        f"{base_url}/oauth/authorize",
        timeout=10,
        params={
            "client_id": "demo-admin",
            "response_type": "code",
            "state": "chaos",
            "redirect_uri": f"{base_url}/_sandbox/callback",
        },
    )
    assert response.status_code == 302, response.text
    return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]


def sign_in(base_url: str) -> None:
    # `--code=CODE`, one word: it stays a value when the code starts with "-".
    done = run_cli("auth", "login", "goto", "--profile", NAME, f"--code={authorize_code(base_url)}")
    assert done.returncode == 0, done.stderr
    assert "GoTo: signed in" in done.stdout, done.stdout


def read_only(db: Path) -> sqlite3.Connection:
    """A read-only connection to the cache (nothing is recovered or rewritten)."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def integrity(db: Path) -> str:
    conn = read_only(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def table_counts(db: Path) -> dict[str, int]:
    """Rows per entity table, read-only."""
    conn = read_only(db)
    try:
        return {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # noqa: S608
            for t in TABLES
        }
    finally:
        conn.close()
