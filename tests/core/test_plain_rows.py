"""Registrants staged from Zoom's JSON objects (`PlainRegistrants`, the sync's Zoom path)
are stored exactly as their records are: the same rows, byte for byte, in a real cache.

Issue 18: a sync turns Zoom's registrant pages into staged rows without a record per
person; whatever the page holds (odd text, a control character, a separator, text over
the cache's limit, an unknown status, no title, a time at the ends of the range, a value
only the wire models read), the table must come out the same.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.control import Control
from tui.core.models import EventKind, Provider
from tui.core.pages import PlainRegistrants
from tui.core.providers.session import ProviderSet
from tui.core.providers.zoom import Zoom
from tui.core.providers.zoom_registrants import RegistrantsReader
from tui.core.store.codec import TEXT_LIMIT
from tui.core.store.db import Store
from tui.core.store.plain_rows import staged_rows

SCOPE = "registrants:zoom:webinar:961"


_EMPTY: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def empty_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A new cache made once for the module: each store of these tests is a copy of it
    (making the schema anew for each of the property test's 300 stores was most of its
    time). A copy is a fresh cache: the file holds the whole schema and no WAL."""
    path = tmp_path_factory.mktemp("plain-rows") / "empty.sqlite3"
    Store.open(path, "p").close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the empty cache left a WAL"
    _EMPTY.append(path)
    yield
    _EMPTY.remove(path)


def stored(root: Path, pages: list[list[Any]]) -> list[tuple[Any, ...]]:
    """`pages` staged and swapped into a fresh cache; its registrants table, by id."""
    shutil.copyfile(_EMPTY[-1], root / "cache.sqlite3")
    store = Store.open(root / "cache.sqlite3", "p")
    writer = store.writer()
    try:
        with writer.replace(SCOPE, "zoom") as batch:
            for page in pages:
                batch.add(page)
            batch.commit()
    finally:
        writer.close()
        store.close()
    conn = sqlite3.connect(root / "cache.sqlite3")
    try:
        return conn.execute("SELECT * FROM registrants ORDER BY id").fetchall()
    finally:
        conn.close()


def both_ways(pages: list[tuple[str, dict[str, Any]]], title: str | None) -> None:
    """Each (status, page) read as records and as the sync reads it, stored both ways."""
    records, plain = [], []
    for status, page in pages:
        reader = RegistrantsReader("961", EventKind.WEBINAR, status, title)
        records.append(reader.validate_python(page).registrants)
        quick = RegistrantsReader("961", EventKind.WEBINAR, status, title, plain=True)
        read = quick.validate_python(page).registrants
        assert isinstance(read, PlainRegistrants)
        plain.append(read)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as other:
        assert stored(Path(one), cast(list[list[Any]], plain)) == stored(Path(other), records)


# Text as an API may send it: accents, CJK, quotes, controls, the token form's
# separator and tokens, and (rarely) more than the cache keeps.
TEXT = st.one_of(
    st.text(max_size=10),
    st.text(alphabet='aÉé山"\\\x00\x01\x06\x07\x1a\x1f\u2028 ', max_size=6),
    st.sampled_from(["", "approved", "1-20", "Decision Maker", "https://zoom.us/w/"]),
    st.just("x" * (TEXT_LIMIT + 1)),
)
OPTIONAL = st.one_of(st.none(), TEXT)
# Names whose folding is odd: marks at either end, a letter that folds to a space (the
# diaeresis alone), spaces at the ends (an em space, no-break), Hangul jamo that
# compose, letters that fold to two.
NAME = st.one_of(
    TEXT,
    st.text(alphabet="aÉ\u0301\u0308¨ \u2003\xa0\u1100\u1161ßΣς山", max_size=5),
    st.sampled_from(["Zoë", "Ma\u0301llory", "\u0301x", "x\u0301", "¨", "\u1161", "\u1100"]),
)
STATUS = st.sampled_from(["approved", "pending", "denied", "on_hold", "", " Approved "])
TIME = st.sampled_from(
    [
        "2026-10-20T02:38:26Z",
        "2026-10-20T02:38:26.5Z",
        "",
        None,
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "0002-01-01T00:00:00Z",
        "9998-12-31T23:59:59.999999Z",
    ]
)
EXTRA = ("address", "city", "country", "org", "no_of_employees", "purchasing_time_frame")


