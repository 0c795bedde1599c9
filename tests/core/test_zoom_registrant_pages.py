"""Zoom registrant pages read two ways: plain pages straight into records, any other
page through the tolerant wire models. Both must give the same records, and the same
refusal (ValidationError) where the wire models refuse a page.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from tui.core.models import EventKind, Registrant, RegistrantStatus
from tui.core.providers.zoom_registrants import RegistrantsReader
from tui.core.providers.zoom_wire import ZRegistrantsPage, registrant

SLOW = TypeAdapter(ZRegistrantsPage)
ABSENT = object()

# Values a field may hold: plain ones, and the odd ones an API sends now and then.
TEXT = st.text(max_size=12)
ODD = st.one_of(
    st.none(),
    st.integers(-5, 10**12),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
TIMES = st.sampled_from(
    [
        "2026-10-20T02:38:26Z",
        "2026-10-20T02:38:26.5Z",
        "2026-10-20T02:38:26.123456Z",
        "2026-10-20T02:38:26.1234567Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2026-02-30T00:00:00Z",
        "2026-10-20T24:00:00Z",
        "2026-10-20T02:38:26",
        "2026-10-20T02:38:26+05:30",
        "2026-10-20",
        "١٠٢٠-10-20T02:38:26Z",
        "",
        "   ",
        "yesterday",
    ]
)
STRING_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "join_url",
    "address",
    "city",
    "country",
    "org",
    "comments",
    "no_of_employees",
)


def values(plain: st.SearchStrategy[Any], odd: bool = True) -> st.SearchStrategy[Any]:
    if not odd:  # plain values only (or none): the quick path's pages
        return st.one_of(plain, plain, plain, st.just(ABSENT))
    return st.one_of(plain, plain, plain, ODD, st.just(ABSENT))


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    odd = draw(st.integers(0, 4)) == 0

    def field(plain: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return values(plain, odd)

    out: dict[str, Any] = {"id": draw(st.one_of(TEXT, TEXT, TEXT, ODD) if odd else TEXT)}
    for name in STRING_FIELDS:
        out[name] = draw(field(TEXT))
    out["status"] = draw(field(st.sampled_from(["approved", "pending", "denied", "on_hold", ""])))
    out["create_time"] = draw(field(TIMES))
    question = st.fixed_dictionaries({}, optional={"title": field(TEXT), "value": field(TEXT)})
    asked = st.lists(st.one_of(question, question, ODD) if odd else question, max_size=2)
    out["custom_questions"] = draw(field(asked))
    out["unknown"] = draw(ODD)
    return {k: v for k, v in out.items() if v is not ABSENT}


@st.composite
def registrant_pages(draw: st.DrawFn) -> dict[str, Any]:
    page: dict[str, Any] = {"registrants": draw(st.lists(people(), max_size=4))}
    token = draw(values(st.text(min_size=1, max_size=8)))
    total = draw(values(st.integers(0, 10**6)))
    for name, value in (("next_page_token", token), ("total_records", total)):
        if value is not ABSENT:
            page[name] = value
    return page


def tolerant(page: Any, status: str) -> tuple[list[Registrant], str | None]:
    wire = SLOW.validate_python(page)
    return (
        [registrant(r, "961", EventKind.WEBINAR, status, "Big") for r in wire.registrants],
        wire.next_page_token,
    )


quick: list[bool] = []


@settings(
    max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(registrant_pages(), st.sampled_from(["pending", "approved", "denied"]))
def test_every_page_reads_as_the_wire_models_read_it(page: dict[str, Any], status: str) -> None:
    reader = RegistrantsReader("961", EventKind.WEBINAR, status, "Big")
    try:
        expected = tolerant(page, status)
    except ValidationError:
        with pytest.raises(ValidationError):
            reader.validate_python(page)
        return
    read = reader.validate_python(page)
    quick.append(reader.plain(page) is not None)
    assert (read.registrants, read.next_page_token) == expected
    for person, wanted in zip(read.registrants, expected[0], strict=True):
        assert person.registered_at == wanted.registered_at
        if person.registered_at is not None:
            assert person.registered_at.utcoffset() == wanted.registered_at.utcoffset()


def test_the_quick_path_was_taken_often() -> None:
    """The property above compared real quick reads, not only fallbacks."""
    assert not quick or sum(quick) >= 20, (sum(quick), len(quick))


PLAIN = {
    "id": "ZF3jNgVMEHl1dXPwtwXVdA",
    "email": "bold.eve@attendees.example",
    "first_name": "[bold]Eve[/bold]",
    "last_name": "Ma\u0301llory",
    "address": "27 Hauptstra\u00dfe",
    "city": "Cairo",
    "country": "EG",
    "org": "\u682a\u5f0f\u4f1a\u793e",
    "industry": "",
    "comments": "Need captions \U0001f64f",
    "custom_questions": [{"title": "What do you hope to learn?", "value": "Roadmap"}],
    "status": "approved",
    "create_time": "2026-11-29T02:32:17Z",
    "join_url": "https://zoom.us/w/961?tk=abc",
}


def test_a_plain_page_is_read_without_the_wire_models() -> None:
    """Zoom's pages as they come (markup, accents, emoji, an empty field) take the
    quick path; one odd value sends that page alone through the tolerant one."""
    reader = RegistrantsReader("961", EventKind.WEBINAR, "approved", "Big")
    plain = {"registrants": [PLAIN, {**PLAIN, "id": "b2"}], "next_page_token": "t"}
    read = reader.plain(plain)
    assert read is not None and [r.key for r in read.registrants] == [PLAIN["id"], "b2"]
    assert read.registrants[0].extra["org"] == PLAIN["org"]
    odd = {"registrants": [PLAIN, {**PLAIN, "id": 42, "status": 7, "create_time": ""}]}
    assert reader.plain(odd) is None
    people = reader.validate_python(odd).registrants
    assert [r.key for r in people] == [PLAIN["id"], "42"]
    assert people[1].status is RegistrantStatus.OTHER and people[1].registered_at is None
