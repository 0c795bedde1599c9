"""Dialogs around a write: the confirmation before it and the outcome after it.

Nothing is sent without `ConfirmActionDialog` (registrant approve / deny / cancel) or
`ConfirmDialog` (creating a support session) returning a confirmation. Both put the
focus on Cancel, so an Enter pressed out of habit sends nothing; above ten people the
count must be typed before the confirm button enables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.screens.dialogs import DIALOG_CSS, VIM_FOCUS
from tui.text import clean, literal
from tui.widgets.header import profile_badge

if TYPE_CHECKING:
    from tui.core.deck.types import ActionPlan
    from tui.core.models import ActionOutcome, ActionResult

#: How many failures the result dialog lists before "and N more".
MAX_FAILURES_SHOWN = 50

_BUTTON_CSS = """
    & .dialog--buttons { height: auto; margin-top: 1; align-horizontal: right; }
    & .dialog--buttons Button { margin: 0 0 0 2; }
"""


class ConfirmActionDialog(ModalScreen[int | None]):
    """Confirms a registrant action: what, on whom, for which event, in which profile.

    Dismisses with the typed count (or 0 when none was needed) to go ahead, or None to
    cancel; Esc cancels. Up to ten people, the button that changes nothing has the
    focus, so Enter sends nothing. Above ten, the count box has the focus: typing the
    count and Enter is the confirmation; any other number and Enter says so and waits.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm-cancel"),
        *VIM_FOCUS,
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConfirmActionDialog")
        + """
    ConfirmActionDialog > Vertical { border: thick $warning; }
    ConfirmActionDialog .confirm--people {
        color: $text-muted; margin: 1 0 0 2; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ConfirmActionDialog Input { margin-top: 1; }
    """
        + "ConfirmActionDialog {"
        + _BUTTON_CSS
        + "}"
    )

    def __init__(self, plan: ActionPlan, accent: str | None) -> None:
        super().__init__()
        self.plan = plan
        self.accent = accent

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical():
            yield Label(plan.question, classes="dialog--title", markup=False)
            yield Static(Content.assemble("Event:   ", (plan.event_label, "bold")))
            yield Static(Content.assemble("Profile: ", profile_badge(plan.profile, self.accent)))
            yield Static(
                Content("\n").join(Content(line) for line in plan.people_lines),
                classes="confirm--people",
            )
            if plan.needs_typed_count:
                yield Static(plan.typed_hint, classes="dialog--hint", markup=False)
                yield Input(
                    placeholder="how many people?",
                    id="typed-count",
                    restrict=r"[0-9]*",
                    max_length=9,
                )
            with Horizontal(classes="dialog--buttons"):
                yield Button(plan.back_label, id="cancel")
                yield Button(
                    plan.go_label,
                    variant="warning",
                    id="confirm",
                    disabled=plan.needs_typed_count,
                )

    def on_mount(self) -> None:
        if self.plan.needs_typed_count:
            self.query_one("#typed-count", Input).focus()
        else:
            self.query_one("#cancel", Button).focus()

    @on(Input.Changed, "#typed-count")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = event.value != str(self.plan.count)

    @on(Input.Submitted, "#typed-count")
    def _typed_enter(self, event: Input.Submitted) -> None:
        # The typed count is the confirmation: Enter after it goes ahead.
        if event.value == str(self.plan.count):
            self.dismiss(self.plan.count)
            return
        hint = self.query_one(".dialog--hint", Static)
        typed = event.value or "nothing"
        hint.update(
            f"{typed} is not {self.plan.count}: type {self.plan.count} to confirm, "
            "or Esc to change nothing."
        )

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        if not self.plan.needs_typed_count:
            self.dismiss(0)
            return
        typed = self.query_one("#typed-count", Input).value
        if typed == str(self.plan.count):
            self.dismiss(int(typed))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes / no question about a write; Cancel has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm-write-cancel"),
        *VIM_FOCUS,
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ConfirmDialog")
        + """
    ConfirmDialog > Vertical { border: thick $warning; }
    """
        + "ConfirmDialog {"
        + _BUTTON_CSS
        + "}"
    )

    def __init__(self, title: str, lines: Sequence[Content | str], confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), classes="dialog--title")
            for line in self.lines:
                # A plain string may hold API text: it goes through the cleaner; a
                # Content was built from cleaned parts (`tui.text.labelled`, `literal`).
                yield Static(literal(line, multiline=True) if isinstance(line, str) else line)
            with Horizontal(classes="dialog--buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm_label, variant="warning", id="confirm")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ActionResultDialog(ModalScreen[None]):
    """The outcome of an action where some people failed: who, and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss", "Close", id="result-close"),
    ]
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ActionResultDialog")
        + """
    ActionResultDialog > Vertical { border: thick $error; }
    ActionResultDialog VerticalScroll { height: auto; max-height: 16; margin-top: 1; }
    """
    )

    def __init__(self, plan: ActionPlan, result: ActionResult, *, marked: bool = True) -> None:
        super().__init__()
        self.plan = plan
        self.result = result
        self.marked = marked
        """The action was for marked people (they stay marked), not the highlighted one."""

    def compose(self) -> ComposeResult:
        names = {
            r.key: (f"{r.name} <{r.email}>" if r.name else r.email) for r in self.plan.registrants
        }
        failed: tuple[ActionOutcome, ...] = self.result.failed
        with Vertical():
            yield Label("Some people were not processed", classes="dialog--title", markup=False)
            yield Static(self.plan.result_sentence(self.result), markup=False)
            if self.result.note:
                yield Static(literal(self.result.note, multiline=True), classes="dialog--hint")
            with VerticalScroll():
                for outcome in failed[:MAX_FAILURES_SHOWN]:
                    who = names.get(outcome.target_key, outcome.target_key)
                    yield Static(
                        Content.assemble(
                            ("\u2717 ", "$text-error"),
                            (clean(who), "bold"),
                            "\n    ",
                            (clean(outcome.message or "No reason given."), "$text-muted"),
                        )
                    )
                if len(failed) > MAX_FAILURES_SHOWN:
                    yield Static(
                        f"and {len(failed) - MAX_FAILURES_SHOWN:,} more (see the "
                        "audit log: meetdeck audit)",
                        markup=False,
                    )
            yield Static(
                "They stay marked; refresh (r) to see their current status."
                if self.marked
                else "Refresh (r) to see their current status.",
                classes="dialog--hint",
                markup=False,
            )
            yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
