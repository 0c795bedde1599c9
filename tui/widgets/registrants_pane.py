"""The registrants tab: status filter, marks, and approve / deny / cancel.

`space` marks a row, `*` marks the whole filtered view (without reading it: the rows
are read once, when an action asks for them). Marks belong to the event they were made
in: drilling into another event puts them away, and coming back brings them back (`*`
marks "this view", so they end with it). `a`, `d` and `x` act on the marked people, or
on the highlighted one when nothing is marked, and only for the event on screen:

1. the Deck says whether the provider can do it for the event on screen (the plan
   carries that event, and the Deck refuses anyone not registered for it); if not, a
   toast says why (GoTo Training approvals happen in its admin site: `m` copies that page's link);
2. `ConfirmActionDialog` names the action, the count, the first people, the event and
   the profile; nothing is sent unless it is confirmed;
3. a worker (group "actions") sends it through the Deck's write gate;
4. the handler re-reads the view at once (the Deck already updated the cache), keeps
   the cursor by key, unmarks the people the service confirmed and shows a toast, or
   a dialog listing who failed and why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.core.errors import MeetdeckError
from tui.core.models import Provider, Registrant, RegistrantStatus
from tui.core.sync.types import Scope, ScopeKind
from tui.widgets import columns
from tui.widgets.pane import EntityPane
from tui.widgets.read_ahead import ReadAhead
from tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from tui.core.deck.api import Capabilities, DeckApi, ViewQuery
    from tui.core.deck.types import ActionPlan, ListView
    from tui.core.models import ActionResult
    from tui.widgets.pane_types import PaneScope

#: `v` goes from all to each status in turn: the decisions, then who left
#: (unregistered, deleted, cancelled here) and statuses meetdeck does not know.
STATUS_CYCLE: tuple[RegistrantStatus | None, ...] = (None, *RegistrantStatus)


class RegistrantsPane(EntityPane[Registrant]):
    """Registrants, usually of one event; `v` cycles the status filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy(0)", "Copy", show=False, id="copy"),
        # The status line shows the status filter, so the footer leaves `v` out.
        Binding(
            "v",
            "cycle_status",
            "Status",
            show=False,
            id="status-filter",
            tooltip=(
                "Cycle the status filter: all, pending, approved, denied, unregistered, "
                "deleted, cancelled, other"
            ),
        ),
        Binding(
            "a",
            "registrant_action('approve')",
            "Approve",
            id="approve",
            tooltip="Approve the marked registrants (or the highlighted one)",
        ),
        Binding(
            "d",
            "registrant_action('deny')",
            "Deny",
            id="deny",
            tooltip="Deny the marked registrants (or the highlighted one)",
        ),
        Binding(
            "x",
            "registrant_action('cancel')",
            "Cancel",
            id="cancel-registration",
            tooltip="Cancel the registration of the marked registrants",
        ),
        Binding(
            "n",
            "register",
            "Register",
            show=False,
            id="register-someone",
            tooltip="Register someone for the event on screen",
        ),
        Binding(
            "m",
            "manage_url",
            "Admin page",
            show=False,
            id="manage-url",
            tooltip="Copy the link of the training's admin page (GoTo Training)",
        ),
    ]

    TITLE = "Registrants"
    KIND = "registrants"
    KIND_ONE = "registrant"
    COLUMNS = columns.REGISTRANTS
    REFRESH_KINDS = (ScopeKind.REGISTRANTS,)
    MARKABLE = True
    OPENABLE = False
    WRITE_ACTIONS = frozenset({"registrant_action", "register"})

    class Marked(Message):
        """Registrants were marked or unmarked (for batch actions)."""

        def __init__(self, pane: RegistrantsPane, count: int) -> None:
            super().__init__()
            self.pane = pane
            self.count = count

    class ActionRequested(Message):
        """An action the provider offers was asked for: the screen asks for
        confirmation, then calls `send_action` (nothing is sent before)."""

        def __init__(self, pane: RegistrantsPane, plan: ActionPlan, *, marked: bool) -> None:
            super().__init__()
            self.pane = pane
            self.plan = plan
            self.marked = marked
            """Whether the action is for the marked people (else the highlighted one)."""

    class ActionDone(Message):
        """A confirmed action came back with its per-person outcome (the pane updates
        its marks; the screen re-reads the panes and shows the outcome)."""

        def __init__(
            self,
            plan: ActionPlan,
            result: ActionResult,
            *,
            marked: bool,
            view: tuple[Provider | None, str] | None = None,
        ) -> None:
            super().__init__()
            self.plan = plan
            self.result = result
            self.marked = marked
            self.view = view
            """The event whose view the marks were made in (None: all registrants)."""

    class ManageUrlFetched(Message):
        """The GoTo Training admin page link arrived (`m`)."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status: RegistrantStatus | None = None
        self._binding_provider: Provider | None = None
        self._put_away: dict[tuple[Provider | None, str] | None, list[Registrant]] = {}
        """Marks of the events not on screen, by (provider, event key); None: unscoped."""
        self.read_ahead: ReadAhead[Registrant] = ReadAhead(self)
        """An event's first rows, read while its row rests highlighted (read_ahead.py)."""

    # -- the view ------------------------------------------------------------------

    def build_query(self) -> ViewQuery:
        return self.with_scope_fields(super().build_query(), status=self.status)

    def visible_columns(self) -> list[Column]:
        # One event's registrants need no event column.
        scoped = self.scope is not None and self.scope.event_key is not None
        return [c for c in self.COLUMNS if not (scoped and c.key == "event")]

    def make_view(self, deck: DeckApi, query: ViewQuery) -> ListView[Registrant]:
        return deck.registrants(query)

    def detail_of(self, row: Registrant) -> object:
        return self.host.deck.detail(
            "registrant", row.key, provider=row.provider, event_key=row.event_key
        )

    def refresh_scope(self) -> Scope | None:
        """The one event's registrants, when the pane is scoped to an event."""
        scope = self.scope
        if scope is None or scope.event_key is None or scope.provider is None:
            return None
        return Scope(ScopeKind.REGISTRANTS, scope.provider, scope.event_key, scope.event_kind)

    def set_scope(self, scope: PaneScope | None) -> None:
        """Show another event's registrants: this event's marks are put away, and the
        marks made earlier in that event come back."""
        leaving, entering = self._event_key(self.scope), self._event_key(scope)
        if leaving != entering and self.is_mounted:
            # `*` marks "this view": it does not outlive it.
            kept = [] if self.table.marks_all else self.table.marked_rows()
            if kept:
                self._put_away[leaving] = kept
            else:
                self._put_away.pop(leaving, None)
            self.table.set_marked(self._put_away.pop(entering, ()))
        super().set_scope(scope)

    @staticmethod
    def _event_key(scope: PaneScope | None) -> tuple[Provider | None, str] | None:
        if scope is None or scope.event_key is None:
            return None
        return scope.provider, scope.event_key

    def mode_text(self) -> str:
        return f"status: {self.status.value if self.status else 'all'}"

    def load(self, *, keep_cursor: bool = True) -> None:
        # `*` marks "this view": when the view changes, that mark no longer means it.
        # Another order of the same rows is the same view.
        if (
            self.is_mounted
            and self.table.marks_all
            and self.last_query is not None
            and replace(self.last_query, sort=None, descending=False)
            != replace(self.build_query(), sort=None, descending=False)
        ):
            self.table.clear_marks()
        read = self.read_ahead.take(self.build_query())
        if read is None:
            super().load(keep_cursor=keep_cursor)
            return
        self.filter.stale()  # as `load` does
        self.show_view(
            read.query,
            read.view,
            keep_cursor=keep_cursor,
            first_page=read.first_page,
            count=read.total,
        )

    def reload(self) -> None:
        self.read_ahead.drop()  # the cache changed: what was read ahead may be stale
        super().reload()

    def action_cycle_status(self) -> None:
        index = STATUS_CYCLE.index(self.status)
        self.status = STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)]
        self.load(keep_cursor=True)

    def on_virtual_table_marks_changed(self, event: VirtualTable.MarksChanged) -> None:
        self.post_message(self.Marked(self, event.count))

    # -- which keys show ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        provider = self._row_provider()
        if action == "registrant_action":
            caps = self._capabilities(provider)
            # Hidden where the provider cannot do it; the key still says why.
            name = str(parameters[0]) if parameters else ""
            return caps is None or bool(getattr(caps, name, True))
        if action == "manage_url":
            return provider is Provider.GOTO_TRAINING
        return True

    def explain_hidden(self, action: str, parameters: tuple[object, ...], what: str) -> None:
        if action == "registrant_action":
            # Read-only, or the provider cannot: the action itself says which.
            self.action_registrant_action(str(parameters[0]))
        else:
            super().explain_hidden(action, parameters, what)

    def _row_provider(self) -> Provider | None:
        if not self.is_mounted:
            return None
        row = self.table.cursor_value
        return row.provider if row is not None else None

    def _capabilities(self, provider: Provider | None) -> Capabilities | None:
        if provider is None:
            return None
        return self.host.deck.capabilities(provider)

    def show_detail(self) -> None:
        super().show_detail()
        # The footer offers what the highlighted row's provider can do.
        provider = self._row_provider()
        if provider is not self._binding_provider:
            self._binding_provider = provider
            self.screen.refresh_bindings()

    # -- approve / deny / cancel -----------------------------------------------------------

    def targets(self) -> tuple[list[Registrant], bool]:
        """Who an action is for: the marked rows, else the highlighted one; and whether
        they are the marked ones."""
        if self.table.mark_count:
            return self.table.marked_rows(), True
        row = self.table.cursor_value
        return ([row] if row is not None else []), False

    def action_register(self) -> None:
        scope = self.refresh_scope()
        if scope is None or scope.event_key is None:
            self.app.notify(
                "Open an event's registrants first (Enter on a training or webinar).",
                markup=False,
                timeout=5,
            )
            return
        self.request_event_write("register", scope, "Register")

    def action_registrant_action(self, action: str) -> None:
        deck = self.host.deck
        if deck.read_only:
            self.refuse_read_only(action.capitalize())
            return
        people, marked = self.targets()
        try:
            plan = deck.plan_registrant_action(action, people, self.refresh_scope())
        except MeetdeckError as error:
            self.host.show_error(error)
            return
        if not plan.capability:
            self._not_offered(plan)
            return
        self.post_message(self.ActionRequested(self, plan, marked=marked))

    def send_action(self, plan: ActionPlan, typed: int | None, marked: bool) -> None:
        """Send a confirmed action (`typed`: the count the person typed, if asked)."""
        self._run_action(plan, typed, marked, self._event_key(self.scope))

    def _not_offered(self, plan: ActionPlan) -> None:
        reason = plan.capability.reason or f"{plan.action.value.capitalize()} is not offered here."
        hint = ""
        if plan.provider is Provider.GOTO_TRAINING and plan.action.value != "cancel":
            hint = " Press m to copy the training's admin page link."
        self.app.notify(
            reason + hint,
            title=f"Cannot {plan.action.value}",
            severity="warning",
            markup=False,
            timeout=8,
        )

    @work(group="actions", exit_on_error=False)
    async def _run_action(
        self,
        plan: ActionPlan,
        typed: int | None,
        marked: bool,
        view: tuple[Provider | None, str] | None,
    ) -> None:
        await self.host.prepare_sync()
        result = await self.host.deck.run_registrant_action(plan, plan.confirm(typed))
        self.post_message(self.ActionDone(plan, result, marked=marked, view=view))

    def on_registrants_pane_action_done(self, event: ActionDone) -> None:
        plan, result = event.plan, event.result
        if event.marked:
            failed = {outcome.target_key for outcome in result.failed}
            still = [r for r in plan.registrants if r.key in failed]
            if event.view == self._event_key(self.scope):
                self.table.set_marked(still)
            elif still:
                # Another event is on screen by now: the failed stay marked in theirs.
                self._put_away[event.view] = still
            else:
                self._put_away.pop(event.view, None)
        # The message goes on to the screen: it re-reads the panes and tells the outcome.

    # -- GoTo Training's admin page ---------------------------------------------------------

    def action_manage_url(self) -> None:
        row = self.table.cursor_value
        if row is None or row.provider is not Provider.GOTO_TRAINING:
            return
        self._fetch_manage_url(row.event_key)

    @work(group="manage-url", exclusive=True, exit_on_error=False)
    async def _fetch_manage_url(self, event_key: str) -> None:
        await self.host.prepare_sync()
        url = await self.host.deck.manage_url(event_key)
        self.post_message(self.ManageUrlFetched(url.url))

    def on_registrants_pane_manage_url_fetched(self, event: ManageUrlFetched) -> None:
        self.host.copy_text(event.url, "the training's admin page link")
