"""GoTo OAuth (code flow, both hosts' token replies, refresh, reuse), Zoom account
credentials, 401s, "who am I" (Admin /me, SCIM Users/me), expiry."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.sandbox import ANCHOR, BASE
from tests.support.specs import basic, goto_headers, goto_tokens, zoom_headers
from tui.sandbox.server import SandboxConfig, create_app
from tui.sandbox.state import SandboxState

ADMIN = basic("demo-admin", "demo-admin-secret")


async def test_code_flow_answers_the_current_hosts_token_fields(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    """authentication.logmeininc.com's examples: no organizer or account key, and
    `expires_in` a number (docs/real-clouds.md "Token reply, current host")."""
    tokens = await goto_tokens(client)
    assert set(tokens) == {
        "access_token",
        "token_type",
        "refresh_token",
        "expires_in",
        "scope",
        "principal",
    }
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == state.config.token_ttl  # a number
    assert tokens["principal"] == state.goto.organizers[state.goto.admin_key].email


async def test_the_legacy_path_answers_string_keys_and_a_string_expires_in(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    tokens = await goto_tokens(client, endpoint="/oauth/v2/token")
    assert tokens["organizer_key"] == str(state.goto.admin_key)  # strings, as documented
    assert tokens["account_key"] == str(state.goto.account_key)
    assert tokens["expires_in"] == str(state.config.token_ttl)
    assert {"access_token", "refresh_token", "email", "firstName", "lastName"} <= set(tokens)


async def test_the_legacy_shape_is_a_config_option_and_a_control_switch(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    legacy_app = create_app(SandboxConfig(seed=7, anchor=ANCHOR, goto_token_shape="legacy"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=legacy_app), base_url=BASE
    ) as legacy:
        assert (await goto_tokens(legacy))["expires_in"] == "3600"
    with pytest.raises(ValueError, match="goto_token_shape"):
        SandboxConfig(goto_token_shape="v1")
    switched = await client.post("/_sandbox/goto/oauth", json={"token_shape": "legacy"})
    assert switched.json() == {"token_shape": "legacy", "refresh_rotates": False}
    assert (await goto_tokens(client, admin=False))["organizer_key"] == str(
        state.goto.organizer_key
    )
    refused = await client.post("/_sandbox/goto/oauth", json={"token_shape": "v1"})
    assert refused.status_code == 400
    await client.post("/_sandbox/goto/oauth", json={"token_shape": "current"})
    assert "organizer_key" not in await goto_tokens(client)


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


async def refresh(client: httpx.AsyncClient, token: str, path: str = "/oauth/token") -> Any:
    return await client.post(
        path, headers=ADMIN, data={"grant_type": "refresh_token", "refresh_token": token}
    )


async def test_a_refresh_answers_no_refresh_token_and_the_old_one_keeps_working(
    client: httpx.AsyncClient,
) -> None:
    """Today's host: "there is no refresh_token field"; the one held stays valid."""
    held = (await goto_tokens(client))["refresh_token"]
    for _ in range(2):
        fresh = await refresh(client, held)
        assert fresh.status_code == 200, fresh.text
        assert set(fresh.json()) == {"access_token", "expires_in", "scope", "principal"}
        bearer = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
        assert (await client.get("/admin/rest/v1/me", headers=bearer)).status_code == 200


async def test_the_legacy_refresh_answers_the_same_refresh_token(
    client: httpx.AsyncClient,
) -> None:
    held = (await goto_tokens(client, endpoint="/oauth/v2/token"))["refresh_token"]
    first = await refresh(client, held, "/oauth/v2/token")
    again = await refresh(client, held, "/oauth/v2/token")
    assert first.json()["refresh_token"] == again.json()["refresh_token"] == held


async def test_rotation_is_an_option_and_then_the_old_token_is_refused(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/_sandbox/goto/oauth", json={"refresh_rotates": True})
    held = (await goto_tokens(client))["refresh_token"]
    fresh = await refresh(client, held)
    assert fresh.status_code == 200
    assert fresh.json()["refresh_token"] != held
    reused = await refresh(client, held)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert (await refresh(client, fresh.json()["refresh_token"])).status_code == 200


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


async def test_admin_me_answers_admins_and_refuses_plain_organizers(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    admin = (await client.get("/admin/rest/v1/me", headers=await goto_headers(client))).json()
    plain = await client.get("/admin/rest/v1/me", headers=await goto_headers(client, admin=False))
    assert admin["key"] == str(state.goto.admin_key) and admin["adminRoles"]
    assert admin["accountKey"] == str(state.goto.account_key)
    assert [a["key"] for a in admin["accounts"]] == [str(state.goto.account_key)]
    assert plain.status_code == 403 and plain.json()["int_err_code"] == "AccessDenied"


async def test_scim_users_me_answers_everyone_in_the_specs_user_shape(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    """SCIM "Get Current User": `id` is the user's key; the spec's required fields."""
    for admin, key in ((True, state.goto.admin_key), (False, state.goto.organizer_key)):
        answer = await client.get(
            "/identity/v1/Users/me", headers=await goto_headers(client, admin=admin)
        )
        assert answer.status_code == 200, answer.text
        user = answer.json()
        assert user["id"] == str(key)  # a string, as the spec's User.id
        organizer = state.goto.organizers[key]
        assert user["userName"] == organizer.email
        assert user["name"] == {
            "givenName": organizer.first_name,
            "familyName": organizer.last_name,
        }
        assert {"displayName", "locale", "timezone"} <= set(user)
        assert {"created", "location"} <= set(user["meta"])
        assert "accounts" not in user  # the spec has no account key
    assert (await client.get("/identity/v1/Users/me")).status_code == 401


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
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
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


async def test_a_zoom_token_in_the_query_string_is_refused_with_124(
    client: httpx.AsyncClient,
) -> None:
    """Since 2023-02-14 Zoom reads the token from `Authorization` only: the same valid
    token in `?access_token=` answers 401 code 124."""
    headers = await zoom_headers(client)
    token = headers["Authorization"].removeprefix("Bearer ")
    assert (await client.get("/zoom/v2/users/me", headers=headers)).status_code == 200
    in_query = await client.get("/zoom/v2/users/me", params={"access_token": token})
    assert in_query.status_code == 401 and in_query.json()["code"] == 124


async def test_several_zoom_tokens_are_valid_at_once(client: httpx.AsyncClient) -> None:
    """The S2S docs' reading (the forum's stricter one is not modelled): asking for a
    new token leaves the earlier one valid."""
    first, second = await zoom_headers(client), await zoom_headers(client)
    assert first != second
    for headers in (first, second):
        assert (await client.get("/zoom/v2/users/me", headers=headers)).status_code == 200


async def test_a_code_is_exchanged_only_with_the_redirect_uri_it_was_issued_for(
    client: httpx.AsyncClient,
) -> None:
    params = {"client_id": "demo-admin", "response_type": "code", "redirect_uri": "http://x.test/a"}
    answer = await client.get("/oauth/authorize", params=params)
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code}
    other = await client.post(
        "/oauth/token", headers=ADMIN, data={**form, "redirect_uri": "http://x.test/b"}
    )
    assert other.status_code == 400 and other.json()["error"] == "invalid_grant"
