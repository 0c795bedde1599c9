"""`meetdeck meeting create|update|delete`: GoTo Meeting and Zoom meetings from a shell.

The same writes as the TUI's meeting forms, through the same gate (`Deck.write_meeting`):
read-only refusal, the confirmation naming the meeting, the audit intent on disk before
the request and the outcome after it. Times without an offset are read in `--timezone`,
else the profile's or the config's `timezone`, else UTC. `update` changes only what is
given and keeps the rest as cached. `delete` on a terminal asks for the meeting's
subject or ID to be typed; without a terminal it needs `--yes`. `--dry-run` prints what
would be sent and sends nothing.

Exit codes: 0 done (or, with --dry-run, would be); 1 the service refused or the
confirmation was declined; 2 nothing was sent because of the command line, the profile
(read-only) or a missing terminal; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from tui.cmd.output import progress_line
from tui.cmd.registrants import NO_TERMINAL, Refused
from tui.core.display.cleaning import clean, json_line

if TYPE_CHECKING:
    from tui.core.deck.facade import Deck
    from tui.core.deck.write_plans import MeetingPlan
    from tui.core.models import Meeting, MeetingDraft, Provider

_ACTIONS = {"create": "create_meeting", "update": "update_meeting", "delete": "delete_meeting"}


def run(args: argparse.Namespace) -> int:
    """Create, change or delete the meeting `args` names."""
    import asyncio
    from contextlib import ExitStack

    from tui.cmd.opening import open_command_deck, refused_read_only
    from tui.terminal import ending_signals

    command = f"meetdeck meeting {args.meeting_command}"
    if not (args.yes or args.dry_run or sys.stdin.isatty()):
        print(clean(f"{command}: {NO_TERMINAL}"), file=sys.stderr)
        return 2
    with ExitStack() as stack:
        stack.enter_context(ending_signals())
        opened = open_command_deck(args, stack)
        deck = opened.deck
        if refused_read_only(opened, command, dry_run=args.dry_run):
            return 2
        zone = args.timezone or _profile_zone(opened.paths, opened.profile, opened.demo)
        try:
            return asyncio.run(_act(deck, opened.demo, args, zone, command))
        except Refused as exc:
            print(clean(f"{command}: {exc}"), file=sys.stderr)
            return 2


def _profile_zone(paths: object, profile: str, demo: bool) -> str | None:
    """The profile's `timezone`, else the config's (None: neither says)."""
    from tui.core.settings.config import load_settings
    from tui.core.settings.paths import Paths

    if not isinstance(paths, Paths):
        return None
    settings = load_settings(paths)
    own = None if demo else settings.profiles.get(profile)
    return (own.timezone if own is not None else None) or settings.timezone


def _provider(name: str | None) -> Provider | None:
    from tui.core.models import Provider

    return {"goto": Provider.GOTO_MEETING, "zoom": Provider.ZOOM}.get(name or "")


async def _act(
    deck: Deck, demo: bool, args: argparse.Namespace, zone: str | None, command: str
) -> int:
    from tui.core.sync.types import ScopeKind

    try:
        if demo:
            await deck.demo_sign_in()
        action = _ACTIONS[args.meeting_command]
        provider = _provider(args.provider)
        key: str | None = getattr(args, "meeting_id", None)
        current = None
        if key is not None:
            current = _cached(deck, key, provider)
            if current is None:
                await deck.sync_all(kinds=[ScopeKind.MEETINGS])
                current = _cached(deck, key, provider)
            if current is None:
                raise Refused(
                    f"no upcoming meeting has the ID {key} in this profile. `meetdeck lookup "
                    "SUBJECT --kind meeting` shows the IDs."
                )
            provider = current.provider
        draft = _draft(args, current, zone) if action != "delete_meeting" else None
        plan = deck.plan_meeting(
            action,
            provider,
            meeting_key=key,
            draft=draft,
            organizer=getattr(args, "organizer", None),
            timezone=zone,
        )
        if not plan.capability and not (args.dry_run and deck.read_only):
            raise Refused(f"{plan.capability.reason} Nothing was sent.")
        if args.dry_run:
            _show(plan, sys.stdout)
            progress_line("Dry run: nothing was sent.")
            return 0
        typed = _confirm(plan, args.yes)
        if typed is None:
            progress_line("Not confirmed; nothing was sent.")
            return 1
        written = await deck.write_meeting(plan, plan.confirm(typed or None))
        if args.json:
            outcome = written.result.outcomes[0] if written.result.outcomes else None
            meeting = written.meeting
            progress_line(
                json_line(
                    {
                        "action": plan.action,
                        "result": "done" if written.ok else "failed",
                        "provider": plan.provider.value,
                        "meeting": meeting.key if meeting is not None else plan.meeting_key,
                        "subject": meeting.subject if meeting is not None else plan.subject,
                        "start": meeting.start.isoformat() if meeting is not None else None,
                        "join_url": meeting.join_url if meeting is not None else None,
                        "reason": "" if written.ok or outcome is None else outcome.message,
                    }
                )
            )
        else:
            progress_line(written.sentence)
        if written.result.note:
            print(clean(f"{command}: {written.result.note}"), file=sys.stderr)
        return 0 if written.ok else 1
    finally:
        await deck.aclose()


def _cached(deck: Deck, key: str, provider: Provider | None) -> Meeting | None:
    from tui.core.models import MeetingKind
    from tui.core.store.views import ViewQuery

    view = deck.meetings(ViewQuery(provider=provider, kind=MeetingKind.UPCOMING))
    index = view.index_of(key)
    if index is None:
        return None
    found = view.rows(index, 1)
    return found[0] if found else None


def _draft(args: argparse.Namespace, current: Meeting | None, zone: str | None) -> MeetingDraft:
    """The meeting as it is to be: what the command line gives, the rest as cached."""
    from datetime import timedelta

    from tui.core.deck.form_checks import parse_when
    from tui.core.models import MeetingDraft

    zone = args.timezone or (current.timezone if current is not None else None) or zone
    try:
        start = parse_when(args.start, zone) if args.start else None
        end = parse_when(args.end, zone) if args.end else None
    except ValueError as exc:
        raise Refused(f"{exc} Nothing was sent.") from None
    if current is None and (start is None or end is None or not args.subject):
        raise Refused("a new meeting needs --subject, --start and --end. Nothing was sent.")
    if start is None:
        start = current.start if current is not None else None
    if end is None and current is not None:
        length = (current.end - current.start) if current.end else timedelta(hours=1)
        end = (start + length) if start is not None and args.start else current.end
        if end is None and start is not None:
            end = start + length
    if start is None or end is None:  # only for a meeting cached without times
        raise Refused("give --start and --end. Nothing was sent.")
    password = args.password_required
    if password is None:
        password = bool(current.password_required) if current is not None else False
    kind = args.type or (current.meeting_type if current is not None else None) or "scheduled"
    return MeetingDraft(
        subject=args.subject or (current.subject if current is not None else ""),
        start=start,
        end=end,
        timezone=zone,
        meeting_type=kind,
        password_required=password,
    )


def _show(plan: MeetingPlan, out: TextIO) -> None:
    print(plan.question, file=out)
    print(f"  Meeting: {plan.event_label}", file=out)
    print(f"  Profile: {clean(plan.profile)}", file=out)
    for line in plan.lines:
        print(f"    {line}", file=out)


def _confirm(plan: MeetingPlan, yes: bool) -> str | None:
    """What confirms the plan ("" for a yes; the subject or ID typed for a delete), or
    None when declined. With --yes a delete is confirmed by its ID."""
    if yes:
        return plan.meeting_key or "" if plan.needs_typed_name else ""
    if not sys.stdin.isatty():
        raise Refused(NO_TERMINAL)
    out = sys.stderr
    _show(plan, out)
    if plan.needs_typed_name:
        print(plan.typed_hint, file=out)
        print("Type it, anything else stops: ", end="", file=out, flush=True)
        typed = sys.stdin.readline().strip()
        return typed if typed and typed in plan.typed_answers else None
    print(f"{plan.verb}? [y/N] ", end="", file=out, flush=True)
    return "" if sys.stdin.readline().strip().lower() in ("y", "yes") else None
