"""Shared helpers of the sandbox tests: sign-in flows and spec validation."""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml
from jsonschema import Draft4Validator
from openapi_schema_validator import OAS30Validator, oas30_format_checker

REPO_ROOT = Path(__file__).resolve().parents[2]
SPECS = REPO_ROOT.parent / "shared" / "specs"
SKIP_REASON = "../shared/specs not found: spec validation needs the shared specs folder"
SPEC_FILES = {
    "g2m": "gotomeeting.openapi.yml",
    "g2t": "gototraining.openapi.yml",
    "zoom": "zoom.openapi.yml",
    "seeit": "gotoassist-seeit.swagger.yaml",
}
PREFIXES = {"g2m": "/G2M/rest", "g2t": "/G2T/rest", "zoom": "/zoom/v2", "seeit": "/seeit/v1"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def goto_tokens(
    client: httpx.AsyncClient,
    admin: bool = True,
    redirect_uri: str = "http://127.0.0.1:9/callback",
    endpoint: str = "/oauth/token",
) -> dict[str, Any]:
    """The whole authorization-code flow; returns the token response (`endpoint`:
    `/oauth/v2/token` for the legacy host's)."""
    client_id = "demo-admin" if admin else "demo-organizer"
    answer = await client.get(
        "/oauth/authorize",
        params={
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": "xyz",
        },
    )
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["state"] == ["xyz"]
    token = await client.post(
        endpoint,
        headers=basic(client_id, f"{client_id}-secret"),
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect_uri,
        },
    )
    assert token.status_code == 200, token.text
    body: dict[str, Any] = token.json()
    return body


async def goto_headers(client: httpx.AsyncClient, admin: bool = True) -> dict[str, str]:
    tokens = await goto_tokens(client, admin)
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def zoom_headers(client: httpx.AsyncClient) -> dict[str, str]:
    answer = await client.post(
        "/zoom/oauth/token",
        headers=basic("demo-zoom", "demo-zoom-secret"),
        params={"grant_type": "account_credentials", "account_id": "demo-account"},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


#: Where the real service is documented to send more than the spec file says
#: (docs/real-clouds.md): (api, component schema, property) -> the enum values it adds.
REAL_ENUMS = {
    # #14.1: UNREGISTERED (withdrew) and DELETED (withdrew and opted out) [S14].
    ("g2t", "Registrant", "status"): ("UNREGISTERED", "DELETED"),
}


@functools.cache
def load_spec(api: str) -> dict[str, Any]:
    """A spec file as data, with the `REAL_ENUMS` values added; the Zoom excerpt's
    upper-case style/in are lower-cased."""
    data: dict[str, Any] = yaml.safe_load((SPECS / SPEC_FILES[api]).read_text(encoding="utf-8"))
    if api == "zoom":
        _lower_style(data)
    for (name, schema, prop), extra in REAL_ENUMS.items():
        if name == api:
            enum = data["components"]["schemas"][schema]["properties"][prop]["enum"]
            enum.extend(v for v in extra if v not in enum)
    return data


def _lower_style(node: Any) -> None:
    if isinstance(node, dict):
        for key in ("style", "in"):
            if isinstance(node.get(key), str):
                node[key] = node[key].lower()
        for value in node.values():
            _lower_style(value)
    elif isinstance(node, list):
        for value in node:
            _lower_style(value)


def response_schema(api: str, method: str, template: str, status: int) -> dict[str, Any]:
    spec = load_spec(api)
    operation = spec["paths"][template][method.lower()]
    response = operation["responses"][str(status)]
    if api == "seeit":
        schema: dict[str, Any] = response["schema"]
        return {**schema, "definitions": spec["definitions"]}
    schema = response["content"]["application/json"]["schema"]
    # $ref values point into the whole document: carry its components along.
    return {**schema, "components": spec.get("components", {})}


def validate(
    api: str, method: str, template: str, answer: httpx.Response, status: int | None = None
) -> Any:
    """Check the status and validate the JSON body against the spec's response schema."""
    expected = status if status is not None else answer.status_code
    assert answer.status_code == expected, f"{answer.status_code}: {answer.text[:500]}"
    body = answer.json()
    if not SPECS.is_dir():
        pytest.skip(SKIP_REASON)
    schema = response_schema(api, method, template, expected)
    if api == "seeit":
        Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).validate(body)
    else:
        OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)
    return body


def require_specs() -> None:
    if not SPECS.is_dir():
        pytest.skip(SKIP_REASON)
