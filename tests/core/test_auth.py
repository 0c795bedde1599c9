"""tui.core.auth (oauth, zoom, source, tokens) against a scripted OAuth server (MockTransport)."""

from __future__ import annotations

import base64
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from tui.core.auth.oauth import GoToAuth, demo_sign_in
from tui.core.auth.source import MAX_TOKEN_LIFETIME, TOKEN_RESPONSE, token_set_from
from tui.core.auth.tokens import GOTO, ZOOM, TokenSet, TokenStore, utcnow
from tui.core.auth.zoom import ZoomAuth
from tui.core.errors import (
    ConfigError,
    NotSignedIn,
    RequestRejected,
    SessionExpired,
    StorageError,
)
from tui.core.net.apilog import ApiLog
from tui.core.net.connection import Connection
from tui.core.settings.config import HttpSettings, ProfileSettings

BASE = "https://goto.example.com"
ZBASE = "https://zoom.example.com"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class FakeCloud:
    """GoTo OAuth + /me + one API path, and Zoom's token endpoint; rotating refresh tokens."""

    def __init__(self) -> None:
        self.issued = 0
        self.valid_access: set[str] = set()
        self.valid_refresh: set[str] = set()
        self.codes = {"CODE-1": "https://localhost/cb"}
        self.token_posts: list[dict[str, list[str]]] = []
        self.requests: list[httpx.Request] = []
        self.include_keys = True
        self.me_status = 200
        self.zoom_tokens = 0

    def _issue(self) -> dict[str, object]:
        self.issued += 1
        access, refresh = f"ACCESS-{self.issued}", f"REFRESH-{self.issued}"
        self.valid_access.add(access)
        self.valid_refresh.add(refresh)
        body: dict[str, object] = {
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": "3600",
            "token_type": "Bearer",
            "unknown_field": {"x": 1},
        }
        if self.include_keys:
            body.update(organizer_key=8439885694023999999, account_key="999")
        return body

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = request.url
        if url.host == "zoom.example.com" and url.path == "/oauth/token":
            assert (
                request.headers["Authorization"]
                == "Basic " + base64.b64encode(b"zid:zsecret").decode()
            )
            assert url.params["grant_type"] == "account_credentials"
            assert url.params["account_id"] == "acct"
            self.zoom_tokens += 1
            return httpx.Response(
                200,
                json={
                    "access_token": f"ZOOM-{self.zoom_tokens}",
                    "expires_in": 3600,
                    "token_type": "bearer",
                },
            )
        if url.path == "/oauth/authorize":
            query = parse_qs(url.query.decode())
            code = "CODE-DEMO"
            self.codes[code] = query["redirect_uri"][0]
            return httpx.Response(
                302,
                headers={
                    "Location": f"{query['redirect_uri'][0]}?code={code}&state={query['state'][0]}"
                },
            )
        if url.path == "/oauth/token":
            assert (
                request.headers["Authorization"]
                == "Basic " + base64.b64encode(b"cid:csecret").decode()
            )
            assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
            form = parse_qs(request.content.decode())
            self.token_posts.append(form)
            grant = form["grant_type"][0]
            if grant == "authorization_code":
                if self.codes.pop(form["code"][0], None) is None:
                    return httpx.Response(
                        400, json={"error": "invalid_grant", "error_description": "code used"}
                    )
                return httpx.Response(200, json=self._issue())
            if grant == "refresh_token":
                token = form["refresh_token"][0]
                if token not in self.valid_refresh:
                    return httpx.Response(400, json={"error": "invalid_grant"})
                self.valid_refresh.discard(token)
                return httpx.Response(200, json=self._issue())
        bearer = request.headers.get("Authorization", "")[7:]
        if bearer not in self.valid_access:
            return httpx.Response(401, json={"error": "invalid_token"})
        if url.path == "/admin/rest/v1/me":
            if self.me_status != 200:
                return httpx.Response(self.me_status)
            return httpx.Response(
                200,
                json={"key": "111", "accountKey": "222", "email": "o@example.com", "isAdmin": True},
            )
        return httpx.Response(200, json={"ok": True})


async def _no_sleep(seconds: float) -> None:
    return None


