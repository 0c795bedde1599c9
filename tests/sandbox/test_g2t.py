"""GoTo Training: every operation of gototraining.openapi.yml, validated against the spec."""

from __future__ import annotations

import httpx
import pytest

from tests.support.specs import goto_headers, validate
from tui.sandbox.model import Training
from tui.sandbox.state import SandboxState

T = "/G2T/rest"


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> dict[str, str]:
    return await goto_headers(client)


def a_training(state: SandboxState, with_recordings: bool = False) -> Training:
    return next(
        t
        for t in state.goto.trainings.values()
        if t.sessions and (t.recordings or not with_recordings)
    )


async def test_account_organizers(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    account = state.goto.account_key
    rows = validate(
        "g2t",
        "get",
        "/accounts/{accountKey}/organizers",
        await client.get(f"{T}/accounts/{account}/organizers", headers=admin),
        200,
    )
    assert rows and all(isinstance(r["organizerKey"], str) for r in rows)
    plain = await goto_headers(client, admin=False)
    denied = await client.get(f"{T}/accounts/{account}/organizers", headers=plain)
    assert denied.status_code == 403


async def test_trainings_and_one_training(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    training = a_training(state)
    owner = training.organizer_keys[0]
    rows = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings",
        await client.get(f"{T}/organizers/{owner}/trainings", headers=admin),
        200,
    )
    assert str(training.key) in {r["trainingKey"] for r in rows}  # a string in bodies
    one = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}",
        await client.get(f"{T}/organizers/{owner}/trainings/{training.key}", headers=admin),
        200,
    )
    assert one["name"] == training.name
    missing = await client.get(f"{T}/organizers/{owner}/trainings/1", headers=admin)
    assert missing.status_code == 404


async def test_schedule_update_and_cancel_a_training(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    owner = state.goto.admin_key
    body = {
        "name": "Ångström units 101",
        "description": "[red]hi",
        "timeZone": "Europe/Berlin",
        "times": [{"startDate": "2025-04-01T09:00:00Z", "endDate": "2025-04-01T11:00:00Z"}],
        "registrationSettings": {
            "disableConfirmationEmail": False,
            "disableWebRegistration": False,
        },
    }
    created = await client.post(f"{T}/organizers/{owner}/trainings", json=body, headers=admin)
    key = validate("g2t", "post", "/organizers/{organizerKey}/trainings", created, 201)
    assert isinstance(key, str)  # the bare JSON string the spec gives
    base = f"{T}/organizers/{owner}/trainings/{key}"
    renamed = await client.put(
        f"{base}/nameDescription", headers=admin, json={"name": "Renamed", "description": "d"}
    )
    assert renamed.status_code == 204
    settings = await client.put(
        f"{base}/registrationSettings",
        headers=admin,
        json={"disableConfirmationEmail": True, "disableWebRegistration": True},
    )
    assert settings.status_code == 204
    times = await client.put(
        f"{base}/times",
        headers=admin,
        json={
            "timeZone": "UTC",
            "notifyRegistrants": True,
            "notifyTrainers": True,
            "times": [{"startDate": "2025-05-01T09:00:00Z", "endDate": "2025-05-01T10:00:00Z"}],
        },
    )
    notified = validate(
        "g2t", "put", "/organizers/{organizerKey}/trainings/{trainingKey}/times", times, 200
    )
    assert notified["notifiedTrainers"] == 1
    other = state.goto.organizer_key
    organizers = await client.put(
        f"{base}/organizers",
        headers=admin,
        json={"organizers": [owner, other], "notifyOrganizers": False},
    )
    assert organizers.status_code == 204
    listed = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/organizers",
        await client.get(f"{base}/organizers", headers=admin),
        200,
    )
    assert {o["organizerKey"] for o in listed} == {str(owner), str(other)}
    shown = (await client.get(base, headers=admin)).json()
    assert shown["name"] == "Renamed" and shown["timeZone"] == "UTC"
    assert shown["registrationSettings"]["disableWebRegistration"] is True
    assert (await client.delete(base, headers=admin)).status_code == 204
    assert (await client.get(base, headers=admin)).status_code == 404
    bad = await client.post(f"{T}/organizers/{owner}/trainings", json={"name": "x"}, headers=admin)
    assert bad.status_code == 400


