"""Provider adapters against scripted responses (httpx.MockTransport)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs

import httpx
import pytest

from tests.support.fakehttp import FakeTokens, make_api
from tui.core.deck.offers import Offers
from tui.core.errors import BadResponse, DownloadError, NeedsAdmin, NotFound
from tui.core.models import (
    ActionOutcome,
    EventKind,
    MeetingKind,
    Provider,
    Registrant,
    RegistrantStatus,
)
from tui.core.providers.base import GoToAssistApi, GoToMeetingApi, GoToTrainingApi, ZoomApi
from tui.core.providers.capabilities import RegistrantAction
from tui.core.providers.goto_assist import GoToAssist
from tui.core.providers.goto_meeting import GoToMeeting, windows
from tui.core.providers.goto_training import APPROVALS_REASON, GoToTraining
from tui.core.providers.session import ProviderSet
from tui.core.providers.zoom import Zoom

Handler = Callable[[httpx.Request], httpx.Response]


def g2m(tmp_path: Path, handler: Handler) -> GoToMeeting:
    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens(), admin=True)
    return GoToMeeting(api, is_admin=lambda: False)


def g2t(tmp_path: Path, handler: Handler) -> GoToTraining:
    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens(), admin=True)
    return GoToTraining(api, organizer_key=lambda: "77", account_key=lambda: "88")


def zoom(tmp_path: Path, handler: Handler) -> Zoom:
    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens())
    return Zoom(api, trusted_hosts=("zoom.us",))


def test_adapters_satisfy_the_protocols(tmp_path: Path) -> None:
    ok: Handler = lambda r: httpx.Response(200)  # noqa: E731
    api, _, _ = make_api(tmp_path, ok)
    assert isinstance(g2m(tmp_path, ok), GoToMeetingApi)
    assert isinstance(g2t(tmp_path, ok), GoToTrainingApi)
    assert isinstance(GoToAssist(api), GoToAssistApi)
    assert isinstance(zoom(tmp_path, ok), ZoomApi)


def test_capabilities_explain_what_is_not_offered(tmp_path: Path) -> None:
    ok: Handler = lambda r: httpx.Response(200)  # noqa: E731
    training = g2t(tmp_path, ok).capabilities
    assert not training.approve and training.approve.reason == APPROVALS_REASON
    assert training.for_action(RegistrantAction.DENY).reason == APPROVALS_REASON
    assert training.cancel and training.manage_url and training.register
    meeting = g2m(tmp_path, ok).capabilities
    assert not meeting.other_organizers and "admin role" in meeting.other_organizers.reason
    z = zoom(tmp_path, ok).capabilities
    assert z.approve and z.deny and z.cancel and not z.manage_url


def test_one_providers_capabilities_ask_that_adapter_alone(tmp_path: Path) -> None:
    # The key bar asks for the highlighted row's provider at every draw; GoTo Meeting's
    # answer reads the GoTo sign-in (a token file), which a Zoom row never needed.
    ok: Handler = lambda r: httpx.Response(200)  # noqa: E731
    asked: list[str] = []
    api, _, _ = make_api(tmp_path, ok, auth=FakeTokens(), admin=True)

    def is_admin() -> bool:
        asked.append("admin?")
        return False

    meeting = GoToMeeting(api, is_admin=is_admin)
    webinars = zoom(tmp_path, ok)
    providers = ProviderSet(
        profile_name="p",
        profile=cast(Any, None),
        demo=False,
        store=cast(Any, None),
        api_log=cast(Any, None),
        goto_auth=None,
        zoom_auth=None,
        connections=[],
        goto_meeting=meeting,
        zoom=webinars,
    )
    offers = Offers(cast(Any, None), providers)
    assert offers.capabilities(Provider.ZOOM) == webinars.capabilities
    assert asked == []
    assert offers.capabilities(Provider.GOTO_TRAINING) is None
    every = providers.capabilities()
    assert offers.capabilities(Provider.GOTO_MEETING) == every[Provider.GOTO_MEETING]
    assert asked


# -- GoTo Meeting ----------------------------------------------------------------------


def _historical(mid: str, sid: str, start: datetime, **extra: object) -> dict[str, object]:
    return {
        "meetingId": mid,
        "sessionId": sid,
        "subject": f"M{mid}",
        "startTime": start.isoformat().replace("+00:00", "Z"),
        "endTime": (start + timedelta(hours=1)).isoformat(),
        "duration": "60",
        "numAttendees": "3",
        "organizerKey": "5",
        "accountKey": "6",
        "meetingType": "scheduled",
        "newField": [1, 2],
        **extra,
    }


def test_windows_are_at_most_30_days() -> None:
    since = datetime(2024, 1, 1, tzinfo=UTC)
    parts = windows(since, since + timedelta(days=75))
    assert len(parts) == 3
    assert all(end - start <= timedelta(days=30) for start, end in parts)
    assert parts[0][0] == since and parts[-1][1] == since + timedelta(days=75)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))


async def test_historical_meetings_windowed_merged_with_recordings(tmp_path: Path) -> None:
    since = datetime(2024, 1, 1, tzinfo=UTC)
    calls: list[dict[str, list[str]]] = []
    shared = _historical("1", "s1", since + timedelta(days=29, hours=23))

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/organizers/5/historicalMeetings"
        query = parse_qs(request.url.query.decode())
        calls.append(query)
        start = datetime.fromisoformat(query["startDate"][0].replace("Z", "+00:00"))
        end = datetime.fromisoformat(query["endDate"][0].replace("Z", "+00:00"))
        assert end - start <= timedelta(days=30)
        rows = [shared]  # returned by every window: must be deduplicated
        rows.append(
            _historical(
                "2",
                f"s-{len(calls)}",
                start + timedelta(days=1),
                recording={
                    "recordingId": f"r{len(calls)}",
                    "recordingName": "Rec",
                    "fileSize": 1234,
                    "downloadUrl": "https://files/x.mp4",
                },
            )
        )
        return httpx.Response(200, json=rows)

    result = await g2m(tmp_path, handler).historical_meetings(
        since, since + timedelta(days=70), organizer_key="5"
    )
    assert len(calls) == 3
    keys = [m.key for m in result.meetings]
    assert sorted(keys) == ["1:s1", "2:s-1", "2:s-2", "2:s-3"]
    first = next(m for m in result.meetings if m.key == "1:s1")
    assert first.kind is MeetingKind.HISTORICAL and first.num_attendees == 3
    assert first.duration_minutes == 60 and first.session_key == "s1"
    assert first.start.tzinfo is not None
    assert [r.key for r in result.recordings] == ["r1", "r2", "r3"]
    rec = result.recordings[0]
    assert rec.provider is Provider.GOTO_MEETING and rec.file_size == 1234
    assert rec.event_key == "2:s-1" and rec.event_title == "M2"


async def test_meeting_by_id_is_an_array_and_int_keys_become_strings(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/start"):
            return httpx.Response(200, json={"hostURL": "https://start/secret"})
        return httpx.Response(
            200,
            json=[{"meetingId": 123456789012, "subject": "S", "startTime": "2024-05-01T10:00:00"}],
        )

    adapter = g2m(tmp_path, handler)
    meeting = await adapter.meeting("123456789012:sess")
    assert meeting.key == "123456789012" and meeting.start.tzinfo is UTC
    start = await adapter.start_url("123456789012")
    assert start.url == "https://start/secret" and "secret" not in str(start)
    assert "secret" not in repr(start)


async def test_groups_403_needs_admin(tmp_path: Path) -> None:
    adapter = g2m(tmp_path, lambda r: httpx.Response(403, json={"msg": "forbidden"}))
    with pytest.raises(NeedsAdmin) as info:
        await adapter.groups()
    assert "admin role" in info.value.sentence


async def test_attendees(tmp_path: Path) -> None:
    body = [
        {
            "attendeeName": "Zoë",
            "attendeeEmail": "z@x",
            "joinTime": "2024-05-01T10:00:00Z",
            "leaveTime": "2024-05-01T10:30:00Z",
            "organizerkey": 1,
            "meetingId": 9,
        }
    ]
    people = await g2m(tmp_path, lambda r: httpx.Response(200, json=body)).attendees("9:s")
    assert people[0].name == "Zoë" and people[0].duration_seconds == 1800
    assert people[0].event_key == "9:s"


def _row(name: str, instance: int | None, start: str | None, join: str) -> dict[str, object]:
    row: dict[str, object] = {"attendeeName": name, "joinTime": join, "meetingId": 9}
    if instance is not None:
        row["meetingInstanceKey"] = instance
    if start is not None:
        row["startTime"] = start
    return row


async def test_attendees_of_one_session_when_the_keys_differ(tmp_path: Path) -> None:
    """`meetingInstanceKey` on the rows is not the report's `sessionId`: rows are tied to
    the session by the instance's start, then by join time, and never all dropped."""
    body = [
        _row("week1", 501, "2024-05-01T10:00:00Z", "2024-05-01T10:02:00Z"),
        _row("week2a", 502, "2024-05-08T10:00:00Z", "2024-05-08T10:01:00Z"),
        _row("week2b", 502, "2024-05-08T10:00:00Z", "2024-05-08T10:40:00Z"),
    ]
    adapter = g2m(tmp_path, lambda r: httpx.Response(200, json=body))
    start, end = datetime(2024, 5, 8, 10, tzinfo=UTC), datetime(2024, 5, 8, 11, tzinfo=UTC)
    people = await adapter.attendees("9:77", start=start, end=end)
    assert [p.name for p in people] == ["week2a", "week2b"]
    assert {p.event_key for p in people} == {"9:77"}
    # A service that makes the keys equal: matched by key, whatever the times.
    same = await adapter.attendees("9:502", start=datetime(2030, 1, 1, tzinfo=UTC))
    assert [p.name for p in same] == ["week2a", "week2b"]
    # No session times given: nothing to tie them with, so nobody is dropped.
    assert len(await adapter.attendees("9:77")) == 3


