"""Schema versions: upgrade an older database (SQLite: after a backup), refuse a newer one.

Each workflow adds its tables in its own migration branch off the core schema, so the
script directory may have several heads; a database is current when it has all of them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.core.errors import DatabaseTooNew
from app.db.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revisions() -> set[str]:
    return set(_script().get_heads())


def current_revisions(database: Database) -> set[str]:
    with database.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


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


def upgrade(database: Database) -> UpgradeResult:
    """Bring the schema to all heads, backing up an existing SQLite database first."""
    before = check_not_newer(database)
    heads = head_revisions()
    if before == heads:
        return UpgradeResult(before, heads, None)
    backup = _backup_sqlite(database, "-".join(sorted(before))) if before else None
    config = alembic_config()
    with database.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
    return UpgradeResult(before, current_revisions(database), backup)


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own lookup errors for unknown ids
        return False


def _backup_sqlite(database: Database, revision: str) -> Path | None:
    """Copy the SQLite file with the online backup API before changing its schema."""
    path = database.sqlite_path
    if path is None:
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
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