async def test_registrants(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    training = a_training(state)
    owner = training.organizer_keys[0]
    base = f"{T}/organizers/{owner}/trainings/{training.key}"
    rows = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/registrants",
        await client.get(f"{base}/registrants", headers=admin),
        200,
    )
    assert {r["status"] for r in rows} <= {
        "WAITING",
        "APPROVED",
        "DENIED",
        "UNREGISTERED",
        "DELETED",
    }
    body = {"email": "zoe@learners.example", "givenName": "Zoë", "surname": "山田"}
    created = validate(
        "g2t",
        "post",
        "/organizers/{organizerKey}/trainings/{trainingKey}/registrants",
        await client.post(f"{base}/registrants", json=body, headers=admin),
        201,
    )
    key = created["registrantKey"]
    again = await client.post(f"{base}/registrants", json=body, headers=admin)
    assert again.status_code == 409
    one = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/registrants/{registrantKey}",
        await client.get(f"{base}/registrants/{key}", headers=admin),
        200,
    )
    assert one["givenName"] == "Zoë"
    assert (await client.delete(f"{base}/registrants/{key}", headers=admin)).status_code == 204
    assert (await client.get(f"{base}/registrants/{key}", headers=admin)).status_code == 404


async def test_every_registrant_status_and_the_hostile_name_exist(state: SandboxState) -> None:
    statuses = {r.status for t in state.goto.trainings.values() for r in t.registrants.values()}
    names = {r.given_name for t in state.goto.trainings.values() for r in t.registrants.values()}
    assert statuses == {"WAITING", "APPROVED", "DENIED", "UNREGISTERED", "DELETED"}
    assert "[@click=app.quit]x" in names


async def test_start_and_manage_urls(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    training = a_training(state)
    owner = training.organizer_keys[0]
    base = f"{T}/organizers/{owner}/trainings/{training.key}"
    url = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/startUrl",
        await client.get(f"{base}/startUrl", headers=admin),
        200,
    )
    assert isinstance(url, str) and url.startswith("http")  # a bare JSON string
    manage = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/manageUrl",
        await client.get(f"{base}/manageUrl", headers=admin),
        200,
    )
    assert isinstance(manage, str)
    host = validate(
        "g2t",
        "get",
        "/trainings/{trainingKey}/start",
        await client.get(f"{T}/trainings/{training.key}/start", headers=admin),
        200,
    )
    assert host["hostURL"].startswith("http")