@st.composite
def people(draw: st.DrawFn, index: int) -> dict[str, Any]:
    key = draw(st.sampled_from([f"r{index}", f"r{index}\x1a", f"é{index}"]))
    person: dict[str, Any] = {
        "id": key,
        "email": draw(st.sampled_from([f"p{index}@x.org", f"P{index}@Ü.org", ""])),
        "first_name": draw(NAME),
        "last_name": draw(st.one_of(st.none(), NAME)),
        "status": draw(STATUS),
        "create_time": draw(TIME),
        "join_url": draw(
            st.one_of(
                OPTIONAL,
                st.just(f"https://zoom.us/w/961?tk={key}"),
                st.just(f"https://us06web.zoom.us/w/961/{key}"),
            )
        ),
        "custom_questions": draw(
            st.lists(st.fixed_dictionaries({"title": TEXT, "value": TEXT}), max_size=2)
        ),
    }
    for name in EXTRA:
        person[name] = draw(OPTIONAL)
    return person


@st.composite
def listings(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    count = draw(st.integers(1, 3))
    out = []
    for page in range(count):
        size = draw(st.integers(0, 4))
        registrants = [draw(people(page * 10 + i)) for i in range(size)]
        if size and draw(st.booleans()):
            registrants.append(dict(registrants[0]))  # listed twice: the last one wins
        status = draw(st.sampled_from(["pending", "approved", "denied"]))
        out.append((status, {"registrants": registrants}))
    return out


@settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(listings(), st.sampled_from([None, "Big", 'Q&A "live"']))
def test_plain_values_store_the_rows_their_records_store(
    pages: list[tuple[str, dict[str, Any]]], title: str | None
) -> None:
    both_ways(pages, title)


def test_a_page_the_wire_models_read_is_stored_as_its_records() -> None:
    """An odd value (a number for a name) sends the page through the wire models: the
    store stages that page's records, as they always were, beside plain pages; a plain
    page is staged from its objects without a record."""
    plain = {"registrants": [{"id": "a", "email": "a@x.org", "first_name": "Ana"}]}
    ana = {"id": "c", "email": "c@x.org", "first_name": "Ana"}
    odd = {"registrants": [ana, {"id": "b", "email": "b@x.org", "first_name": 7, "status": "x"}]}
    reader = RegistrantsReader("961", EventKind.WEBINAR, "approved", "Big", plain=True)
    read = reader.validate_python(plain).registrants
    assert isinstance(read, PlainRegistrants) and type(read[0]) is dict
    (row,) = staged_rows(read, lambda record: ("record", record.key))
    assert row[:2] == ("zoom", "a")  # its staged row, made without a record
    odd_page = reader.validate_python(odd).registrants
    assert isinstance(odd_page, PlainRegistrants)
    assert staged_rows(odd_page, lambda record: ("record", record.key)) == [
        ("record", "c"),
        ("record", "b"),
    ]
    both_ways([("approved", plain), ("pending", odd)], "Big")


def test_a_page_the_wire_models_refuse_raises_their_error_when_staged() -> None:
    """A person the wire models refuse (a list for an e-mail) fails the page with their
    error, named as the reader's `unreadable` names it, where the store stages it."""

    class Refused(Exception):
        pass

    page = {"registrants": [{"id": "a", "email": ["a@x.org"], "first_name": "Ana"}]}
    reader = RegistrantsReader(
        "961", EventKind.WEBINAR, "approved", "Big", plain=True, unreadable=Refused
    )
    read = reader.validate_python(page).registrants
    assert isinstance(read, PlainRegistrants)
    with pytest.raises(Refused) as caught:
        staged_rows(read, lambda record: ())
    assert "registrants.0.email" in str(caught.value.args[0])


async def test_the_sandbox_webinar_stores_the_same_rows_both_ways(
    sandbox: Any, tmp_path: Path
) -> None:
    """The sandbox's big webinar over real HTTP: the sync's plain pages and the
    records' pages make the same table."""
    from tui.core.settings.config import HttpSettings, demo_profile
    from tui.core.settings.paths import Paths

    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "l")
    providers = ProviderSet.for_profile(
        "demo", demo_profile(sandbox.base_url), paths, HttpSettings(), demo=True
    )
    await providers.demo_sign_in()
    try:
        zoom = providers.zoom
        assert isinstance(zoom, Zoom)
        big = str(Control(sandbox.base_url).call("GET", "state")["zoom"]["big_webinar_id"])
        title = "Big webinar"
        records = [p async for p in zoom.webinar_registrant_pages(big, event_title=title)]
        plain = [p async for p in zoom.registrant_rows(EventKind.WEBINAR, big, event_title=title)]
    finally:
        await providers.aclose()
    assert all(isinstance(p, PlainRegistrants) for p in plain)
    assert all(type(person) is dict for page in plain for person in page)
    # The listings arrive side by side, in any order: staged in one order each way.
    order = {person.key: i for i, person in enumerate(r for p in records for r in p)}
    plain_items = sorted((v for p in plain for v in p), key=lambda v: order[v["id"]])
    first = cast(PlainRegistrants, plain[0])
    one = PlainRegistrants(
        plain_items,
        Provider.ZOOM,
        big,
        EventKind.WEBINAR,
        title,
        first.status,
        first.model,
        first.records,
    )
    ours, theirs = tmp_path / "plain", tmp_path / "records"
    ours.mkdir()
    theirs.mkdir()
    rows = stored(ours, [one])
    assert len(rows) == sum(map(len, records)) > 100
    assert rows == stored(theirs, [[r for p in records for r in p]])


