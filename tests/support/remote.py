"""What the sandbox holds, read over its own API (real loopback HTTP, a token of its own):
the proof that a write landed, independent of meetdeck's client and cache."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.support.specs import goto_headers, zoom_headers


async def remote_get(base_url: str, path: str, *, goto: bool = False) -> httpx.Response:
    """GET `path` on the sandbox as its admin (GoTo) or its S2S app (Zoom)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        headers = await (goto_headers(client) if goto else zoom_headers(client))
        return await client.get(path, headers=headers)


def remote_json(base_url: str, path: str, *, goto: bool = False) -> Any:
    """The JSON body of a 200 answer to GET `path` (for synchronous tests)."""
    answer = asyncio.run(remote_get(base_url, path, goto=goto))
    assert answer.status_code == 200, f"GET {path}: {answer.status_code} {answer.text}"
    return answer.json()


def remote_status(base_url: str, path: str, *, goto: bool = False) -> int:
    """The status code of GET `path` (404 once a thing is deleted)."""
    return asyncio.run(remote_get(base_url, path, goto=goto)).status_code
