"""What a `meetdeck` command line says: the option tables, and the fast parser.

`meetdeck` alone (the TUI) and `meetdeck lookup` must answer at once, and argparse
(with gettext, locale and shutil behind it) costs about as much as the whole lookup, so
`fast_args` reads their common forms without it. argparse (`tui/cli_parser.py`) is
built from the same tables, so the two cannot disagree on a name, a default or the
values a choice takes; a test checks that they agree. This module imports nothing.
"""

from __future__ import annotations

from types import SimpleNamespace

# typing costs more than a whole `meetdeck lookup` query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

# RegistrantStatus's values (a test checks they match; the fast path skips the import).
STATUSES = ("pending", "approved", "denied", "unregistered", "deleted", "cancelled", "other")
KINDS = (
    "registrant",
    "organizer",
    "meeting",
    "training",
    "webinar",
    "recording",
    "support_session",
    "group",
)
SCOPES = (
    "organizers",
    "meetings",
    "historical",
    "events",
    "registrants",
    "recordings",
    "support",
    "groups",
)


class Option:
    """One option, as both parsers read it: argparse (`tui/cli_parser.py`) and the fast
    parser (`fast_args`) are built from the same tables, so they cannot disagree on a
    name, a default or the values a choice takes."""

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
COMMON = (
    Option(
        "--profile",
        "-p",
        dest="profile",
        metavar="NAME",
        help="the profile (account) to use; default: default_profile",
    ),
    Option(
        "--demo",
        dest="demo",
        kind="flag",
        default=False,
        help="use the built-in sandbox instead of a real account",
    ),
    Option(
        "--read-only",
        dest="read_only",
        kind="flag",
        default=False,
        help="refuse every write (approve, deny, cancel, create)",
    ),
    Option(
        "--seed", dest="seed", kind="int", default=1, help="demo sandbox: data seed (default 1)"
    ),
    Option(
        "--registrants",
        dest="registrants",
        kind="int",
        default=500,
        metavar="N",
        help="demo sandbox: registrants in the big webinar (default 500)",
    ),
)
#: The TUI's tabs, for `--view` (a test checks they match tui.widgets.panes.TAB_IDS).
VIEWS = ("organizers", "meetings", "events", "registrants", "recordings", "support")
#: Options of `meetdeck` alone (the TUI), besides the common ones.
TUI = (
    Option("--theme", dest="theme", help="Textual theme for this run"),
    Option("--view", dest="view", choices=VIEWS, help="the tab to open on"),
    Option(
        "--event",
        dest="event",
        metavar="ID",
        help="open on the registrants of this training or webinar (its ID)",
    ),
    Option(
        "--status",
        dest="status",
        choices=STATUSES,
        help="open on the registrants with this status",
    ),
    Option("--filter", dest="filter", metavar="TEXT", help="open with this '/' filter"),
)
#: Options of `meetdeck lookup QUERY`, besides the common ones.
LOOKUP = (
    Option("--json", dest="json", kind="flag", default=False, help="JSON lines instead of a table"),
    Option("--status", dest="status", choices=STATUSES),
    Option("--kind", dest="kind", choices=KINDS),
    Option("--limit", dest="limit", kind="int", default=50),
)
#: Every subcommand, in the order `meetdeck --help` lists them.
COMMANDS = (
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
# Top-level options that take a value, so `command_in` can skip that value.
_VALUED = {name for option in (*COMMON, *TUI) if option.kind != "flag" for name in option.names}


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv`, if any (a cheap scan before argparse runs)."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in _VALUED:
            skip = True
        elif token in COMMANDS:
            return token
        elif not token.startswith("-"):
            return None
    return None


def _fast_parse(
    argv: Sequence[str], command: str | None, options: Sequence[Option], query: bool
) -> dict[str, Any] | None:
    """The common forms of a command line without argparse, or None (see fast_args).

    Takes the common options and `options`. `command` must appear once (None: no
    command, the TUI); with `query`, the one word that is neither an option nor the
    command fills `values["query"]`.
    """
    # As argparse: every top-level option has its default, whatever the command.
    values: dict[str, Any] = {option.dest: option.default for option in (*TUI, *COMMON, *options)}
    values["command"] = command
    if query:
        values["query"] = None
    named = {name: option for option in (*COMMON, *options) for name in option.names}
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
    argparse, which explains the problem. Both read the same option tables (`COMMON`,
    `TUI`, `LOOKUP`), and a test checks that they agree.
    """
    if command is None:
        found = _fast_parse(argv, None, TUI, query=False)
    elif command == "lookup":
        found = _fast_parse(argv, "lookup", LOOKUP, query=True)
        if found is not None and found["query"] is None:
            return None
    else:
        return None
    return None if found is None else SimpleNamespace(**found)
