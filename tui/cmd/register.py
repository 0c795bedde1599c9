"""`meetdeck register --event ID --email E --first-name F --last-name L`: register one
person for a GoTo Training training or a Zoom webinar or meeting, from a shell.

The same write as the TUI's register form, through the same gate (`Deck.register`):
read-only refusal, the confirmation naming the event and the person, the audit intent
on disk before the request and the outcome after it. `--approve` approves the person at
once where a Zoom event approves people by hand (`auto_approve`). `--dry-run` prints
what would be sent and sends nothing; without a terminal, `--yes` is needed.

Exit codes: 0 registered (or, with --dry-run, would be); 1 the service refused (already
registered, registration closed) or the confirmation was declined; 2 nothing was sent
because of the command line, the profile (read-only) or a missing terminal; 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from tui.cmd.output import progress_line
from tui.cmd.registrants import NO_TERMINAL, Refused, event_scope
from tui.core.display.cleaning import clean, json_line

if TYPE_CHECKING:
    from tui.core.deck.facade import Deck
    from tui.core.deck.write_plans import RegistrationPlan

COMMAND = "meetdeck register"


def run(args: argparse.Namespace) -> int:
    """Register the person `args` names."""
    import asyncio
    from contextlib import ExitStack

    from tui.cmd.opening import open_command_deck, refused_read_only
    from tui.terminal import ending_signals

    if not (args.yes or args.dry_run or sys.stdin.isatty()):
        print(clean(f"{COMMAND}: {NO_TERMINAL}"), file=sys.stderr)
        return 2
    with ExitStack() as stack:
        stack.enter_context(ending_signals())
        opened = open_command_deck(args, stack)
        deck = opened.deck
        if refused_read_only(opened, COMMAND, dry_run=args.dry_run):
            return 2
        try:
            return asyncio.run(_register(deck, opened.demo, args))
        except Refused as exc:
            print(clean(f"{COMMAND}: {exc}"), file=sys.stderr)
            return 2


async def _register(deck: Deck, demo: bool, args: argparse.Namespace) -> int:
    from tui.core.deck.form_checks import Person

    try:
        if demo:
            await deck.demo_sign_in()
        scope = await event_scope(deck, args.event, args.provider)
        person = Person(args.email, args.first_name, args.last_name or "", approve=args.approve)
        plan = deck.plan_registration(scope, person)
        if not plan.capability and not (args.dry_run and deck.read_only):
            raise Refused(f"{plan.capability.reason} Nothing was sent.")
        if args.dry_run:
            _show(plan, sys.stdout)
            progress_line("Dry run: nothing was sent.")
            return 0
        if not args.yes and not _confirmed(plan):
            progress_line("Not confirmed; nothing was sent.")
            return 1
        done = await deck.register(plan, plan.confirm())
        r = done.registrant
        outcome = done.result.outcomes[0] if done.result.outcomes else None
        if args.json:
            progress_line(
                json_line(
                    {
                        "action": "register",
                        "result": "done" if r is not None else "failed",
                        "email": plan.person.email.strip(),
                        "name": r.name if r is not None else "",
                        "registrant_key": r.key if r is not None else None,
                        "status": r.status.value if r is not None else None,
                        "provider": plan.provider.value,
                        "event": plan.event_key,
                        "join_url": r.join_url if r is not None else None,
                        "reason": "" if r is not None or outcome is None else outcome.message,
                    }
                )
            )
        else:
            progress_line(done.sentence)
        if done.result.note:
            print(clean(f"{COMMAND}: {done.result.note}"), file=sys.stderr)
        return 0 if r is not None else 1
    finally:
        await deck.aclose()


def _show(plan: RegistrationPlan, out: TextIO) -> None:
    lines = (
        plan.question,
        f"  Event:   {plan.event_label}",
        f"  Profile: {clean(plan.profile)}",
        *(f"    {line}" for line in plan.lines),
    )
    for line in lines:
        print(line, file=out)


def _confirmed(plan: RegistrationPlan) -> bool:
    if not sys.stdin.isatty():
        raise Refused(NO_TERMINAL)
    _show(plan, sys.stderr)
    print("Register? [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")
