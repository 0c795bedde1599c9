"""The `meetdeck` command line: the entry point, dispatch, and errors without a traceback.

`meetdeck` alone opens the TUI; subcommands answer without it. `main` reads the command
line (`tui/cli_options.py` for the common forms, argparse in `tui/cli_parser.py` for the
rest) and dispatches to `tui/cmd/<name>.py: run(args) -> int`, importing the one module
a command needs, so that `meetdeck lookup` never pays for argparse, textual, httpx or
pydantic.
"""

from __future__ import annotations

import sys

from tui.cli_options import command_in, fast_args

# typing costs more than a whole `meetdeck lookup` query: for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

#: Commands whose module is not named after them (tui/cmd/<module>.py).
_MODULES = {
    "approve": "registrants",
    "deny": "registrants",
    "cancel": "registrants",
    "list": "listing",
}

#: Commands that hold no file open when they return, whose process may end without
#: the collector's exit sweep (not when `main` is called in-process, as tests do).
_QUICK_EXITS = ("lookup", "sync")

#: Commands that read many pages, whose process holds the collector while it loads
#: and then collects less often (`tui.startup.bulk_gc`).
_BULK_READS = ("sync",)

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
    command = command_in(arguments)
    if (command is None or command in _BULK_READS) and argv is None:
        # No collections until the first frame is drawn, or the command's modules are
        # loaded (see `tui.startup`).
        from tui.startup import hold_gc

        hold_gc()
    args: Any = fast_args(arguments, command)
    if args is None:
        from tui import cli_parser

        args = cli_parser.build_parser(only=command).parse_args(arguments)
    command = args.command or "tui"
    if command not in ("tui", "sandbox"):  # the TUI shows it as a notification
        _warn_exposed_config()
    if command != "lookup":  # it never loads httpx
        from tui.startup import skip_httpx_command_line

        skip_httpx_command_line()
    try:
        # `__import__` rather than `importlib.import_module`: importlib (and the
        # warnings module it loads) is a tenth of a millisecond `lookup` need not pay.
        name = f"tui.cmd.{_MODULES.get(command, command)}"
        __import__(name)
        module = sys.modules[name]
        result: int = module.run(args)
        if command in _QUICK_EXITS and argv is None:  # the process ends now
            from tui.startup import skip_exit_sweep

            skip_exit_sweep()
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
