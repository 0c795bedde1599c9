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

from tui.core.errors import BadResponse, NotFound, RequestRejected, UserUnavailable
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
) -> AsyncIterator[list[ItemT]]:
    """The `items` of every page of a listing, following `next_page_token`.

    A follow-up page refused with a 4xx (an expired token) restarts the listing
    from its first page, once; items whose `key` was already yielded are dropped,
    so a restart never yields one twice. With `key` None nothing is remembered and a
    restart yields the first pages again: for a sync's listing, whose store keeps the
    last of a person listed twice and counts each once (a set of a million keys held
    ~110 MB, most of a million-registrant sync's memory).
    """
    token: str | None = None
    seen: set[str] = set()
    kept: set[str] = set()
    restarted = False
    for _ in range(MAX_PAGES):
        query = dict(params)
        if token:
            query["next_page_token"] = token
        try:
            page = await api.fetch(adapter, path, params=query)
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


__all__ = ["MAX_PAGES", "NOT_HOST", "USER_CODES", "merged", "pages", "user_pages"]
