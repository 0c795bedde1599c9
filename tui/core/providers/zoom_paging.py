"""Zoom's listings, page by page: `next_page_token`, and per-user lists.

A `next_page_token` expires after 15 minutes. A follow-up page refused with a 4xx (the
first page of the same query was accepted, so only the token can be wrong; Zoom
documents no code for an expired one) restarts the listing from its first page, once;
items already yielded are not yielded again. A repeated token stops the listing.

Per-user lists (GET /users/{id}/meetings, /webinars, /recordings) that Zoom refuses for
that user alone (1001: no such user in the account; 3161: not allowed to host) raise
`UserUnavailable`, so a sync skips the user and keeps everyone else.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol, TypeVar

import httpx

from tui.core.errors import BadResponse, NotFound, RequestRejected, UserUnavailable
from tui.core.net.apilog import redact_path
from tui.core.net.client import ApiClient, Reader
from tui.core.providers.zoom_wire import P

#: The most pages one listing follows.
MAX_PAGES = 10_000


class Paged(Protocol):
    """A page of a listing: its items, and the token of the next page."""

    @property
    def next_page_token(self) -> str | None: ...


PageT = TypeVar("PageT", bound=Paged)
ItemT = TypeVar("ItemT")
#: Zoom codes of a per-user list refused for that user alone, and what they say of it.
USER_CODES = {
    1001: "does not exist or is not in this account",
    1010: "is not in this account",
    1120: "never accepted the invitation to the account",
}
NOT_HOST = 3161


async def pages(
    api: ApiClient,
    adapter: Reader[PageT],
    path: str,
    params: dict[str, Any],
    items: Callable[[PageT], Sequence[ItemT]],
    key: Callable[[ItemT], str] | None,
    *,
    ahead: bool = False,
) -> AsyncIterator[list[ItemT]]:
    """The `items` of every page of a listing, following `next_page_token`.

    A follow-up page refused with a 4xx (an expired token) restarts the listing
    from its first page, once; items whose `key` was already yielded are dropped,
    so a restart never yields one twice. With `key` None nothing is remembered and a
    restart yields the first pages again: for a sync's listing, whose store keeps the
    last of a person listed twice and counts each once (a set of a million keys held
    ~110 MB, most of a million-registrant sync's memory).

    With `ahead` (a sync's), the next page is asked for as soon as a body arrives, with
    the token its text shows (`token_in`), while the body is decoded and read and its
    items are used: the API works on page k + 1 meanwhile, where a listing's pages
    otherwise take turns with the client (issue 18: the last of a big webinar's
    listings alone). The page read says the token that counts: a request made with
    another is cancelled, its answer never used.
    """
    token: str | None = None
    seen: set[str] = set()
    kept: set[str] = set()
    restarted = False
    endpoint = f"GET {redact_path(api.url(path))}"
    early: tuple[str, asyncio.Future[httpx.Response]] | None = None
    try:
        for _ in range(MAX_PAGES):
            query = dict(params)
            if token:
                query["next_page_token"] = token
            try:
                if early is not None and early[0] == token:
                    response = await early[1]
                else:
                    response = await api.request("GET", path, params=query)
                early = None
                if ahead:
                    guess = token_in(response.content)
                    if guess and guess != token and guess not in seen:
                        more = {**params, "next_page_token": guess}
                        early = (
                            guess,
                            asyncio.ensure_future(api.request("GET", path, params=more)),
                        )
                        await asyncio.sleep(0)  # sent now, before this body is read
                page = api.validate(adapter, api.decode(response), endpoint)
            except RequestRejected as exc:
                if not token:
                    raise
                if restarted:
                    raise RequestRejected(
                        f"Zoom refused a page token of GET {path} again after the listing "
                        "was restarted (tokens expire after 15 minutes). Try again; the "
                        "previous data is kept.",
                        provider=P.value,
                        endpoint=f"GET {path}",
                        code=exc.code,
                    ) from None
                restarted, token = True, None
                seen.clear()
                continue
            if key is None:
                found = items(page)
                # A page's own list (a sync's `PlainRegistrants`) is handed over as it is.
                yield found if isinstance(found, list) else list(found)
            else:
                fresh = [item for item in items(page) if key(item) not in kept]
                kept.update(key(item) for item in fresh)
                yield fresh
            token = page.next_page_token or None
            if early is not None and early[0] != token:
                await dropped(early[1])
                early = None
            if not token:
                return
            if token in seen:
                raise BadResponse(
                    f"Zoom repeated a page token for GET {path}; stopping "
                    "to avoid a loop. Try again later.",
                    field="next_page_token",
                    provider=P.value,
                    endpoint=f"GET {path}",
                )
            seen.add(token)
    finally:
        if early is not None:
            await dropped(early[1])


_TOKEN_KEY = b'"next_page_token"'


def token_in(body: bytes) -> str | None:
    """The `next_page_token` a JSON body's text shows first (plain text only: no
    escape in it), or None; a guess that the page read confirms or not."""
    at = body.find(_TOKEN_KEY)
    if at < 0:
        return None
    rest = body[at + len(_TOKEN_KEY) : at + len(_TOKEN_KEY) + 1024].lstrip(b" \t\r\n")
    if not rest.startswith(b":"):
        return None
    rest = rest[1:].lstrip(b" \t\r\n")
    if not rest.startswith(b'"'):
        return None
    end = rest.find(b'"', 1)
    if end < 0 or b"\\" in rest[1:end]:
        return None
    try:
        return rest[1:end].decode("ascii") or None
    except UnicodeDecodeError:
        return None


async def dropped(request: asyncio.Future[httpx.Response]) -> None:
    """A request asked ahead whose answer is not wanted: cancelled, its end awaited
    (whatever it raised is not this listing's; a cancellation of the listing itself
    still reaches it: `asyncio.wait` does not raise the request's outcome)."""
    request.cancel()
    await asyncio.wait((request,))
    if not request.cancelled():
        request.exception()  # retrieved: asyncio would log an unread one


async def user_pages(
    api: ApiClient,
    adapter: Reader[PageT],
    user_id: str,
    what: str,
    params: dict[str, Any],
    items: Callable[[PageT], Sequence[ItemT]],
    key: Callable[[ItemT], str],
) -> AsyncIterator[list[ItemT]]:
    """`pages` of GET /users/{id}/{what}; a refusal about the user alone becomes
    `UserUnavailable`."""
    path = f"/users/{user_id}/{what}"
    try:
        async for page in pages(api, adapter, path, params, items, key):
            yield page
    except (NotFound, RequestRejected) as exc:
        if exc.code in USER_CODES:
            reason = f"{USER_CODES[exc.code]} ({exc.code})"
        elif exc.code == NOT_HOST:
            reason = f"cannot host {what} ({exc.code})"
        else:
            raise
        raise UserUnavailable(
            f"Zoom refused GET {path}: the user {reason}. A sync skips this user "
            "and keeps the others.",
            reason=reason,
            provider=P.value,
            endpoint=f"GET {path}",
            code=exc.code,
        ) from None


async def merged(listings: Sequence[AsyncIterator[ItemT]]) -> AsyncIterator[ItemT]:
    """The items of several listings as they arrive, the listings fetched side by side.

    Each listing runs ahead by at most one item (so a slow consumer holds a few pages
    in memory, not a listing). The first failure of any listing is raised and stops
    the others; so does leaving the loop early.
    """
    queue: asyncio.Queue[tuple[ItemT | None, BaseException | None, bool]] = asyncio.Queue(
        maxsize=len(listings)
    )

    async def pump(listing: AsyncIterator[ItemT]) -> None:
        try:
            async for item in listing:
                await queue.put((item, None, False))
        except Exception as exc:
            await queue.put((None, exc, True))
        else:
            await queue.put((None, None, True))

    tasks = [asyncio.ensure_future(pump(listing)) for listing in listings]
    try:
        running = len(tasks)
        while running:
            item, error, ended = await queue.get()
            if error is not None:
                raise error
            if ended:
                running -= 1
            else:
                yield item  # type: ignore[misc]  # an item, not the end marker
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


__all__ = [
    "MAX_PAGES",
    "NOT_HOST",
    "USER_CODES",
    "dropped",
    "merged",
    "pages",
    "token_in",
    "user_pages",
]
