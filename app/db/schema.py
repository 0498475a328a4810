"""Schema versions: upgrade an older database (SQLite: after a backup), refuse a newer one.

The database also stores the oldest client that may open it (database_properties
min_client_version): an older Stockfloor is refused before it reads anything, and every
schema upgrade raises the minimum to the version of the client that ran it, so a workstation
left on the previous release cannot write to a schema it does not know.

Each workflow adds its tables in its own migration branch off the core schema, so the
script directory may have several heads; a database is current when it has all of them.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.core import clock
from app.core.errors import ClientTooOld, DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.db.engine import Database

# SQLAlchemy is imported by the functions that use it: the versions and the two checks below
# are also read through the driver alone (app/db/direct.py).

MIGRATIONS = Path(__file__).with_name("migrations")

# What alembic_version holds once every branch is applied. Checked with one SELECT at
# start-up so a current database opens without importing Alembic (~0.5 s);
# tests/db/test_schema.py fails when a new migration is not reflected here.
CURRENT_SCHEMA = frozenset({"0002", "0007", "0010", "0012", "0015", "0016", "0017", "0018"})
MIN_CLIENT = "min_client_version"
STORED_VERSIONS_SQL = "SELECT version_num FROM alembic_version"
MINIMUM_CLIENT_SQL = "SELECT value FROM database_properties WHERE name = :name"  # name: MIN_CLIENT


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revisions() -> set[str]:
    return set(_script().get_heads())


def current_revisions(database: Database) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def _stored_versions(database: Database) -> frozenset[str] | None:
    """alembic_version's rows by plain SQL, None when there is no such table yet."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with database.engine.connect() as conn:
            return frozenset(conn.execute(text(STORED_VERSIONS_SQL)).scalars())
    except DBAPIError:
        return None


@dataclass(frozen=True)
class UpgradeResult:
    before: set[str]
    after: set[str]
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def check_not_newer(database: Database) -> set[str]:
    """The database's revisions; DatabaseTooNew when one is unknown to this Stockfloor."""
    script = _script()
    current = current_revisions(database)
    for revision in current:
        if not _known(script, revision):
            raise DatabaseTooNew(where=database.describe(), revision=revision)
    return current


def version_key(version: str) -> tuple[int, ...]:
    """"0.10.2" -> (0, 10, 2); a suffix such as "rc1" or ".dev3" is ignored."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3])


def minimum_client(database: Database) -> str | None:
    """The oldest client version allowed on ``database``; None before the property exists."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with database.engine.connect() as conn:
            return conn.execute(text(MINIMUM_CLIENT_SQL), {"name": MIN_CLIENT}).scalar()
    except DBAPIError:
        return None


def too_old(running: str, required: str | None) -> bool:
    """Whether a database that asks for client ``required`` (None: any) refuses ``running``."""
    return required is not None and version_key(required) > version_key(running)


def check_client(database: Database, running: str = __version__) -> None:
    """ClientTooOld when the database asks for a newer Stockfloor than ``running``."""
    required = minimum_client(database)
    if too_old(running, required):
        raise ClientTooOld(where=database.describe(), required=required, running=running)


def raise_minimum_client(database: Database, version: str = __version__) -> str:
    """Raise (never lower) the stored minimum client version to ``version``; returns it."""
    from sqlalchemy import text

    required = minimum_client(database)
    if required is not None and version_key(required) >= version_key(version):
        return required
    with database.writer.begin() as conn:
        conn.execute(text("UPDATE database_properties SET value = :value WHERE name = :name"),
                     {"value": version, "name": MIN_CLIENT})
    return version


def upgrade(database: Database, *, client: str = __version__) -> UpgradeResult:
    """Bring the schema to all heads, backing up an existing SQLite database first."""
    check_client(database, client)
    if _stored_versions(database) == CURRENT_SCHEMA:
        return UpgradeResult(set(CURRENT_SCHEMA), set(CURRENT_SCHEMA), None)
    from alembic import command
    from sqlalchemy import text

    before = check_not_newer(database)
    heads = head_revisions()
    if before == heads:
        return UpgradeResult(before, heads, None)
    backup = _backup_sqlite(database, "-".join(sorted(before))) if before else None
    config = alembic_config()
    with database.writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Workstations (or test workers in schemas of their own) upgrading one database at
            # once take turns: the next one finds the schema current (or the shared pg_trgm
            # extension already there) instead of failing on a duplicate key.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('stockfloor:upgrade'))"))
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
        from app.db.chain import install_triggers

        install_triggers(conn)  # a batch migration on SQLite re-creates tables without them
    raise_minimum_client(database, client)
    return UpgradeResult(before, current_revisions(database), backup)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # noqa: BLE001 - alembic raises its own lookup errors for unknown ids
        return False


def _backup_sqlite(database: Database, revision: str) -> Path | None:
    """Copy the SQLite file with the online backup API before changing its schema."""
    path = database.sqlite_path
    if path is None:
        return None
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.before-{revision}-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
    finally:
        source.close()
    return target
