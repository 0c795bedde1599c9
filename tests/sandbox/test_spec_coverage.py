"""Every operation of the spec files has a route, and the spec validation is not vacuous."""

from __future__ import annotations

import re

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from starlette.applications import Starlette
from starlette.routing import Match

from tests.support.specs import PREFIXES, load_spec, require_specs, response_schema

METHODS = ("get", "post", "put", "delete", "patch")


@pytest.mark.parametrize("api", ["g2m", "g2t", "seeit", "zoom"])
def test_every_spec_operation_is_routed(api: str, app: Starlette) -> None:
    require_specs()
    missing = []
    count = 0
    for template, operations in load_spec(api)["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "12345", template)
        for method in operations:
            if method not in METHODS:
                continue
            count += 1
            scope = {
                "type": "http",
                "method": method.upper(),
                "path_params": {},
                "path": PREFIXES[api] + concrete,
            }
            if not any(route.matches(scope)[0] == Match.FULL for route in app.routes):
                missing.append(f"{method.upper()} {template}")
    assert missing == []
    assert count == {"g2m": 29, "g2t": 22, "seeit": 3, "zoom": 14}[api]


def test_the_validator_catches_spec_violations() -> None:
    require_specs()
    schema = response_schema("g2m", "get", "/historicalMeetings", 200)
    good = {
        "startTime": "2025-01-01T10:00:00Z",
        "endTime": "2025-01-01T11:00:00Z",
        "lastName": "x",
        "firstName": "y",
        "duration": "60",
        "numAttendees": "3",
        "accountKey": "1",
        "email": "a@b.c",
        "sessionId": "1",
        "subject": "s",
        "locale": "en_US",
        "organizerKey": "1",
        "meetingId": "1",
        "meetingType": "scheduled",
        "conferenceCallInfo": "VoIP",
    }
    validator = OAS30Validator(schema, format_checker=oas30_format_checker)
    validator.validate([good])
    with pytest.raises(ValidationError):
        validator.validate([{**good, "duration": 60}])  # the spec types it as a string
    with pytest.raises(ValidationError):
        validator.validate([{**good, "meetingType": "weekly"}])
