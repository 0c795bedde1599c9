"""A sync's Zoom registrant listings ask for the next page as soon as a body arrives,
with the token its text shows, while the body is read (issue 18); the page read says
the token that counts. Against scripted responses (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.support.fakehttp import FakeTokens, make_api
from tui.core.models import EventKind
from tui.core.providers.zoom import Zoom
from tui.core.providers.zoom_paging import dropped, token_in

SIZE = 300


def person(key: str, status: str, **more: Any) -> dict[str, Any]:
    return {"id": key, "email": f"{key}@x.org", "first_name": "P", "status": status, **more}


def zoom(tmp_path: Path, handler: Any) -> Zoom:
    api, _, _ = make_api(tmp_path, handler, auth=FakeTokens())
    return Zoom(api, trusted_hosts=("zoom.us",))


async def rows(adapter: Zoom) -> list[dict[str, Any]]:
    return [
        person async for page in adapter.registrant_rows(EventKind.WEBINAR, "99") for person in page
    ]


def listing(
    counts: dict[str, int], asked: list[tuple[str, str]]
) -> Callable[[httpx.Request], httpx.Response]:
    """Pages of `counts[status]` people each status, the token an offset."""

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        status, token = params["status"], params.get("next_page_token", "")
        asked.append((status, token))
        offset = int(token or 0)
        total = counts[status]
        people = [person(f"{status}{i}", status) for i in range(offset, min(offset + SIZE, total))]
        following = str(offset + SIZE) if offset + SIZE < total else ""
        return httpx.Response(200, json={"next_page_token": following, "registrants": people})

    return handler


async def test_each_page_is_asked_for_once_and_read_in_full(tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []
    counts = {"pending": 2, "approved": 650, "denied": 0}
    read = await rows(zoom(tmp_path, listing(counts, asked)))
    assert sorted(p["id"] for p in read) == sorted(
        f"{status}{i}" for status, count in counts.items() for i in range(count)
    )
    every = [("pending", ""), ("approved", ""), ("approved", "300"), ("approved", "600")]
    assert sorted(asked) == sorted([*every, ("denied", "")])


async def test_the_next_page_is_asked_for_before_a_page_is_handed_over(
    tmp_path: Path,
) -> None:
    asked: list[tuple[str, str]] = []
    adapter = zoom(tmp_path, listing({"pending": 0, "approved": 650, "denied": 0}, asked))
    seen_then: list[list[str]] = []
    async for page in adapter.registrant_rows(EventKind.WEBINAR, "99"):
        seen_then.append([t for s, t in asked if s == "approved"])
        assert page
    assert seen_then[0] == ["", "300"]
    assert seen_then[1] == ["", "300", "600"]


async def test_a_token_the_page_does_not_confirm_is_never_used(tmp_path: Path) -> None:
    """A body whose text shows another token first (a person's own field named like
    it): the page asked with it is not read, the page's own token is followed."""
    asked: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        status, token = params["status"], params.get("next_page_token", "")
        asked.append((status, token))
        if status != "approved":
            return httpx.Response(200, json={"next_page_token": "", "registrants": []})
        if token == "":
            decoy = person("a0", "approved", comments="x")
            decoy["custom_questions"] = [{"title": "t", "value": "v", "next_page_token": "bad"}]
            body = {"registrants": [decoy], "next_page_token": "good"}
            return httpx.Response(200, content=json.dumps(body).encode())
        if token == "bad":
            return httpx.Response(
                200, json={"next_page_token": "", "registrants": [person("x", "approved")]}
            )
        return httpx.Response(
            200, json={"next_page_token": "", "registrants": [person("a1", "approved")]}
        )

    read = await rows(zoom(tmp_path, handler))
    assert [p["id"] for p in read] == ["a0", "a1"]
    assert ("approved", "good") in asked


async def test_an_expired_token_restarts_the_listing_once(tmp_path: Path) -> None:
    asked: list[tuple[str, str]] = []
    counts = {"pending": 0, "approved": 650, "denied": 0}
    pages = listing(counts, asked)
    refused: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("next_page_token", "")
        if token == "300" and not refused:
            refused.append(token)
            asked.append(("approved", token))
            body = {"code": 300, "message": "Invalid next page token."}
            return httpx.Response(400, json=body)
        return pages(request)

    read = await rows(zoom(tmp_path, handler))
    # The first page came twice (a sync's store keeps each person once); all came.
    assert {p["id"] for p in read} == {f"approved{i}" for i in range(650)}
    assert len(read) == 650 + SIZE
    assert [t for s, t in asked if s == "approved"] == ["", "300", "", "300", "600"]


def test_the_token_a_body_shows() -> None:
    assert token_in(b'{"page_size":300,"next_page_token":"abc","registrants":[]}') == "abc"
    assert token_in(b'{"next_page_token" :\n "a b"}') == "a b"
    assert token_in(b'{"next_page_token":""}') is None
    assert token_in(b'{"next_page_token":null}') is None
    assert token_in(b'{"registrants":[]}') is None
    assert token_in(b'{"next_page_token":"a\\"b"}') is None  # an escape: the page says it
    assert token_in('{"next_page_token":"é"}'.encode()) is None
    assert token_in(b'{"next_page_token":"abc') is None


async def test_a_listing_cancelled_while_it_drops_a_request_ends_cancelled() -> None:
    """A request asked ahead and not wanted is cancelled and awaited; if the listing
    itself is cancelled meanwhile (a quit, a sync stopped), that cancellation is not
    taken for the dropped request's and swallowed: the listing ends."""
    ending = asyncio.Event()

    async def slow_to_end() -> httpx.Response:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            ending.set()
            await asyncio.sleep(3600)  # a connection slow to close
        raise AssertionError("not reached")

    request = asyncio.ensure_future(slow_to_end())
    await asyncio.sleep(0)
    listing = asyncio.ensure_future(dropped(request))
    await ending.wait()
    listing.cancel()
    done, _ = await asyncio.wait((listing,), timeout=30)
    assert done, "the listing did not end"
    assert listing.cancelled(), "the listing's cancellation was swallowed"
    request.cancel()
    await asyncio.wait((request,))
