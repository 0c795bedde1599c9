"""The forms of the event writes: register someone, a training's registration settings,
a meeting to create or change, and the typed confirmation of a meeting's delete.

Each form is keyboard only (Tab moves, Enter on a field moves on, Esc cancels) and
checks what is typed as it goes, with the Deck's own rules (`tui.core.deck.write_plans`),
so the form and `meetdeck register|meeting` refuse the same things. A form dismisses
with its answer; the screen then shows the plan's confirmation (Cancel focused) and
only then is anything sent.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui.core.deck.write_plans import (
    GOTO_MEETING_TYPES,
    Person,
    draft_problems,
    parse_when,
    person_problems,
)
from tui.core.models import MeetingDraft, Provider
from tui.screens.dialogs import DIALOG_CSS
from tui.text import clean, literal

if TYPE_CHECKING:
    from tui.core.deck.write_plans import MeetingPlan
    from tui.core.models import Meeting

_FORM_CSS = """
    & .form--label { margin-top: 1; color: $text-muted; }
    & .form--error { color: $text-error; height: auto; }
    & Input { margin: 0; }
    & Checkbox { margin-top: 1; }
    & .dialog--buttons { height: auto; margin-top: 1; align-horizontal: right; }
    & .dialog--buttons Button { margin: 0 0 0 2; }
"""


def _css(name: str, border: str = "$accent") -> str:
    return (
        DIALOG_CSS.format(name=name)
        + f"{name} > Vertical {{ border: thick {border}; }}\n"
        + f"{name} {{{_FORM_CSS}}}"
    )


_FORM_BINDINGS: list[BindingType] = [Binding("escape", "cancel", "Cancel", id="form-cancel")]


def _error(screen: ModalScreen[Any], field: str, text: str) -> None:
    """Show (or clear) the inline error under a field."""
    screen.query_one(f"#{field}-error", Static).update(literal(text) if text else "")


def _value(screen: ModalScreen[Any], name: str) -> str:
    return screen.query_one(f"#{name}", Input).value


def _labelled(label: str, name: str, value: str = "", placeholder: str = "") -> ComposeResult:
    yield Label(label, classes="form--label", markup=False)
    yield Input(value, placeholder=placeholder, id=name)
    yield Static("", id=f"{name}-error", classes="form--error")


class RegisterDialog(ModalScreen[Person | None]):
    """Who to register for one event: email, first and last name, and (Zoom) whether to
    approve at once. Dismisses with a `Person`, or None."""

    BINDINGS: ClassVar[list[BindingType]] = _FORM_BINDINGS
    DEFAULT_CSS = _css("RegisterDialog")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on; it never sends the form by itself.
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def __init__(self, provider: Provider, event_label: str) -> None:
        super().__init__()
        self.provider = provider
        self.event_label = event_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Register someone", classes="dialog--title", markup=False)
            yield Static(Content.assemble("For: ", (clean(self.event_label), "bold")))
            yield from _labelled("Email", "email", placeholder="name@example.com")
            yield from _labelled("First name", "first_name")
            last = (
                "Last name" if self.provider is Provider.GOTO_TRAINING else "Last name (optional)"
            )
            yield from _labelled(last, "last_name")
            if self.provider is Provider.ZOOM:
                yield Checkbox("Approve at once (where the event approves by hand)", id="approve")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Next", variant="primary", id="next")

    def on_mount(self) -> None:
        self.query_one("#email", Input).focus()

    def person(self) -> Person:
        approve = self.provider is Provider.ZOOM and self.query_one("#approve", Checkbox).value
        return Person(
            _value(self, "email"), _value(self, "first_name"), _value(self, "last_name"), approve
        )

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        problems = person_problems(self.person(), self.provider)
        name = event.input.id or ""
        # Only the field being typed in, and only once it holds something.
        _error(self, name, problems.get(name, "") if event.value else "")

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        person = self.person()
        problems = person_problems(person, self.provider)
        for name in ("email", "first_name", "last_name"):
            _error(self, name, problems.get(name, ""))
        if problems:
            self.query_one(f"#{next(iter(problems))}", Input).focus()
            return
        self.dismiss(person)


class RegistrationSettingsDialog(ModalScreen[tuple[bool, bool] | None]):
    """A GoTo Training's web registration and confirmation email, on or off.
    Dismisses with (web_registration, confirmation_email), or None."""

    BINDINGS: ClassVar[list[BindingType]] = _FORM_BINDINGS
    DEFAULT_CSS = _css("RegistrationSettingsDialog")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on; it never sends the form by itself.
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def __init__(self, title: str, web: bool | None, email: bool | None) -> None:
        super().__init__()
        self.training_title = title
        self.web = web
        self.email = email

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Registration settings", classes="dialog--title", markup=False)
            yield Static(Content.assemble("Training: ", (clean(self.training_title), "bold")))
            yield Checkbox(
                "Web registration (people register on its page)", self.web is not False, id="web"
            )
            yield Checkbox("Confirmation email to registrants", self.email is not False, id="mail")
            yield Static(
                "GoTo recommends turning web registration off when confirmation emails are.",
                classes="dialog--hint",
                markup=False,
            )
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Next", variant="primary", id="next")

    def on_mount(self) -> None:
        self.query_one("#web", Checkbox).focus()

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        self.dismiss(
            (self.query_one("#web", Checkbox).value, self.query_one("#mail", Checkbox).value)
        )


def _local(text: str, zone: str | None) -> datetime:
    """`parse_when` in `zone`, or in the machine's local time when there is none."""
    if zone is not None:
        return parse_when(text, zone)
    parsed = parse_when(text, "UTC")
    if "+" in text[10:] or "-" in text[10:] or text.strip().upper().endswith("Z"):
        return parsed
    return parsed.replace(tzinfo=None).astimezone()