def profile() -> ProfileSettings:
    return ProfileSettings(
        goto_client_id="cid",
        goto_client_secret=SecretStr("csecret"),
        goto_redirect_uri="https://localhost/cb",
        goto_api_base=BASE,
        goto_auth_base=BASE,
        zoom_account_id="acct",
        zoom_client_id="zid",
        zoom_client_secret=SecretStr("zsecret"),
        zoom_api_base=ZBASE + "/v2",
        zoom_auth_base=ZBASE,
    )


def build(
    tmp_path: Path, cloud: FakeCloud, clock: Clock | None = None
) -> tuple[GoToAuth, ZoomAuth, TokenStore, ApiLog]:
    conn = Connection(HttpSettings(), transport=httpx.MockTransport(cloud))
    store = TokenStore(tmp_path / "tokens" / "work.json")
    log = ApiLog(tmp_path / "api.log")
    when = clock or utcnow
    goto = GoToAuth(
        profile_name="work",
        profile=profile(),
        store=store,
        connection=conn,
        log=log,
        clock=when,
        sleep=_no_sleep,
    )
    zoom = ZoomAuth(
        profile_name="work",
        profile=profile(),
        store=store,
        connection=conn,
        log=log,
        clock=when,
        sleep=_no_sleep,
    )
    return goto, zoom, store, log


async def signed_in(
    tmp_path: Path, cloud: FakeCloud, clock: Clock | None = None
) -> tuple[GoToAuth, ZoomAuth, TokenStore, ApiLog]:
    goto, zoom, store, log = build(tmp_path, cloud, clock)
    request = goto.begin_login()
    await goto.complete_login(f"https://localhost/cb?code=CODE-1&state={request.state}", request)
    return goto, zoom, store, log


# -- GoTo sign-in ----------------------------------------------------------------------


