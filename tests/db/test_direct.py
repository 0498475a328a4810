"""app/db/direct.py: a database this client may read as it is comes through the driver alone,
with the same rows as through SQLAlchemy; any other is left to the usual way (None)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from app.db.direct import DirectConnection, open_current
from app.services.location_ranges import locations_between, locations_named


def _set_minimum(database, value: str) -> None:
    with database.writer.begin() as conn:
        conn.execute(text("UPDATE database_properties SET value = :v WHERE name = 'min_client_version'"),
                     {"v": value})


def test_a_current_database_reads_the_same_rows_through_the_driver(database, warehouse):
    with open_current(database.url) as direct, database.engine.connect() as connection:
        assert isinstance(direct, DirectConnection)
        for first, last in (("A-01-01", "B-03-01"), ("b-02", "A-01"), ("1", "Z")):
            assert locations_between(direct, first, last) == locations_between(connection, first, last)
        codes = ["B-02-01", "A-01-01", "B-02-01", "NOWHERE"]
        assert locations_named(direct, codes) == locations_named(connection, codes)
        assert set(locations_named(direct, codes)) == {"A-01-01", "B-02-01"}
        like = "SELECT code FROM locations WHERE code LIKE 'A-%' AND code LIKE :pattern ORDER BY code"
        assert direct.rows(like, {"pattern": "%-01"}) == [tuple(row) for row in
                                                           connection.execute(text(like), {"pattern": "%-01"})]


def test_a_database_asking_for_a_newer_client_is_left_to_the_usual_way(database):
    with database.engine.connect() as conn:
        before = conn.execute(text("SELECT value FROM database_properties WHERE name = 'min_client_version'")).scalar()
    _set_minimum(database, "99.1.0")
    try:
        with open_current(database.url) as direct:
            assert direct is None
    finally:
        _set_minimum(database, before)


def test_other_schemas_files_and_urls_are_left_to_the_usual_way(sqlite_database, tmp_path):
    path = sqlite_database.sqlite_path
    with open_current(str(path)) as direct:
        assert direct is not None  # a plain path, as typed
    for target in (str(tmp_path / "missing.sqlite"), "sqlite:///:memory:", "mysql://u@h/stock",
                   f"sqlite:///{path}?mode=ro"):
        with open_current(target) as direct:
            assert direct is None, target
    (tmp_path / "notes.txt").write_text("not a database\n" * 40)
    with open_current(str(tmp_path / "notes.txt")) as direct:
        assert direct is None
    sqlite_database.dispose()
    with sqlite3.connect(path) as connection:  # an older schema: the usual way upgrades it
        connection.execute("DELETE FROM alembic_version WHERE version_num = (SELECT max(version_num) FROM alembic_version)")
    with open_current(str(path)) as direct:
        assert direct is None
