"""Benchmark 6: a full first sync of a 500-organizer GoTo account, as its admin.

`meetdeck sync` against `meetdeck sandbox --organizers 500` with the real limits (10
requests a second per GoTo API, in the sandbox and in the client). The floor is what
the limits allow at best: for each API, its requests divided by its limit; the slowest
API sets it. Figures: wall time against that floor (target at most 1.15x), requests
made per API, and the 429s provoked (target 0).

Run alone: `python -m tests.benchmarks --only account`.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from tests.benchmarks.common import Figure, Sandbox, Session, Workspace, ms, ratio

#: Organizers of the account (`meetdeck sandbox --organizers N`).
ORGANIZERS = 500
#: GoTo's documented limit: requests a second per API.
GOTO_LIMIT = 10.0
#: The APIs the limit applies to, as the sandbox's request log names them.
GOTO_APIS = ("g2m", "g2t", "seeit", "admin")


def goto_only(base_url: str) -> str:
    """The sandbox profile without Zoom (a GoTo account)."""
    from tui.sandbox.server import profile_toml

    lines = profile_toml(base_url).splitlines()
    return "\n".join(line for line in lines if not line.startswith("zoom_"))


def account(session: Session) -> list[Figure]:
    workspace = Workspace(session.root / "account")
    with Sandbox(session.root, organizers=ORGANIZERS, recording_bytes=20_000) as sandbox:
        path = workspace.write_config(sandbox.base_url)
        path.write_text(
            f'default_profile = "sandbox"\n\n{goto_only(sandbox.base_url)}\n', encoding="utf-8"
        )
        workspace.sign_in()
        sandbox.delete("/_sandbox/requests")
        seconds = workspace.sync()
        log = sandbox.requests()
    per_api = Counter(str(r.get("api")) for r in log if r.get("api") in GOTO_APIS)
    floors = {api: count / GOTO_LIMIT for api, count in per_api.items()}
    slowest = max(floors, key=lambda api: floors[api])
    floor = floors[slowest]
    too_many = sum(1 for r in log if r.get("status") == 429)
    span = _span(log)
    detail = ", ".join(f"{api} {count}" for api, count in sorted(per_api.items()))
    wall = Figure(
        "account",
        f"full sync of a {ORGANIZERS}-organizer GoTo account, wall time vs the floor",
        ms(seconds),
        "ms",
        baseline=ms(floor),
        baseline_name=f"floor: {per_api[slowest]} {slowest} requests at {GOTO_LIMIT:g}/s",
        ratio=ratio(seconds, floor),
        target="<= 1.15x",
        met=seconds <= floor * 1.15,
        note=f"requests per API: {detail}; first to last request {span:.1f} s",
    )
    requests = Figure(
        "account",
        "requests made (every GoTo API)",
        float(sum(per_api.values())),
        "",
        note=detail,
    )
    shed = Figure(
        "account",
        "429 responses provoked",
        float(too_many),
        "",
        target="0",
        met=too_many == 0,
    )
    print(
        f"   account: {dict(per_api)}; floor {floor:.1f} s; wall {seconds:.1f} s", file=sys.stderr
    )
    return [wall, requests, shed]


def _span(log: list[dict[str, Any]]) -> float:
    times = [float(r["time"]) for r in log if r.get("api") in GOTO_APIS]
    return max(times) - min(times) if times else 0.0
