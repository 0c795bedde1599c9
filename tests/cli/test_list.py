"""`meetdeck list KIND` over a cache synced from the sandbox (issue 15.6), and `lookup`
finding recordings and support sessions there (15.5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.support.cli import run_here as run_cli
from tests.support.cli import write_zoom_profile
from tests.support.demo import PROFILE, DemoCache
from tui.core.models import Provider, RegistrantStatus
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery


def _cache(demo_cache: DemoCache, home: Path) -> Store:
    demo_cache.install(home)
    found = list(home.glob("cache/**/*.sqlite3"))
    assert len(found) == 1, found
    return Store.open(found[0], PROFILE, create=False)


def _json(*argv: str) -> list[dict[str, Any]]:
    done = run_cli("list", *argv, "--demo", "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_every_kind_lists_the_cache_with_provider_and_id(
    demo_cache: DemoCache, isolated_dirs: Path
) -> None:
    store = _cache(demo_cache, isolated_dirs)
    try:
        meetings = store.meetings(ViewQuery()).rows(0, 10_000)
        organizers = store.organizers(ViewQuery()).rows(0, 10_000)
        sessions = store.support_sessions(ViewQuery()).rows(0, 10_000)
        recordings = store.recordings(ViewQuery()).rows(0, 10_000)
        events = store.events(ViewQuery()).rows(0, 10_000)
    finally:
        store.close()

    listed = _json("meetings")
    assert len(listed) == len(meetings) > 0
    assert all(
        r["provider"] and r["id"] and r["kind"] in ("upcoming", "historical") for r in listed
    )
    past_goto = next(m for m in meetings if m.session_key and m.provider is Provider.GOTO_MEETING)
    row = next(r for r in listed if r["session_id"] == past_goto.session_key)
    assert row["id"] == past_goto.key.split(":")[0]  # the provider's own meeting key
    zoom_rows = [r for r in listed if r["provider"] == "zoom"]
    assert zoom_rows and all(r["organizer"] for r in zoom_rows)  # named from the users

    assert {r["id"] for r in _json("organizers")} == {o.key for o in organizers}
    assert {r["id"] for r in _json("support")} == {s.key for s in sessions}
    assert {r["id"] for r in _json("recordings")} == {r.key for r in recordings}
    trainings = _json("trainings")
    assert {r["id"] for r in trainings} == {
        e.key for e in events if e.provider is Provider.GOTO_TRAINING
    }
    assert {r["provider"] for r in _json("webinars")} == {"zoom"}

    upcoming = _json("meetings", "--status", "upcoming", "--provider", "zoom")
    assert upcoming and {(r["kind"], r["provider"]) for r in upcoming} == {("upcoming", "zoom")}
    host = zoom_rows[0]["organizer_key"]
    hosted = _json("meetings", "--organizer", host)
    assert hosted and {r["organizer_key"] for r in hosted} == {host}
    since = _json("meetings", "--since", "2026-03-01")
    assert since and all(r["start"] >= "2026-03-01" for r in since)
    assert len(since) < len(listed)


def test_registrants_of_one_event_by_status_as_csv(
    demo_cache: DemoCache, isolated_dirs: Path
) -> None:
    store = _cache(demo_cache, isolated_dirs)
    try:
        big = max(store.events(ViewQuery()).rows(0, 1000), key=lambda e: e.pending or 0)
        pending = store.registrants(
            ViewQuery(event_key=big.key, status=RegistrantStatus.PENDING)
        ).rows(0, 10_000)
    finally:
        store.close()
    assert pending

    done = run_cli(
        "list", "registrants", "--demo", "--event", big.key, "--status", "pending", "--csv"
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["provider", "id"] and "email" in header and "status" in header
    assert {r[header.index("id")] for r in body} == {p.key for p in pending}
    assert {r[header.index("status")] for r in body} == {"pending"}
    assert "\x1b" not in done.stdout  # the hostile names' escapes never reach the output

    table = run_cli("list", "registrants", "--demo", "--event", big.key)
    assert table.returncode == 0 and "\x1b" not in table.stdout
    assert table.stdout.splitlines()[0].split()[:2] == ["PROVIDER", "ID"]
    assert "\u241b[2J" in table.stdout  # shown, never run


def test_filters_that_do_not_apply_groups_and_no_cache_say_so(
    demo_cache: DemoCache, isolated_dirs: Path
) -> None:
    nothing = run_cli("list", "meetings", "--demo")
    assert nothing.returncode == 2 and "no cache" in nothing.stderr
    assert "meetdeck sync --demo" in nothing.stderr

    _cache(demo_cache, isolated_dirs).close()
    wrong = run_cli("list", "organizers", "--demo", "--event", "1")
    assert wrong.returncode == 2
    assert "--event does not apply to organizers" in wrong.stderr
    groups = run_cli("list", "groups", "--demo", "--organizer", "x")
    assert groups.returncode == 2 and "--organizer does not apply to groups" in groups.stderr
    empty = run_cli("list", "registrants", "--demo", "--event", "no-such-event")
    assert empty.returncode == 1 and "no registrants" in empty.stderr
    bad_since = run_cli("list", "meetings", "--demo", "--since", "yesterday-ish")
    assert bad_since.returncode == 2 and "--since" in bad_since.stderr
    helped = run_cli("list", "--help")
    assert helped.returncode == 0 and "examples:" in helped.stdout


def test_lookup_finds_recordings_and_support_sessions(
    demo_cache: DemoCache, isolated_dirs: Path
) -> None:
    store = _cache(demo_cache, isolated_dirs)
    try:
        session = store.support_sessions(ViewQuery()).rows(0, 1)[0]
        recording = store.recordings(ViewQuery(provider=Provider.ZOOM)).rows(0, 1)[0]
    finally:
        store.close()
    found = run_cli("lookup", session.support_key, "--demo", "--json")
    assert found.returncode == 0, found.stderr
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert ("support_session", session.key) in {(h["kind"], h["key"]) for h in hits}

    topic = recording.event_title or ""
    by_topic = run_cli("lookup", topic, "--demo", "--json", "--kind", "recording", "--limit", "500")
    assert by_topic.returncode == 0, by_topic.stderr
    keys = {json.loads(line)["key"] for line in by_topic.stdout.splitlines()}
    assert recording.key in keys


def test_a_formula_in_a_name_is_text_in_the_csv(cli_sandbox: Any) -> None:
    """Someone registers as "=HYPERLINK(...)": the CSV cell starts with an apostrophe."""
    write_zoom_profile(cli_sandbox.base_url)
    assert run_cli("sync", "--scope", "events").returncode == 0
    webinars = [
        json.loads(line) for line in run_cli("list", "webinars", "--json").stdout.splitlines()
    ]
    event = webinars[0]["id"]
    formula = '=HYPERLINK("http://evil.example","x")'
    registered = run_cli(
        "register",
        "--event",
        event,
        "--email",
        "formula@example.com",
        "--first-name",
        formula,
        "--approve",
        "--yes",
    )
    assert registered.returncode == 0, registered.stderr
    assert run_cli("sync", "--scope", "registrants").returncode == 0
    done = run_cli("list", "registrants", "--event", event, "--csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    name = rows[0].index("name")
    cells = [r[name] for r in rows[1:] if "formula@example.com" in r]
    assert cells == ["'" + formula]


def test_groups_are_listed_and_drill_to_their_organizers(
    demo_cache: DemoCache, isolated_dirs: Path
) -> None:
    """`list groups` prints every cached group; `list organizers --group KEY` its
    organizers; `lookup` finds a group by name and says how to list its organizers."""
    store = _cache(demo_cache, isolated_dirs)
    try:
        groups = store.groups(ViewQuery()).rows(0, 1000)
        organizers = store.organizers(ViewQuery()).rows(0, 10_000)
    finally:
        store.close()
    assert groups
    listed = _json("groups")
    assert {r["id"] for r in listed} == {g.key for g in groups}
    for record in listed:
        group = next(g for g in groups if g.key == record["id"])
        assert record["provider"] == "goto_meeting" and record["name"] == group.name
        assert record["organizers"] == group.num_organizers
        assert record["parent"] == (None if group.top_level else group.parent_name)
    big = max(groups, key=lambda g: sum(o.group_key == g.key for o in organizers))
    members = {o.key for o in organizers if o.group_key == big.key}
    assert members
    assert {r["id"] for r in _json("organizers", "--group", big.key)} == members
    table = run_cli("list", "groups", "--demo", "--csv")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0] == "provider,id,name,parent,parent_id,status,organizers"

    found = run_cli("lookup", big.name, "--demo", "--kind", "group")
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[1].startswith("group")
    assert f"meetdeck list organizers --group {big.key} --demo" in found.stderr
    as_json = run_cli("lookup", big.name, "--demo", "--json")
    hits = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert ("group", big.key) in {(h["kind"], h["key"]) for h in hits}