async def test_attendees_by_join_time_without_instance_times(tmp_path: Path) -> None:
    body = [
        _row("early", 1, None, "2024-05-01T10:02:00Z"),
        _row("late", 2, None, "2024-05-08T10:30:00Z"),
    ]
    adapter = g2m(tmp_path, lambda r: httpx.Response(200, json=body))
    start = datetime(2024, 5, 8, 10, tzinfo=UTC)
    people = await adapter.attendees("9:77", start=start, end=start + timedelta(hours=1))
    assert [p.name for p in people] == ["late"]
    bare = [{"attendeeName": "no times", "meetingInstanceKey": 3}]
    adapter = g2m(tmp_path, lambda r: httpx.Response(200, json=bare))
    assert len(await adapter.attendees("9:77", start=start)) == 1


# -- GoTo Training ---------------------------------------------------------------------


async def test_registrants_and_statuses(tmp_path: Path) -> None:
    body = [
        {
            "registrantKey": 1,
            "email": "a@x",
            "givenName": "A",
            "surname": "B",
            "status": "WAITING",
            "registrationDate": "2024-05-01T10:00:00Z",
            "joinUrl": "j",
            "confirmationUrl": "c",
            "extra": True,
        },
        {
            "registrantKey": "2",
            "email": "c@x",
            "givenName": "C",
            "surname": "D",
            "status": "APPROVED",
        },
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/organizers/77/trainings/55/registrants"
        return httpx.Response(200, json=body)

    people = await g2t(tmp_path, handler).registrants("55")
    assert [(p.key, p.status) for p in people] == [
        ("1", RegistrantStatus.PENDING),
        ("2", RegistrantStatus.APPROVED),
    ]
    assert people[0].provider_status == "WAITING" and people[0].event_kind is EventKind.TRAINING


async def test_every_goto_status_is_listed_and_unknown_ones_stay_raw(tmp_path: Path) -> None:
    """#14.1: UNREGISTERED and DELETED are GoTo Training statuses; a status no spec
    documents (or none at all, or a number) keeps the person listed with the raw value."""
    raw: list[object] = ["WAITING", "UNREGISTERED", "deleted", "EXPLODED", None, 7]
    body = [{"registrantKey": str(i), "email": f"{i}@x", "status": s} for i, s in enumerate(raw)]
    body.append({"registrantKey": "6", "email": "6@x"})  # no status at all

    people = await g2t(tmp_path, lambda r: httpx.Response(200, json=body)).registrants("5")

    S = RegistrantStatus
    assert [p.status for p in people] == [
        S.PENDING,
        S.UNREGISTERED,
        S.DELETED,
        S.OTHER,
        S.OTHER,
        S.OTHER,
        S.OTHER,
    ]
    assert [p.status_text for p in people] == [
        "pending",
        "unregistered",
        "deleted",
        "EXPLODED",
        "(none)",
        "7",
        "(none)",
    ]
    assert people[3].provider_status == "EXPLODED"
    assert not any(p.status.waiting for p in people[1:])
    assert people[1].status.withdrawn and people[2].status.withdrawn


async def test_a_zoom_status_nobody_documents_keeps_the_list(tmp_path: Path) -> None:
    """The same rule for Zoom: one odd status never fails the page it came in."""

    def handler(request: httpx.Request) -> httpx.Response:
        status = request.url.params["status"]
        rows = [_registrant(1, status)]
        if status == "approved":
            rows.append({**_registrant(2, "approved"), "status": "on_hold"})
        return httpx.Response(200, json={"page_size": 300, "registrants": rows})

    people = await zoom(tmp_path, handler).webinar_registrants("99")

    assert sorted(p.status_text for p in people) == ["approved", "denied", "on_hold", "pending"]
    odd = next(p for p in people if p.provider_status == "on_hold")
    assert odd.status is RegistrantStatus.OTHER and odd.key == "a2"


async def test_cancel_registrants_never_retries_and_reports_each(tmp_path: Path) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path.rsplit("/", 1)[-1])
        return httpx.Response({"a": 204, "b": 503, "c": 404}[calls[-1]])

    result = await g2t(tmp_path, handler).cancel_registrants("5", ["a", "b", "c"])
    assert calls == ["a", "b", "c"]
    assert result.succeeded == ("a",)
    assert [o.target_key for o in result.failed] == ["b", "c"]


