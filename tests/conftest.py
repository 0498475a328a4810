"""Shared fixtures: a migrated database per test on SQLite, and on PostgreSQL when
STOCKFLOOR_TEST_DATABASE_URL is set (every database test then runs on both)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid
import zoneinfo

import pytest
import time_machine
from sqlalchemy import text

import app.db.all_models  # noqa: F401  (every table, for TRUNCATE)
from app.core.actor import Actor, system_actor
from app.db.engine import Database, create_database
from app.db.models import Base
from app.db.schema import upgrade
from app.db.uow import UnitOfWork

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_URL = os.environ.get("STOCKFLOOR_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


# --- the clock ------------------------------------------------------------------------------------------------
# The whole run is pinned to one instant (then ticks on), so no test depends on the real date,
# time zone or DST. STOCKFLOOR_TEST_NOW (ISO 8601) and STOCKFLOOR_TEST_TZ move it for a run:
#   STOCKFLOOR_TEST_NOW=2027-01-01T00:30 STOCKFLOOR_TEST_TZ=Europe/Berlin python -m pytest
DEFAULT_NOW = "2026-06-17T10:00"
DEFAULT_TZ = "UTC"

# Tests marked ``calendar`` also run at each of these local wall-clock times, under each zone.
SWEEP_TIMES = {
    "first-of-month": "2026-04-01T08:00",
    "last-of-month-late": "2026-04-30T22:30",
    "monday-starts-month": "2026-06-01T09:00",
    "week-spans-months": "2026-12-03T14:00",
    "new-years-eve": "2026-12-31T23:30",
    "new-year": "2027-01-01T00:30",
    "leap-day": "2028-02-29T12:00",
    "eu-dst-spring": "2027-03-28T03:30",
    "eu-dst-autumn": "2026-10-25T02:30",
    "us-dst-spring": "2027-03-14T03:30",
    "us-dst-autumn": "2026-11-01T01:30",
}
SWEEP_ZONES = ("UTC", "Europe/Berlin", "America/New_York")
SWEEP = [(f"{name}-{zone.split('/')[-1]}", when, zone) for name, when in SWEEP_TIMES.items() for zone in SWEEP_ZONES]
# On PostgreSQL each time runs under one zone (in turn): the calendar logic is the app's, not the server's.
PG_SWEEP = {f"{name}-{SWEEP_ZONES[i % 3].split('/')[-1]}" for i, name in enumerate(SWEEP_TIMES)}


def _instant(when: str, zone: str) -> dt.datetime:
    return dt.datetime.fromisoformat(when).replace(tzinfo=zoneinfo.ZoneInfo(zone))


_session_clock = None


def pytest_configure(config):
    config.addinivalue_line("markers", "calendar: also run at each date and zone of the calendar sweep")
    global _session_clock
    when = os.environ.get("STOCKFLOOR_TEST_NOW", DEFAULT_NOW)
    zone = os.environ.get("STOCKFLOOR_TEST_TZ", DEFAULT_TZ)
    _session_clock = time_machine.travel(_instant(when, zone), tick=True)
    _session_clock.start()


def pytest_unconfigure(config):
    if _session_clock is not None:
        _session_clock.stop()


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("calendar"):
        metafunc.parametrize("calendar_instant", [None] + SWEEP, indirect=True,
                             ids=["pinned"] + [name for name, _, _ in SWEEP])


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params else {}
        sweep = params.get("calendar_instant")
        if sweep and params.get("database") == "postgresql" and sweep[0] not in PG_SWEEP:
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def calendar_instant(request):
    """The sweep's (name, wall time, zone) for a ``calendar`` test, else None."""
    return getattr(request, "param", None)


@pytest.fixture(autouse=True)
def _calendar_clock(calendar_instant):
    sweep = calendar_instant
    if sweep is None:
        yield
        return
    _, when, zone = sweep
    with time_machine.travel(_instant(when, zone), tick=True):
        yield


@pytest.fixture(autouse=True)
def _one_cups_test_at_a_time(request):
    """Tests marked ``cups`` share the run's one CUPS queue, output folder and raw port: a
    lock file next to that folder lets one of them run at a time, whichever worker has it."""
    if request.node.get_closest_marker("cups") is None:
        yield
        return
    import fcntl
    import tempfile

    with open(os.path.join(tempfile.gettempdir(), "stockfloor-test-cups.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """Migrate once, copy per test: a fresh SQLite database costs a file copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    database = create_database(str(path))
    upgrade(database)
    database.dispose()
    return str(path)


@contextlib.contextmanager
def private_pg_schema(prefix: str = "sf_test"):
    """A new, empty schema on the shared server; yields the URL that works in it, drops it after."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_schema_url():
    """A private schema for this test run on the shared server, dropped at the end."""
    if not PG_URL:
        pytest.skip("STOCKFLOOR_TEST_DATABASE_URL not set")
    with private_pg_schema() as url:
        database = create_database(url)
        upgrade(database)
        database.dispose()
        yield url


def _empty_all(database: Database) -> None:
    """Empty every table and restart its id sequence: DELETE costs ~65 ms a test here where
    TRUNCATE of 40 tables cost 640-780 ms."""
    deletes = "; ".join(f"DELETE FROM {table.name}" for table in reversed(Base.metadata.sorted_tables))
    with database.engine.begin() as conn:
        sequences = conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")).scalars().all()
        restarts = "".join(f"; ALTER SEQUENCE {name} RESTART" for name in sequences)
        # moves, audit_log, scan_journal refuse DELETE by trigger; the test superuser lifts them
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica; " + deletes + restarts)


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path) -> Database:
    if request.param == "sqlite":
        path = tmp_path / "stockfloor.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        db = create_database(str(path))
    else:
        db = create_database(request.getfixturevalue("pg_schema_url"))
        _empty_all(db)
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
def proxy():
    """A loopback proxy to PostgreSQL that fails on purpose (tests/support/pgproxy.py)."""
    from tests.support.pgproxy import PgProxy

    proxy = PgProxy()
    yield proxy
    proxy.close()


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


@pytest.fixture
def as_supervisor(database, warehouse, monkeypatch):
    """Commands run as Sam Supervisor through a token (what a scheduled job does)."""
    from app.core.actor import system_actor
    from app.services import users

    with UnitOfWork(database) as uow:
        token = users.issue_token(uow, warehouse.supervisor.user_id, actor=system_actor("test"))
    monkeypatch.setenv("STOCKFLOOR_TOKEN", token)
    return token