def _shown(value: datetime | None, zone: tzinfo | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(zone) if zone is not None else value.astimezone()
    return local.strftime("%Y-%m-%d %H:%M")


class MeetingFormDialog(ModalScreen[MeetingDraft | None]):
    """A meeting to create, or what one is to become: subject, start and end (in the
    zone shown), and GoTo Meeting's type and password, or Zoom's time zone. Dismisses
    with a `MeetingDraft`, or None."""

    BINDINGS: ClassVar[list[BindingType]] = _FORM_BINDINGS
    DEFAULT_CSS = _css("MeetingFormDialog")

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        # Enter in a field moves on; it never sends the form by itself.
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def __init__(
        self,
        provider: Provider,
        zone_name: str | None,
        zone: tzinfo | None,
        current: Meeting | None = None,
    ) -> None:
        super().__init__()
        self.provider = provider
        self.zone_name = zone_name
        self.zone = zone
        self.current = current

    def compose(self) -> ComposeResult:
        current, zone = self.current, self.zone
        title = "Change the meeting" if current is not None else "New meeting"
        where = self.zone_name or "local time"
        with Vertical():
            yield Label(f"{title} ({self.provider.label})", classes="dialog--title", markup=False)
            # A cached subject is API text: cleaned before it is shown in a field.
            yield from _labelled("Subject", "subject", clean(current.subject) if current else "")
            yield from _labelled(
                f"Start ({where})",
                "start",
                _shown(current.start if current else None, zone),
                "2031-03-04 09:30",
            )
            yield from _labelled(
                f"End ({where})",
                "end",
                _shown(current.end if current else None, zone),
                "2031-03-04 10:15",
            )
            if self.provider is Provider.ZOOM:
                yield from _labelled(
                    "Meeting time zone",
                    "timezone",
                    clean((current.timezone if current else None) or self.zone_name or ""),
                    "Europe/Berlin",
                )
            else:
                yield Label("Type", classes="form--label", markup=False)
                kind = (current.meeting_type if current else None) or "scheduled"
                yield Select(
                    [(t, t) for t in GOTO_MEETING_TYPES],
                    value=kind if kind in GOTO_MEETING_TYPES else "scheduled",
                    allow_blank=False,
                    id="meeting_type",
                )
                yield Checkbox(
                    "Password required",
                    bool(current.password_required) if current else False,
                    id="password",
                )
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Next", variant="primary", id="next")

    def on_mount(self) -> None:
        self.query_one("#subject", Input).focus()

    def draft(self) -> tuple[MeetingDraft | None, dict[str, str]]:
        """The draft as typed, or None and what is wrong by field."""
        problems: dict[str, str] = {}
        zone = self.zone_name
        meeting_zone = None
        if self.provider is Provider.ZOOM:
            meeting_zone = _value(self, "timezone").strip() or None
        times: dict[str, datetime] = {}
        for name in ("start", "end"):
            try:
                times[name] = _local(_value(self, name), zone)
            except ValueError as exc:
                problems[name] = str(exc)
        if problems:
            return None, problems
        kind, password = "scheduled", False
        if self.provider is Provider.GOTO_MEETING:
            kind = str(self.query_one("#meeting_type", Select).value)
            password = self.query_one("#password", Checkbox).value
        draft = MeetingDraft(
            _value(self, "subject"), times["start"], times["end"], meeting_zone, kind, password
        )
        problems = draft_problems(draft, self.provider)
        return (None if problems else draft), problems

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        _, problems = self.draft()
        for name in ("subject", "start", "end", "timezone"):
            if self.query(f"#{name}-error"):
                typed = self.query_one(f"#{name}", Input).value
                _error(self, name, problems.get(name, "") if typed else "")

    @on(Button.Pressed, "#next")
    def _next(self) -> None:
        draft, problems = self.draft()
        for name in ("subject", "start", "end", "timezone"):
            if self.query(f"#{name}-error"):
                _error(self, name, problems.get(name, ""))
        if draft is not None:
            self.dismiss(draft)


class DeleteMeetingDialog(ModalScreen[str | None]):
    """Confirms a meeting's delete: the meeting, the profile, and its subject or ID typed
    before the Delete button enables. Cancel has the focus; Esc cancels. Dismisses with
    what was typed, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="delete-cancel"),
    ]
    DEFAULT_CSS = _css("DeleteMeetingDialog", "$error")

    def __init__(self, plan: MeetingPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical():
            yield Label(plan.question, classes="dialog--title", markup=False)
            yield Static(Content.assemble("Meeting: ", (clean(plan.event_label), "bold")))
            yield Static(Content.assemble("Profile: ", clean(plan.profile)))
            for line in plan.lines:
                yield Static(literal(line))
            yield Static(plan.typed_hint, classes="dialog--hint", markup=False)
            yield Input(placeholder="subject or ID", id="typed")
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Delete", variant="error", id="confirm", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def _matches(self, typed: str) -> bool:
        return typed.strip() in self.plan.typed_answers

    @on(Input.Changed, "#typed")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = not self._matches(event.value)

    @on(Input.Submitted, "#typed")
    def _typed_enter(self, event: Input.Submitted) -> None:
        # Enter moves to the (now enabled) button; it never deletes by itself.
        if self._matches(event.value):
            self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        typed = self.query_one("#typed", Input).value
        if self._matches(typed):
            self.dismiss(typed.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
