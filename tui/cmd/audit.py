"""`meetdeck audit [--since WHEN] [--json]`: print the audit log of writes."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from tui.core.audit import AuditEntry, AuditLog, UnfinishedWrite, outcome_state, unfinished
from tui.core.display.cleaning import clean, json_line
from tui.core.errors import ConfigError
from tui.core.settings.paths import resolve_paths

_AGE = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """An ISO date/time (naive means UTC) or an age such as 30m, 2h, 3d, 1w."""
    match = _AGE.match(text.strip().lower())
    if match:
        try:
            amount, unit = int(match.group(1)), _UNITS[match.group(2)]
            return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
        except (OverflowError, ValueError):
            # Before the year 1, or more digits than an int takes.
            shown = (
                repr(text)
                if len(text) <= 40
                else (f"{text[:20]!r}... ({len(text)} characters, too long)")
            )
            raise ConfigError(
                f"--since {shown} reaches back further than dates go (the year 1); give an "
                "age such as 30m, 2h, 3d, 1w, or an ISO date such as 2026-11-21."
            ) from None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"--since {text!r} is neither an ISO date/time (2026-11-21, 2026-11-21T08:00) "
            "nor an age (30m, 2h, 3d, 1w)."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def run(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None
    log = AuditLog(resolve_paths().audit_log)
    everything = list(log.entries())
    open_ends = {u.id: u for u in unfinished(everything)}
    # A result names its people by key; their names are in the write's intent.
    names = {
        e.id: {str(t.get("key")): str(t.get("label") or t.get("key")) for t in e.targets}
        for e in everything
        if e.phase == "intent"
    }
    shown = [e for e in everything if since is None or e.time >= since]
    # An unfinished write's summary goes under the last line it has.
    last = {e.id: i for i, e in enumerate(shown) if e.id in open_ends}
    count = 0
    for index, entry in enumerate(shown):
        count += 1
        if args.json:
            record = _as_dict(entry)
            open_end = open_ends.get(entry.id)
            if open_end is not None and entry.phase == "intent":
                record["outcome_unknown"] = {
                    "done": open_end.done,
                    "failed": open_end.failed,
                    "unknown": open_end.unknown,
                }
            print(json_line(record))
            continue
        print(format_entry(entry, names.get(entry.id, {})))
        if last.get(entry.id) == index:
            print(format_unfinished(open_ends[entry.id]))
    if count == 0 and not args.json:
        print(
            "No audit entries" + (f" since {since:%Y-%m-%d %H:%M} UTC." if since else "."),
            file=sys.stderr,
        )
    return 0


def format_unfinished(write: UnfinishedWrite) -> str:
    """The line under a write whose result was never recorded (the process stopped)."""
    return (
        f"    outcome unknown: the write did not finish; {write.states()} of {write.targets} "
        "(refresh the event to see where things stand)"
    )


def format_entry(entry: AuditEntry, names: Mapping[str, str] | None = None) -> str:
    """One entry as a line (a result, with a line per failed person: by name when
    `names`, the intent's key -> label, knows them)."""
    when = entry.time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    head = f"{when}Z  {entry.profile:<10} {entry.provider:<13} {entry.action:<10} {entry.phase:<6}"
    if entry.phase == "reviewed":
        return f"{head} {clean(entry.note)}"
    if entry.phase == "intent":
        labels = [clean(t.get("label") or t.get("key", "")) for t in entry.targets]
        return f"{head} {len(labels)} target(s): {', '.join(labels[:5])}" + (
            " ..." if len(labels) > 5 else ""
        )
    states = [outcome_state(o) for o in entry.outcomes]
    failed = [o for o in entry.outcomes if not o.get("ok")]
    text = f"{head} {states.count('done')} ok, {states.count('failed')} failed"
    if "unknown" in states:
        text += f", {states.count('unknown')} unknown"
    for outcome in failed[:10]:
        key = str(outcome.get("target"))
        who = (names or {}).get(key, key)
        text += f"\n    {clean(who)}: {clean(str(outcome.get('message')))}"
    return text


def _as_dict(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "time": entry.time.isoformat(),
        "phase": entry.phase,
        "profile": entry.profile,
        "provider": entry.provider,
        "action": entry.action,
        "event": entry.event,
        "targets": list(entry.targets),
        "outcomes": list(entry.outcomes),
        "note": entry.note,
    }
