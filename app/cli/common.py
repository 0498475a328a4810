"""What the commands share: opening the database they were pointed at, and a few words."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from app.core.actor import Actor, system_actor
from app.core.errors import StockfloorError
from app.db import schema
from app.db.engine import Database, create_database, normalise_url, remove_paths, sqlite_new_paths


class NoDatabaseFile(StockfloorError):
    template = ("There is no database at {path}. `stockfloor db upgrade` creates an empty one, "
                "`stockfloor demo` a demo warehouse.")


def note(text: str) -> None:
    """Status lines go to stderr, so that `export stock -` keeps stdout clean."""
    print(text, file=sys.stderr)


def revisions(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "(empty)"


def sqlite_file(target: str) -> Path | None:
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
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            limit = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {limit}, not {value}")
        return value

    return parse


def cli_actor() -> Actor:
    """Who imports and builds demos: no person, this machine as the workstation."""
    return system_actor(f"cli@{socket.gethostname()}"[:64])


@contextmanager
def open_database(target: str, *, upgrade: bool = True, must_exist: bool = False) -> Iterator[Database]:
    """The database ``target`` names, its schema brought up to date unless ``upgrade`` is False.

    ``must_exist``: commands that only read refuse a SQLite path that is not there instead of
    creating an empty file (a typo should not look like an empty warehouse)."""
    path = sqlite_file(target)
    if must_exist and path is not None and not path.exists():
        raise NoDatabaseFile(path=path)
    created = sqlite_new_paths(path) if path is not None else []
    database = create_database(target)
    try:
        if upgrade:
            report_upgrade(database, schema.upgrade(database))
        yield database
    except Exception:  # e.g. a full disk: a half-built new file is no database, leave none
        database.dispose()
        remove_paths(created)
        raise
    finally:
        database.dispose()


def report_upgrade(database: Database, result: schema.UpgradeResult) -> None:
    if not result.changed:
        return
    if not result.before:
        note(f"Created the Stockfloor tables in {database.describe()} (schema {revisions(result.after)}).")
        return
    backup = f"; backup: {result.backup}" if result.backup else ""
    note(f"Upgraded {database.describe()} from schema {revisions(result.before)} "
         f"to {revisions(result.after)}{backup}.")
