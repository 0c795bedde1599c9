"""CSV export of a view, and the cache updates an action makes (no network needed)."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.support.builders import put, registrant, webinar
from tui.core.deck.facade import Deck
from tui.core.models import Provider, RegistrantStatus
from tui.core.settings.paths import resolve_paths
from tui.core.store.db import Store
from tui.core.store.views import ViewQuery

HOSTILE = ['=HYPERLINK("http://evil")', "+1+2", "-3", "@SUM(A1)", "\tTab", "Zoë"]


def deck_with(tmp_path: Path) -> Deck:
    store = Store.open(tmp_path / "cache.db", "work")
    put(store, "events:zoom", [webinar("w1")])
    people = [registrant(i, first=name, last="Lee") for i, name in enumerate(HOSTILE)]
    people.append(registrant(9, first="Esc\x1b[2J", last="Ape", status=RegistrantStatus.APPROVED))
    put(store, "registrants:zoom:w1", people)
    return Deck(store, profile_name="work")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_the_filtered_view_with_formula_cells_quoted(tmp_path: Path) -> None:
    deck = deck_with(tmp_path)
    view = deck.registrants(
        ViewQuery(event_key="w1", status=RegistrantStatus.PENDING, sort="registered")
    )
    path = deck.export_csv(view)
    rows = read(path)
    deck.parts_for_tests().store.close()

    assert path.parent == resolve_paths().download_dir
    assert path.name.startswith("registrants-w1-") and path.suffix == ".csv"
    assert len(rows) == view.count() == len(HOSTILE)
    firsts = [r["first_name"] for r in rows]
    assert firsts[:5] == [
        '\'=HYPERLINK("http://evil")',
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
        "\N{REPLACEMENT CHARACTER}Tab",
    ]
    assert firsts[5] == "Zoë"  # ordinary text is untouched
    assert rows[0]["status"] == "pending" and rows[0]["event_key"] == "w1"
    assert rows[0]["name"].startswith("'=HYPERLINK")


def test_export_never_overwrites_and_keeps_escapes_out(tmp_path: Path) -> None:
    deck = deck_with(tmp_path)
    target = tmp_path / "out" / "people.csv"
    target.parent.mkdir()
    target.write_text("precious", encoding="utf-8")
    view = deck.registrants(ViewQuery(event_key="w1", status=RegistrantStatus.APPROVED))
    written = deck.export_csv(view, target)
    again = deck.export_csv(view, target)
    deck.parts_for_tests().store.close()
    assert target.read_text(encoding="utf-8") == "precious"
    assert written.name == "people (1).csv" and again.name == "people (2).csv"
    text = written.read_text(encoding="utf-8-sig")
    assert "\x1b" not in text and "Esc\N{REPLACEMENT CHARACTER}[2J" in text


def test_action_outcomes_update_statuses_and_counts_in_one_go(tmp_path: Path) -> None:
    deck = deck_with(tmp_path)
    store = deck.parts_for_tests().store
    scope = "registrants:zoom:w1"
    before = store.counts(Provider.ZOOM, "w1")
    writer = store.writer()
    try:
        approved = writer.set_registrant_status(scope, ["r0", "r1"], RegistrantStatus.APPROVED)
        removed = writer.set_registrant_status(scope, ["r2", "missing"], None)
    finally:
        writer.close()
    after = store.counts(Provider.ZOOM, "w1")
    r0 = store.registrant("r0", event_key="w1")
    hits = {h.key for h in store.search("Lee", limit=50)}
    stamp = store.stamp(scope)
    store.close()

    assert (approved, removed) == (2, 1)
    assert r0 is not None and r0.status is RegistrantStatus.APPROVED
    assert r0.provider_status == "approved"
    assert after[RegistrantStatus.PENDING] == before[RegistrantStatus.PENDING] - 3
    assert after[RegistrantStatus.APPROVED] == before[RegistrantStatus.APPROVED] + 2
    assert "r2" not in hits and "r0" in hits  # the search index follows a removal
    assert stamp is not None and stamp.items == len(HOSTILE)  # 7 rows, one removed


def test_exports_are_private_unless_turned_off(tmp_path: Path) -> None:
    import os
    import stat

    deck = deck_with(tmp_path)
    view = deck.registrants(ViewQuery(event_key="w1"))
    private = deck.export_csv(view, tmp_path / "new" / "people.csv")
    deck.private_files = False
    old = os.umask(0o022)
    try:
        shared = deck.export_csv(view, tmp_path / "shared" / "people.csv")
    finally:
        os.umask(old)
    deck.parts_for_tests().store.close()
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644
    assert stat.S_IMODE(shared.parent.stat().st_mode) == 0o755
