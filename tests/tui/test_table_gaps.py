"""Table gaps of issue 15.7 on the synced sandbox cache: Zoom meetings name their
organizer, GoTo Training recordings say why they have no size and name their training,
and the all-registrants view keeps its Event column at 120 columns."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.app import active, show_tab
from tests.support.screen import screen_lines
from tests.support.waits import wait_for
from tui.app import MeetdeckApp
from tui.core.deck.api import ViewQuery
from tui.core.deck.types import MeetingDetail
from tui.core.models import MeetingKind, Provider
from tui.core.store.folding import sort_key

MakeApp = Callable[..., MeetdeckApp]


async def test_zoom_meetings_name_their_host_from_the_cached_users(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        deck = app.deck
        users = {u.key: u for u in deck.organizers(ViewQuery(provider=Provider.ZOOM)).rows(0, 500)}
        zoom = ViewQuery(provider=Provider.ZOOM)
        meetings = deck.meetings(zoom).rows(0, 500)
        hosted = [m for m in meetings if m.organizer_key in users]
        assert hosted, "the sandbox's Zoom meetings have hosts among its users"
        for meeting in hosted:
            user = users[meeting.organizer_key or ""]
            assert meeting.organizer_name == user.name, meeting
            assert meeting.organizer_email == user.email, meeting
        first = hosted[0]
        detail = deck.detail("meeting", first.key, provider=Provider.ZOOM)
        assert detail is not None
        assert isinstance(detail, MeetingDetail)
        assert detail.meeting.organizer_name == users[first.organizer_key or ""].name
        # Sorted by organizer, the Zoom meetings follow their hosts' names.
        by_host = deck.meetings(
            ViewQuery(provider=Provider.ZOOM, kind=MeetingKind.UPCOMING, sort="organizer")
        ).rows(0, 500)
        # Sorted as names sort: from their first letter (`sort_key`).
        names = [sort_key(m.organizer_name or "") for m in by_host if m.organizer_name]
        assert names == sorted(names)
        await show_tab(pilot, app, "meetings")
        assert any(users[first.organizer_key or ""].name in line for line in screen_lines(app))


async def test_goto_training_recordings_say_why_they_have_no_size(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(160, 40)) as pilot:
        recordings = app.deck.recordings(ViewQuery(provider=Provider.GOTO_TRAINING)).rows(0, 50)
        assert recordings and all(r.file_size is None for r in recordings)
        trainings = {e.key: e.title for e in app.deck.events(ViewQuery()).rows(0, 500)}
        assert all(r.event_title == trainings[r.event_key] for r in recordings)
        await show_tab(pilot, app, "recordings")
        pane = active(app)
        await wait_for(pilot, lambda: pane.table.row_count > 0, what="the recordings")
        assert pane.table.move_to_key(recordings[0].key)
        await wait_for(
            pilot,
            lambda: "no file size" in pane.detail.text,
            what="the size's reason in the detail",
        )
        title = recordings[0].event_title or ""
        row = next(line for line in screen_lines(app) if title[:12] in line and "Training" in line)
        assert "\u2014" in row, row


async def test_all_registrants_at_120_columns_show_the_event(real_app: MakeApp) -> None:
    app = real_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, app, "registrants")
        pane = active(app)
        await wait_for(pilot, lambda: pane.table.row_count > 0, what="the registrants")
        header = next(line for line in screen_lines(app) if "Name" in line and "Status" in line)
        assert "Event" in header and "Email" in header, header
