"""The unit of work: one connection and one transaction for the ORM session and the prebuilt
statements alike; it commits what the use case committed and nothing else."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.errors import DatabaseUnavailable
from app.db.engine import Database, create_database
from app.db.models import Location, ScanJournal
from app.db.prepared import Prepared, connection
from app.db.schema import upgrade
from app.db.uow import UnitOfWork
from tests.db.test_prepared import _INSERT_JOURNAL, journal_values, statements_run


def journal_raws(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return list(conn.scalars(select(ScanJournal.raw).order_by(ScanJournal.id)))


def test_the_session_and_the_prebuilt_statements_share_one_transaction(database):
    with UnitOfWork(database) as uow:
        session = uow.session
        conn = connection(session)
        _INSERT_JOURNAL.scalar(conn, journal_values("fast"))
        session.add(ScanJournal(**journal_values("orm")))
        # each sees the other's uncommitted row: one transaction
        assert session.scalar(select(func.count(ScanJournal.id))) == 2
        assert session.connection() is conn
        assert journal_raws(database) == []  # not visible outside it
        uow.commit()
    assert journal_raws(database) == ["fast", "orm"]


def test_what_is_not_committed_is_rolled_back_both_ways(database):
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("fast"))
        uow.session.add(ScanJournal(**journal_values("orm")))
        uow.session.flush()
    assert journal_raws(database) == []


def test_session_commit_and_rollback_are_the_units(database):
    """Services that end a transaction through the session (a refused PIN keeps its count)."""
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("refused"))
        uow.session.rollback()
        uow.session.add(ScanJournal(**journal_values("kept")))
        uow.session.commit()
        # a new transaction begins on the same connection after the commit
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("after, not committed"))
    assert journal_raws(database) == ["kept"]


def test_a_failed_statement_leaves_nothing_and_the_next_unit_works(database, warehouse):
    with pytest.raises(Exception), UnitOfWork(database) as uow:  # noqa: B017, PT011 - the driver's error, wrapped
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("before"))
        uow.session.execute(update(Location).values(kind=None))  # NOT NULL
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("next"))
        uow.commit()
    assert journal_raws(database) == ["next"]


def test_a_read_only_unit_reads_and_ends(database, warehouse):
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.count(Location.id))) > 0
        assert connection(uow.session).in_transaction()


def test_an_unreachable_database_fails_inside_the_unit_as_database_unavailable(tmp_path):
    database = create_database(str(tmp_path / "gone.sqlite"))
    database.engine.dispose()
    (tmp_path / "gone.sqlite").unlink()
    (tmp_path / "gone.sqlite").mkdir()  # the path is a folder now: nothing can open it
    with pytest.raises(DatabaseUnavailable), UnitOfWork(database) as uow:
        uow.session.scalar(select(func.count(Location.id)))


# --- the transaction begun at the driver ---------------------------------------------------------
# --- the connection kept between units -----------------------------------------------------------
def _unit_connection(database: Database):  # noqa: ANN202 - the unit's Connection
    with UnitOfWork(database) as uow:
        conn = uow.connection()
        uow.commit()
    return conn


def test_a_thread_keeps_its_connection_for_its_next_unit(database):
    first, second = _unit_connection(database), _unit_connection(database)
    assert first is second
    other: list = []
    thread = threading.Thread(target=lambda: other.append(_unit_connection(database)))
    thread.start()
    thread.join()
    assert other[0] is not first  # another thread's unit never runs on this thread's connection


def test_a_kept_postgresql_connection_that_sat_idle_is_asked_first_and_renewed_when_lost(database, monkeypatch):
    if database.is_sqlite:
        pytest.skip("PostgreSQL: a server can restart or a network drop while a connection is kept")
    from app.db import engine

    kept = _unit_connection(database)
    monkeypatch.setattr(engine, "IDLE_PING_SECONDS", 0.0)  # every kept connection has sat idle long enough
    with statements_run(database) as seen:
        assert _unit_connection(database) is kept
    assert seen[0] == "SELECT 1", seen  # asked before the unit's first statement
    pid = kept.connection.driver_connection.info.backend_pid
    with database.engine.connect() as other:  # the server ends the kept connection's session
        other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    lost = database.lost[0]
    with UnitOfWork(database) as uow:  # the operator's next unit works, on a new connection
        assert uow.session.scalar(select(func.count(Location.id))) is not None
        renewed = uow.connection()
        uow.commit()
    assert renewed is not kept and database.lost[0] == lost + 1
    assert renewed.connection.driver_connection.info.backend_pid != pid


def test_a_connection_the_driver_left_in_a_transaction_is_not_kept(database):
    if database.is_sqlite:
        pytest.skip("PostgreSQL: a kept session idle in a transaction would hold its locks")
    conn = database.unit_connection(write=True)
    conn.connection.driver_connection.execute("SELECT 1")  # psycopg begins; SQLAlchemy knows nothing
    database.park(conn, write=True)
    assert conn.closed and database.unit_connection(write=True) is not conn  # given back: the pool rolls it back


def test_a_unit_whose_connection_failed_does_not_hand_it_on(sqlite_database):
    conn = _unit_connection(sqlite_database)
    with pytest.raises(Exception), UnitOfWork(sqlite_database) as uow:  # noqa: B017, PT011 - the driver's error, wrapped
        assert uow.connection() is conn
        uow.connection().exec_driver_sql("SELECT * FROM no_such_table")
    assert _unit_connection(sqlite_database) is not conn


def test_dispose_closes_the_kept_connections(sqlite_database):
    conn = _unit_connection(sqlite_database)
    sqlite_database.dispose()
    assert conn.closed


def test_a_dropped_database_is_freed_at_once_and_gives_its_kept_connection_back(tmp_path):
    """No reference cycle holds a Database: dropped, it goes at once, on the thread that
    dropped it, closing the connection it kept, not later on whichever thread the cyclic
    collector happens to run."""
    database = create_database(str(tmp_path / "dropped.sqlite"))
    upgrade(database)
    conn = _unit_connection(database)
    gone = weakref.ref(database)
    collecting = gc.isenabled()
    gc.disable()
    try:
        del database
        assert gone() is None and conn.closed
    finally:
        if collecting:
            gc.enable()


# --- the transaction begun at the driver ---------------------------------------------------------
def test_a_refused_prebuilt_statement_ends_only_itself(database, warehouse):
    """The transaction is begun at the driver, unknown to SQLAlchemy, which rolls back what it
    believes is outside a transaction when a statement fails: the unit's earlier rows must
    survive a refusal the use case handles, and commit with the rest."""
    duplicate = Prepared(insert(Location.__table__))
    with UnitOfWork(database) as uow:
        conn = connection(uow.session)
        _INSERT_JOURNAL.scalar(conn, journal_values("before"))
        with pytest.raises(IntegrityError):
            duplicate.execute(conn, {"code": "DOCK-1", "barcode": "DOCK-1", "kind": "receiving", "blocked": False})
        if not database.is_sqlite:  # PostgreSQL: a failed statement spoils the transaction
            return
        _INSERT_JOURNAL.scalar(conn, journal_values("after"))
        uow.commit()
    assert journal_raws(database) == ["before", "after"]


def test_the_orm_takes_over_a_transaction_begun_at_the_driver(database):
    with UnitOfWork(database) as uow:
        conn = connection(uow.session)
        _INSERT_JOURNAL.scalar(conn, journal_values("driver"))
        assert not conn.in_transaction()  # begun at the driver: SQLAlchemy has no transaction yet
        assert uow.session.scalar(select(func.count(ScanJournal.id))) == 1  # the ORM joins it
        assert conn.in_transaction()
        uow.session.add(ScanJournal(**journal_values("orm")))
        uow.session.rollback()
    assert journal_raws(database) == []
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("driver"))
        uow.session.add(ScanJournal(**journal_values("orm")))
        uow.commit()
    assert journal_raws(database) == ["driver", "orm"]


def test_a_unit_that_commits_and_goes_on_begins_a_new_transaction(database):
    """A use case that commits and then writes again (a journal row after the work, say): the
    second part is a transaction of its own, committed or rolled back on its own."""
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("first"))
        uow.commit()
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("second"))
        uow.rollback()
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("third"))
        uow.commit()
    assert journal_raws(database) == ["first", "third"]


def test_statement_listeners_see_the_scan_paths_statements_in_every_unit(database):
    """A listener added between units sees every statement of the next one (tests count
    statements so), the transaction's first and the ones that go straight to the cursor."""
    with UnitOfWork(database) as uow:  # the connection has served a unit before the listener
        _INSERT_JOURNAL.scalar(connection(uow.session), journal_values("before"))
        uow.commit()
    with statements_run(database) as seen, UnitOfWork(database) as uow:
        for raw in ("one", "two", "three"):
            _INSERT_JOURNAL.scalar(connection(uow.session), journal_values(raw))
        uow.commit()
    assert sum(statement.startswith("INSERT INTO scan_journal") for statement in seen) == 3, seen
    assert journal_raws(database) == ["before", "one", "two", "three"]
