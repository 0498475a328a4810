"""The database names the oldest Stockfloor allowed on it; an older workstation is refused."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from app import __version__
from app.core.errors import ClientTooOld
from app.db.engine import create_database
from app.db.schema import alembic_config, check_client, minimum_client, upgrade, version_key


def _set_minimum(database, value: str) -> None:
    with database.writer.begin() as conn:
        conn.execute(text("UPDATE database_properties SET value = :v WHERE name = 'min_client_version'"),
                     {"v": value})


def test_an_older_client_is_refused_with_both_versions_named(database):
    assert minimum_client(database) is not None
    before = minimum_client(database)
    _set_minimum(database, "99.1.0")
    try:
        with pytest.raises(ClientTooOld) as error:
            upgrade(database)
        message = str(error.value)
        assert "needs Stockfloor 99.1.0 or newer" in message and f"runs {__version__}" in message
        check_client(database, running="99.1.0")  # the new release itself opens it
    finally:
        _set_minimum(database, before)


def test_an_upgrade_of_the_schema_raises_the_minimum(tmp_path):
    database = create_database(str(tmp_path / "old.sqlite"))
    config = alembic_config()
    with database.writer.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0012")
    assert minimum_client(database) == "0.1.0"
    upgrade(database, client="0.3.0")  # a newer release brings the other branches
    assert minimum_client(database) == "0.3.0"
    with pytest.raises(ClientTooOld):
        upgrade(database, client="0.2.9")
    upgrade(database, client="0.4.0")  # schema already current: nothing raised, nothing changed
    assert minimum_client(database) == "0.3.0"
    database.dispose()


def test_versions_compare_as_numbers():
    assert version_key("0.10.0") > version_key("0.9.9")
    assert version_key("1.2.0rc1") == (1, 2, 0)
