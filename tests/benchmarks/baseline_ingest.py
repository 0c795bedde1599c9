"""Baseline of the ingest benchmark: a plain httpx client that fetches and parses the
registrant pages of one Zoom webinar, and nothing else.

It does what any client must to read them: a Server-to-Server token, then the three
statuses (Zoom lists `approved` only unless asked) listed in parallel, 300 a page,
following `next_page_token`, each page's JSON parsed. It prints how many registrants
it read. `python -m tests.benchmarks.baseline_ingest '{"base_url": ..., ...}'`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx

STATUSES = ("pending", "approved", "denied")
PAGE_SIZE = 300


async def token(client: httpx.AsyncClient, config: dict[str, str]) -> str:
    response = await client.post(
        f"{config['base_url']}/zoom/oauth/token",
        params={"grant_type": "account_credentials", "account_id": config["account_id"]},
        auth=(config["client_id"], config["client_secret"]),
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


async def listing(client: httpx.AsyncClient, url: str, status: str) -> int:
    """Every page of one status; how many registrants they held."""
    count = 0
    params: dict[str, Any] = {"status": status, "page_size": PAGE_SIZE}
    while True:
        response = await client.get(url, params=params)
        response.raise_for_status()
        page = response.json()
        count += len(page.get("registrants") or [])
        following = page.get("next_page_token")
        if not following:
            return count
        params = {**params, "next_page_token": following}


async def main(config: dict[str, str]) -> int:
    async with httpx.AsyncClient(timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {await token(client, config)}"
        url = f"{config['base_url']}/zoom/v2/webinars/{config['webinar_id']}/registrants"
        counts = await asyncio.gather(*(listing(client, url, s) for s in STATUSES))
    return sum(counts)


if __name__ == "__main__":
    print(asyncio.run(main(json.loads(sys.argv[1]))))
