"""`meetdeck approve|deny|cancel --event ID ...`: registrant writes from a shell.

The same write as the TUI's, through the same gate (`Deck.run_registrant_action`):
read-only refusal, the confirmation naming the event and the people, the audit intent
on disk before the request and the outcome per person after it. The event's registrants
are refreshed first, so the people are matched against what the service holds now.

Who: `--email` (repeatable), `--from FILE` (one address per line; `-` reads stdin;
blank lines and `#` comments are skipped; "Name <address>" and CSV rows work too), or
`--all-pending`, narrowed by `--domain` (a partner's people, from a cron job).
`--dry-run` prints who would change and sends nothing. On a terminal
without `--yes` the confirmation is asked as the TUI asks it (above ten people the count
must be typed); without a terminal and without `--yes` nothing is sent.

Exit codes: 0 when every person named is done; 1 when anyone failed, is not registered
for the event, is already in that state, or the confirmation was declined; 2 when
nothing was sent because of the command line, the profile (read-only) or a missing
terminal; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from tui.cmd.output import progress_line
from tui.core.display.cleaning import clean, json_line

if TYPE_CHECKING:
    from tui.core.deck.facade import Deck
    from tui.core.deck.types import ActionPlan
    from tui.core.models import Registrant
    from tui.core.providers.capabilities import RegistrantAction
    from tui.core.sync.types import Scope

#: What a person's line says, per result.
DONE, FAILED, NOT_FOUND, ALREADY, WOULD, NOT_SENT = (
    "done",
    "failed",
    "not-found",
    "already",
    "would-change",
    "not-sent",
)


NO_TERMINAL = (
    "there is no terminal to confirm on (stdin is not a terminal; with --from - it is "
    "the list). Check the list with --dry-run, then add --yes. Nothing was sent."
)


class Refused(Exception):
    """Nothing was sent: the sentence says why and what to do; exit code 2."""


@dataclass(frozen=True, slots=True)
class Person:
    """One person asked for, and what became of them."""

    asked: str
    """The address as given (or the registrant's, for --all-pending)."""
    registrant: Registrant | None
    result: str
    reason: str = ""


def run(args: argparse.Namespace) -> int:
    """Approve, deny or cancel the registrations `args` names."""
    import asyncio
    from contextlib import ExitStack

    from tui.cmd.opening import open_command_deck, refused_read_only
    from tui.core.providers.capabilities import RegistrantAction
    from tui.terminal import ending_signals

    command = f"meetdeck {args.command}"
    action = RegistrantAction(args.command)
    try:
        wanted = _wanted(args)
        if not (args.yes or args.dry_run or sys.stdin.isatty()):
            raise Refused(NO_TERMINAL)
    except Refused as exc:
        print(clean(f"{command}: {exc}"), file=sys.stderr)
        return 2
    with ExitStack() as stack:
        stack.enter_context(ending_signals())
        opened = open_command_deck(args, stack)
        deck = opened.deck
        if refused_read_only(
            opened,
            command,
            dry_run=args.dry_run,
            hint=" Use --dry-run to see who would change, or a writable profile.",
        ):
            return 2
        try:
            return asyncio.run(_act(deck, opened.demo, action, args, wanted, command))
        except Refused as exc:
            print(clean(f"{command}: {exc}"), file=sys.stderr)
            return 2


def _domains(args: argparse.Namespace) -> list[str]:
    """The --domain values, lower case, without a leading @ or dot."""
    return [d.strip().lower().lstrip("@.") for d in getattr(args, "domain", None) or []]


def _wanted(args: argparse.Namespace) -> list[str] | None:
    """The addresses asked for, in order and without repeats; None: every pending one."""
    emails: list[str] = list(getattr(args, "email", None) or [])
    source = getattr(args, "from_file", None)
    if args.all_pending and (emails or source):
        raise Refused("--all-pending takes no --email or --from; give one or the other.")
    if getattr(args, "domain", None) and not args.all_pending:
        raise Refused("--domain narrows --all-pending; with --email or --from, list the people.")
    if args.all_pending:
        return None
    if source is not None:
        emails += _read_addresses(source)
    if not emails:
        raise Refused(
            "say who: --email ADDRESS (repeatable), --from FILE (one address per line, "
            "- for stdin) or --all-pending."
        )
    seen: dict[str, str] = {}
    for email in emails:
        seen.setdefault(email.strip().lower(), email.strip())
    return list(seen.values())


def _read_addresses(source: str) -> list[str]:
    if source == "-":
        return addresses(sys.stdin)
    try:
        with open(source, encoding="utf-8") as fh:
            return addresses(fh)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise Refused(f"cannot read --from {source}: {reason}.") from None


def addresses(lines: Iterable[str]) -> list[str]:
    """The e-mail addresses in `lines`: one per line, the first field that holds an @
    ("Name <a@b>", a CSV row); blank lines and lines starting with # are skipped."""
    import re

    found: list[str] = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = re.search(r"[^\s<>,;\"']+@[^\s<>,;\"']+", text)
        if match is not None:
            found.append(match.group(0))
    return found


async def _act(
    deck: Deck,
    demo: bool,
    action: RegistrantAction,
    args: argparse.Namespace,
    wanted: list[str] | None,
    command: str,
) -> int:
    try:
        if demo:
            await deck.demo_sign_in()
        scope = await event_scope(deck, args.event, args.provider)
        report = await deck.refresh(scope)
        if report.failed:
            failure = report.failed[0]
            raise Refused(
                f"could not read the registrants of {scope.label}: {failure.error.title}: "
                f"{failure.error.sentence} Nothing was sent."
            )
        people = _match(deck, scope, action, wanted, _domains(args))
        targets = [p.registrant for p in people if p.result == WOULD and p.registrant]
        plan = deck.plan_registrant_action(action, targets, event=scope) if targets else None
        if plan is not None and not plan.capability and not args.dry_run:
            raise Refused(f"{plan.capability.reason} Nothing was sent.")
        if args.dry_run or plan is None:
            return _report(people, action, args.json, dry_run=True, plan=plan)
        typed = _confirm(plan, args.yes, command)
        if typed is None:
            declined = [_not_sent(p, "Not confirmed; nothing was sent.") for p in people]
            return _report(declined, action, args.json, dry_run=False, plan=plan)
        result = await deck.run_registrant_action(plan, plan.confirm(typed))
        outcomes = {o.target_key: o for o in result.outcomes}
        final: list[Person] = []
        for person in people:
            outcome = outcomes.get(person.registrant.key) if person.registrant else None
            if person.result != WOULD or outcome is None:
                final.append(person)
            elif outcome.ok:
                final.append(Person(person.asked, person.registrant, DONE))
            else:
                final.append(Person(person.asked, person.registrant, FAILED, outcome.message))
        if not args.json:
            progress_line(plan.result_sentence(result))
            if result.note:
                print(clean(f"{command}: {result.note}"), file=sys.stderr)
        return _report(final, action, args.json, dry_run=False, plan=plan)
    finally:
        await deck.aclose()


async def event_scope(deck: Deck, key: str, provider_name: str | None) -> Scope:
    """The registrants scope of the event `key`, syncing the event lists when the cache
    does not know it (always, on a first run)."""
    from tui.core.models import Provider
    from tui.core.sync.types import ScopeKind

    provider = Provider(provider_name) if provider_name else None
    found = deck.registration_events(key, provider)
    if not found:
        await deck.sync_all(kinds=[ScopeKind.EVENTS, ScopeKind.MEETINGS])
        found = deck.registration_events(key, provider)
    if not found:
        raise Refused(
            f"no training, webinar or meeting with registration has the ID {key} in this "
            "profile. `meetdeck lookup TITLE --kind training` (or webinar, meeting) "
            "shows the IDs."
        )
    if len(found) > 1:
        names = " and ".join(scope.provider.label for scope in found)
        raise Refused(f"both {names} have an event {key}; add --provider goto or zoom.")
    return found[0]


def _in_domains(email: str, domains: Sequence[str]) -> bool:
    """True when `domains` is empty or `email` is at one of them (subdomains too)."""
    if not domains:
        return True
    host = email.rpartition("@")[2].strip().lower()
    return any(host == d or host.endswith(f".{d}") for d in domains)


def _match(
    deck: Deck,
    scope: Scope,
    action: RegistrantAction,
    wanted: list[str] | None,
    domains: Sequence[str] = (),
) -> list[Person]:
    """Each person asked for, with the registrant the cache holds for them now."""
    from tui.core.models import RegistrantStatus
    from tui.core.store.views import ViewQuery

    view = deck.registrants(ViewQuery(event_key=scope.event_key, provider=scope.provider))
    everyone = view.rows(0, view.count())
    if wanted is None:
        pending = [r for r in everyone if r.status is RegistrantStatus.PENDING]
        return [Person(r.email, r, WOULD) for r in pending if _in_domains(r.email, domains)]
    by_email: dict[str, Registrant] = {}
    for each in everyone:
        by_email.setdefault(each.email.strip().lower(), each)
    already = {
        "approve": RegistrantStatus.APPROVED,
        "deny": RegistrantStatus.DENIED,
    }.get(action.value)
    people: list[Person] = []
    for email in wanted:
        registrant = by_email.get(email.lower())
        if registrant is None:
            reason = f"Not registered for {scope.label} (after a refresh just now)."
            people.append(Person(email, None, NOT_FOUND, reason))
        elif already is not None and registrant.status is already:
            people.append(Person(email, registrant, ALREADY, f"Already {already.value}."))
        else:
            people.append(Person(email, registrant, WOULD))
    return people


def _confirm(plan: ActionPlan, yes: bool, command: str) -> int | None:
    """The typed count the person confirmed with (the count itself with --yes), or
    None when they declined."""
    if yes:
        return plan.count
    if not sys.stdin.isatty():
        raise Refused(NO_TERMINAL)
    out = sys.stderr
    print(plan.question, file=out)
    print(f"  Event:   {plan.event_label}", file=out)
    print(f"  Profile: {clean(plan.profile)}", file=out)
    for line in plan.people_lines:
        print(f"    {line}", file=out)
    if plan.needs_typed_count:
        print(plan.typed_hint, file=out)
        answer = _ask(out, f"Type {plan.count} to {plan.action.value}, anything else stops: ")
        return plan.count if answer == str(plan.count) else None
    answer = _ask(out, f"{plan.go_label}? [y/N] ")
    return 0 if answer.lower() in ("y", "yes") else None


def _ask(out: TextIO, prompt: str) -> str:
    print(prompt, end="", file=out, flush=True)
    line = sys.stdin.readline()
    return line.strip()


def _not_sent(person: Person, reason: str) -> Person:
    if person.result != WOULD:
        return person
    return Person(person.asked, person.registrant, NOT_SENT, reason)


def _report(
    people: Sequence[Person],
    action: RegistrantAction,
    as_json: bool,
    *,
    dry_run: bool,
    plan: ActionPlan | None,
) -> int:
    """One line (or JSON object) per person; the exit code."""
    event = plan.event_label if plan is not None else ""
    if not people:
        progress_line(
            clean(f"Nobody to change: no pending registrants{' of ' + event if event else ''}.")
        )
        return 0
    for person in people:
        r = person.registrant
        if as_json:
            record = {
                "action": action.value,
                "result": person.result,
                "email": r.email if r is not None else person.asked,
                "name": r.name if r is not None else "",
                "registrant_key": r.key if r is not None else None,
                "provider": r.provider.value if r is not None else None,
                "event": r.event_key if r is not None else None,
                "status_before": r.status.value if r is not None else None,
                "reason": person.reason,
            }
            progress_line(json_line(record))
            continue
        who = f"{r.name} <{r.email}>" if r is not None and r.name else person.asked
        status = f" [{r.status.value}]" if r is not None else ""
        word = f"would {action.value}" if person.result == WOULD else person.result
        reason = f": {person.reason}" if person.reason else ""
        progress_line(clean(f"{word:<14} {who}{status}{reason}"))
    if dry_run and not as_json:
        would = sum(p.result == WOULD for p in people)
        where = f" of {event}" if event else ""
        progress_line(f"Dry run: {would} of {len(people)} would change{where}; nothing was sent.")
    wanted_result = WOULD if dry_run else DONE
    return 0 if all(p.result == wanted_result for p in people) else 1
