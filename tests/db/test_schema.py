"""Opening databases of other versions: older ones are upgraded (after a backup), newer refused."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import text

from app.core.errors import DatabaseTooNew, DatabaseUnavailable
from app.db.engine import create_database
from app.db.schema import alembic_config, current_revisions, head_revisions, upgrade


def test_new_database_gets_every_branch(tmp_path):
    database = create_database(str(tmp_path / "new.sqlite"))
    result = upgrade(database)
    assert result.after == head_revisions() and result.backup is None
    database.dispose()


def test_older_sqlite_database_is_backed_up_then_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    database = create_database(str(path))
    config = alembic_config()
    with database.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.execute(text("INSERT INTO products (sku, name, unit, tracking, expiry_tracked) "
                          "VALUES ('OLD', 'Old product', 'each', 'none', false)"))
    if head_revisions() == {"0001"}:
        pytest.skip("only the core schema exists: nothing to upgrade from")
    result = upgrade(database)
    assert result.before == {"0001"} and current_revisions(database) == head_revisions()
    assert result.backup is not None and result.backup.exists()
    backup = sqlite3.connect(result.backup)
    assert backup.execute("SELECT sku FROM products").fetchall() == [("OLD",)]
    backup.close()
    database.dispose()


def test_database_from_a_newer_version_is_refused(tmp_path):
    database = create_database(str(tmp_path / "future.sqlite"))
    upgrade(database)
    with database.writer.begin() as conn:
        # Several branch heads are several rows: a newer release leaves one unknown id.
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('ffff_future')"))
    with pytest.raises(DatabaseTooNew) as error:
        upgrade(database)
    assert "newer Stockfloor" in str(error.value) and "ffff_future" in str(error.value)
    database.dispose()


def test_unreachable_server_is_a_sentence_not_a_traceback():
    with pytest.raises(DatabaseUnavailable) as error:
        create_database("postgresql://nobody@127.0.0.1:1/none")
    assert "cannot be reached" in str(error.value) and "127.0.0.1" in str(error.value)


def test_the_start_up_fast_path_knows_the_current_schema(tmp_path):
    """app.db.schema.CURRENT_SCHEMA must list what a fully upgraded database stores."""
    from app.db.schema import CURRENT_SCHEMA, _stored_versions

    database = create_database(str(tmp_path / "fresh.sqlite"))
    upgrade(database)
    assert _stored_versions(database) == CURRENT_SCHEMA, "update CURRENT_SCHEMA in app/db/schema.py"
    again = upgrade(database)
    assert not again.changed
    database.dispose()


def test_workstations_upgrading_one_postgres_database_at_once_take_turns():
    """Three workstations start the new version on one fresh schema at the same moment: all three
    succeed and the schema is current once (no duplicate-key failure on tables or pg_trgm)."""
    import threading

    from tests.conftest import PG_URL, private_pg_schema

    if not PG_URL:
        pytest.skip("STOCKFLOOR_TEST_DATABASE_URL not set")
    outcomes: list[object] = []
    start = threading.Barrier(3)

    def workstation(url: str) -> None:
        database = create_database(url)
        try:
            start.wait()
            upgrade(database)
            outcomes.append(current_revisions(database))
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            outcomes.append(error)
        finally:
            database.dispose()

    with private_pg_schema("sf_race") as url:
        threads = [threading.Thread(target=workstation, args=(url,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outcomes == [head_revisions()] * 3
