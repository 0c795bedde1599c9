"""The sandbox over real loopback: start_background, serve, dropped connections."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest

from tests.support.sandbox import ANCHOR
from tests.support.specs import basic
from tui.sandbox.server import SandboxConfig, profile_toml, serve, start_background

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_start_background_on_an_ephemeral_port_and_stop() -> None:
    with start_background(SandboxConfig(port=0, anchor=ANCHOR)) as sandbox:
        assert sandbox.port > 0 and sandbox.base_url == f"http://127.0.0.1:{sandbox.port}"
        assert httpx.get(f"{sandbox.base_url}/_sandbox/state").status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.base_url}/_sandbox/state", timeout=1)


def test_a_full_session_over_loopback_never_leaks_the_bearer_token() -> None:
    with start_background(SandboxConfig(port=0, anchor=ANCHOR, rate_limit_scale=0)) as sandbox:
        base = sandbox.base_url
        with httpx.Client(base_url=base) as http:
            code_answer = http.get(
                "/oauth/authorize", params={"client_id": "demo-admin", "response_type": "code"}
            )
            code = httpx.URL(code_answer.headers["location"]).params["code"]
            tokens = http.post(
                "/oauth/token",
                headers=basic("demo-admin", "demo-admin-secret"),
                data={"grant_type": "authorization_code", "code": code},
            ).json()
            bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
            training = next(t for t in sandbox.state.goto.trainings.values() if t.recordings)
            path = f"/G2T/rest/trainings/{training.key}/recordings/{training.recordings[0].id}"
            # httpx drops Authorization when a redirect changes the host: the file is served.
            answer = http.get(path, headers=bearer, follow_redirects=True)
            assert answer.status_code == 200
            assert answer.url.host == "localhost"
            assert len(answer.content) == training.recordings[0].file.size
        log = httpx.get(f"{base}/_sandbox/requests").json()["requests"]
        file_hit = [e for e in log if e["api"] == "goto_file"][-1]
        assert file_hit["authorization"] is False and file_hit["status"] == 200


def test_drop_mid_body_breaks_the_connection() -> None:
    with start_background(SandboxConfig(port=0, anchor=ANCHOR, rate_limit_scale=0)) as sandbox:
        base = sandbox.base_url
        httpx.post(
            f"{base}/_sandbox/faults",
            json={"drop_mid_body": True, "remaining": 1, "match": {"path": "^/zoom/oauth"}},
        )
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            httpx.post(
                f"{base}/zoom/oauth/token",
                headers=basic("demo-zoom", "demo-zoom-secret"),
                params={"grant_type": "account_credentials", "account_id": "demo-account"},
            )
        # The server keeps serving.
        assert httpx.get(f"{base}/_sandbox/state").status_code == 200


def test_100k_registrants_start_in_seconds() -> None:
    started = time.perf_counter()
    with start_background(SandboxConfig(port=0, registrants=100_000)) as sandbox:
        elapsed = time.perf_counter() - started
        state = httpx.get(f"{sandbox.base_url}/_sandbox/state").json()
        big = str(state["zoom"]["big_webinar_id"])
        assert state["events"][big]["total"] == 100_000
    # Printed, not asserted: speed targets live in tests/benchmarks.
    print(f"\n100k registrants: the sandbox answered after {elapsed:.2f} s")


def test_non_loopback_hosts_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        serve(SandboxConfig(host="0.0.0.0"))  # noqa: S104 - refused, never bound
    assert stopped.value.code == 2
    assert "loopback" in capsys.readouterr().err
    with pytest.raises(ValueError, match="loopback"):
        start_background(SandboxConfig(host="192.0.2.1", port=0))


def test_profile_block_is_valid_toml() -> None:
    profile = tomllib.loads(profile_toml("http://127.0.0.1:8765"))["profiles"]["sandbox"]
    assert profile["goto_client_id"] == "demo-admin"
    assert profile["zoom_api_base"] == "http://127.0.0.1:8765/zoom/v2"
    assert profile["zoom_auth_base"] == "http://127.0.0.1:8765/zoom"
    assert {
        "goto_client_secret",
        "goto_api_base",
        "goto_auth_base",
        "seeit_api_base",
        "zoom_account_id",
        "zoom_client_id",
        "zoom_client_secret",
    } <= set(profile)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT semantics")
def test_serve_prints_the_profile_and_stops_on_ctrl_c() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "from tui.sandbox.server import SandboxConfig, serve; "
        f"serve(SandboxConfig(port={port}, registrants=50))"
    )
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "ctrl+c" in line:
                break
        # The socket listens before the URLs are printed: the first request connects.
        assert httpx.get(f"http://127.0.0.1:{port}/_sandbox/state", timeout=30).status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    printed = "".join(lines) + out
    assert proc.returncode == 0, err
    assert "[profiles.sandbox]" in printed and f"http://127.0.0.1:{port}/zoom/v2" in printed
    assert "stopped" in printed and "Traceback" not in err


def test_stall_after_bytes_holds_a_file_open_after_exactly_that_many_bytes() -> None:
    """A download in flight for as long as a test needs: the first bytes, then nothing
    more until the client hangs up (and the server goes on serving)."""
    with start_background(SandboxConfig(port=0, anchor=ANCHOR, rate_limit_scale=0)) as sandbox:
        base = sandbox.base_url
        training = next(t for t in sandbox.state.goto.trainings.values() if t.recordings)
        file = training.recordings[0].file
        assert file.size > 5000
        with httpx.Client(base_url=base) as http:
            code = httpx.URL(
                http.get(
                    "/oauth/authorize", params={"client_id": "demo-admin", "response_type": "code"}
                ).headers["location"]
            )
            tokens = http.post(
                "/oauth/token",
                headers=basic("demo-admin", "demo-admin-secret"),
                data={"grant_type": "authorization_code", "code": code.params["code"]},
            ).json()
            path = f"/G2T/rest/trainings/{training.key}/recordings/{training.recordings[0].id}"
            location = http.get(
                path, headers={"Authorization": f"Bearer {tokens['access_token']}"}
            ).headers["location"]
        rule = httpx.post(
            f"{base}/_sandbox/faults",
            json={"stall_after_bytes": 5000, "remaining": 1, "match": {"path": "^/files/"}},
        ).json()
        assert rule["stall_after_bytes"] == 5000
        received = 0
        # No byte comes after the 5,000th, however long one waits: the read times out.
        with (
            pytest.raises(httpx.ReadTimeout),
            httpx.stream("GET", location, timeout=httpx.Timeout(10, read=1.0)) as answer,
        ):
            assert answer.status_code == 200
            for piece in answer.iter_raw():
                received += len(piece)
        assert received == 5000
        assert len(httpx.get(location).content) == file.size  # the rule is spent
