"""`meetdeck list KIND`: one cached view, printed without the TUI.

KIND is organizers, groups, meetings, trainings, webinars, registrants, recordings or
support. It reads the profile's cache only (run `meetdeck sync` first) through the
store's paged views, as the TUI's tabs do, and imports no textual, httpx or pydantic.
The output is an aligned table, JSON lines (`--json`: every record has `provider` and
`id`, the provider's own key) or CSV with a header (`--csv`). API text is data: the
table cleans it (`clean`), JSON escapes what would reach the terminal (`json_line`),
and a CSV cell cannot run as a formula (`csv_cell`, as the TUI's export).
Exit codes: 0 with rows, 1 with none, 2 for a bad filter, no profile or no cache.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui.cmd.lookup import LookupProblem, render_table, resolve_profile
from tui.core.display.cleaning import clean, csv_cell, json_line
from tui.core.settings.paths import cache_db_file, resolve_paths

if TYPE_CHECKING:
    import argparse

    from tui.core.store.db import Store
    from tui.core.store.views import ViewQuery

KINDS = (
    "organizers",
    "groups",
    "meetings",
    "trainings",
    "webinars",
    "registrants",
    "recordings",
    "support",
)
#: Rows read from the cache per page.
PAGE = 2000


class ListProblem(Exception):
    """A message for the person (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Shape:
    """How one KIND is read and printed.

    Attributes:
        fields: The record's fields in order (JSON keys and CSV columns).
        table: The fields the table shows (a terminal is narrow).
        filters: The filters the KIND takes: "event", "organizer", "group", "since".
    """

    fields: tuple[str, ...]
    table: tuple[str, ...]
    filters: frozenset[str]


_SHAPES = {
    "organizers": Shape(
        ("provider", "id", "name", "email", "group", "group_id", "status", "products"),
        ("provider", "id", "name", "email", "group", "status"),
        frozenset({"organizer", "group"}),
    ),
    "groups": Shape(
        ("provider", "id", "name", "parent", "parent_id", "status", "organizers"),
        ("provider", "id", "name", "parent", "status", "organizers"),
        frozenset(),
    ),
    "meetings": Shape(
        (
            "provider",
            "id",
            "session_id",
            "kind",
            "start",
            "end",
            "subject",
            "organizer",
            "organizer_key",
            "status",
            "join_url",
        ),
        ("provider", "id", "kind", "start", "subject", "organizer", "status"),
        frozenset({"organizer", "since"}),
    ),
    "trainings": Shape(
        (
            "provider",
            "id",
            "start",
            "title",
            "organizer",
            "organizer_key",
            "registrants",
            "pending",
        ),
        ("provider", "id", "start", "title", "organizer", "registrants", "pending"),
        frozenset({"organizer", "since"}),
    ),
    "registrants": Shape(
        ("provider", "id", "event_id", "event", "name", "email", "status", "registered"),
        ("provider", "id", "event_id", "name", "email", "status", "registered"),
        frozenset({"event", "since"}),
    ),
    "recordings": Shape(
        ("provider", "id", "event_id", "event", "name", "start", "size", "type", "status"),
        ("provider", "id", "start", "name", "event", "size", "type"),
        frozenset({"event", "since"}),
    ),
    "support": Shape(
        ("provider", "id", "support_key", "status", "created", "technician", "notes"),
        ("provider", "id", "support_key", "status", "created", "technician", "notes"),
        frozenset({"since"}),
    ),
}
_SHAPES["webinars"] = _SHAPES["trainings"]

_PROVIDER_LABELS = {
    "goto_meeting": "GoTo Meeting",
    "goto_training": "GoTo Training",
    "goto_assist": "GoTo Assist",
    "zoom": "Zoom",
}


def run(args: argparse.Namespace) -> int:
    """Print the cached rows of `args.kind`, filtered."""
    from tui.core.errors import MeetdeckError

    try:
        name, demo = resolve_profile(args)
    except LookupProblem as problem:
        print(f"meetdeck list: {problem.message}", file=sys.stderr)
        return problem.code
    path = cache_db_file(name, demo=demo) or str(resolve_paths().cache_db(name, demo=demo))
    if not os.path.exists(path):
        how = "meetdeck sync --demo" if demo else f"meetdeck sync --profile {name}"
        print(
            f"meetdeck list: there is no cache for profile {name!r} yet. Run `{how}` first.",
            file=sys.stderr,
        )
        return 2
    from pathlib import Path

    from tui.core.store.db import Store

    try:
        records = _records(args, lambda: Store.open(Path(path), name, create=False))
        printed = _print(args, records)
    except ListProblem as problem:
        print(f"meetdeck list: {problem}", file=sys.stderr)
        return 2
    except MeetdeckError as exc:
        print(f"meetdeck list: {exc.title}: {exc.sentence}", file=sys.stderr)
        return 2
    if printed:
        return 0
    print(
        f"meetdeck list: no {args.kind} in the cache of profile {name!r} match. "
        "Run `meetdeck sync` to refresh it, or loosen the filters.",
        file=sys.stderr,
    )
    return 1


def _records(args: argparse.Namespace, open_store: Callable[[], Store]) -> Iterator[dict[str, Any]]:
    """The KIND's rows as records, filtered (the filters are checked before any read)."""
    kind: str = args.kind
    shape = _SHAPES[kind]
    given = {
        "event": args.event,
        "organizer": args.organizer,
        "since": args.since,
        "group": getattr(args, "group", None),
    }
    for flag, value in given.items():
        if value is not None and flag not in shape.filters:
            takes = sorted(k for k, s in _SHAPES.items() if flag in s.filters)
            raise ListProblem(f"--{flag} does not apply to {kind}; it narrows {', '.join(takes)}.")
    query = _query(args)
    status = (args.status or "").strip().casefold() or None
    want = _provider_filter(args.provider)
    who = (args.organizer or "").casefold() if kind == "organizers" else ""
    store = open_store()
    try:
        for record in _read(store, kind, query):
            if want is not None and not want(str(record["provider"])):
                continue
            if who and who not in (str(record["id"]).casefold(), str(record["email"]).casefold()):
                continue
            if status is not None and not _has_status(kind, record, status):
                continue
            yield record
    finally:
        store.close()


def _has_status(kind: str, record: dict[str, Any], status: str) -> bool:
    """Whether the record's status (a meeting's kind too: upcoming, historical) is it."""
    if str(record.get("status") or "").casefold() == status:
        return True
    return kind == "meetings" and str(record["kind"]) == status


def _query(args: argparse.Namespace) -> ViewQuery:
    from tui.cmd.audit import parse_since
    from tui.core.errors import ConfigError
    from tui.core.models import Provider, RegistrantStatus
    from tui.core.store.views import ViewQuery

    try:
        since = parse_since(args.since) if args.since else None
    except ConfigError as exc:
        raise ListProblem(exc.sentence) from None
    provider = {"trainings": Provider.GOTO_TRAINING, "webinars": Provider.ZOOM}.get(args.kind)
    status = None
    if args.kind == "registrants" and args.status:
        # A status meetdeck knows narrows in SQL; any other (a raw provider value) is
        # compared with what the table shows.
        known = {s.value: s for s in RegistrantStatus}
        status = known.get(args.status.strip().casefold())
    return ViewQuery(
        status=status,
        organizer_key=args.organizer if args.kind != "organizers" else None,
        group_key=getattr(args, "group", None),
        event_key=args.event,
        provider=provider,
        since=since,
    )


def _provider_filter(name: str | None) -> Callable[[str], bool] | None:
    if name is None:
        return None
    if name == "goto":
        return lambda provider: provider.startswith("goto")
    return lambda provider: provider == name


def _pages(view: Any) -> Iterator[Any]:
    offset = 0
    while True:
        rows = view.rows(offset, PAGE)
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


def _read(store: Store, kind: str, query: ViewQuery) -> Iterator[dict[str, Any]]:
    """Every row of the KIND's view as a record of its `Shape.fields`."""
    if kind == "organizers":
        for o in _pages(store.organizers(query)):
            yield {
                "provider": o.provider.value,
                "id": o.key,
                "name": o.name,
                "email": o.email,
                "group": o.group_name,
                "group_id": o.group_key,
                "status": o.status,
                "products": list(o.products),
            }
    elif kind == "groups":
        for g in _pages(store.groups(query)):
            yield {
                "provider": g.provider.value,
                "id": g.key,
                "name": g.name,
                "parent": None if g.top_level else (g.parent_name or g.parent_key),
                "parent_id": None if g.top_level else g.parent_key,
                "status": g.status,
                "organizers": g.num_organizers,
            }
    elif kind == "meetings":
        for m in _pages(store.meetings(query)):
            # A past GoTo meeting is cached as "meetingId:sessionId": its own key is
            # the meeting's, and the session is a field of its own.
            session = m.session_key
            yield {
                "provider": m.provider.value,
                "id": m.key.removesuffix(f":{session}") if session else m.key,
                "session_id": session,
                "kind": m.kind.value,
                "start": m.start,
                "end": m.end,
                "subject": m.subject,
                "organizer": m.organizer_name or m.organizer_email,
                "organizer_key": m.organizer_key,
                "status": m.status,
                "join_url": m.join_url,
            }
    elif kind in ("trainings", "webinars"):
        for e in _pages(store.events(query)):
            yield {
                "provider": e.provider.value,
                "id": e.key,
                "start": e.start,
                "title": e.title,
                "organizer": e.organizer or None,
                "organizer_key": e.organizer_key,
                "registrants": e.registrants,
                "pending": e.pending,
            }
    elif kind == "registrants":
        for r in _pages(store.registrants(query)):
            yield {
                "provider": r.provider.value,
                "id": r.key,
                "event_id": r.event_key,
                "event": r.event_title,
                "name": r.name,
                "email": r.email,
                "status": r.status_text,
                "registered": r.registered_at,
            }
    elif kind == "recordings":
        for rec in _pages(store.recordings(query)):
            yield {
                "provider": rec.provider.value,
                "id": rec.key,
                "event_id": rec.event_key,
                "event": rec.event_title,
                "name": rec.name,
                "start": rec.start,
                "size": rec.file_size,
                "type": rec.file_extension,
                "status": rec.status,
            }
    else:
        for s in _pages(store.support_sessions(query)):
            yield {
                "provider": s.provider.value,
                "id": s.key,
                "support_key": s.support_key,
                "status": s.status,
                "created": s.created,
                "technician": s.technician_email,
                "notes": s.notes,
            }


def _text(value: object) -> str:
    """A value as CSV and table text: times in ISO form, lists joined."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _print(args: argparse.Namespace, records: Iterator[dict[str, Any]]) -> int:
    """Print the records as --json, --csv or a table; return how many."""
    shape = _SHAPES[args.kind]
    count = 0
    if args.json:
        for record in records:
            json_record = {
                k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()
            }
            print(json_line(json_record))
            count += 1
        return count
    if args.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        for record in records:
            if count == 0:
                writer.writerow(shape.fields)
            writer.writerow(csv_cell(_text(record[f])) for f in shape.fields)
            count += 1
        return count
    rows = []
    for record in records:
        rows.append(tuple(_cell(f, record[f]) for f in shape.table))
    if rows:
        print(render_table(rows, tuple(f.upper().replace("_", " ") for f in shape.table)))
    return len(rows)


def _cell(field: str, value: object) -> str:
    if field == "provider":
        return _PROVIDER_LABELS.get(str(value), str(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if field == "size":
        from tui.core.display.sizes import size

        return size(value) if isinstance(value, int) else "\u2014"
    return clean(_text(value))
