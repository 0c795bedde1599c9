"""`meetdeck sync`: refresh the local cache, with a progress bar on a terminal.

Exit codes: 0 when every scope synced, 1 when some failed (a summary says which and
why; their previous data stays in the cache), 2 for a configuration problem, 130 when
interrupted. With --demo the sandbox is started here and signed in to through the real
OAuth code path; its cache lives apart from every real profile's.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from tui.cmd.output import progress_line
from tui.core.display.cleaning import clean

if TYPE_CHECKING:
    from rich.console import Console

    from tui.core.deck.facade import Deck
    from tui.core.sync.types import SyncProgress, SyncReport


def run(args: argparse.Namespace) -> int:
    """Sync the profile (or the demo) and print progress and a summary."""
    import asyncio
    from contextlib import ExitStack

    from tui.cmd.opening import open_command_deck
    from tui.core.sync.types import ScopeKind
    from tui.startup import bulk_gc
    from tui.terminal import ending_signals

    kinds = [ScopeKind(s) for s in args.scope] if getattr(args, "scope", None) else None
    with ExitStack() as stack:
        # SIGTERM and SIGHUP stop the sync as Ctrl+C does: the bar shows the cursor again.
        stack.enter_context(ending_signals())
        opened = open_command_deck(args, stack)
        bulk_gc()
        deck, name = opened.deck, opened.profile
        if deck.notice:
            print(f"meetdeck sync: {deck.notice}", file=sys.stderr)
        report = asyncio.run(_sync(deck, opened.demo, kinds))
    return _summary(report, name)


async def _sync(deck: Deck, demo: bool, kinds: Any) -> SyncReport:
    try:
        if demo:
            from tui.core.errors import MeetdeckError

            try:
                await deck.demo_sign_in()
            except MeetdeckError as exc:
                # Zoom signs in on its own; the GoTo scopes will report this again.
                print(
                    clean(f"meetdeck sync: demo sign-in: {exc.title}: {exc.sentence}"),
                    file=sys.stderr,
                )
        if sys.stdout.isatty():
            return await _with_bar(deck, kinds)
        return await deck.sync_all(_plain_line, kinds=kinds)
    finally:
        await deck.aclose()


def _plain_line(event: SyncProgress) -> None:
    """One line per finished scope, for logs and pipes."""
    from tui.core.sync.types import ScopeState

    if event.state in (ScopeState.STARTED, ScopeState.WORKING):
        return
    detail = f"{event.items} rows" if event.state is ScopeState.DONE else event.state.value
    if event.note:
        detail += f" ({event.note})"
    if event.state is ScopeState.FAILED:
        failure = next((f for f in event.errors if f.scope == event.scope), None)
        if failure is not None:
            detail = f"failed: {failure.error.title}"
    progress_line(clean(f"[{event.done}/{event.total}] {event.scope.label}: {detail}"))


async def _with_bar(deck: Deck, kinds: Any, console: Console | None = None) -> SyncReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tui.cmd.output import running_bar
    from tui.core.sync.types import ScopeState

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        transient=False,
        console=console,
    )
    with running_bar(progress) as bar:
        task = bar.add_task("Syncing", total=None)
        running: list[str] = []

        def on_progress(event: SyncProgress) -> None:
            label = event.scope.label
            if event.state is ScopeState.WORKING:
                return
            if event.state is ScopeState.STARTED:
                running.append(label)
            elif label in running:
                running.remove(label)
            if event.state is ScopeState.FAILED:
                bar.console.print(f"[red]✗[/] {_escape(label)}", highlight=False)
            elif event.note:
                bar.console.print(
                    f"[yellow]![/] {_escape(clean(f'{label}: {event.note}'))}", highlight=False
                )
            now = running[-1] if running else "Syncing"
            bar.update(task, total=event.total, completed=event.done, description=_escape(now))

        return await deck.sync_all(on_progress, kinds=kinds)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _summary(report: SyncReport, profile: str) -> int:
    for scope, note in report.notes:
        # Not a failure (everyone else's rows are stored), so with the summary on stdout.
        print(clean(f"  {scope.label}: {note}"))
    for scope, count in report.cut:
        print(
            clean(
                f"  {scope.label}: {count} text value(s) longer than the cache keeps "
                "were cut (they end in \u2026)."
            ),
            file=sys.stderr,
        )
    if report.cancelled:
        print(f"Sync of {profile!r} was cancelled; finished scopes were kept.", file=sys.stderr)
        return 130
    if report.ok:
        print(f"Synced {len(report.synced)} scopes of profile {profile!r}.")
        return 0
    print(
        f"Synced {len(report.synced)} scopes of profile {profile!r}; "
        f"{len(report.failed)} failed (their previous data is kept):",
        file=sys.stderr,
    )
    for problem in report.problems():
        error, scopes = problem.error, problem.scopes
        if len(scopes) == 1:
            line = f"  - {scopes[0].label}: {error.title}: {error.sentence}"
        else:
            names = ", ".join(s.label for s in scopes[:3])
            rest = f" and {len(scopes) - 3} more" if len(scopes) > 3 else ""
            line = f"  - {error.title}: {error.sentence} ({len(scopes)} scopes: {names}{rest})"
        print(clean(line), file=sys.stderr)
    return 1