async def test_a_sync_stages_zoom_registrants_from_their_plain_values(
    sandbox: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """A real sync of the sandbox's Zoom webinars goes the plain values' way (no record
    per person), and the big webinar's rows are those its records make."""
    from tui.core.deck.from_profile import open_profile
    from tui.core.settings.config import HttpSettings, demo_profile
    from tui.core.settings.paths import Paths, resolve_paths
    from tui.core.store.views import ViewQuery
    from tui.core.sync.types import ScopeKind

    plain_pages: list[int] = []
    real = staged_rows

    def counted(page: PlainRegistrants, slow: Any) -> list[tuple[Any, ...]]:
        plain_pages.append(len(page))
        return real(page, slow)

    monkeypatch.setattr("tui.core.store.writer.staged_rows", counted)
    profile = demo_profile(sandbox.base_url).model_copy(
        update={"goto_client_id": None, "goto_client_secret": None, "zoom_rate_limit": 1000.0}
    )
    deck = open_profile(resolve_paths(), "sbx", profile, demo=True, http=HttpSettings())
    big = str(Control(sandbox.base_url).call("GET", "state")["zoom"]["big_webinar_id"])
    try:
        report = await deck.sync_all(
            kinds=[ScopeKind.ORGANIZERS, ScopeKind.EVENTS, ScopeKind.REGISTRANTS]
        )
        assert report.ok, report.failed
        event = deck.events(ViewQuery(provider=Provider.ZOOM))
        title = next(e.title for e in event.rows(0, event.count()) if e.key == big)
    finally:
        await deck.aclose()
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "l")
    providers = ProviderSet.for_profile(
        "demo", demo_profile(sandbox.base_url), paths, HttpSettings(), demo=True
    )
    await providers.demo_sign_in()
    try:
        assert providers.zoom is not None
        pages = providers.zoom.webinar_registrant_pages(big, event_title=title)
        records = [person async for page in pages for person in page]
    finally:
        await providers.aclose()
    assert sum(plain_pages) >= len(records) > 300
    columns = "provider, key, search, data, event_key, event_kind, status, sort_name, email, "
    columns += "registered_at, more"
    conn = sqlite3.connect(resolve_paths().cache_db("sbx", demo=True))
    try:
        synced = conn.execute(
            f"SELECT {columns} FROM registrants WHERE event_key = ? ORDER BY id",  # noqa: S608
            (big,),
        ).fetchall()
    finally:
        conn.close()
    alone = tmp_path / "records"
    alone.mkdir()
    stored_alone = [row[2:] for row in stored(alone, [records])]  # without id and sid
    assert synced == stored_alone


def test_a_staged_row_holds_its_kind_and_status_as_text() -> None:
    """sqlite3 binds a `str` as it is but looks an enum up in its adapters first (a fifth
    of the staging insert's time): the plain rows' kind and status are plain text, the
    values the enums store (issue 18)."""
    values = {"id": "a", "email": "a@x.org", "first_name": "Ana", "status": "approved"}
    reader = RegistrantsReader("961", EventKind.WEBINAR, "approved", "Big", plain=True)
    page = reader.validate_python({"registrants": [values]}).registrants
    assert isinstance(page, PlainRegistrants)
    (row,) = staged_rows(page, lambda record: ())
    assert [type(value) for value in row[5:7]] == [str, str]
    assert row[5:7] == ("webinar", "approved")


@settings(max_examples=1000, deadline=None, derandomize=True)
@given(st.text(max_size=6), st.one_of(st.none(), st.text(max_size=6)))
def test_a_name_folds_as_the_whole_name_folds(first: str, last: str | None) -> None:
    """A staged row's name folds as `fold` folds the whole name, also where the row
    folds the first and last names apart (marks, spaces, letters that fold to two)."""
    from tui.core.store.folding import fold, from_letter

    values = {"id": "a", "email": "a@x.org", "first_name": first, "last_name": last}
    reader = RegistrantsReader("961", EventKind.WEBINAR, "approved", "Big", plain=True)
    page = reader.validate_python({"registrants": [values]}).registrants
    assert isinstance(page, PlainRegistrants)
    (row,) = staged_rows(page, lambda record: ("record",))
    if row == ("record",):
        return  # a name only a record can say (a control character, text over the limit)
    who = f"{first} {last or ''}".strip()
    full = fold(who)
    assert row[7] == from_letter(full if who else "a@x.org")
    assert (row[2] or f"{row[7]} a@x.org") == (f"{full} a@x.org" if who else "a@x.org")
