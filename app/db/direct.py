"""A read straight through the database driver, without SQLAlchemy.

For a command whose whole run is one query of a database it opens as it is: `stockfloor
print labels locations ... -o FILE` reads a rack's codes and draws them. Importing SQLAlchemy
and its PostgreSQL dialect and setting up an engine cost that command more CPU than its
query (~0.15 s of a ~0.6 s run); sqlite3 or psycopg alone do not.

The connection is prepared as the engine prepares its own (app/db/engine.py): SQLite's
pragmas, PostgreSQL's bounded waits (app/db/pg_session.py) and the URL's own parameters.
Only a database this client may read as it is comes through: its schema exactly
CURRENT_SCHEMA and no newer client required. For anything else (no such file, a schema to
upgrade or refuse, a URL this module does not simply read) ``open_current`` gives None and
the caller opens the database the usual way (app/cli/common.open_database), whose checks
and messages those are.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app import __version__
from app.db.schema import CURRENT_SCHEMA, MIN_CLIENT, MINIMUM_CLIENT_SQL, STORED_VERSIONS_SQL, too_old

# What the SQLAlchemy target URLs of app/db/engine.normalise_url name PostgreSQL by.
_POSTGRESQL_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://")
_NAMED = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")  # a :name placeholder, as SQLAlchemy's text() finds them


def sqlite_session(dbapi_connection: sqlite3.Connection) -> None:
    """Every SQLite connection's settings, the engine's as well as this module's."""
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class DirectConnection:
    """A DB-API connection that runs SQL text with ``:name`` placeholders, as SQLAlchemy's
    ``text()`` takes them (sqlite3 reads them as they are; psycopg's are ``%(name)s``)."""

    def __init__(self, connection: Any, *, postgresql: bool) -> None:
        self.connection, self.postgresql = connection, postgresql

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        if self.postgresql:  # a literal % doubled, as psycopg reads % as a placeholder's start
            sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, dict(params or {}))
            return cursor.fetchall()
        finally:
            cursor.close()


def driver_errors() -> tuple[type[Exception], ...]:
    """The drivers' own error classes (those of the drivers loaded): what a failed query on a
    DirectConnection raises, where SQLAlchemy would have raised its DBAPIError."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


@contextmanager
def open_current(target: str) -> Iterator[DirectConnection | None]:
    """The database ``target`` names (a SQLite file path or a URL as the command line takes it),
    read through its driver; None when it is not one to read as it is (see the module)."""
    connection = _connect(target)
    if connection is None:
        yield None
        return
    try:
        yield connection if _current(connection) else None
    finally:
        connection.connection.close()


def _connect(target: str) -> DirectConnection | None:
    if target.startswith(_POSTGRESQL_PREFIXES):
        return _connect_postgresql("postgresql://" + target.split("://", 1)[1], target)
    if "://" in target:  # a SQLite URL as the database fixture and the engine write them
        path = target.removeprefix("sqlite:///")
        if path == target or not path or any(c in path for c in "?%#"):
            return None
        path = Path(path)
    else:
        path = Path(target).expanduser().resolve()
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error:
        return None
    try:
        sqlite_session(connection)
    except sqlite3.Error:  # not a database, say: the usual way words it
        connection.close()
        return None
    return DirectConnection(connection, postgresql=False)


def _connect_postgresql(uri: str, target: str) -> DirectConnection | None:
    """libpq reads the URI itself (user, password, host, port, database and the query's
    parameters, percent-decoded, as SQLAlchemy hands them to psycopg); the session limits
    come as keywords, as the engine's connect_args do."""
    from urllib.parse import parse_qsl, urlsplit

    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    from app.db.pg_session import PgLimits, bounded_connection_class

    try:
        query = dict(parse_qsl(urlsplit(uri).query))
        limits = PgLimits.from_environment()
        conninfo_to_dict(uri)  # a URI libpq cannot read: the usual way refuses it
    except (ValueError, psycopg.Error):
        return None
    try:
        connection = bounded_connection_class(limits).connect(uri, autocommit=True, **limits.connect_args(query))
    except psycopg.Error as error:
        from app.core.errors import DatabaseUnavailable
        from app.db.engine import _first_line, describe_url, normalise_url

        raise DatabaseUnavailable(where=describe_url(normalise_url(target)), reason=_first_line(error)) from error
    return DirectConnection(connection, postgresql=True)


def _current(connection: DirectConnection) -> bool:
    """The schema is exactly this client's and the database does not ask for a newer one."""
    try:
        versions = frozenset(version for (version,) in connection.rows(STORED_VERSIONS_SQL))
        required = connection.rows(MINIMUM_CLIENT_SQL, {"name": MIN_CLIENT})
    except driver_errors():
        return False
    return versions == CURRENT_SCHEMA and not too_old(__version__, required[0][0] if required else None)
