"""Shared fixtures: a migrated database per test on SQLite, and on PostgreSQL when
STOCKFLOOR_TEST_DATABASE_URL is set (every database test then runs on both)."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
from sqlalchemy import text

from app.core.actor import Actor, system_actor
from app.db.engine import Database, create_database
import app.db.all_models  # noqa: F401  (every table, for TRUNCATE)
from app.db.models import Base
from app.db.schema import upgrade
from app.db.uow import UnitOfWork

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("STOCKFLOOR_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """Migrate once, copy per test: a fresh SQLite database costs a file copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = create_database(str(path))
    upgrade(database)
    database.dispose()
    return str(path)


@pytest.fixture(scope="session")
def pg_schema_url():
    """A private schema for this test run on the shared server, dropped at the end."""
    if not PG_URL:
        pytest.skip("STOCKFLOOR_TEST_DATABASE_URL not set")
    schema = f"sf_test_{uuid.uuid4().hex[:10]}"
    admin = create_database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    database = create_database(url)
    upgrade(database)
    database.dispose()
    yield url
    with admin.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def _truncate_all(database: Database) -> None:
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "stockfloor.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = create_database(str(path))
    else:
        db = create_database(request.getfixturevalue("pg_schema_url"))
        _truncate_all(db)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(tmp_path, sqlite_template) -> Database:
    path = tmp_path / "stockfloor.sqlite"
    shutil.copy(sqlite_template, path)
    db = create_database(str(path))
    yield db
    db.dispose()


@pytest.fixture
def uow(database):
    with UnitOfWork(database) as unit:
        yield unit


@pytest.fixture
def warehouse(database):
    """A small warehouse (see tests/factories.py) on the test database."""
    from tests.factories import build_small_warehouse

    with UnitOfWork(database) as unit:
        data = build_small_warehouse(unit.session)
        unit.commit()
    return data


@pytest.fixture
def admin_actor() -> Actor:
    return system_actor("test")
