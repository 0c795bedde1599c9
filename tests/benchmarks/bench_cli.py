"""Benchmarks 3 and 4: `meetdeck lookup` on the warm cache, and a full `meetdeck sync`.

The sync runs against a sandbox with 50 ms of latency and its real rate limits; the
sandbox's request log says when each request arrived and what it was answered, which
gives the rate achieved per rate-limit bucket and the count of 429s.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import Any

from tests.benchmarks.common import (
    PYTHON,
    REPO,
    Figure,
    Sandbox,
    Session,
    Workspace,
    interleaved,
    median,
    meetdeck_argv,
    ms,
    open_store,
    ratio,
    timed_run,
)

LATENCY_MS = 50


def lookup(session: Session) -> list[Figure]:
    from tui.core.store.views import ViewQuery

    warm = session.warm_cache()
    store = open_store(warm.workspace)
    try:
        view = store.registrants(ViewQuery(event_key=warm.big_webinar_id))
        email = str(view.rows(view.count() // 2, 1)[0].email)
    finally:
        store.close()
    env = warm.workspace.env()
    look = meetdeck_argv("lookup", email, "--profile", "sandbox")
    bare = [PYTHON, "-c", "pass"]
    runs = session.runs(15, 5)
    timed_run(look, env, REPO)  # one unmeasured run: the page cache holds the file
    found, base = interleaved(
        runs, lambda: timed_run(look, env, REPO), lambda: timed_run(bare, env, REPO)
    )
    value, baseline = median(found), median(base)
    figure = Figure(
        "lookup",
        "`meetdeck lookup EMAIL`, wall time",
        ms(value),
        "ms",
        baseline=ms(baseline),
        baseline_name="python -c pass",
        ratio=ratio(value, baseline),
        target="<= 2x",
        samples=[ms(v) for v in found],
        baseline_samples=[ms(v) for v in base],
        note=f"{warm.registrants:,}-registrant cache; exact email of one registrant",
    )
    figure.met = figure.ratio is not None and figure.ratio <= 2
    return [figure]


# Zoom calls the client sends through its "light" bucket (single objects); every
# other Zoom call shares the "default" bucket (see ProviderSet.for_profile).
_ZOOM_LIGHT = re.compile(r"/zoom/v2/(webinars|meetings)/[^/]+(/registrants/[^/]+)?")


def configured_rate(request: dict[str, Any]) -> tuple[str, float] | None:
    """(client bucket, its configured requests/s) of a logged request."""
    from tui.core.settings.config import ProfileSettings

    profile = ProfileSettings()
    api = request.get("api")
    if api == "zoom":
        rates = profile.zoom_rates()
        if _ZOOM_LIGHT.fullmatch(request["path"]):
            return "zoom:light", rates["light"]
        return "zoom:default", rates["default"]
    if api in ("g2m", "g2t", "seeit", "admin"):
        return str(api), profile.goto_rate_limit
    return None  # token endpoints and files are not rate limited


def rates(log: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per bucket: requests, seconds between its first and last, rate, and its limit."""
    groups: dict[str, list[float]] = defaultdict(list)
    limits: dict[str, float] = {}
    for request in log:
        found = configured_rate(request)
        if found is not None:
            groups[found[0]].append(float(request["time"]))
            limits[found[0]] = found[1]
    out = {}
    for bucket, times in groups.items():
        span = max(times) - min(times)
        rate = (len(times) - 1) / span if span > 0 else 0.0
        out[bucket] = {
            "requests": len(times),
            "seconds": round(span, 3),
            "rate": round(rate, 2),
            "limit": limits[bucket],
            "fraction": round(rate / limits[bucket], 3),
        }
    return out


def sync(session: Session) -> list[Figure]:
    workspace = Workspace(session.root / "sync")
    results: dict[str, list[Any]] = defaultdict(list)
    with Sandbox(session.root, latency_ms=LATENCY_MS) as sandbox:
        workspace.write_config(sandbox.base_url)
        workspace.sign_in()

        def run(concurrency: int | None) -> float:
            sandbox.delete("/_sandbox/requests")
            extra = (
                {} if concurrency is None else {"MEETDECK_HTTP__MAX_CONCURRENCY": str(concurrency)}
            )
            seconds = workspace.sync(**extra)
            log = sandbox.requests()
            label = "default" if concurrency is None else f"c{concurrency}"
            results[f"{label}:log"].append(log)
            return seconds

        runs = session.runs(3, 1)
        default, single = interleaved(runs, lambda: run(None), lambda: run(1))
    from tui.core.settings.config import HttpSettings

    concurrency = HttpSettings().max_concurrency
    logs = results["default:log"]
    per_run = [rates(log) for log in logs]
    busiest = max(per_run[0], key=lambda b: per_run[0][b]["requests"])
    fractions = [r[busiest]["fraction"] for r in per_run if busiest in r]
    too_many = [sum(1 for q in log if q.get("status") == 429) for log in logs]
    too_many_single = [sum(1 for q in log if q.get("status") == 429) for log in results["c1:log"]]
    requests = median([len(log) for log in logs])
    detail = ", ".join(
        f"{b} {v['requests']} req at {v['rate']}/s of {v['limit']:g}"
        for b, v in sorted(per_run[0].items())
    )
    rate_fig = Figure(
        "sync",
        f"rate achieved / configured limit (busiest bucket: {busiest})",
        median(fractions),
        "x",
        target=">= 0.9",
        met=median(fractions) >= 0.9,
        samples=fractions,
        note=f"{LATENCY_MS} ms latency, real limits, {requests:.0f} requests; {detail}",
    )
    shed = Figure(
        "sync",
        "429 responses provoked (default concurrency)",
        float(max(too_many)),
        "",
        target="0",
        met=max(too_many) == 0,
        samples=[float(v) for v in too_many],
        note=f"with concurrency 1: {max(too_many_single, default=0)}",
    )
    wall = Figure(
        "sync",
        f"full sync wall time (concurrency {concurrency})",
        ms(median(default)),
        "ms",
        baseline=ms(median(single)),
        baseline_name="same sync, concurrency 1",
        ratio=ratio(median(default), median(single)),
        target="< 1x (faster)",
        met=median(default) < median(single),
        samples=[ms(v) for v in default],
        baseline_samples=[ms(v) for v in single],
    )
    print(f"   sync buckets: {per_run}", file=sys.stderr)
    return [rate_fig, shed, wall]
