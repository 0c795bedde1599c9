"""Later syncs re-fetch only what can have changed (issue 15): the registrants of a
training that ended, once fetched after its end, and the recordings of a training that
ended a day before the last fetch, are not asked again; a refresh someone asked for
(`refetch`) asks again. Counted in the sandbox's request log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.support.control import Control
from tests.support.decks import DeckSpec, open_deck
from tui.core.models import Provider
from tui.core.settings.paths import Paths
from tui.core.store.views import ViewQuery
from tui.core.sync.fetch import event_end
from tui.core.sync.types import HISTORY_SETTLE

QUICK = DeckSpec(name="settled", rate_limit=1000.0)


@pytest.fixture(scope="module")
def open_sandbox() -> Iterator[Any]:
    from tui.sandbox.server import SandboxConfig, start_background

    config = SandboxConfig(port=0, seed=15, registrants=10, rate_limit_scale=0)
    with start_background(config) as handle:
        yield handle


def training_of(path: str, what: str) -> str | None:
    """The training key of a G2T `.../trainings/{key}/{what}` request, else None."""
    parts = path.rstrip("/").split("/")
    if parts[-1] != what or "trainings" not in parts:
        return None
    return parts[parts.index("trainings") + 1]


def asked(requests: list[dict[str, Any]], what: str) -> list[str]:
    return [k for r in requests if (k := training_of(r["path"], what)) is not None]


async def test_a_second_sync_leaves_what_ended_alone_and_a_refresh_asks_again(
    open_sandbox: Any, tmp_path: Path
) -> None:
    base = open_sandbox.base_url
    log = Control(base)
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "dl")
    deck = open_deck(base, paths, QUICK, goto_only=True)
    try:
        await deck.demo_sign_in()
        seq = log.mark()
        assert (await deck.sync_all()).ok
        first = log.requests_since(seq)
        now = datetime.now(UTC)
        view = deck.events(ViewQuery(provider=Provider.GOTO_TRAINING))
        trainings = [e.source for e in view.rows(0, view.count())]
        ends = {t.key: event_end(t) for t in trainings}
        ended = {k for k, end in ends.items() if end is not None and end < now}
        long_ago = {k for k in ended if (end := ends[k]) and end + HISTORY_SETTLE < now}
        going = set(ends) - ended
        recordings = deck.recordings(ViewQuery(provider=Provider.GOTO_TRAINING))
        held = sorted(r.key for r in recordings.rows(0, recordings.count()))
        assert ended and going and long_ago and held
        assert set(asked(first, "registrants")) == set(ends)
        assert set(asked(first, "recordings")) == set(ends)

        seq = log.mark()
        assert (await deck.sync_all()).ok
        second = log.requests_since(seq)
        recordings = deck.recordings(ViewQuery(provider=Provider.GOTO_TRAINING))
        again = sorted(r.key for r in recordings.rows(0, recordings.count()))

        seq = log.mark()
        assert (await deck.sync_all(refetch=True)).ok
        refreshed = log.requests_since(seq)
    finally:
        await deck.aclose()

    # Registrants: those of trainings still to come (or running) only.
    assert set(asked(second, "registrants")) == going
    # Recordings: not those of trainings that ended a day before the last fetch, whose
    # cached recordings stay as they were.
    assert set(asked(second, "recordings")) == set(ends) - long_ago
    assert again == held
    assert len(second) < len(first) - len(ended) - len(long_ago) + 1
    # A refresh someone asked for asks everything again.
    assert set(asked(refreshed, "registrants")) == set(ends)
    assert set(asked(refreshed, "recordings")) == set(ends)