async def test_cancel_registrants_reports_each_before_the_next(tmp_path: Path) -> None:
    """Each DELETE's outcome goes to `progress` before the next DELETE is sent."""
    seen: list[tuple[str, list[str]]] = []
    reported: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path.rsplit("/", 1)[-1], list(reported)))
        return httpx.Response(204)

    def progress(outcomes: Sequence[ActionOutcome]) -> None:
        reported.extend(o.target_key for o in outcomes if o.ok)

    await g2t(tmp_path, handler).cancel_registrants("5", ["a", "b"], progress=progress)
    assert seen == [("a", []), ("b", ["a"])] and reported == ["a", "b"]


async def test_start_and_manage_urls_are_bare_strings(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/start"):
            return httpx.Response(200, json={"hostURL": "https://host/h"})
        return httpx.Response(200, content=json.dumps("https://g2t/" + request.url.path))

    adapter = g2t(tmp_path, handler)
    assert (await adapter.start_url("5")).url.endswith("/trainings/5/startUrl")
    assert (await adapter.manage_url("5")).url.endswith("/trainings/5/manageUrl")
    assert (await adapter.start("5")).url == "https://host/h"


async def test_download_302_does_not_leak_the_token(tmp_path: Path) -> None:
    seen: list[tuple[str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("Authorization")))
        if request.url.host == "api.example.com":
            return httpx.Response(
                302, headers={"Location": "https://files.example.net/rec/1.mp4?sig=abc"}
            )
        if "Authorization" in request.headers:
            return httpx.Response(400, text="no auth here")
        start = int(request.headers.get("Range", "bytes=0-")[6:-1])
        data = b"0123456789"[start:]
        status = 206 if start else 200
        headers = {"Content-Type": "video/mp4", "ETag": '"e1"'}
        if start:
            headers["Content-Range"] = f"bytes {start}-9/10"
        return httpx.Response(status, content=data, headers=headers)

    adapter = g2t(tmp_path, handler)
    target = await adapter.download_target("5", "1")
    assert target.url == "https://files.example.net/rec/1.mp4?sig=abc"
    assert "Authorization" not in target.headers
    async with adapter.open_recording("5", "1", offset=4) as stream:
        body = b"".join([chunk async for chunk in stream.chunks])
    assert body == b"456789" and stream.offset == 4 and stream.total == 10
    assert stream.etag == '"e1"'
    assert seen[0] == ("api.example.com", "Bearer tok-1")
    assert all(auth is None for host, auth in seen if host == "files.example.net")


async def test_html_instead_of_a_file_is_download_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.example.com":
            return httpx.Response(302, headers={"Location": "https://files.example.net/x"})
        return httpx.Response(
            200, text="<html>Sign in</html>", headers={"Content-Type": "text/html; charset=utf-8"}
        )

    adapter = g2t(tmp_path, handler)
    with pytest.raises(DownloadError, match="web page"):
        async with adapter.open_recording("5", "1") as stream:
            _ = stream


async def test_recordings_list(tmp_path: Path) -> None:
    body = {
        "trainingKey": 55,
        "recordingList": [
            {
                "recordingId": 9007199254740993,
                "name": "R",
                "startDate": "2024-05-01T10:00:00Z",
                "endDate": "2024-05-01T11:00:00Z",
                "downloadUrl": "https://d",
            }
        ],
    }
    recs = await g2t(tmp_path, lambda r: httpx.Response(200, json=body)).recordings("55")
    assert recs[0].key == "9007199254740993" and recs[0].event_key == "55"


# -- GoTo Assist -----------------------------------------------------------------------


async def test_seeit_pages_and_epoch_ms(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(
                201, json={"uuid": "u-new", "supportKey": "123", "startUrl": "https://start/seeit"}
            )
        page = int(request.url.params["page"])
        content = [
            {
                "uuid": f"u{page}-{i}",
                "supportKey": str(i),
                "sessionStatus": "FINISHED",
                "sessionCreateTime": 1714557600000 + i,
            }
            for i in range(2)
        ]
        return httpx.Response(
            200,
            json={
                "content": content,
                "links": [],
                "page": {"size": 2, "number": page, "totalElements": 5, "totalPages": 3},
            },
        )

    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens())
    assist = GoToAssist(api)
    sessions = await assist.sessions(since=datetime(2024, 1, 1, tzinfo=UTC))
    assert len(sessions) == 6 and sessions[0].key == "u0-0"
    assert sessions[0].created == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    created, start = await assist.create_session()
    assert created.key == "u-new" and start is not None and start.url == "https://start/seeit"


async def test_seeit_409_right_after_create_is_retried(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls < 3:
            return httpx.Response(409)
        return httpx.Response(
            200,
            json={
                "uuid": "u",
                "supportKey": "1",
                "sessionStatus": "CREATED",
                "sessionCreateTime": 1714557600000,
            },
        )

    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens())
    session = await GoToAssist(api, consistency_wait=0.001).session("u")
    assert session.status == "CREATED" and calls == 3


# -- Zoom ------------------------------------------------------------------------------


def _registrant(i: int, status: str) -> dict[str, object]:
    return {
        "id": f"{status[0]}{i}",
        "email": f"p{i}@x",
        "first_name": f"P{i}",
        "last_name": "Ł",
        "status": status,
        "create_time": "2024-05-01T10:00:00Z",
        "custom_questions": [{"title": "Why", "value": "<b>x</b>"}],
        "org": "Org",
    }


async def test_zoom_registrants_every_status_all_pages(tmp_path: Path) -> None:
    asked: list[dict[str, str]] = []
    data = {"pending": 2, "approved": 650, "denied": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        asked.append(params)
        status, size = params["status"], int(params["page_size"])
        offset = int(params.get("next_page_token") or 0)
        total = data[status]
        rows = [_registrant(i, status) for i in range(offset, min(offset + size, total))]
        token = str(offset + size) if offset + size < total else ""
        return httpx.Response(
            200,
            json={
                "page_size": size,
                "total_records": total,
                "next_page_token": token,
                "registrants": rows,
            },
        )

    adapter = zoom(tmp_path, handler)
    pages = [page async for page in adapter.webinar_registrant_pages("99")]
    assert [len(p) for p in pages] == [2, 300, 300, 50]
    assert {a["status"] for a in asked} == {"pending", "approved", "denied"}
    assert all(a["page_size"] == "300" for a in asked)
    everyone = [r for p in pages for r in p]
    assert len({r.key for r in everyone}) == 652
    first = everyone[0]
    assert first.status is RegistrantStatus.PENDING and first.event_kind is EventKind.WEBINAR
    assert first.custom_questions == (("Why", "<b>x</b>"),) and first.extra == {"org": "Org"}


def _people(n: int) -> list[Registrant]:
    return [
        Registrant(
            provider=Provider.ZOOM,
            key=f"r{i}",
            event_key="99",
            event_kind=EventKind.WEBINAR,
            email=f"p{i}@x",
            first_name="P",
            last_name="",
            status=RegistrantStatus.PENDING,
            provider_status="pending",
        )
        for i in range(n)
    ]


async def test_zoom_status_chunks_of_30_with_partial_failure(tmp_path: Path) -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append(body)
        if len(bodies) == 2:
            return httpx.Response(400, json={"code": 3035, "message": "Webinar is full."})
        return httpx.Response(204)

    adapter = zoom(tmp_path, handler)
    result = await adapter.set_webinar_registrant_status(
        "99", RegistrantAction.APPROVE, _people(35)
    )
    assert [len(b["registrants"]) for b in bodies] == [30, 5]  # type: ignore[arg-type]
    assert bodies[0]["action"] == "approve"
    assert bodies[0]["registrants"][0] == {"id": "r0", "email": "p0@x"}  # type: ignore[index]
    assert len(result.succeeded) == 30 and len(result.failed) == 5
    assert all("Webinar is full." in o.message for o in result.failed)


async def test_zoom_network_failure_mid_batch_reports_nothing_unconfirmed(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return httpx.Response(204)
        raise httpx.ReadError("connection reset", request=request)

    adapter = zoom(tmp_path, handler)
    result = await adapter.set_meeting_registrant_status("5", RegistrantAction.DENY, _people(95))
    assert len(result.succeeded) == 30
    assert len(result.failed) == 65
    assert result.failed[0].message.startswith("Unknown")
    assert result.failed[-1].message.startswith("Not attempted")


async def test_zoom_status_put_is_retried_on_429(tmp_path: Path) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return (
            httpx.Response(429, headers={"Retry-After": "1"}) if calls == 1 else httpx.Response(204)
        )

    result = await zoom(tmp_path, handler).set_webinar_registrant_status(
        "9", RegistrantAction.CANCEL, _people(3)
    )
    assert len(result.succeeded) == 3 and calls == 2


async def test_zoom_repeated_page_token_stops(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"next_page_token": "same", "users": []})

    with pytest.raises(BadResponse, match="repeated a page token"):
        await zoom(tmp_path, handler).users()


async def test_zoom_meeting_drops_start_url_and_start_url_on_demand(tmp_path: Path) -> None:
    body = {
        "id": 85746065432,
        "topic": "T",
        "start_time": "2030-01-01T10:00:00Z",
        "duration": 30,
        "host_id": "h",
        "start_url": "https://zoom.us/s/secret",
        "settings": {"approval_type": 1},
    }
    adapter = zoom(tmp_path, lambda r: httpx.Response(200, json=body))
    meeting = await adapter.meeting("85746065432")
    assert meeting.key == "85746065432" and meeting.has_registration
    assert "secret" not in repr(meeting)
    assert (await adapter.start_url("85746065432")).url == "https://zoom.us/s/secret"


async def test_zoom_recordings_and_download_target(tmp_path: Path) -> None:
    body = {
        "meetings": [
            {
                "id": 1,
                "topic": "T",
                "recording_files": [
                    {
                        "id": "f1",
                        "file_type": "MP4",
                        "file_extension": "MP4",
                        "file_size": 1000.0,
                        "download_url": "https://zoom.us/rec/download/f1",
                        "status": "completed",
                    },
                    {"id": "f2", "file_type": "CHAT", "deleted_time": "2024-01-01T00:00:00Z"},
                ],
            }
        ],
        "next_page_token": "",
    }
    adapter = zoom(tmp_path, lambda r: httpx.Response(200, json=body))
    recs = await adapter.recordings(
        since=datetime(2024, 1, 1, tzinfo=UTC), until=datetime(2024, 1, 20, tzinfo=UTC)
    )
    assert [r.key for r in recs] == ["f1"] and recs[0].file_size == 1000
    target = await adapter.download_target(recs[0])
    assert target.headers == {"Authorization": "Bearer tok-1"}
    elsewhere = recs[0].__class__(
        **{
            **{f: getattr(recs[0], f) for f in recs[0].__slots__},
            "download_url": "https://evil.example.org/f1",
        }
    )
    assert (await adapter.download_target(elsewhere)).headers == {}


async def test_zoom_404_is_not_found(tmp_path: Path) -> None:
    adapter = zoom(
        tmp_path,
        lambda r: httpx.Response(
            404, json={"code": 3001, "message": "Webinar 1 not found or has expired."}
        ),
    )
    with pytest.raises(NotFound, match="not found or has expired"):
        await adapter.webinar("1")