async def test_reports(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    training = a_training(state)
    owner = training.organizer_keys[0]
    sessions = validate(
        "g2t",
        "get",
        "/reports/organizers/{organizerKey}/trainings/{trainingKey}",
        await client.get(f"{T}/reports/organizers/{owner}/trainings/{training.key}", headers=admin),
        200,
    )
    assert len(sessions) == len(training.sessions)
    ranged = validate(
        "g2t",
        "post",
        "/reports/organizers/{organizerKey}/sessions",
        await client.post(
            f"{T}/reports/organizers/{owner}/sessions",
            headers=admin,
            json={"startDate": "2020-01-01T00:00:00Z", "endDate": "2030-01-01T00:00:00Z"},
        ),
        200,
    )
    assert {s["sessionKey"] for s in sessions} <= {s["sessionKey"] for s in ranged}
    session = max(training.sessions, key=lambda s: len(s.attendee_keys))
    people = validate(
        "g2t",
        "get",
        "/reports/organizers/{organizerKey}/sessions/{sessionKey}/attendees",
        await client.get(
            f"{T}/reports/organizers/{owner}/sessions/{session.key}/attendees", headers=admin
        ),
        200,
    )
    assert len(people) == len(session.attendee_keys)
    no_range = await client.post(f"{T}/reports/organizers/{owner}/sessions", headers=admin, json={})
    assert no_range.status_code == 400


async def test_recordings_list_and_302(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    training = a_training(state, with_recordings=True)
    listed = validate(
        "g2t",
        "get",
        "/trainings/{trainingKey}/recordings",
        await client.get(f"{T}/trainings/{training.key}/recordings", headers=admin),
        200,
    )
    assert listed["trainingKey"] == training.key  # int64 in this schema
    rec = listed["recordingList"][0]
    answer = await client.get(
        f"{T}/trainings/{training.key}/recordings/{rec['recordingId']}", headers=admin
    )
    assert answer.status_code == 302
    assert answer.headers["location"].startswith("http://localhost:8765/files/goto/")
    missing = await client.get(f"{T}/trainings/{training.key}/recordings/1", headers=admin)
    assert missing.status_code == 404


async def test_plain_organizer_is_kept_to_own_trainings(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    plain = await goto_headers(client, admin=False)
    other = next(
        t for t in state.goto.trainings.values() if state.goto.organizer_key not in t.organizer_keys
    )
    owner = other.organizer_keys[0]
    assert (await client.get(f"{T}/organizers/{owner}/trainings", headers=plain)).status_code == 403
    assert (
        await client.get(f"{T}/trainings/{other.key}/recordings", headers=plain)
    ).status_code == 403
    mine = await client.get(f"{T}/organizers/{state.goto.organizer_key}/trainings", headers=plain)
    assert mine.status_code == 200


async def test_the_hostile_training_lists_someone_unregistered_and_someone_deleted(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """#14.1: by default every demo has both statuses, in the first training's list."""
    hostile = next(
        t
        for t in state.goto.trainings.values()
        if any(r.given_name == "[@click=app.quit]x" for r in t.registrants.values())
    )
    owner = hostile.organizer_keys[0]
    rows = validate(
        "g2t",
        "get",
        "/organizers/{organizerKey}/trainings/{trainingKey}/registrants",
        await client.get(
            f"{T}/organizers/{owner}/trainings/{hostile.key}/registrants", headers=admin
        ),
        200,
    )
    by_name = {r["givenName"]: r["status"] for r in rows}
    assert by_name["[@click=app.quit]x"] == "UNREGISTERED"
    assert by_name["[bold]Eve[/bold]"] == "DELETED"
    counts = (await client.get("/_sandbox/state", params={"event": str(hostile.key)})).json()
    assert counts["counts"]["UNREGISTERED"] >= 1 and counts["counts"]["DELETED"] >= 1


async def test_a_deleted_registrant_stays_listed_while_the_lists_lag(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """#14.6: with `registrant_lag_s`, a DELETE reaches the list only after the lag (on
    the sandbox's clock, which the control API moves forward); the registrant itself
    is gone at once."""
    training = a_training(state)
    owner = training.organizer_keys[0]
    base = f"{T}/organizers/{owner}/trainings/{training.key}/registrants"
    person = next(r for r in training.registrants.values() if r.status == "APPROVED")
    lag = await client.post("/_sandbox/config", json={"registrant_lag_s": 3600})
    assert lag.json() == {"registrant_lag_s": 3600}

    deleted = await client.delete(f"{base}/{person.key}", headers=admin)
    listed = (await client.get(base, headers=admin)).json()
    one = await client.get(f"{base}/{person.key}", headers=admin)
    almost = (await client.post("/_sandbox/clock", json={"advance_s": 3599})).json()
    still = (await client.get(base, headers=admin)).json()
    await client.post("/_sandbox/clock", json={"advance_s": 1})
    after = (await client.get(base, headers=admin)).json()
    truth = (await client.get("/_sandbox/state", params={"event": str(training.key)})).json()

    assert deleted.status_code == 204 and one.status_code == 404
    shown = {r["registrantKey"]: r["status"] for r in listed}
    assert shown[str(person.key)] == "APPROVED"  # as it was
    assert almost["now"] and str(person.key) in {r["registrantKey"] for r in still}
    assert str(person.key) not in {r["registrantKey"] for r in after}
    assert str(person.key) not in truth["registrants"]  # the sandbox's own state knows


async def test_lag_and_clock_controls_refuse_bad_values(client: httpx.AsyncClient) -> None:
    bad_lags: list[dict[str, object]] = [
        {},
        {"registrant_lag_s": -1},
        {"registrant_lag_s": "1"},
        {"lag": 1},
    ]
    for body in bad_lags:
        assert (await client.post("/_sandbox/config", json=body)).status_code == 400
    bad_steps: list[dict[str, object]] = [{}, {"advance_s": -5}, {"advance_s": True}]
    for body in bad_steps:
        assert (await client.post("/_sandbox/clock", json=body)).status_code == 400
    before = (await client.get("/_sandbox/state")).json()["config"]["registrant_lag_s"]
    assert before == 0


async def test_there_is_no_approve_or_deny_endpoint(
    client: httpx.AsyncClient, admin: dict[str, str], state: SandboxState
) -> None:
    """GoTo Training approves on the Manage Training page only: a registrant can be
    read and deleted, never updated."""
    training = a_training(state)
    base = f"{T}/organizers/{training.organizer_keys[0]}/trainings/{training.key}/registrants"
    key = (await client.get(base, headers=admin)).json()[0]["registrantKey"]
    for method in ("PUT", "PATCH", "POST"):
        answer = await client.request(method, f"{base}/{key}", headers=admin, json={})
        assert answer.status_code == 405, method