def test_authorize_url(tmp_path: Path) -> None:
    goto, *_ = build(tmp_path, FakeCloud())
    request = goto.begin_login()
    parts = urlsplit(request.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/oauth/authorize"
    query = parse_qs(parts.query)
    assert query == {
        "client_id": ["cid"],
        "response_type": ["code"],
        "redirect_uri": ["https://localhost/cb"],
        "state": [request.state],
    }
    assert len(request.state) >= 24


async def test_login_exchanges_code_and_stores_tokens_privately(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, _, store, _ = await signed_in(tmp_path, cloud)
    assert cloud.token_posts[0] == {
        "grant_type": ["authorization_code"],
        "code": ["CODE-1"],
        "redirect_uri": ["https://localhost/cb"],
    }
    tokens = store.get(GOTO)
    assert tokens is not None
    assert tokens.access_token == "ACCESS-1" and tokens.refresh_token == "REFRESH-1"
    assert tokens.organizer_key == "8439885694023999999" and tokens.account_key == "999"
    assert tokens.is_admin is True
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert "ACCESS-1" not in repr(tokens)
    status = goto.status()
    assert status.signed_in and status.is_admin and status.organizer_key == tokens.organizer_key


async def test_missing_keys_come_from_admin_me(tmp_path: Path) -> None:
    cloud = FakeCloud()
    cloud.include_keys = False
    _, _, store, _ = await signed_in(tmp_path, cloud)
    tokens = store.get(GOTO)
    assert tokens is not None
    assert (tokens.organizer_key, tokens.account_key, tokens.email) == (
        "111",
        "222",
        "o@example.com",
    )


async def test_me_forbidden_means_not_admin(tmp_path: Path) -> None:
    cloud = FakeCloud()
    cloud.me_status = 403
    goto, *_ = await signed_in(tmp_path, cloud)
    assert goto.status().is_admin is False
    assert goto.status().organizer_key == "8439885694023999999"


async def test_pasted_code_checks(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, *_ = build(tmp_path, cloud)
    request = goto.begin_login()
    with pytest.raises(RequestRejected, match="different sign-in attempt"):
        goto.code_from("https://localhost/cb?code=X&state=wrong", request)
    with pytest.raises(RequestRejected, match="did not grant access"):
        goto.code_from("https://localhost/cb?error=access_denied&state=s", request)
    with pytest.raises(RequestRejected, match="Nothing was pasted"):
        goto.code_from("  ", request)
    assert goto.code_from(" CODE-1 \n", request) == "CODE-1"  # a bare code
    assert goto.code_from(f"?code=C2&state={request.state}", request) == "C2"
    await goto.complete_login("CODE-1", request)
    with pytest.raises(RequestRejected, match="refused the sign-in code"):
        await goto.complete_login("CODE-1", request)  # codes are single-use


async def test_demo_sign_in_reads_the_redirect(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, *_ = build(tmp_path, cloud)
    tokens = await demo_sign_in(goto)
    assert tokens.access_token == "ACCESS-1"
    authorize = [r for r in cloud.requests if r.url.path == "/oauth/authorize"]
    assert len(authorize) == 1  # the redirect target was not fetched
    assert not any(r.url.host == "localhost" for r in cloud.requests)


# -- refresh ---------------------------------------------------------------------------


async def test_refresh_before_expiry_saves_rotated_token(tmp_path: Path) -> None:
    cloud, clock = FakeCloud(), Clock()
    goto, _, store, _ = await signed_in(tmp_path, cloud, clock)
    assert await goto.token() == "ACCESS-1"
    clock.now += timedelta(seconds=3600 - 60)  # within the refresh margin
    assert await goto.token() == "ACCESS-2"
    tokens = store.get(GOTO)
    assert tokens is not None and tokens.refresh_token == "REFRESH-2"
    assert tokens.organizer_key == "8439885694023999999"  # identity survives refresh
    assert cloud.token_posts[-1] == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["REFRESH-1"],
    }


async def test_401_refreshes_once_then_succeeds(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, *_ = await signed_in(tmp_path, cloud)
    cloud.valid_access.clear()  # the server forgot the access token
    assert await goto.admin.get_json("/anything") == {"ok": True}
    assert [p["grant_type"][0] for p in cloud.token_posts] == [
        "authorization_code",
        "refresh_token",
    ]


async def test_revoked_refresh_token_is_session_expired_without_a_loop(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, *_ = await signed_in(tmp_path, cloud)
    cloud.valid_access.clear()
    cloud.valid_refresh.clear()
    with pytest.raises(SessionExpired) as info:
        await goto.admin.get_json("/anything")
    assert "meetdeck auth login goto --profile work" in info.value.sentence
    with pytest.raises(SessionExpired):
        await goto.admin.get_json("/anything")
    refreshes = [p for p in cloud.token_posts if p["grant_type"] == ["refresh_token"]]
    assert len(refreshes) == 1  # the dead refresh token is not tried again


async def test_refused_tokens_send_nothing_until_someone_signs_in(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, *_ = await signed_in(tmp_path, cloud)
    cloud.valid_access.clear()
    cloud.valid_refresh.clear()
    with pytest.raises(SessionExpired):
        await goto.admin.get_json("/anything")  # a 401, then one refused refresh
    sent = len(cloud.requests)
    for _ in range(3):
        with pytest.raises(SessionExpired, match="Sign in again"):
            await goto.admin.get_json("/anything")
    assert len(cloud.requests) == sent  # the refused tokens are not sent again
    # Another process (say `meetdeck auth login`) signs in: the same client works again.
    other, *_ = build(tmp_path, cloud)
    request = other.begin_login()
    cloud.codes["CODE-2"] = "https://localhost/cb"
    await other.complete_login(f"https://localhost/cb?code=CODE-2&state={request.state}", request)
    assert await goto.admin.get_json("/anything") == {"ok": True}


async def test_not_signed_in(tmp_path: Path) -> None:
    goto, *_ = build(tmp_path, FakeCloud())
    with pytest.raises(NotSignedIn, match="meetdeck auth login goto --profile work"):
        await goto.token()
    assert goto.status().signed_in is False


async def test_logout(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, zoom, store, _ = await signed_in(tmp_path, cloud)
    await zoom.token()
    assert goto.logout() is True
    assert store.get(GOTO) is None and store.get(ZOOM) is not None
    assert goto.logout() is False


# -- Zoom ------------------------------------------------------------------------------


async def test_zoom_token_on_demand_and_renewed_before_the_hour(tmp_path: Path) -> None:
    cloud, clock = FakeCloud(), Clock()
    _, zoom, _, _ = build(tmp_path, cloud, clock)
    assert await zoom.token() == "ZOOM-1"
    assert await zoom.token() == "ZOOM-1"
    clock.now += timedelta(minutes=56)
    assert await zoom.token() == "ZOOM-2"
    assert zoom.status().signed_in
    assert await zoom.after_unauthorized("ZOOM-2") == "ZOOM-3"
    assert await zoom.after_unauthorized("ZOOM-2") == "ZOOM-3"  # already renewed


async def test_zoom_bad_credentials(tmp_path: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401,
            json={
                "reason": "Invalid client secret",
                "code": 4704,
                "message": "Invalid client secret",
            },
        )

    conn = Connection(HttpSettings(), transport=httpx.MockTransport(refuse))
    zoom = ZoomAuth(
        profile_name="work",
        profile=profile(),
        store=TokenStore(tmp_path / "t.json"),
        connection=conn,
        log=ApiLog(None),
    )
    with pytest.raises(NotSignedIn) as info:
        await zoom.token()
    assert "Invalid client secret" in info.value.sentence
    assert "zsecret" not in info.value.sentence


# -- token store -----------------------------------------------------------------------


def _tokens() -> TokenSet:
    return TokenSet(
        access_token="A", refresh_token="R", expires_at=datetime(2030, 1, 1, tzinfo=UTC)
    )


def test_loose_permissions_refused(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens" / "p.json")
    store.put(GOTO, _tokens())
    os.chmod(store.path, 0o644)
    with pytest.raises(ConfigError) as info:
        store.get(GOTO)
    assert f"chmod 600 {store.path}" in info.value.sentence
    os.chmod(store.path, 0o600)
    assert store.get(GOTO) == _tokens()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_unwritable_dir_is_storage_error_and_keeps_old_tokens(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens" / "p.json")
    store.put(GOTO, _tokens())
    os.chmod(store.path.parent, 0o500)
    try:
        with pytest.raises(StorageError, match="previous tokens were kept"):
            store.put(ZOOM, _tokens())
    finally:
        os.chmod(store.path.parent, 0o700)
    assert store.get(GOTO) == _tokens() and store.get(ZOOM) is None
    assert [p.name for p in store.path.parent.iterdir()] == ["p.json"]  # no temp left


def test_full_disk_is_storage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TokenStore(tmp_path / "p.json")
    store.put(GOTO, _tokens())

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageError, match="No space left"):
        store.put(ZOOM, _tokens())
    monkeypatch.undo()
    assert store.get(GOTO) == _tokens() and store.get(ZOOM) is None
    assert [p.name for p in tmp_path.iterdir()] == ["p.json"]


def test_broken_file_reads_as_signed_out(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{not json")
    path.chmod(0o600)
    assert TokenStore(path).get(GOTO) is None


# -- the log never holds a secret ------------------------------------------------------


async def test_sign_in_log_has_no_secrets(tmp_path: Path) -> None:
    cloud = FakeCloud()
    goto, zoom, _, log = await signed_in(tmp_path, cloud)
    cloud.valid_access.clear()
    await goto.admin.get_json("/anything")
    await zoom.token()
    await demo_sign_in(goto)
    text = (tmp_path / "api.log").read_text()
    assert "/oauth/token" in text and "/oauth/authorize" in text
    for secret in (
        "ACCESS-",
        "REFRESH-",
        "CODE-",
        "csecret",
        "zsecret",
        "ZOOM-",
        "state=",
        "Basic",
        "Bearer",
    ):
        assert secret not in text, secret
    assert all(e.path.startswith("/") and "?" not in e.path for e in log.recent())


def test_read_only_file_system_is_storage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    store = TokenStore(tmp_path / "p.json")
    store.put(GOTO, _tokens())

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(StorageError, match="Read-only file system"):
        store.put(ZOOM, _tokens())
    monkeypatch.undo()
    assert store.get(GOTO) == _tokens()


async def test_refresh_race_with_another_process(tmp_path: Path) -> None:
    cloud, clock = FakeCloud(), Clock()
    first, _, store, _ = await signed_in(tmp_path, cloud, clock)
    second, *_ = build(tmp_path, cloud, clock)  # another process, same token file
    stale = store.get(GOTO)
    assert stale is not None
    clock.now += timedelta(seconds=3590)
    assert await first.token() == "ACCESS-2"  # rotates REFRESH-1 away
    # The second process read the file before the rotation and now tries REFRESH-1.
    fresh = await second._refresh(stale)
    assert fresh.access_token == "ACCESS-2"
    assert await second.token() == "ACCESS-2"


async def test_me_failing_does_not_undo_the_sign_in(tmp_path: Path) -> None:
    cloud = FakeCloud()
    cloud.me_status = 503
    goto, _, store, _ = await signed_in(tmp_path, cloud)
    tokens = store.get(GOTO)
    assert tokens is not None and tokens.access_token == "ACCESS-1"
    assert goto.status().signed_in and goto.status().is_admin is None


def test_the_token_file_is_parsed_again_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footer asks for the sign-in on every redraw: one stat, no read, while the
    file is unchanged; a sign-in by another process is seen at once."""
    path = tmp_path / "tokens" / "work.json"
    store = TokenStore(path)
    now = datetime.now(UTC)
    store.put(GOTO, TokenSet("access-1", now + timedelta(hours=1), refresh_token="r1"))
    reads: list[Path] = []
    original = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        reads.append(self)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    parses: list[dict[str, object]] = []
    parse = TokenSet.from_json

    def parsing(data: dict[str, Any]) -> TokenSet:
        parses.append(data)
        return parse(data)

    # Nor is the section read into tokens again (every request asks for its token).
    monkeypatch.setattr(TokenSet, "from_json", parsing)
    first = store.get(GOTO)
    for _ in range(20):
        assert store.get(GOTO) is first
    assert len(reads) == 1 and len(parses) == 1
    assert store.get(ZOOM) is None and store.get(ZOOM) is None
    # Another process (another TokenStore on the same file) signs in again.
    TokenStore(path).put(GOTO, TokenSet("access-2", now + timedelta(hours=1), refresh_token="r2"))
    again = store.get(GOTO)
    assert again is not None and again.access_token == "access-2"
    data = store.read_all()
    data["scratch"] = {"x": 1}  # a caller's copy: the cached file is not touched
    assert "scratch" not in store.read_all()
    path.unlink()
    assert store.get(GOTO) is None


def test_an_absurd_token_lifetime_is_held_at_a_year() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    body = TOKEN_RESPONSE.validate_python({"access_token": "a", "expires_in": 10**18})
    tokens = token_set_from(body, now, None)
    assert tokens.expires_at == now + timedelta(seconds=MAX_TOKEN_LIFETIME)


def test_garbage_file_reads_as_signed_out_not_as_a_disk_error(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are a broken file like bad JSON, not a failed write."""
    path = tmp_path / "p.json"
    path.write_bytes(b"\xff\xfe\x00garbage\x80\x81")
    path.chmod(0o600)
    store = TokenStore(path)
    assert store.get(GOTO) is None
    store.put(GOTO, _tokens())  # signing in again replaces it
    assert store.get(GOTO) == _tokens()


def test_token_path_that_is_a_fifo_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    os.mkfifo(path, 0o600)
    store = TokenStore(path)
    with pytest.raises(ConfigError) as info:
        store.get(GOTO)  # before the fix: blocked forever waiting for a writer
    assert str(path) in info.value.sentence and "not a regular file" in info.value.sentence


def test_token_path_that_is_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.mkdir(mode=0o700)
    with pytest.raises(ConfigError, match="not a regular file"):
        TokenStore(path).get(GOTO)


def test_unreadable_token_file_is_a_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TokenStore(tmp_path / "p.json")
    store.put(GOTO, _tokens())

    def failing(self: Path, *args: object, **kwargs: object) -> str:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "read_text", failing)
    with pytest.raises(StorageError) as info:
        TokenStore(store.path).get(GOTO)
    monkeypatch.undo()
    assert info.value.title == "Cannot read from disk"
    assert str(store.path) in info.value.sentence and "Input/output error" in info.value.sentence
