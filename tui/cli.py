"""The `meetdeck` command line.

`meetdeck` alone opens the TUI; subcommands answer without it. This module only parses
arguments and dispatches to `tui/cmd/<name>.py: run(args) -> int`, importing the one
module a command needs, so that `meetdeck lookup` never pays for textual, httpx or
pydantic.
"""

from __future__ import annotations

import importlib
import sys
from types import SimpleNamespace

from tui import __version__

# typing costs more than a whole `meetdeck lookup` query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any

# RegistrantStatus's values (a test checks they match; the fast path skips the import).
_STATUSES = ("pending", "approved", "denied", "unregistered", "deleted", "cancelled", "other")
_KINDS = (
    "registrant",
    "organizer",
    "meeting",
    "training",
    "webinar",
    "recording",
    "support_session",
    "group",
)
_SCOPES = (
    "organizers",
    "meetings",
    "historical",
    "events",
    "registrants",
    "recordings",
    "support",
    "groups",
)


class _Option:
    """One option, as both parsers read it: argparse (`_add`) and the fast parser
    (`_fast_parse`) are built from the same tables, so they cannot disagree on a name,
    a default or the values a choice takes."""

    __slots__ = ("choices", "default", "dest", "help", "kind", "metavar", "names")

    def __init__(
        self,
        *names: str,
        dest: str,
        kind: str = "str",
        default: object = None,
        help: str | None = None,
        metavar: str | None = None,
        choices: tuple[str, ...] | None = None,
    ) -> None:
        self.names, self.dest, self.kind, self.default = names, dest, kind, default
        self.help, self.metavar, self.choices = help, metavar, choices


#: Options every command takes, before or after the subcommand.
_COMMON = (
    _Option(
        "--profile",
        "-p",
        dest="profile",
        metavar="NAME",
        help="the profile (account) to use; default: default_profile",
    ),
    _Option(
        "--demo",
        dest="demo",
        kind="flag",
        default=False,
        help="use the built-in sandbox instead of a real account",
    ),
    _Option(
        "--read-only",
        dest="read_only",
        kind="flag",
        default=False,
        help="refuse every write (approve, deny, cancel, create)",
    ),
    _Option(
        "--seed", dest="seed", kind="int", default=1, help="demo sandbox: data seed (default 1)"
    ),
    _Option(
        "--registrants",
        dest="registrants",
        kind="int",
        default=500,
        metavar="N",
        help="demo sandbox: registrants in the big webinar (default 500)",
    ),
)
#: The TUI's tabs, for `--view` (a test checks they match tui.widgets.panes.TAB_IDS).
_VIEWS = ("organizers", "meetings", "events", "registrants", "recordings", "support")
#: Options of `meetdeck` alone (the TUI), besides the common ones.
_TUI = (
    _Option("--theme", dest="theme", help="Textual theme for this run"),
    _Option("--view", dest="view", choices=_VIEWS, help="the tab to open on"),
    _Option(
        "--event",
        dest="event",
        metavar="ID",
        help="open on the registrants of this training or webinar (its ID)",
    ),
    _Option(
        "--status",
        dest="status",
        choices=_STATUSES,
        help="open on the registrants with this status",
    ),
    _Option("--filter", dest="filter", metavar="TEXT", help="open with this '/' filter"),
)
#: Options of `meetdeck lookup QUERY`, besides the common ones.
_LOOKUP = (
    _Option(
        "--json", dest="json", kind="flag", default=False, help="JSON lines instead of a table"
    ),
    _Option("--status", dest="status", choices=_STATUSES),
    _Option("--kind", dest="kind", choices=_KINDS),
    _Option("--limit", dest="limit", kind="int", default=50),
)


