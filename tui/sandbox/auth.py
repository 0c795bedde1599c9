"""OAuth endpoints: GoTo authorization code + refresh, Zoom account credentials; "who am
I" (the Admin API's /me for admins, SCIM's /identity/v1/Users/me for everyone)."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tui.sandbox.config import (
    GOTO_ADMIN_CLIENT,
    GOTO_ORGANIZER_CLIENT,
    ZOOM_ACCOUNT_ID,
    ZOOM_CLIENT,
)
from tui.sandbox.model import Organizer
from tui.sandbox.state import SandboxState
from tui.sandbox.web import base_url, caller, form_body, iso, require_admin, sandbox

GOTO_CLIENTS = dict([GOTO_ADMIN_CLIENT, GOTO_ORGANIZER_CLIENT])
GOTO_SCOPES = "collab: identity:"
ACCOUNT_NAME = "Acme Example Corp"
TIMEZONES = ("America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles")
ZOOM_SCOPES = (
    "user:read:admin meeting:read:admin meeting:write:admin webinar:read:admin "
    "webinar:write:admin recording:read:admin"
)


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"cache-control": "no-store"},
    )


def basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def organizer_for(state: SandboxState, client_id: str) -> int:
    return state.goto.admin_key if client_id == GOTO_ADMIN_CLIENT[0] else state.goto.organizer_key


async def goto_authorize(request: Request) -> Response:
    """Auto-consents and redirects to redirect_uri with a single-use code."""
    state = sandbox(request)
    params = request.query_params
    client_id = params.get("client_id", "")
    if client_id not in GOTO_CLIENTS:
        return oauth_error(400, "invalid_client", f"Unknown client_id {client_id!r}")
    redirect_uri = params.get("redirect_uri") or f"{base_url(request)}/_sandbox/callback"
    parts = urlsplit(redirect_uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return oauth_error(400, "invalid_request", "redirect_uri must be an absolute http(s) URL")
    answer: dict[str, str] = {}
    if params.get("response_type") != "code":
        answer["error"] = "unsupported_response_type"
    else:
        code = state.tokens.issue_code(
            client_id, organizer_for(state, client_id), params.get("redirect_uri")
        )
        answer["code"] = code
    if "state" in params:
        answer["state"] = params["state"]
    query = f"{parts.query}&{urlencode(answer)}" if parts.query else urlencode(answer)
    location = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
    return RedirectResponse(location, status_code=302)


async def goto_token(request: Request) -> Response:
    state = sandbox(request)
    credentials = basic_credentials(request)
    if credentials is None:
        return oauth_error(
            401,
            "invalid_client",
            "Client authentication failed: send HTTP Basic client_id:client_secret",
        )
    client_id, secret = credentials
    if GOTO_CLIENTS.get(client_id) != secret:
        return oauth_error(401, "invalid_client", "Client authentication failed")
    if "application/x-www-form-urlencoded" not in request.headers.get("content-type", ""):
        return oauth_error(
            400, "invalid_request", "The body must be application/x-www-form-urlencoded"
        )
    form = await form_body(request)
    grant_type = str(form.get("grant_type", ""))
    token = ""  # the refresh token sent, on a refresh
    if grant_type == "authorization_code":
        code = str(form.get("code", ""))
        found = state.tokens.take_code(code) if code else None
        if found is None or found.client_id != client_id:
            return oauth_error(
                400, "invalid_grant", "The authorization code is invalid, expired or already used"
            )
        sent_uri = form.get("redirect_uri")
        expected = found.redirect_uri
        if expected is not None and sent_uri is not None and sent_uri != expected:
            return oauth_error(
                400, "invalid_grant", "redirect_uri does not match the authorize call"
            )
        organizer_key = found.organizer_key or 0
    elif grant_type == "refresh_token":
        token = str(form.get("refresh_token", ""))
        rotates = state.refresh_rotates
        found = state.tokens.take_refresh(token, client_id, consume=rotates) if token else None
        if found is None:
            return oauth_error(
                400,
                "invalid_grant",
                "The refresh token is invalid, expired, revoked or already used",
            )
        organizer_key = found.organizer_key or 0
    elif not grant_type:
        return oauth_error(400, "invalid_request", "grant_type is required")
    else:
        return oauth_error(
            400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported"
        )
    organizer = state.goto.organizers.get(organizer_key)
    if organizer is None:
        return oauth_error(400, "invalid_grant", "The organizer of this grant no longer exists")
    refresh: str | None
    if grant_type == "refresh_token" and not state.refresh_rotates:
        access, refresh = state.tokens.issue_access(client_id, organizer_key), None
    else:
        access, refresh = state.tokens.issue_goto(client_id, organizer_key)
    shape = "legacy" if request.url.path.startswith("/oauth/v2/") else state.token_shape
    if shape == "legacy":
        body = legacy_reply(state, organizer, access, refresh or token)
    else:
        body = current_reply(state, organizer, access, refresh, grant_type == "refresh_token")
    return JSONResponse(body, headers={"cache-control": "no-store"})


def current_reply(
    state: SandboxState, organizer: Organizer, access: str, refresh: str | None, refreshed: bool
) -> dict[str, Any]:
    """Today's host (authentication.logmeininc.com): no organizer or account key.

    A refresh answers no `token_type` and no `refresh_token` (unless one was issued),
    as the refresh page's example shows.
    """
    body: dict[str, Any] = {"access_token": access}
    if not refreshed:
        body["token_type"] = "Bearer"  # noqa: S105 (a scheme name)
    if refresh is not None:
        body["refresh_token"] = refresh
    body.update(expires_in=state.tokens.ttl, scope=GOTO_SCOPES, principal=organizer.email)
    return body


def legacy_reply(
    state: SandboxState, organizer: Organizer, access: str, refresh: str
) -> dict[str, Any]:
    """The old host (api.getgo.com/oauth/v2): keys and `expires_in` are strings, and a
    refresh answers the refresh token it was sent."""
    return {
        "access_token": access,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "expires_in": str(state.tokens.ttl),
        "organizer_key": str(organizer.key),
        "account_key": str(state.goto.account_key),
        "account_type": "corporate",
        "email": organizer.email,
        "firstName": organizer.first_name,
        "lastName": organizer.last_name,
        "platform": "GLOBAL",
        "version": "3",
    }


def zoom_oauth_error(status: int, code: int, error: str, reason: str) -> JSONResponse:
    return JSONResponse(
        {"reason": reason, "error": error, "code": code, "message": reason}, status_code=status
    )


async def zoom_token(request: Request) -> Response:
    state = sandbox(request)
    params = dict(request.query_params)
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        params.update(await form_body(request))
    credentials = basic_credentials(request)
    if credentials is None or not credentials[0] or not credentials[1]:
        return zoom_oauth_error(400, 4706, "invalid_request", "Client ID or client secret missing")
    if credentials[0] != ZOOM_CLIENT[0]:
        return zoom_oauth_error(401, 4702, "invalid_client", "Invalid client_id or client_secret")
    if credentials[1] != ZOOM_CLIENT[1]:
        return zoom_oauth_error(401, 4704, "invalid_client", "Invalid client secret")
    grant_type = params.get("grant_type", "")
    if grant_type != "account_credentials":
        return zoom_oauth_error(
            400, 4705, "unsupported_grant_type", "Grant type is not supported from token endpoint."
        )
    if params.get("account_id") != ZOOM_ACCOUNT_ID:
        return zoom_oauth_error(400, 4700, "invalid_request", "Invalid account_id")
    token = state.tokens.issue_zoom(ZOOM_CLIENT[0], ZOOM_ACCOUNT_ID, base_url(request))
    return JSONResponse(
        {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": state.tokens.ttl,
            "scope": ZOOM_SCOPES,
            "api_url": f"{base_url(request)}/zoom",
        }
    )


async def admin_me(request: Request) -> Response:
    """The Admin API's "me": for admins only (a plain organizer gets 403).

    GoTo's guide shows `accounts[{key, name}]` for a super admin; third-party clients
    read top-level `key` and `accountKey`. Both are here.
    """
    who = require_admin(request)
    state = sandbox(request)
    return JSONResponse(
        {
            "key": str(who.key),
            "accountKey": str(state.goto.account_key),
            "accounts": [{"key": str(state.goto.account_key), "name": ACCOUNT_NAME}],
            "email": who.email,
            "firstName": who.first_name,
            "lastName": who.last_name,
            "locale": who.locale,
            "products": who.products,
            "adminRoles": ["SUPER_USER", "MANAGE_USERS"],
            "isAdmin": True,
        }
    )


async def scim_me(request: Request) -> Response:
    """SCIM "Get Current User" (`GET /identity/v1/Users/me`): any signed-in user.

    The public SCIM spec's `User`: `id` ("the user's unique key", the organizer key),
    `userName`, `displayName`, `name{givenName, familyName}`, `locale`, `timezone`
    and `meta{created, location}`. No account key: the spec has none.
    """
    who = caller(request)
    state = sandbox(request)
    created = state.anchor - timedelta(days=400 + who.key % 300)
    return JSONResponse(
        {
            "schemas": ["urn:scim:schemas:core:1.0"],
            "id": str(who.key),
            "userName": who.email,
            "displayName": f"{who.first_name} {who.last_name}".strip(),
            "name": {"givenName": who.first_name, "familyName": who.last_name},
            "locale": who.locale,
            "timezone": TIMEZONES[who.key % len(TIMEZONES)],
            "meta": {
                "created": iso(created),
                "location": f"{base_url(request)}/identity/v1/Users/{who.key}",
            },
        }
    )


ROUTES = [
    Route("/oauth/authorize", goto_authorize, methods=["GET"]),
    Route("/oauth/v2/authorize", goto_authorize, methods=["GET"]),
    Route("/oauth/token", goto_token, methods=["POST"]),
    Route("/oauth/v2/token", goto_token, methods=["POST"]),
    Route("/zoom/oauth/token", zoom_token, methods=["POST"]),
    Route("/admin/rest/v1/me", admin_me, methods=["GET"]),
    Route("/identity/v1/Users/me", scim_me, methods=["GET"]),
]
