"""How a registrant's status reads: the provider's own value when meetdeck does not know
it (#14.1), and a cancellation GoTo has not caught up with (#14.6)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from tests.support.builders import registrant
from tui.core.deck.types import RegistrantDetail
from tui.core.models import Provider, RegistrantStatus
from tui.widgets.columns import REGISTRANTS
from tui.widgets.detail import describe
from tui.widgets.formatting import TimeFormat

UTC_FORMAT = TimeFormat.build("UTC", None)


def status_cell(row: object) -> str:
    column = next(c for c in REGISTRANTS if c.key == "status")
    return column.value(row, UTC_FORMAT)


def test_a_cancellation_goto_still_lists_says_when_and_for_how_long() -> None:
    person = registrant(
        1,
        "t1",
        provider=Provider.GOTO_TRAINING,
        status=RegistrantStatus.CANCELLED,
        cancelled_here=datetime(2026, 3, 2, 14, 2, 31, tzinfo=UTC),
    )
    text = describe(RegistrantDetail(person), UTC_FORMAT).plain
    assert "Note: cancelled here at 14:02; GoTo may list them for up to 2 h" in text
    assert status_cell(person) == "cancelled here"


def test_a_status_nobody_documents_shows_as_sent() -> None:
    odd = dataclasses.replace(
        registrant(2, provider=Provider.GOTO_TRAINING, status=RegistrantStatus.OTHER),
        provider_status="ON_HOLD",
    )
    left = registrant(3, provider=Provider.GOTO_TRAINING, status=RegistrantStatus.UNREGISTERED)
    assert status_cell(odd) == "ON_HOLD" and status_cell(left) == "unregistered"
    assert "Note:" not in describe(RegistrantDetail(left), UTC_FORMAT).plain
