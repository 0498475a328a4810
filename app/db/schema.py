"""Schema versions: upgrade an older database (SQLite: after a backup), refuse a newer one."""

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


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None


def upgrade(database: Database) -> UpgradeResult:
    """Bring the schema to head. A database from a newer Stockfloor raises DatabaseTooNew."""
    script = ScriptDirectory.from_config(alembic_config())
    before = current_revision(database)
    if before is not None and not _known(script, before):
        raise DatabaseTooNew(where=database.describe(), revision=before)
    head = script.get_current_head()
    if before == head:
        return UpgradeResult(before, head, None)
    backup = _backup_sqlite(database, before) if before is not None else None
    config = alembic_config()
    with database.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return UpgradeResult(before, head, backup)


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
