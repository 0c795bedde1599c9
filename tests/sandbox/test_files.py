"""Recording downloads: 302 to another host, signed URLs, Range, ETag, bearer refusal."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.specs import goto_headers, zoom_headers
from tui.sandbox.state import SandboxState


async def g2t_location(client: httpx.AsyncClient, state: SandboxState) -> str:
    training = next(t for t in state.goto.trainings.values() if t.recordings)
    rec = training.recordings[0]
    answer = await client.get(
        f"/G2T/rest/trainings/{training.key}/recordings/{rec.id}",
        headers=await goto_headers(client),
    )
    assert answer.status_code == 302
    location: str = answer.headers["location"]
    return location


async def test_302_points_at_another_host_with_a_signed_expiring_url(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    location = await g2t_location(client, state)
    parts = urlsplit(location)
    assert parts.hostname == "localhost" and parts.port == 8765  # the request used 127.0.0.1
    assert "signature=" in parts.query and "expires=" in parts.query
    answer = await client.get(location)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "video/mp4"
    assert int(answer.headers["content-length"]) == len(answer.content)
    assert answer.content[4:8] == b"ftyp"
    digest = hashlib.md5(answer.content, usedforsecurity=False).hexdigest()
    assert answer.headers["etag"] == f'"{digest}"'
    assert answer.headers["accept-ranges"] == "bytes"


async def test_localhost_requests_are_sent_to_127_0_0_1(app: object) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8765") as c:
        state: SandboxState = c._transport.app.state.sandbox  # type: ignore[attr-defined]
        location = await g2t_location(c, state)
    assert urlsplit(location).hostname == "127.0.0.1"


async def test_file_url_refuses_any_authorization_header_and_logs_it(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    location = await g2t_location(client, state)
    leaked = await client.get(location, headers={"Authorization": "Bearer leaked"})
    assert leaked.status_code == 401
    assert b"accepts no bearer token" in leaked.content
    log = (await client.get("/_sandbox/requests")).json()["requests"]
    file_hits = [e for e in log if e["api"] == "goto_file"]
    assert file_hits[-1]["authorization"] is True and file_hits[-1]["status"] == 401
    assert file_hits[-1]["host"] == "localhost:8765"  # the other host name


async def test_tampered_or_expired_signatures_are_refused(
    client: httpx.AsyncClient, state: SandboxState, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = await g2t_location(client, state)
    tampered = location.replace("signature=", "signature=0")
    assert (await client.get(tampered)).status_code == 403
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    expired = await client.get(location)
    assert expired.status_code == 403 and b"expired" in expired.content


async def test_ranges(client: httpx.AsyncClient, state: SandboxState) -> None:
    location = await g2t_location(client, state)
    whole = (await client.get(location)).content
    size = len(whole)
    part = await client.get(location, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.headers["content-length"] == "100"
    tail = await client.get(location, headers={"Range": "bytes=-10"})
    assert tail.content == whole[-10:]
    rest = await client.get(location, headers={"Range": f"bytes={size - 5}-"})
    assert rest.content == whole[-5:]
    over = await client.get(location, headers={"Range": f"bytes={size}-"})
    assert over.status_code == 416 and over.headers["content-range"] == f"bytes */{size}"
    etag = part.headers["etag"]
    same = await client.get(location, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206
    changed = await client.get(location, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert changed.status_code == 200 and len(changed.content) == size
    # The Last-Modified date is a validator too (a client that got no ETag sends it).
    dated = await client.get(
        location, headers={"Range": "bytes=0-9", "If-Range": part.headers["last-modified"]}
    )
    assert dated.status_code == 206 and dated.content == whole[:10]
    older = await client.get(
        location, headers={"Range": "bytes=0-9", "If-Range": "Sun, 31 Dec 2023 00:00:00 GMT"}
    )
    assert older.status_code == 200 and len(older.content) == size
    cached = await client.get(location, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    head = await client.head(location)
    assert head.status_code == 200 and head.headers["content-length"] == str(size)


async def test_g2m_recording_download_url_is_signed_on_another_host(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    admin = await goto_headers(client)
    rows = (
        await client.get(
            "/G2M/rest/historicalMeetings",
            headers=admin,
            params={"startDate": "2020-01-01T00:00:00Z", "endDate": "2030-01-01T00:00:00Z"},
        )
    ).json()
    large = next(r for r in rows if r["sessionId"] == str(state.goto.large_recording_session))
    assert large["recording"]["fileSize"] > 2**31  # larger than 2 GiB
    url = large["recording"]["downloadUrl"]
    assert urlsplit(url).hostname == "localhost"
    end = await client.get(url, headers={"Range": f"bytes={large['recording']['fileSize'] - 4}-"})
    assert end.status_code == 206 and len(end.content) == 4
    assert end.headers["etag"].endswith('-299"')  # multipart-style tag for big files
    html = next(r for r in rows if r["sessionId"] == str(state.goto.html_recording_session))
    page = await client.get(html["recording"]["downloadUrl"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


async def test_zoom_download_needs_the_zoom_bearer_token(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    zoom = await zoom_headers(client)
    event = next(m for m in state.zoom.meetings.values() if m.recording is not None)
    meta = (await client.get(f"/zoom/v2/meetings/{event.id}/recordings", headers=zoom)).json()
    item = meta["recording_files"][0]
    assert item["download_url"].startswith("http://127.0.0.1:8765/zoom/rec/download/")
    anonymous = await client.get(item["download_url"])
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 124
    answer = await client.get(item["download_url"], headers=zoom)
    assert answer.status_code == 200 and len(answer.content) == item["file_size"]
    part = await client.get(item["download_url"], headers={**zoom, "Range": "bytes=0-3"})
    assert part.status_code == 206 and part.content == answer.content[:4]
    html = await client.get(f"/zoom/rec/download/{state.zoom.html_file_id}", headers=zoom)
    assert html.headers["content-type"].startswith("text/html")
    missing = await client.get("/zoom/rec/download/nope", headers=zoom)
    assert missing.status_code == 404


async def test_text_files_are_text(client: httpx.AsyncClient, state: SandboxState) -> None:
    zoom = await zoom_headers(client)
    event = next(
        m
        for m in state.zoom.meetings.values()
        if m.recording and any(f.file_extension == "VTT" for f in m.recording.files)
    )
    assert event.recording is not None
    vtt = next(f for f in event.recording.files if f.file_extension == "VTT")
    answer = await client.get(f"/zoom/rec/download/{vtt.id}", headers=zoom)
    assert answer.text.startswith("WEBVTT") and len(answer.content) == vtt.file.size


async def test_zoom_large_file_serves_its_last_bytes(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    zoom = await zoom_headers(client)
    url = f"/zoom/rec/download/{state.zoom.large_file_id}"
    head = await client.head(url, headers=zoom)
    size = int(head.headers["content-length"])
    assert size == state.config.large_recording_bytes
    tail = await client.get(url, headers={**zoom, "Range": "bytes=-100"})
    assert tail.status_code == 206 and len(tail.content) == 100
    assert tail.headers["content-range"] == f"bytes {size - 100}-{size - 1}/{size}"
