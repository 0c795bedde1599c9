"""`meetdeck auth login|status|logout` against the sandbox (the SSH paste-back flow)."""

from __future__ import annotations

import os
import re
from typing import Any

import httpx
import pytest

from tui.cli import main
from tui.core.settings.paths import resolve_paths


def _configure(sandbox: Any) -> None:
    from tui.sandbox.server import profile_toml

    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(profile_toml(sandbox.base_url), encoding="utf-8")


def _no_input(prompt: str = "") -> str:
    raise EOFError


def test_login_paste_later_status_logout(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(sandbox)
    monkeypatch.setattr("builtins.input", _no_input)
    assert main(["auth", "login", "goto"]) == 1  # nothing pasted: URL printed, state kept
    out = capsys.readouterr().out
    url = re.search(r"(http://\S+/oauth/authorize\?\S+)", out)
    assert url is not None and "--code" in out
    # The person opens the URL elsewhere; the sandbox consents and redirects.
    redirect = httpx.get(url.group(1), follow_redirects=False, timeout=10)
    assert redirect.status_code == 302
    location = redirect.headers["Location"]
    assert main(["auth", "login", "goto", "--code", location]) == 0
    out = capsys.readouterr().out
    assert "GoTo: signed in as" in out and "admin: yes" in out
    code = re.search(r"code=([^&]+)", location)
    assert code is not None and code.group(1) not in out

    assert main(["auth", "login", "zoom"]) == 0
    assert "Zoom: signed in" in capsys.readouterr().out

    assert main(["auth", "status"]) == 0
    out = capsys.readouterr().out
    assert "sandbox" in out and "GoTo  signed in" in out and "admin" in out
    assert "Zoom  signed in" in out
    token_file = resolve_paths().token_file("sandbox")
    assert os.stat(token_file).st_mode & 0o077 == 0
    assert "demo-admin-secret" not in out

    assert main(["auth", "logout", "goto"]) == 0
    assert "Signed out of GoTo" in capsys.readouterr().out
    assert main(["auth", "status"]) == 0
    out = capsys.readouterr().out
    assert "GoTo  not signed in" in out and "Zoom  signed in" in out
    assert main(["auth", "logout"]) == 0
    assert not token_file.exists()


def test_pasted_url_from_another_attempt_is_refused(
    sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(sandbox)
    monkeypatch.setattr("builtins.input", _no_input)
    main(["auth", "login", "goto"])
    capsys.readouterr()
    forged = f"{sandbox.base_url}/_sandbox/callback?code=abc&state=not-ours"
    assert main(["auth", "login", "goto", "--code", forged]) == 2
    err = capsys.readouterr().err
    assert "different sign-in attempt" in err and "Traceback" not in err


def test_loose_token_file_is_reported_in_status(
    sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _configure(sandbox)
    token_file = resolve_paths().token_file("sandbox")
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text("{}")
    token_file.chmod(0o644)
    assert main(["auth", "status"]) == 2
    assert f"chmod 600 {token_file}" in capsys.readouterr().out


def test_status_without_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["auth", "status"]) == 0
    assert "No profile is configured" in capsys.readouterr().out


@pytest.mark.parametrize("form", ["separate", "joined"])
def test_a_code_that_starts_with_a_dash_is_a_code_not_an_option(
    form: str, sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One real code in 64 starts with "-": `--code -5RM...` must not be an argparse error."""
    _configure(sandbox)
    tokens = sandbox.state.tokens
    issue = tokens.issue_code

    def dashed(*args: Any) -> str:
        code = issue(*args)
        tokens.codes[f"-5RM{code}"] = tokens.codes.pop(code)
        return f"-5RM{code}"

    monkeypatch.setattr(tokens, "issue_code", dashed)
    monkeypatch.setattr("builtins.input", _no_input)
    assert main(["auth", "login", "goto"]) == 1
    url = re.search(r"(http://\S+/oauth/authorize\?\S+)", capsys.readouterr().out)
    assert url is not None
    redirect = httpx.get(url.group(1), follow_redirects=False, timeout=10)
    code = re.search(r"code=([^&]+)", redirect.headers["Location"])
    assert code is not None and code.group(1).startswith("-5RM")
    argv = ["--code", code.group(1)] if form == "separate" else [f"--code={code.group(1)}"]
    assert main(["auth", "login", "goto", *argv]) == 0
    assert "GoTo: signed in as" in capsys.readouterr().out
