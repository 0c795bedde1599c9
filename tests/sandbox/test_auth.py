"""GoTo OAuth (code flow, rotation, reuse), Zoom account credentials, 401s, /me, expiry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from tests.support.specs import basic, goto_headers, goto_tokens, zoom_headers
from tui.sandbox.state import SandboxState

ADMIN = basic("demo-admin", "demo-admin-secret")


async def test_code_flow_answers_the_documented_token_fields(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    tokens = await goto_tokens(client)
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == state.config.token_ttl
    assert tokens["organizer_key"] == str(state.goto.admin_key)  # a string, as documented
    assert tokens["account_key"] == str(state.goto.account_key)
    assert {"access_token", "refresh_token", "email", "firstName", "lastName"} <= set(tokens)


async def test_codes_are_single_use(client: httpx.AsyncClient) -> None:
    answer = await client.get(
        "/oauth/authorize",
        params={
            "client_id": "demo-admin",
            "response_type": "code",
            "redirect_uri": "http://x.test/cb",
        },
    )
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://x.test/cb"}
    first = await client.post("/oauth/token", headers=ADMIN, data=form)
    again = await client.post("/oauth/token", headers=ADMIN, data=form)
    assert first.status_code == 200
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


async def test_authorize_without_redirect_uri_lands_on_the_sandbox_callback(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get(
        "/oauth/authorize",
        params={"client_id": "demo-admin", "response_type": "code", "state": "s1"},
    )
    location = answer.headers["location"]
    assert location.startswith("http://127.0.0.1:8765/_sandbox/callback?")
    shown = await client.get(location)
    assert shown.json()["state"] == "s1" and shown.json()["code"]


async def test_authorize_refuses_unknown_clients_and_bad_response_types(
    client: httpx.AsyncClient,
) -> None:
    unknown = await client.get(
        "/oauth/authorize", params={"client_id": "nope", "response_type": "code"}
    )
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_client"
    wrong = await client.get(
        "/oauth/authorize",
        params={
            "client_id": "demo-admin",
            "response_type": "token",
            "redirect_uri": "http://x.test/",
        },
    )
    assert "error=unsupported_response_type" in wrong.headers["location"]


async def test_refresh_tokens_rotate_and_the_old_one_is_refused(client: httpx.AsyncClient) -> None:
    tokens = await goto_tokens(client)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    fresh = await client.post("/oauth/token", headers=ADMIN, data=form)
    assert fresh.status_code == 200
    assert fresh.json()["refresh_token"] != tokens["refresh_token"]
    reused = await client.post("/oauth/token", headers=ADMIN, data=form)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    me = await client.get(
        "/admin/rest/v1/me", headers={"Authorization": f"Bearer {fresh.json()['access_token']}"}
    )
    assert me.status_code == 200


async def test_token_endpoint_errors(client: httpx.AsyncClient) -> None:
    no_auth = await client.post("/oauth/token", data={"grant_type": "refresh_token"})
    assert no_auth.status_code == 401 and no_auth.json()["error"] == "invalid_client"
    bad_secret = await client.post(
        "/oauth/token",
        headers=basic("demo-admin", "wrong"),
        data={"grant_type": "refresh_token", "refresh_token": "x"},
    )
    assert bad_secret.status_code == 401
    grant = await client.post("/oauth/token", headers=ADMIN, data={"grant_type": "password"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    as_json = await client.post("/oauth/token", headers=ADMIN, json={"grant_type": "x"})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    # A code of another client is refused.
    answer = await client.get(
        "/oauth/authorize", params={"client_id": "demo-organizer", "response_type": "code"}
    )
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    stolen = await client.post(
        "/oauth/token", headers=ADMIN, data={"grant_type": "authorization_code", "code": code}
    )
    assert stolen.status_code == 400


async def test_me_says_who_is_admin(client: httpx.AsyncClient, state: SandboxState) -> None:
    admin = (await client.get("/admin/rest/v1/me", headers=await goto_headers(client))).json()
    plain = (
        await client.get("/admin/rest/v1/me", headers=await goto_headers(client, admin=False))
    ).json()
    assert admin["key"] == str(state.goto.admin_key) and admin["adminRoles"]
    assert admin["accountKey"] == str(state.goto.account_key)
    assert plain["key"] == str(state.goto.organizer_key) and plain["adminRoles"] == []
    assert {"email", "firstName", "lastName"} <= set(plain)


async def test_missing_and_invalid_tokens_get_401(client: httpx.AsyncClient) -> None:
    missing = await client.get("/G2M/rest/upcomingMeetings")
    assert missing.status_code == 401
    assert missing.json()["int_err_code"] == "InvalidToken"
    assert "www-authenticate" in missing.headers
    bogus = await client.get(
        "/G2T/rest/trainings/1/recordings", headers={"Authorization": "Bearer nope"}
    )
    assert bogus.status_code == 401
    zoom = await client.get("/zoom/v2/users", headers={"Authorization": "Bearer nope"})
    assert zoom.status_code == 401 and zoom.json() == {
        "code": 124,
        "message": "Invalid access token.",
    }
    # A Zoom token is no GoTo token and the other way round.
    crossed = await client.get("/G2M/rest/upcomingMeetings", headers=await zoom_headers(client))
    assert crossed.status_code == 401


async def test_expire_then_refresh_then_revoke(client: httpx.AsyncClient) -> None:
    tokens = await goto_tokens(client)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    zoom = await zoom_headers(client)
    expired = await client.post("/_sandbox/tokens/expire")
    assert expired.json()["expired"] >= 2
    goto_answer = await client.get("/seeit/v1/sessions", headers=bearer)
    assert goto_answer.status_code == 401
    assert "expired" in goto_answer.json()["msg"]
    zoom_answer = await client.get("/zoom/v2/users", headers=zoom)
    assert zoom_answer.json() == {"code": 124, "message": "Access token is expired."}
    refreshed = await client.post(
        "/oauth/token",
        headers=ADMIN,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert refreshed.status_code == 200  # refresh tokens survive expiry ...
    await client.post("/_sandbox/tokens/revoke")
    revoked = await client.post(
        "/oauth/token",
        headers=ADMIN,
        data={"grant_type": "refresh_token", "refresh_token": refreshed.json()["refresh_token"]},
    )
    assert revoked.status_code == 400  # ... but not revocation


async def test_zoom_token_in_query_or_form_and_its_errors(client: httpx.AsyncClient) -> None:
    auth = basic("demo-zoom", "demo-zoom-secret")
    in_form = await client.post(
        "/zoom/oauth/token",
        headers=auth,
        data={"grant_type": "account_credentials", "account_id": "demo-account"},
    )
    body = in_form.json()
    assert in_form.status_code == 200 and body["token_type"] == "bearer"
    assert body["expires_in"] == 3600 and "refresh_token" not in body
    assert body["access_token"].count(".") == 2  # JWT-shaped
    query = {"grant_type": "account_credentials", "account_id": "demo-account"}
    missing = await client.post("/zoom/oauth/token", params=query)
    assert missing.status_code == 400 and missing.json()["code"] == 4706
    wrong = await client.post("/zoom/oauth/token", params=query, headers=basic("demo-zoom", "bad"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    grant = await client.post(
        "/zoom/oauth/token", headers=auth, params={**query, "grant_type": "client_credentials"}
    )
    assert grant.status_code == 400 and grant.json()["code"] == 4705
    account = await client.post(
        "/zoom/oauth/token", headers=auth, params={**query, "account_id": "other"}
    )
    assert account.status_code == 400
