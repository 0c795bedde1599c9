"""G2M meeting create and update refuse bad fields with a 400, never a 500 or a silent
coercion (the spec: subject at most 100 characters, passwordrequired a boolean,
conferencecallinfo text of at most 255)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.specs import goto_headers
from tui.sandbox.state import SandboxState

G = "/G2M/rest"
GOOD = {
    "subject": "Plan",
    "starttime": "2031-04-01T10:00:00Z",
    "endtime": "2031-04-01T11:00:00Z",
    "passwordrequired": False,
    "conferencecallinfo": "VoIP",
    "timezonekey": "",
    "meetingtype": "scheduled",
}


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "x" * 101},
        {"subject": ""},
        {"subject": 5},
        {"subject": None},
        {"passwordrequired": "false"},
        {"passwordrequired": 0},
        {"conferencecallinfo": ["VoIP"]},
        {"conferencecallinfo": "x" * 256},
    ],
)
async def test_bad_fields_are_400(
    client: httpx.AsyncClient, state: SandboxState, change: dict[str, Any]
) -> None:
    admin = await goto_headers(client)
    before = set(state.goto.meetings)
    created = await client.post(f"{G}/meetings", json={**GOOD, **change}, headers=admin)
    assert created.status_code == 400, created.text
    assert set(state.goto.meetings) == before
    some = next(iter(state.goto.meetings))
    changed = await client.put(f"{G}/meetings/{some}", json={**GOOD, **change}, headers=admin)
    assert changed.status_code == 400, changed.text
    assert (await client.post(f"{G}/meetings", json=GOOD, headers=admin)).status_code == 201
