"""Command palette providers (ctrl+p): jump to anything cached, switch profile or theme,
start a sync. Titles read `group: action`.

Textual's palette parses a *string* prompt or help text as markup, so every prompt
here is a `Content` built with `tui.text` and API text never goes into `help`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.core.errors import MeetdeckError
from tui.text import clean, labelled

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.deck.api import SearchHit
    from tui.core.deck.facade import Deck
    from tui.screens.main import MainScreen
    from tui.widgets.meetings_pane import MeetingsPane

SEARCH_LIMIT = 30

_TAB_OF_KIND = {
    "organizer": "organizers",
    "meeting": "meetings",
    "training": "events",
    "webinar": "events",
    "registrant": "registrants",
    "recording": "recordings",
    "support_session": "support",
    "group": "organizers",
}


class PaletteHost(Protocol):
    """What the palette needs from the app beyond Textual's App (`MeetdeckApp`)."""

    @property
    def open_deck(self) -> Deck | None: ...

    async def open_profile(self, profile: str | None) -> None: ...

    async def action_show_downloads(self) -> None: ...

    async def action_show_notifications(self) -> None: ...

    def switch_theme(self, name: str) -> None: ...


def _main_screen(app: App[Any]) -> MainScreen | None:
    from tui.screens.main import MainScreen

    for screen in reversed(app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    return None


async def jump_to(app: App[Any], hit: SearchHit) -> None:
    """Show the tab that holds `hit` with the cursor on it (clearing filters as needed)."""
    from tui.widgets.meetings_pane import MeetingsPane
    from tui.widgets.pane import PaneScope
    from tui.widgets.registrants_pane import RegistrantsPane

    main = _main_screen(app)
    if main is None:
        return
    while app.screen is not main:
        app.pop_screen()
    tab = _TAB_OF_KIND.get(hit.kind)
    if tab is None:
        return
    pane = main.pane(tab)
    pane.filter_text = ""
    if hit.kind == "registrant" and isinstance(pane, RegistrantsPane):
        pane.status = None
        if hit.event_key is not None:
            pane.set_scope(
                PaneScope(
                    label=hit.event_title or hit.event_key,
                    event_key=hit.event_key,
                    provider=hit.provider,
                )
            )
    elif hit.kind == "group":
        # A group drills to its organizers, as Enter on it in the groups view does.
        pane.set_scope(
            PaneScope(label=hit.title or hit.key, group_key=hit.key, provider=hit.provider)
        )
    else:
        pane.set_scope(None)
    await main.show_tab(tab)
    pane.load(keep_cursor=False)
    if hit.kind == "group":
        return
    found = pane.table.move_to_key(hit.key)
    if not found and isinstance(pane, MeetingsPane):
        found = _find_meeting(pane, hit.key)
    if not found:
        app.notify(
            "That row is not in this view any more; try a refresh (r).",
            severity="warning",
            markup=False,
        )


def _find_meeting(pane: MeetingsPane, key: str) -> bool:
    """Try the other meeting kind, then a ten-year window, to find a meeting."""
    from tui.core.models import MeetingKind

    for kind in (MeetingKind.UPCOMING, MeetingKind.HISTORICAL):
        pane.meeting_kind = kind
        pane.window_days = 3650
        pane.custom_window = None
        pane.load(keep_cursor=False)
        if pane.table.move_to_key(key):
            return True
    return False


def _hit_prompt(hit: SearchHit) -> Content:
    title = labelled(("bold", hit.kind), ": ", ("", hit.title))
    subtitle = clean(hit.subtitle)
    where = f"{hit.provider.label}" if hit.provider is not None else ""
    second = " \u00b7 ".join(part for part in (subtitle, clean(hit.status or ""), where) if part)
    return Content("\n").join([title, Content.assemble((second, "$text-muted"))])


def in_order(hits: list[SearchHit], query: str) -> list[SearchHit]:
    """The hits as the palette lists them: a word starting with the query first, then
    by name. The cache holds them in the order the sync stored them, which follows
    which scope answered first, so two runs could list equal hits in two orders."""
    wanted = query.strip().casefold()

    def order(hit: SearchHit) -> tuple[bool, str, str]:
        title = hit.title.casefold()
        starts = any(word.startswith(wanted) for word in title.split())
        letters = next((i for i, char in enumerate(title) if char.isalpha()), 0)
        return (not starts, title[letters:], hit.key)

    return sorted(hits, key=order)


class DeckSearch(Provider):
    """Everything cached, by name, email, subject, title, file name or notes:
    organizers, meetings, trainings, webinars, registrants, recordings, support
    sessions and GoTo Meeting groups."""

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if len(query) < 2:
            return
        deck = cast(PaletteHost, self.app).open_deck
        if deck is None:
            return
        try:
            hits = deck.search(query, limit=SEARCH_LIMIT)
        except MeetdeckError:
            return
        for rank, hit in enumerate(in_order(hits, query)):
            yield Hit(
                score=1.0 - rank / (SEARCH_LIMIT * 2),  # 0.5 to 1.0, in the Deck's order
                match_display=_hit_prompt(hit),
                command=partial(jump_to, self.app, hit),
                text=f"{hit.kind}: {clean(hit.title)}",
            )


def key_commands(main: MainScreen) -> list[tuple[str, str, Any]]:
    """Every key that works on the main screen now (the focused pane's approve, deny,
    cancel of the marked, export, status filter, copy, register, ...), as palette
    commands titled `group: action` (the help screen's groups), each running what its
    key runs; the key itself is in the help text."""
    from tui.screens.help import group_of

    app = main.app
    commands: list[tuple[str, str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for active in main.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description or not active.enabled:
            continue
        action = binding.action
        group = group_of(active.node).lower()
        if group == "table" and "mark" not in action:
            continue  # moving around is for keys, not the palette
        if action.startswith(("show_tab", "app.focus", "command_palette", "choose_columns")):
            continue  # the columns are "view: choose columns" below
        title = f"{group}: {binding.description.lower()}"
        if (group, action) in seen:
            continue
        seen.add((group, action))
        help_text = f"Key: {app.get_key_display(binding)}" + (
            f" \u00b7 {binding.tooltip}" if binding.tooltip else ""
        )
        commands.append((title, help_text, partial(app.run_action, action, active.node)))
    return commands


class DeckCommands(Provider):
    """Profile, theme, sync and view commands, and every key of the screen below."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        app = self.app
        host = cast(PaletteHost, app)
        main = _main_screen(app)
        commands: list[tuple[str, str, Any]] = []
        if main is not None:
            commands += key_commands(main)
            commands += [
                ("sync: start a full sync", "Refresh every scope now", main.action_sync_all),
                (
                    "sync: refresh this tab",
                    "Refresh what the current tab shows",
                    main.action_refresh,
                ),
                (
                    "view: cycle time zone",
                    "Local, UTC, the profile's zone",
                    main.action_cycle_timezone,
                ),
            ]
            commands.append(
                (
                    "view: downloads",
                    "Recording downloads and their progress (o)",
                    host.action_show_downloads,
                )
            )
            commands.append(
                ("view: toggle API log", "Show the API calls made (l)", main.action_toggle_api_log)
            )
            commands.append(
                (
                    "view: choose columns",
                    "Show or hide this tab's columns, kept in config.toml (C)",
                    main.active_pane.action_choose_columns,
                )
            )
            commands.append(
                (
                    "view: notifications",
                    "Past errors and notices, with their time (N)",
                    host.action_show_notifications,
                )
            )
            from tui.widgets.panes import PANES, TAB_IDS

            for tab, pane in zip(TAB_IDS, PANES, strict=True):
                commands.append(
                    (
                        f"go: {pane.TITLE.lower()}",
                        f"Show the {pane.TITLE} tab",
                        partial(main.show_tab, tab),
                    )
                )
        deck = host.open_deck
        current = deck.profile_name if deck is not None else None
        for name in deck.profiles() if deck is not None else ():
            if name != current:
                commands.append(
                    (
                        f"profile: switch to {clean(name)}",
                        "Open another account's cache",
                        partial(
                            app.run_worker,
                            partial(host.open_profile, name),
                            group="profile",
                            exit_on_error=False,
                        ),
                    )
                )
        for theme in sorted(app.available_themes):
            if theme != app.theme:
                commands.append(
                    (
                        f"theme: {theme}",
                        "Switch the colour theme",
                        partial(host.switch_theme, theme),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            if not title.startswith("theme:"):
                yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            raw = matcher.match(title)
            if raw > 0:
                # Textual's fuzzy scores run past 10; squeeze them into (0, 1) so the
                # weights below place commands against the records (0.5-1.0).
                score = raw / (raw + 4)
                # Below the search hits (0.5-1.0) unless the query names the group;
                # themes below everything else.
                group = title.split(":", 1)[0]
                named = query.strip().lower().startswith(group)
                weight = 1.0 if named else 0.3 if group == "theme" else 0.45
                display = Content(title)
                yield Hit(score * weight, display, callback, text=title, help=help_text)
