"""argparse for `meetdeck`: one branch per command, with its help and examples.

Building every branch costs more than a whole `meetdeck lookup`, so `build_parser`
builds only the branch the command line names, and only when the fast parser
(`tui/cli_options.py`) leaves the command line to argparse: --help, a subcommand other
than `lookup`, or something to explain. The common, TUI and lookup options come from the
tables there.
"""

from __future__ import annotations

from tui import __version__
from tui.cli_options import COMMANDS, COMMON, LOOKUP, SCOPES, TUI, Option

# typing costs more than a whole `meetdeck lookup` query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any


def _add(
    parser: argparse.ArgumentParser, options: Sequence[Option], *, suppress: bool = False
) -> None:
    """Add `options` to an argparse parser (`suppress`: no defaults, for the copy of the
    common options after a subcommand, so they do not reset values given before it)."""
    import argparse

    for option in options:
        kwargs: dict[str, Any] = {
            "default": argparse.SUPPRESS if suppress else option.default,
            "help": option.help,
        }
        if option.kind == "flag":
            kwargs["action"] = "store_true"
        else:
            if option.kind == "int":
                kwargs["type"] = int
            if option.metavar is not None:
                kwargs["metavar"] = option.metavar
            if option.choices is not None:
                kwargs["choices"] = option.choices
        parser.add_argument(*option.names, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with `only`, just that subcommand's branch.

    Building every branch costs more than a whole `meetdeck lookup`, so `main` builds
    only the one the command line names (all of them for --help or no command).
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="meetdeck",
        description="A keyboard-driven console for GoTo Meeting, GoTo Training, "
        "GoTo Assist and Zoom accounts. Without a command, opens the TUI.",
    )
    parser.add_argument("--version", action="version", version=f"meetdeck {__version__}")
    _add(parser, (*TUI, *COMMON))
    common = argparse.ArgumentParser(add_help=False)
    _add(common, COMMON, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        if only is None or only == name:
            _BRANCHES[name](sub, common)
    return parser


def _config(sub: Any, common: argparse.ArgumentParser) -> None:
    sub.add_parser(
        "config",
        parents=[common],
        help="show resolved paths and the active profile (secrets masked)",
    )


def _sandbox(sub: Any, common: argparse.ArgumentParser) -> None:
    sandbox = sub.add_parser("sandbox", help="serve the local fake GoTo + Zoom cloud")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--seed", type=int, default=1)
    sandbox.add_argument("--registrants", type=int, default=500, metavar="N")
    sandbox.add_argument(
        "--organizers",
        type=int,
        default=28,
        metavar="N",
        help="GoTo organizers in the account (default 28; more come in groups of 20-60)",
    )
    sandbox.add_argument("--latency-ms", type=int, default=0, metavar="N")
    sandbox.add_argument("--error-rate", type=float, default=0.0, metavar="F")
    sandbox.add_argument("--token-ttl", type=int, default=3600, metavar="S")
    sandbox.add_argument("--rate-limit-scale", type=float, default=1.0, metavar="F")
    sandbox.add_argument(
        "--zoom-plan",
        default="pro",
        choices=("pro", "business", "business_plus", "enterprise", "education"),
        help="the Zoom plan whose per-second limits the sandbox enforces",
    )


def _auth(sub: Any, common: argparse.ArgumentParser) -> None:
    auth = sub.add_parser("auth", parents=[common], help="sign in, check or sign out")
    auth_sub = auth.add_subparsers(dest="auth_command", metavar="ACTION", required=True)
    login = auth_sub.add_parser("login", parents=[common], help="sign in to GoTo or Zoom")
    login.add_argument("provider", choices=("goto", "zoom"))
    login.add_argument(
        "--code",
        metavar="URL_OR_CODE",
        help="the redirected URL or code, instead of pasting it at the prompt",
    )
    auth_sub.add_parser("status", parents=[common], help="who is signed in, until when")
    logout = auth_sub.add_parser("logout", parents=[common], help="remove stored tokens")
    logout.add_argument("provider", nargs="?", choices=("goto", "zoom"))


def _sync(sub: Any, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser("sync", parents=[common], help="refresh the local cache")
    sync.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        help="only these scopes (repeatable); default: everything",
    )


def _lookup(sub: Any, common: argparse.ArgumentParser) -> None:
    lookup = sub.add_parser("lookup", parents=[common], help="search the local cache")
    lookup.add_argument("query", help="name, email, subject or title (any part of it)")
    _add(lookup, LOOKUP)


def _download(sub: Any, common: argparse.ArgumentParser) -> None:
    download = sub.add_parser("download", parents=[common], help="download a recording")
    download.add_argument("recording_id")
    download.add_argument("--to", metavar="DIR", help="target folder (default: download dir)")


def _audit(sub: Any, common: argparse.ArgumentParser) -> None:
    audit = sub.add_parser("audit", parents=[common], help="print the audit log of writes")
    audit.add_argument("--since", metavar="WHEN", help="ISO date/time, or an age like 2h, 3d")
    audit.add_argument("--json", action="store_true", help="raw JSON lines")


_REGISTRANT_EXAMPLES = """\
examples:
  meetdeck {verb} --event 8123456789 --email ana@example.com --email bo@example.com
  meetdeck {verb} --event 8123456789 --from people.txt --dry-run
  grep @partner.example list.csv | meetdeck {verb} --event 8123456789 --from - --yes
  meetdeck {verb} --event 8123456789 --all-pending --yes --json{cron}

Every write goes through the TUI's gate: read-only profiles refuse, the audit log
records the intent before the request and each person's outcome after it.
exit codes: 0 every person done; 1 someone failed, is not registered, is already
{state}, or the confirmation was declined; 2 nothing sent (command line, read-only
profile, no terminal to confirm on and no --yes); 130 interrupted.
"""
_REGISTRANT_HELP = {
    "approve": ("approve pending registrants (Zoom)", "approved"),
    "deny": ("deny registrants (Zoom)", "denied"),
    "cancel": ("cancel registrations (GoTo Training, Zoom)", "cancelled"),
}


def _registrant_command(verb: str) -> Callable[[Any, argparse.ArgumentParser], None]:
    def branch(sub: Any, common: argparse.ArgumentParser) -> None:
        import argparse

        summary, state = _REGISTRANT_HELP[verb]
        cron = (
            "\n  # crontab: every morning at 7, approve everyone pending from a partner\n"
            "  0 7 * * * meetdeck approve --event 8123456789 --all-pending "
            "--domain partner.example --yes --json >> ~/approvals.jsonl"
            if verb == "approve"
            else ""
        )
        parser = sub.add_parser(
            verb,
            parents=[common],
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}, from the shell, through the same "
            "confirmation, audit log and read-only rules as the TUI.",
            epilog=_REGISTRANT_EXAMPLES.format(verb=verb, cron=cron, state=state),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.add_argument(
            "--event",
            required=True,
            metavar="ID",
            help="the training key, webinar ID or meeting ID (the provider's own key)",
        )
        parser.add_argument(
            "--provider", choices=("goto", "zoom"), help="when both have an event with that ID"
        )
        who = parser.add_argument_group("who (one of)")
        who.add_argument(
            "--email", action="append", metavar="ADDRESS", help="a registrant (repeatable)"
        )
        who.add_argument(
            "--from",
            dest="from_file",
            metavar="FILE",
            help="one address per line (- reads stdin); # comments and blank lines skipped",
        )
        who.add_argument("--all-pending", action="store_true", help="everyone waiting for approval")
        parser.add_argument(
            "--dry-run", action="store_true", help="print who would change; send nothing"
        )
        parser.add_argument(
            "--yes", action="store_true", help="confirmed: do not ask (needed without a terminal)"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per person")

    return branch


_WRITE_RULES = """
Every write goes through the TUI's gate: read-only profiles refuse and send nothing,
the audit log records the intent before the request and the outcome after it.
exit codes: 0 done; 1 the service refused, or the confirmation was declined; 2 nothing
sent (command line, read-only profile, no terminal to confirm on and no --yes);
130 interrupted.
"""


def _write_flags(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--dry-run", action="store_true", help=f"print the {what}; send nothing")
    parser.add_argument(
        "--yes", action="store_true", help="confirmed: do not ask (needed without a terminal)"
    )
    parser.add_argument("--json", action="store_true", help="the outcome as one JSON object")


def _register(sub: Any, common: argparse.ArgumentParser) -> None:
    import argparse

    parser = sub.add_parser(
        "register",
        parents=[common],
        help="register someone for a training (GoTo), webinar or meeting (Zoom)",
        description="Register one person for a GoTo Training training or a Zoom webinar or "
        "meeting, through the same confirmation, audit log and read-only rules as the TUI.",
        epilog="examples:\n"
        "  meetdeck register --event 8123456789 --email ana@example.com "
        "--first-name Ana --last-name Silva\n"
        "  meetdeck register --event 81140460449 --email bo@example.com --first-name Bo "
        "--approve --yes --json\n"
        "  meetdeck register --event 8123456789 --email cy@example.com --first-name Cy "
        "--last-name Ode --dry-run\n" + _WRITE_RULES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--event", required=True, metavar="ID", help="the training key, webinar or meeting ID"
    )
    parser.add_argument(
        "--provider", choices=("goto", "zoom"), help="when both have an event with that ID"
    )
    parser.add_argument("--email", required=True, metavar="ADDRESS")
    parser.add_argument("--first-name", required=True, metavar="NAME")
    parser.add_argument(
        "--last-name", metavar="NAME", help="required by GoTo Training, optional on Zoom"
    )
    parser.add_argument(
        "--approve",
        action="store_true",
        help="Zoom: approve at once where the event approves people by hand (auto_approve)",
    )
    _write_flags(parser, "registration")


_MEETING_EXAMPLES = {
    "create": "  meetdeck meeting create --subject 'Weekly sync' --start '2031-03-04 09:30' "
    "--end '2031-03-04 10:15'\n"
    "  meetdeck meeting create --provider zoom --organizer ana@example.com --subject Kickoff "
    "--start 2031-03-04T09:30:00Z --end 2031-03-04T10:00:00Z --timezone Europe/Berlin --yes\n",
    "update": "  meetdeck meeting update 123456789 --subject 'Weekly sync (moved)' "
    "--start '2031-03-05 09:30' --end '2031-03-05 10:15'\n"
    "  meetdeck meeting update 123456789 --password-required --dry-run\n",
    "delete": "  meetdeck meeting delete 123456789            # asks for the subject or ID\n"
    "  meetdeck meeting delete 123456789 --yes --json\n",
}


def _meeting(sub: Any, common: argparse.ArgumentParser) -> None:
    import argparse

    meeting = sub.add_parser(
        "meeting",
        parents=[common],
        help="create, change or delete a GoTo Meeting or Zoom meeting",
        description="Create, change or delete a meeting through the same confirmation, "
        "audit log and read-only rules as the TUI. Times without an offset are in "
        "--timezone, else the profile's or the config's timezone, else UTC.",
    )
    actions = meeting.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)
    helps = {
        "create": "create a meeting",
        "update": "change a meeting (only what is given)",
        "delete": "delete a meeting (the subject or ID is typed to confirm)",
    }
    for name, summary in helps.items():
        parser = actions.add_parser(
            name,
            parents=[common],
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}.",
            epilog="examples:\n" + _MEETING_EXAMPLES[name] + _WRITE_RULES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name != "create":
            parser.add_argument("meeting_id", metavar="ID", help="the meeting ID")
        parser.add_argument(
            "--provider",
            choices=("goto", "zoom"),
            help="GoTo Meeting or Zoom (default: the meeting's; goto for a new one)",
        )
        if name != "delete":
            parser.add_argument("--subject", metavar="TEXT", required=name == "create")
            parser.add_argument(
                "--start", metavar="WHEN", required=name == "create", help="2031-03-04 09:30"
            )
            parser.add_argument("--end", metavar="WHEN", required=name == "create")
            parser.add_argument("--timezone", metavar="ZONE", help="IANA name, e.g. Europe/Berlin")
            parser.add_argument(
                "--type",
                choices=("scheduled", "recurring", "immediate"),
                help="GoTo Meeting's meeting type (default scheduled)",
            )
            parser.add_argument(
                "--password-required",
                action=argparse.BooleanOptionalAction,
                default=None,
                help="GoTo Meeting: joining needs the meeting password",
            )
        else:
            parser.set_defaults(timezone=None)
        if name == "create":
            parser.add_argument(
                "--organizer", metavar="KEY", help="Zoom: the user (ID or email) it is for"
            )
        _write_flags(parser, "meeting")


_LIST_KINDS = (
    "organizers",
    "groups",
    "meetings",
    "trainings",
    "webinars",
    "registrants",
    "recordings",
    "support",
)
_LIST_EXAMPLES = """\
examples:
  meetdeck list organizers
  meetdeck list organizers --group 4400123 --json
  meetdeck list meetings --organizer 8123456789 --since 7d
  meetdeck list meetings --status upcoming --provider zoom --json
  meetdeck list registrants --event 8123456789 --status pending --csv > pending.csv
  meetdeck list recordings --since 2026-01-01 --json | jq -r .id
  meetdeck list support --status FINISHED

Reads the local cache only (run `meetdeck sync` first); nothing is sent anywhere.
--json: one object per line, each with "provider" and "id" (the provider's own key).
--csv: a header, then one row per record; cells that would run as a formula in a
spreadsheet are written as text.
exit codes: 0 rows printed; 1 nothing matched; 2 a filter that does not apply, no
profile or no cache.
"""


def _list(sub: Any, common: argparse.ArgumentParser) -> None:
    import argparse

    parser = sub.add_parser(
        "list",
        parents=[common],
        help="print a cached view (organizers, meetings, registrants, ...) without the TUI",
        description="Print one view of the local cache as a table, JSON lines or CSV.",
        epilog=_LIST_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("kind", choices=_LIST_KINDS, metavar="KIND", help=", ".join(_LIST_KINDS))
    parser.add_argument(
        "--event",
        metavar="ID",
        help="registrants or recordings of one training, webinar or meeting",
    )
    parser.add_argument(
        "--organizer",
        metavar="KEY",
        help="meetings, trainings or webinars of one organizer (an organizer by key or email)",
    )
    parser.add_argument(
        "--group", metavar="KEY", help="organizers of one GoTo Meeting group (its key)"
    )
    parser.add_argument(
        "--status",
        metavar="S",
        help="registrants: pending, approved, ...; meetings: upcoming, historical or the "
        "provider's status; others: their status column",
    )
    parser.add_argument("--since", metavar="WHEN", help="ISO date/time, or an age like 2h, 3d")
    parser.add_argument("--provider", choices=("goto", "zoom"), help="rows of one provider")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="one JSON object per line")
    form.add_argument("--csv", action="store_true", help="CSV with a header")


_BRANCHES: dict[str, Callable[[Any, argparse.ArgumentParser], None]] = {
    "config": _config,
    "sandbox": _sandbox,
    "auth": _auth,
    "sync": _sync,
    "lookup": _lookup,
    "download": _download,
    "audit": _audit,
    "approve": _registrant_command("approve"),
    "deny": _registrant_command("deny"),
    "cancel": _registrant_command("cancel"),
    "register": _register,
    "meeting": _meeting,
    "list": _list,
}
