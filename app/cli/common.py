"""What the commands share: opening the database they were pointed at, and a few words."""

from __future__ import annotations

import getpass
import os
import socket
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import settle_heap
from app.cli.words import error_text, translate
from app.core.actor import Actor, system_actor
from app.core.errors import StockfloorError
from app.db import schema

# SQLAlchemy (app.db.engine) loads when a command opens its database: `print labels
# locations -o FILE` may read through the driver alone (app/db/direct.py).
if TYPE_CHECKING:
    from app.core.csv_rules import ImportRejected
    from app.db.engine import Database


class NoDatabaseFile(StockfloorError):
    template = ("There is no database at {path}. `stockfloor db upgrade` creates an empty one, "
                "`stockfloor demo` a demo warehouse.")


def note(text: str) -> None:
    """Status lines go to stderr, so that `export stock -` keeps stdout clean."""
    print(text, file=sys.stderr)


def print_rejected(rejected: ImportRejected) -> None:
    """Each refused row (row, column, reason: the importer's English reason in the command's
    language, app/cli/reasons.py), then the one-line verdict, on stderr."""
    from app.cli.reasons import column_text, reason_text  # only the import commands reject rows
    from app.core.gs1_words import escaped, excerpt

    with_column = translate("cli", "row {row}, {column}: {reason}")
    without = translate("cli", "row {row}: {reason}")
    for problem in rejected.problems:
        text = with_column if problem.column else without
        print(text.format(row=problem.row, column=excerpt(column_text(problem.column), 40),
                          reason=escaped(reason_text(problem.reason))),
              file=sys.stderr)
    print(error_text(rejected), file=sys.stderr)


def no_such_file(path: Path) -> int:
    print("stockfloor: " + translate("cli", "{file}: no such file").format(file=path), file=sys.stderr)
    return 2


def revisions(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "(empty)"


def sqlite_file(target: str) -> Path | None:
    from sqlalchemy.engine import make_url

    from app.db.engine import normalise_url

    url = make_url(normalise_url(target))
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def whole_number(low: int, high: int | None = None):  # noqa: ANN201 - an argparse type
    """An argparse type: an integer in [low, high], refused by argparse (exit 2) before any
    database is opened or created."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(translate("cli", "'{text}' is not a whole number").format(text=text)) from None
        if value < low or (high is not None and value > high):
            limit = (translate("cli", "must be between {low} and {high}, not {value}") if high is not None
                     else translate("cli", "must be at least {low}, not {value}"))
            raise argparse.ArgumentTypeError(limit.format(low=low, high=high, value=value))
        return value

    return parse


class IdentityRequired(StockfloorError):
    template = ("Commands that change data run as a named user: --user NAME (asks for the PIN), "
                "or STOCKFLOOR_TOKEN=<token> for scheduled jobs (`stockfloor user token NAME`).")


class NothingTyped(StockfloorError):
    template = ("The input ended before the {prompt} was typed. Run the command at a terminal, "
                "or pipe the answer in; scheduled jobs use STOCKFLOOR_TOKEN=<token> instead of a PIN "
                "(`stockfloor user token NAME`).")


def ask_secret(prompt: str) -> str:
    """A PIN or password typed without echo (piped in when there is no terminal); a clear
    refusal when the input ends before anything is typed (a job started without one)."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise NothingTyped(prompt=prompt.strip().rstrip(":")) from None


TOKEN_ENV = "STOCKFLOOR_TOKEN"
USER_ENV = "STOCKFLOOR_USER"
# Set by main() (--user) and open_database(); one command is one context, so no module state.
_user_option: ContextVar[str | None] = ContextVar("stockfloor_cli_user", default=None)
_database: ContextVar[Database | None] = ContextVar("stockfloor_cli_database", default=None)
_actor: ContextVar[Actor | None] = ContextVar("stockfloor_cli_actor", default=None)


def set_cli_user(name: str | None) -> None:
    _user_option.set(name)


def cli_workstation() -> str:
    return f"cli@{socket.gethostname()}"[:64]


def cli_actor() -> Actor:
    """Who runs this command: the token's user (STOCKFLOOR_TOKEN), else --user NAME (PIN asked
    when the database was opened); the system only while the database has no users at all
    (first setup). Stamped with this machine as the workstation."""
    actor = _actor.get()
    if actor is not None:
        return actor
    database = _database.get()
    if database is None:
        return Actor(None, cli_workstation(), "operator", "nobody")
    from app.db.uow import UnitOfWork
    from app.services import users

    with UnitOfWork(database, write=False) as uow:  # the caller may hold the write lock
        if users.any_user(uow.session):
            raise IdentityRequired()
    actor = system_actor(cli_workstation())
    _actor.set(actor)
    return actor


def log_in_asked() -> bool:
    """Whether this command runs as a user: --user, STOCKFLOOR_USER or STOCKFLOOR_TOKEN."""
    return bool(os.environ.get(TOKEN_ENV, "").strip() or _user_option.get()
                or os.environ.get(USER_ENV, "").strip())


def _log_in(database: Database) -> Actor | None:
    """--user or STOCKFLOOR_TOKEN, checked as soon as the database is open (before a command
    takes the write lock); None when neither was given."""
    if not log_in_asked():
        return None
    token = os.environ.get(TOKEN_ENV, "").strip()
    name = _user_option.get() or os.environ.get(USER_ENV, "").strip()
    from app.db.uow import UnitOfWork
    from app.services import users

    with UnitOfWork(database) as uow:
        if token:
            return users.login_with_token(uow, token, workstation=cli_workstation())
        return users.login_with_pin(uow, name, ask_secret(translate("cli", "PIN for {name}: ").format(name=name)),
                                    workstation=cli_workstation())


@contextmanager
def open_database(target: str, *, upgrade: bool = True, must_exist: bool = False) -> Iterator[Database]:
    """The database ``target`` names, its schema brought up to date unless ``upgrade`` is False.

    ``must_exist``: commands that only read refuse a SQLite path that is not there instead of
    creating an empty file (a typo should not look like an empty warehouse)."""
    from app.db.engine import create_database, remove_paths, sqlite_new_paths

    path = sqlite_file(target)
    if must_exist and path is not None and not path.exists():
        raise NoDatabaseFile(path=path)
    created = sqlite_new_paths(path) if path is not None else []
    database = create_database(target)
    opened, resolved = _database.set(database), _actor.set(None)
    try:
        if upgrade:  # (db info and db upgrade may open an older schema: no log-in there)
            report_upgrade(database, schema.upgrade(database))
            _actor.set(_log_in(database))
        settle_heap()
        yield database
    except Exception:  # e.g. a full disk: a half-built new file is no database, leave none
        database.dispose()
        remove_paths(created)
        raise
    finally:
        _database.reset(opened)
        _actor.reset(resolved)
        database.dispose()


def report_upgrade(database: Database, result: schema.UpgradeResult) -> None:
    if not result.changed:
        return
    if not result.before:
        note(translate("cli", "Created the Stockfloor tables in {database} (schema {schema}).").format(
            database=database.describe(), schema=revisions(result.after)))
        return
    text = (translate("cli", "Upgraded {database} from schema {before} to {after}; backup: {file}.") if result.backup
            else translate("cli", "Upgraded {database} from schema {before} to {after}."))
    note(text.format(database=database.describe(), before=revisions(result.before), after=revisions(result.after),
                     file=result.backup))
