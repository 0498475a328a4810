"""The `stockfloor` command: the window by default, headless commands for admins and scripts.

Opening the window loads none of the commands: they (and SQLAlchemy, Alembic, biip) are
imported only when a command, --help or --version is on the command line.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import NoReturn

from app import __version__
from app.cli.words import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    argparse_text,
    error_text,
    resolve_language,
    set_language,
    translate,
)
from app.core.errors import StockfloorError
from app.paths import DATABASE_ENV, default_database_path, demo_database_path, resolve_database_target


def _epilog() -> str:
    return translate("cli help", """database:
  --database takes a SQLite file path or a postgresql://user:password@host/name URL.
  Without it: ${variable}, else {default}
  --demo opens {demo}
  instead, building the demo warehouse there first when it is missing.

exit codes:
  0  done
  1  the command ran and found problems: rejected import rows, ledger discrepancies,
     an unreadable scan
  2  the command could not run: bad arguments, database unreachable or written by a
     newer Stockfloor, a file that cannot be read, other errors
""").format(variable=DATABASE_ENV, default=default_database_path(), demo=demo_database_path())


class Parser(argparse.ArgumentParser):
    """argparse, its headings and refusals in the operator's language (sub-parsers inherit the
    class; argparse's own words come from gettext, which has no catalogue for them)."""

    def __init__(self, *args, parents=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._positionals.title = translate("argparse", "positional arguments")
        self._optionals.title = translate("argparse", "options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = translate("argparse", "show this help message and exit")
        for parent in parents:  # as argparse does, once the headings match the parents' ones
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = super()._get_formatter()
        add_usage = formatter.add_usage

        def usage_in_language(usage, actions, groups, prefix=None) -> None:
            add_usage(usage, actions, groups, translate("argparse", "usage: ") if prefix is None else prefix)

        formatter.add_usage = usage_in_language
        return formatter

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, translate("cli", "{prog}: error: {message}").format(prog=self.prog, message=argparse_text(message))
                  + "\n")


class GuiUnavailable(StockfloorError):
    template = "The window cannot open: {reason}"


def _global_options() -> argparse.ArgumentParser:
    """--database and --demo; accepted before or after the command (`stockfloor --database X
    db check` or `stockfloor db check --database X`): SUPPRESS keeps one level from resetting
    what the other parsed."""
    options = Parser(prog="stockfloor", add_help=False)
    options.add_argument("--database", metavar="TARGET", default=argparse.SUPPRESS,
                         help=translate("cli help", "SQLite file or postgresql:// URL"))
    options.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                         help=translate("cli help", "use the demo database (built on first use)"))
    options.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS,
                         help=translate("cli help", "run as this user (asks for the PIN); or set STOCKFLOOR_TOKEN"))
    options.add_argument("--language", choices=LANGUAGES, default=argparse.SUPPRESS,
                         help=translate("cli help", "messages and printed documents in en, de, es or pl (default: the "
                              "workstation's language, else the system's)"))
    return options


# Which module registers each command: running one command imports only its module.
COMMAND_MODULES = {
    "demo": "demo", "db": "db", "import": "importing", "export": "export", "journal": "journal", "scan-info": "scan_info",
    "orders": "picking", "waves": "picking", "picklist": "picking", "shipments": "picking",
    "returns": "returns", "print": "printing", "user": "users", "counts": "counting", "report": "report",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command, or only ``command``'s when it is known (no other module is imported)."""
    import importlib

    names = [COMMAND_MODULES[command]] if command in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    modules = [importlib.import_module(f"app.cli.{name}") for name in names]
    common = _global_options()
    parser = Parser(
        # The epilog (it looks up the default database files) is shown only by `stockfloor
        # --help`, which builds every command: a parser for one command leaves it out.
        prog="stockfloor", parents=[common], epilog=None if command in COMMAND_MODULES else _epilog(),
        description=translate("cli help", "Warehouse floor client. Without a command it opens the window."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stockfloor {__version__}",
                        help=translate("argparse", "show program's version number and exit"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules:
        module.register(commands, common)
    return parser


_whole_process = False  # main() runs as the process (argv from sys.argv), not called by a test


def main(argv: list[str] | None = None) -> int:
    global _whole_process  # noqa: PLW0603
    if argv is None:
        _whole_process = True
        gc.disable()  # until the command's modules are loaded: settle_heap()
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    finally:
        set_language(SOURCE_LANGUAGE)  # the next in-process call resolves its own


def _main(argv: list[str]) -> int:
    try:
        args, rest = _global_options().parse_known_args(argv)
        set_language(resolve_language(getattr(args, "language", None)))  # argument checks speak it too
        if rest:  # a command, --help or --version: only now load the commands (and SQLAlchemy...)
            args = build_parser(rest[0]).parse_args(argv)
    except SystemExit as exit_:  # --help, --version, usage errors: argparse has printed
        return exit_.code if isinstance(exit_.code, int) else 0
    command = getattr(args, "command", None)
    args.demo = getattr(args, "demo", False)
    database = getattr(args, "database", None)
    if args.demo and database:
        print("stockfloor: " + translate("cli", "--demo and --database exclude each other"), file=sys.stderr)
        return 2
    args.target = str(demo_database_path()) if args.demo else resolve_database_target(database)
    if command is not None or "app.cli.common" in sys.modules:  # also forget an earlier call's --user
        from app.cli.common import set_cli_user

        set_cli_user(getattr(args, "user", None))
    settle_heap()
    try:
        build_demo = args.demo and command != "demo" and not _demo_already_built(args.target)
        if build_demo:
            from app.cli.demo import ensure_demo_database
        if command is None:  # the window builds the demo itself, behind a progress bar
            prepare = (lambda: ensure_demo_database(args.target)) if build_demo else None
            return _start_gui(args.target, demo=args.demo, prepare=prepare)
        if build_demo:
            ensure_demo_database(args.target)
        return args.run(args)
    except StockfloorError as error:
        print(f"stockfloor: {error_text(error)}", file=sys.stderr)
    except BrokenPipeError:  # `stockfloor export stock - | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        print(f"stockfloor: {error.filename or ''}{': ' if error.filename else ''}{error.strerror or error}",
              file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from sqlalchemy.exc import SQLAlchemyError  # loaded by then if the error is one

        from app.db.direct import driver_errors  # a command that reads through the driver alone

        if not isinstance(error, (SQLAlchemyError, *driver_errors())):
            raise  # a bug: the traceback is what the report needs
        reason = str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__]
        print("stockfloor: " + translate("cli", "database error: {reason}").format(reason=reason[0]),
              file=sys.stderr)
    return 2


def settle_heap() -> None:
    """The modules a command needs are loaded: when this process is the command, what exists now
    lives until it exits, so the collector stops walking it (gc.freeze) and runs again, less
    often, for what the command makes (a run of labels makes hundreds of thousands of objects
    that live until the file is written). Called before the command runs and once its
    database is open (the services, SQLAlchemy's ORM and the models load between the two)."""
    if _whole_process:
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)  # a young collection per 10,000 new objects, not 700
        gc.enable()


def _demo_already_built(target: str) -> bool:
    """The demo builder renames its file into place only when finished, so existence is
    enough; checked without importing the services, so later starts open the window fast."""
    from pathlib import Path

    return Path(target).is_file()


def _start_gui(target: str, *, demo: bool, prepare=None) -> int:  # noqa: ANN001 - a callable
    try:
        from app.main import run  # Qt is imported only when the window is wanted
    except ImportError as error:
        raise GuiUnavailable(reason=str(error)) from error
    return run(target, demo=demo, prepare=prepare) if prepare is not None else run(target, demo=demo)