def _add(
    parser: argparse.ArgumentParser, options: Sequence[_Option], *, suppress: bool = False
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


_COMMANDS = (
    "config",
    "sandbox",
    "auth",
    "sync",
    "lookup",
    "download",
    "audit",
    "approve",
    "deny",
    "cancel",
    "register",
    "meeting",
    "list",
)
#: Commands whose module is not named after them (tui/cmd/<module>.py).
_MODULES = {
    "approve": "registrants",
    "deny": "registrants",
    "cancel": "registrants",
    "list": "listing",
}
# Top-level options that take a value, so `_command_in` can skip that value.
_VALUED = {name for option in (*_COMMON, *_TUI) if option.kind != "flag" for name in option.names}


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`, if any (a cheap scan before argparse runs)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED:
            skip = True
        elif token in _COMMANDS:
            return token
        elif not token.startswith("-"):
            return None
    return None


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
    _add(parser, (*_TUI, *_COMMON))
    common = argparse.ArgumentParser(add_help=False)
    _add(common, _COMMON, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
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
        choices=_SCOPES,
        help="only these scopes (repeatable); default: everything",
    )


def _lookup(sub: Any, common: argparse.ArgumentParser) -> None:
    lookup = sub.add_parser("lookup", parents=[common], help="search the local cache")
    lookup.add_argument("query", help="name, email, subject or title (any part of it)")
    _add(lookup, _LOOKUP)


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


def _fast_parse(
    argv: Sequence[str], command: str | None, options: Sequence[_Option], query: bool
) -> dict[str, Any] | None:
    """The common forms of a command line without argparse, or None (see fast_args).

    Takes the common options and `options`. `command` must appear once (None: no
    command, the TUI); with `query`, the one word that is neither an option nor the
    command fills `values["query"]`.
    """
    # As argparse: every top-level option has its default, whatever the command.
    values: dict[str, Any] = {option.dest: option.default for option in (*_TUI, *_COMMON, *options)}
    values["command"] = command
    if query:
        values["query"] = None
    named = {name: option for option in (*_COMMON, *options) for name in option.names}
    words = list(argv)
    seen_command = command is None
    i = 0
    while i < len(words):
        word = words[i]
        option = named.get(word)
        if word == command and not seen_command:
            seen_command = True
        elif option is not None and option.kind == "flag":
            values[option.dest] = True
        elif option is not None and i + 1 < len(words) and not words[i + 1].startswith("-"):
            raw = words[i + 1]
            if option.kind == "int":
                if not raw.isdigit():
                    return None
                values[option.dest] = int(raw)
            elif option.choices is not None and raw not in option.choices:
                return None
            else:
                values[option.dest] = raw
            i += 1
        elif word.startswith("-") or not seen_command or not query or values["query"] is not None:
            return None
        else:
            values["query"] = word
        i += 1
    return values


def fast_args(argv: Sequence[str], command: str | None) -> SimpleNamespace | None:
    """Parse a plain `meetdeck [options]` (the TUI) or `meetdeck lookup ...` without
    argparse, or None to let argparse do it.

    argparse (with gettext, locale and shutil behind it) costs about as much as the
    whole lookup, and a tenth of the TUI's way to its first frame; these are the two
    commands that must answer at once. Only the common forms are taken here; anything
    else (--help, --version, abbreviations, an unknown option, a bad value) goes to
    argparse, which explains the problem. Both read the same option tables (`_COMMON`,
    `_TUI`, `_LOOKUP`), and a test checks that they agree.
    """
    if command is None:
        found = _fast_parse(argv, None, _TUI, query=False)
    elif command == "lookup":
        found = _fast_parse(argv, "lookup", _LOOKUP, query=True)
        if found is not None and found["query"] is None:
            return None
    else:
        return None
    return None if found is None else SimpleNamespace(**found)


# Options whose value is opaque and may start with "-" (one sign-in code in 64 does):
# argparse would take `--code -5RM...` for two options, so the pair becomes `--code=...`.
_OPAQUE_VALUED = ("--code",)
# Options whose value is a path: bytes that are not UTF-8 are a legal file name there.
_PATH_VALUED = ("--to",)


def _not_utf8(arguments: Sequence[str]) -> str | None:
    """The first argument that is not valid UTF-8 (path values aside), shown escaped."""
    after_path_option = False
    for token in arguments:
        is_path = after_path_option or token.startswith(tuple(f"{o}=" for o in _PATH_VALUED))
        after_path_option = token in _PATH_VALUED
        if is_path:
            continue
        try:
            token.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
            return token.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def _join_opaque(arguments: Sequence[str]) -> list[str]:
    """`--code VALUE` as `--code=VALUE`, so a value starting with "-" stays a value."""
    joined: list[str] = []
    words = iter(arguments)
    for word in words:
        if word in _OPAQUE_VALUED:
            value = next(words, None)
            joined.append(word if value is None else f"{word}={value}")
        else:
            joined.append(word)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `meetdeck` console script and `python -m tui`.

    Output into a pipe that closed early (`meetdeck lookup x | head`) ends the command
    quietly with 141, as SIGPIPE ends `cat`: stdout is flushed here, where the error
    can still be caught, rather than at interpreter exit.
    """
    try:
        try:
            return _main(argv)
        finally:
            if sys.stdout is not None:  # None when started with stdout closed (>&-)
                sys.stdout.flush()
    except BrokenPipeError:
        import os

        # Nothing more can reach the reader; keep the interpreter's final flush quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141


def _main(argv: Sequence[str] | None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    bad = _not_utf8(arguments)
    if bad is not None:
        from tui.core.display.cleaning import clean

        print(
            f"meetdeck: the argument {clean(bad)!r} is not valid UTF-8. Check the "
            "terminal's character set (LANG, LC_ALL) and type it again.",
            file=sys.stderr,
        )
        return 2
    arguments = _join_opaque(arguments)
    command = _command_in(arguments)
    if command is None and argv is None:
        # No collections until the first frame is drawn (see `tui.startup`).
        from tui.startup import hold_gc

        hold_gc()
    args: Any = fast_args(arguments, command) or build_parser(only=command).parse_args(arguments)
    command = args.command or "tui"
    if command not in ("tui", "sandbox"):  # the TUI shows it as a notification
        _warn_exposed_config()
    try:
        module = importlib.import_module(f"tui.cmd.{_MODULES.get(command, command)}")
        result: int = module.run(args)
        return result
    except KeyboardInterrupt:
        import contextlib

        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # the reader went away: `main` ends quietly
    except Exception as exc:  # the last line of defence: never a traceback
        return _report(exc)


def _warn_exposed_config() -> None:
    """Warn on stderr when config.toml holds secrets that others can read."""
    from tui.core.settings.paths import config_file_text, resolve_paths
    from tui.core.settings.quick import exposed_config

    path = config_file_text() or str(resolve_paths().config_file)
    warning = exposed_config(path)
    if warning:
        print(f"meetdeck: warning: {warning}", file=sys.stderr)


def _report(exc: BaseException) -> int:
    """Print a person's problem as one line; log a bug (anything else) to a crash file.

    A crash log is for bugs only: typed errors, and the disk and network errors the
    operating system or httpx raise, are the person's to fix and say so in a sentence.
    """
    from tui.core.display.cleaning import clean
    from tui.core.errors import MeetdeckError

    if isinstance(exc, MeetdeckError):
        print(f"meetdeck: {exc.title}: {exc.sentence}", file=sys.stderr)
        return 2
    problem = _user_problem(exc)
    if problem is not None:
        print(clean(f"meetdeck: {problem}"), file=sys.stderr)
        return 1
    import traceback

    from tui.core.settings.paths import ensure_dir, resolve_paths

    try:
        paths = resolve_paths()
        crash = ensure_dir(paths.data_dir) / "crash.log"
        with crash.open("a", encoding="utf-8") as fh:
            traceback.print_exception(exc, file=fh)
        where = f" Details were written to {crash}."
    except OSError:
        where = ""
    print(f"meetdeck: unexpected error ({type(exc).__name__}).{where}", file=sys.stderr)
    return 1


def _user_problem(exc: BaseException) -> str | None:
    """ "Title: sentence" for a network or disk error that escaped untyped, else None."""
    import socket

    httpx = sys.modules.get("httpx")  # only loaded by the commands that talk to a cloud
    if (httpx is not None and isinstance(exc, httpx.TransportError)) or isinstance(
        exc, ConnectionError | TimeoutError | socket.gaierror
    ):
        detail = str(exc) or type(exc).__name__  # a timeout's text is often empty
        return f"Network unreachable: {detail}. Check the connection and try again."
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename else ""
        return f"Cannot use a local file{where}: {reason}. Check the disk and permissions."
    return None


if __name__ == "__main__":
    raise SystemExit(main())
