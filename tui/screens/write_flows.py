"""The dialogs the main screen opens around a write, and what their answers do.

Before a write: confirm a new support session, confirm a registrant action (typing
the count when it is large). After it: the outcome (a toast, or a dialog listing who
failed). At start-up: the writes a stopped process left unfinished. The panes post
the requests; the screen hands them here; the writes themselves run in the panes'
workers through the Deck's write gate.
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
    from tui.core.deck.types import ActionPlan, UnfinishedNotice
    from tui.core.models import ActionResult
    from tui.widgets.panes import SupportPane
    from tui.widgets.registrants_pane import RegistrantsPane


class WriteFlows:
    """Opens the write dialogs for `node` (the main screen) and acts on their answers."""

    def __init__(self, node: DOMNode) -> None:
        self._node = node

    @property
    def app(self) -> App[Any]:
        return self._node.app

    @property
    def host(self) -> DeckHost:
        return cast(DeckHost, self.app)

    def confirm_new_session(self, pane: SupportPane) -> None:
        """Ask before creating a GoTo Assist session; on yes, `pane` creates it."""
        from tui.screens.confirm import ConfirmDialog

        deck = self.host.deck

        def confirmed(yes: bool | None) -> None:
            if yes:
                pane.create_session()
            else:
                self.app.notify("Cancelled; nothing was sent.", markup=False, timeout=3)

        self.app.push_screen(
            ConfirmDialog(
                "Create a GoTo Assist support session?",
                [
                    Content.assemble("Profile: ", profile_badge(deck.profile_name, deck.accent)),
                    "A new remote support session is created in GoTo Assist (Seeit); you can "
                    "start it from the host link shown next.",
                ],
                "Create session",
            ),
            confirmed,
        )

    def confirm_action(self, pane: RegistrantsPane, plan: ActionPlan, marked: bool) -> None:
        """Ask before a registrant action; on a confirmation, `pane` sends it."""
        from tui.screens.confirm import ConfirmActionDialog

        def confirmed(typed: int | None) -> None:
            if typed is None:
                self.app.notify("Cancelled; nothing was sent.", markup=False, timeout=3)
                return
            pane.send_action(plan, typed or None, marked)

        self.app.push_screen(ConfirmActionDialog(plan, self.host.deck.accent), confirmed)

    def tell_outcome(self, plan: ActionPlan, result: ActionResult, *, marked: bool) -> None:
        """A toast when everyone's action went through, else a dialog of who failed
        (`marked`: the action was for marked people, and the failed stay marked)."""
        from tui.screens.confirm import ActionResultDialog

        if result.failed:
            self.app.push_screen(ActionResultDialog(plan, result, marked=marked))
        else:
            self.app.notify(plan.result_sentence(result), title="Done", markup=False, timeout=6)
            if result.note:
                self.app.notify(result.note, severity="warning", markup=False, timeout=10)

    def offer_unfinished(
        self, notices: Sequence[UnfinishedNotice], refresh: Callable[[], None]
    ) -> None:
        """Say that writes were left unfinished; `refresh()` when the person asks to."""
        from tui.screens.unfinished import UnfinishedWritesDialog

        def answered(yes: bool | None) -> None:
            if yes:
                refresh()

        self.app.push_screen(UnfinishedWritesDialog(notices), answered)
