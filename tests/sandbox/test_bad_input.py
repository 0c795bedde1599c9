"""Malformed input gets a 4xx in the API's error format, never a 500 (issue 14.9).

Each case is one a fuzzer (schemathesis over the specs) found answering 500; the bounded
run that keeps the whole surface so is `test_fuzz.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.support.specs import goto_headers, validate, zoom_headers
from tui.sandbox.state import SandboxState
from tui.sandbox.web import iso, parse_time

G2M, G2T, ZOOM = "/G2M/rest", "/G2T/rest", "/zoom/v2"


@pytest.mark.parametrize(
    "body",
    [
        {"action": {}},
        {"action": []},
        {"action": ["approve"], "registrants": [{"id": "x"}]},
    ],
)
async def test_zoom_status_put_with_an_odd_action_is_a_400(
    client: httpx.AsyncClient, state: SandboxState, body: dict[str, Any]
) -> None:
    headers = await zoom_headers(client)
    webinar = next(e for e in state.zoom.webinars.values() if e.registrants)
    answer = await client.put(
        f"{ZOOM}/webinars/{webinar.id}/registrants/status", json=body, headers=headers
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == 300


@pytest.mark.parametrize(
    "body",
    [
        {"organizers": [{}]},
        {"organizers": ["abc"]},
        {"organizers": [None]},
        {"organizers": [True]},
        {"organizers": 5},
        [{}],
    ],
)
async def test_g2t_training_organizers_put_with_odd_keys_is_a_400(
    client: httpx.AsyncClient, state: SandboxState, body: Any
) -> None:
    headers = await goto_headers(client)
    training = next(iter(state.goto.trainings.values()))
    owner = training.organizer_keys[0]
    url = f"{G2T}/organizers/{owner}/trainings/{training.key}/organizers"
    answer = await client.put(url, json=body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.json()["int_err_code"] == "InvalidRequest"
    ok = await client.put(url, json={"organizers": [str(owner)]}, headers=headers)
    assert ok.status_code == 204  # keys as digit strings still do


GOOD_TRAINING: dict[str, Any] = {
    "name": "Onboarding",
    "timeZone": "Europe/Berlin",
    "times": [{"startDate": "2025-04-01T09:00:00Z", "endDate": "2025-04-01T10:00:00Z"}],
}


@pytest.mark.parametrize(
    "change",
    [
        {"organizers": [{}]},
        {"organizers": ["abc"]},
        {"organizers": 7},
        {"times": 5},
        {"times": [{"startDate": "0001-01-01T00:00:00+05:00", "endDate": "2025-01-01T00:00Z"}]},
        {"registrationSettings": "x"},
        {"registrationSettings": {"disableWebRegistration": {}}},
        {"name": {"a": 1}},
        {"timeZone": []},
        {"description": 5},
    ],
)
async def test_g2t_malformed_post_training_is_a_400(
    client: httpx.AsyncClient, state: SandboxState, change: dict[str, Any]
) -> None:
    headers = await goto_headers(client)
    owner = state.goto.admin_key
    url = f"{G2T}/organizers/{owner}/trainings"
    answer = await client.post(url, json={**GOOD_TRAINING, **change}, headers=headers)
    assert answer.status_code == 400, answer.text
    created = await client.post(url, json=GOOD_TRAINING, headers=headers)
    assert created.status_code == 201


async def test_g2m_meeting_with_odd_coorganizers_or_times_is_a_400(
    client: httpx.AsyncClient,
) -> None:
    headers = await goto_headers(client)
    body = {
        "subject": "Plan",
        "starttime": "2025-04-01T10:00:00Z",
        "endtime": "2025-04-01T11:00:00Z",
        "passwordrequired": False,
        "conferencecallinfo": "VoIP",
        "timezonekey": "",
        "meetingtype": "scheduled",
    }
    changes: list[dict[str, Any]] = [
        {"coorganizerKeys": 5},
        {"coorganizerKeys": [{}]},
        {"starttime": "0001-01-01T00:00:00+05:00"},
        {"endtime": "9999-12-31T23:59:59-05:00"},
    ]
    for change in changes:
        answer = await client.post(f"{G2M}/meetings", json={**body, **change}, headers=headers)
        assert answer.status_code == 400, (change, answer.text)


async def test_years_before_1000_are_written_with_four_digits(
    client: httpx.AsyncClient,
) -> None:
    assert iso(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
    assert iso(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00Z"
    assert parse_time("0001-01-01T00:00:00+05:00") is None  # no UTC form
    headers = await goto_headers(client)
    body = {
        "subject": "Old",
        "starttime": "0999-01-01T10:00:00Z",
        "endtime": "0999-01-01T11:00:00Z",
        "passwordrequired": False,
        "conferencecallinfo": "VoIP",
        "timezonekey": "",
        "meetingtype": "scheduled",
    }
    created = await client.post(f"{G2M}/meetings", json=body, headers=headers)
    assert created.status_code == 201, created.text
    meeting_id = created.json()[0]["meetingid"]
    got = validate(
        "g2m",
        "get",
        "/meetings/{meetingId}",
        await client.get(f"{G2M}/meetings/{meeting_id}", headers=headers),
        200,
    )
    assert got[0]["startTime"] == "0999-01-01T10:00:00Z"
