"""The forms and confirmations of the event writes: register someone, a training's
registration settings, a meeting created, changed or deleted.

A pane posts `EntityPane.EventWriteRequested`; the main screen hands it here. The form
(`tui.screens.event_forms`) gathers the answer, the Deck's plan says whether it is
offered and what the confirmation shows (Cancel focused; a delete types the subject or
ID instead), and only then does the pane that asked send it, in its worker, through the
Deck's write gate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.content import Content
from textual.dom import DOMNode

from tui.widgets.header import profile_badge
from tui.widgets.pane import DeckHost

if TYPE_CHECKING:
    from tui.core.deck.write_plans import MeetingPlan, Person
    from tui.core.models import MeetingDraft
    from tui.widgets.pane_requests import WriteSender


class EventWriteFlows:
    """The forms and confirmations of the event writes (register someone, registration
    settings, meetings), for `node` (the main screen); the pane that asked sends the
    confirmed write in its worker."""

    def __init__(self, node: DOMNode) -> None:
        self._node = node

    @property
    def app(self) -> App[Any]:
        return self._node.app

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    def open(self, pane: WriteSender, kind: str, row: object | None) -> None:
        """The form of `kind` for `row` (an Event, a Meeting, a registrants Scope)."""
        from tui.core.deck.api import Event
        from tui.core.models import Meeting
        from tui.core.sync.types import Scope

        if kind == "register":
            if isinstance(row, Event):
                scope = Scope.registrants(row.provider, row.kind, row.key)
            elif isinstance(row, Scope):
                scope = row
            else:
                return
            self._register(pane, scope)
        elif kind == "registration_settings" and isinstance(row, Event):
            self._settings(pane, row)
        elif kind == "create_meeting":
            self._choose_provider(pane, row)
        elif kind in ("update_meeting", "delete_meeting") and isinstance(row, Meeting):
            if kind == "delete_meeting":
                self._delete(pane, row)
            else:
                self._meeting_form(pane, row.provider, row)

    def _notify_cancelled(self) -> None:
        self.app.notify("Cancelled; nothing was sent.", markup=False, timeout=3)

    def _refused(self, reason: str, what: str) -> None:
        self.app.notify(reason, title=f"Cannot {what}", severity="warning", markup=False, timeout=8)

    def _confirm(
        self, title: str, label: str, lines: Sequence[str], go: Callable[[], None]
    ) -> None:
        from tui.screens.confirm import ConfirmDialog

        deck = self.host.deck

        def answered(yes: bool | None) -> None:
            if yes:
                go()
            else:
                self._notify_cancelled()

        self.app.push_screen(
            ConfirmDialog(
                title,
                [
                    Content.assemble("Profile: ", profile_badge(deck.profile_name, deck.accent)),
                    *lines,
                ],
                label,
            ),
            answered,
        )

    # -- register ----------------------------------------------------------------------

    def _register(self, pane: WriteSender, scope: Any) -> None:
        from tui.core.deck.write_plans import Person
        from tui.screens.event_forms import RegisterDialog

        deck = self.host.deck
        probe = deck.plan_registration(scope, Person("probe@example.com", "Probe", "Probe"))
        if not probe.capability:
            self._refused(probe.capability.reason, "register")
            return

        def filled(person: object) -> None:
            if person is None:
                self._notify_cancelled()
                return
            plan = deck.plan_registration(scope, cast("Person", person))
            if not plan.capability:
                self._refused(plan.capability.reason, "register")
                return

            async def write() -> tuple[str, bool, str]:
                done = await deck.register(plan, plan.confirm())
                return done.sentence, done.registrant is not None, done.result.note

            self._confirm(
                plan.question,
                "Register",
                [f"Event: {plan.event_label}", *plan.lines],
                lambda: pane.send_write(write),
            )

        self.app.push_screen(RegisterDialog(scope.provider, probe.event_label), filled)

    # -- registration settings -----------------------------------------------------------

    def _settings(self, pane: WriteSender, event: Any) -> None:
        from tui.core.models import Training
        from tui.screens.event_forms import RegistrationSettingsDialog

        deck = self.host.deck
        source = event.source
        web = source.web_registration if isinstance(source, Training) else None
        mail = source.confirmation_email if isinstance(source, Training) else None

        def chosen(answer: object) -> None:
            if answer is None:
                self._notify_cancelled()
                return
            new_web, new_mail = cast("tuple[bool, bool]", answer)
            plan = deck.plan_registration_settings(
                event.key, web_registration=new_web, confirmation_email=new_mail
            )
            if not plan.capability:
                self._refused(plan.capability.reason, "change the settings")
                return

            async def write() -> tuple[str, bool, str]:
                result = await deck.update_registration_settings(plan, plan.confirm())
                ok = bool(result.succeeded)
                outcome = result.outcomes[0].message if result.outcomes else ""
                sentence = (
                    f"Registration settings of {plan.event_label}: {outcome}."
                    if ok
                    else f"Not changed: {outcome}"
                )
                return sentence, ok, result.note

            self._confirm(
                plan.question,
                "Change",
                [f"Training: {plan.event_label}", *plan.lines],
                lambda: pane.send_write(write),
            )

        self.app.push_screen(RegistrationSettingsDialog(event.title, web, mail), chosen)

    # -- meetings ------------------------------------------------------------------------

    def _choose_provider(self, pane: WriteSender, row: object | None) -> None:
        """A new meeting goes where the highlighted one is (else the one offered)."""
        from tui.core.models import Meeting, Provider

        deck = self.host.deck
        offered = [
            p
            for p in (Provider.GOTO_MEETING, Provider.ZOOM)
            if (caps := deck.capabilities(p)) is not None and caps.edit_meetings
        ]
        if not offered:
            self._refused(
                "This profile has no GoTo Meeting or Zoom credentials to create meetings with.",
                "create a meeting",
            )
            return
        if isinstance(row, Meeting) and row.provider in offered:
            self._meeting_form(pane, row.provider, None)
        else:
            self._meeting_form(pane, offered[0], None)

    def _meeting_form(self, pane: WriteSender, provider: Any, current: Any) -> None:
        from tui.core.deck.write_plans import CREATE_MEETING, UPDATE_MEETING
        from tui.screens.event_forms import MeetingFormDialog

        deck = self.host.deck
        fmt = self.host.time_format
        zone_name = None if fmt.label == "local" else fmt.label
        action = UPDATE_MEETING if current is not None else CREATE_MEETING
        key = current.key if current is not None else None
        probe = deck.plan_meeting(action, provider, meeting_key=key)
        if not probe.capability and probe.capability.reason != "Say what the meeting is to be.":
            self._refused(probe.capability.reason, "change the meeting")
            return

        def filled(answer: object) -> None:
            if answer is None:
                self._notify_cancelled()
                return
            plan = deck.plan_meeting(
                action,
                provider,
                meeting_key=key,
                draft=cast("MeetingDraft", answer),
                timezone=zone_name,
            )
            if not plan.capability:
                self._refused(plan.capability.reason, plan.verb.lower())
                return
            self._confirm_meeting(pane, plan)

        self.app.push_screen(MeetingFormDialog(provider, zone_name, fmt.zone, current), filled)

    def _confirm_meeting(self, pane: WriteSender, plan: MeetingPlan, typed: str = "") -> None:
        deck = self.host.deck

        async def write() -> tuple[str, bool, str]:
            done = await deck.write_meeting(plan, plan.confirm(typed or None))
            return done.sentence, done.ok, done.result.note

        if plan.needs_typed_name:
            pane.send_write(write)
            return
        self._confirm(
            plan.question,
            plan.verb,
            [f"Meeting: {plan.event_label}", *plan.lines],
            lambda: pane.send_write(write),
        )

    def _delete(self, pane: WriteSender, meeting: Any) -> None:
        from tui.core.deck.write_plans import DELETE_MEETING
        from tui.screens.event_forms import DeleteMeetingDialog

        deck = self.host.deck
        fmt = self.host.time_format
        plan = deck.plan_meeting(
            DELETE_MEETING,
            meeting.provider,
            meeting_key=meeting.key,
            timezone=None if fmt.label == "local" else fmt.label,
        )
        if not plan.capability:
            self._refused(plan.capability.reason, "delete the meeting")
            return

        def typed(answer: str | None) -> None:
            if answer is None:
                self._notify_cancelled()
                return
            self._confirm_meeting(pane, plan, answer)

        self.app.push_screen(DeleteMeetingDialog(plan), typed)
