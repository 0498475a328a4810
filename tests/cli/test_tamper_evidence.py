"""moves, audit_log and scan_journal are append-only in the database, and the hash chain makes
whatever gets past that (a superuser switching triggers off) visible to `db check`."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.db.uow import UnitOfWork
from app.services import config
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

TABLES = ("moves", "audit_log", "scan_journal")


@pytest.fixture
def received(database, warehouse, admin_actor):
    """One move, one journalled scan, one audit entry."""
    with UnitOfWork(database) as uow:
        receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, gtin13(2), quantity=2,
                               actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "pin_attempts", 3, actor=admin_actor)
        uow.commit()
    return database


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET workstation = 'X' WHERE id = 1", "DELETE FROM {t} WHERE id = 1"])
def test_raw_update_and_delete_are_refused(received, table, statement):
    with pytest.raises(DBAPIError, match="append-only"), received.engine.begin() as conn:
        conn.execute(text(statement.format(t=table)))


def _bypass(database, sql: str) -> None:
    """What only the database owner can do: switch the triggers off for one statement."""
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.exec_driver_sql(sql)
        else:
            from app.db import chain

            chain.drop_triggers(conn)
            conn.exec_driver_sql(sql)
            chain.install_triggers(conn)


def test_check_is_clean_then_names_an_edited_and_a_deleted_row(received, cli):
    result = cli("--database", received.url, "db", "check")
    assert result.code == 0 and "hash chain intact" in result.out
    _bypass(received, "UPDATE scan_journal SET raw = 'x' WHERE id = 1")
    _bypass(received, "DELETE FROM audit_log WHERE id = 1")
    _bypass(received, "UPDATE moves SET quantity = 20 WHERE id = 1")
    result = cli("--database", received.url, "db", "check")
    assert result.code == 1
    assert "scan_journal row 1 was edited after it was written" in result.out
    assert "audit_log row 1 was deleted" in result.out
    assert "moves row 1 was edited after it was written" in result.out


def test_setup_roles_makes_an_app_role_that_can_only_append(received, cli):
    if received.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    role = f"sf_app_{uuid.uuid4().hex[:8]}"
    result = cli("--database", received.url, "db", "setup-roles", "--role", role, "--password", "pw")
    assert result.code == 0, result.err
    url = received.engine.url.set(username=role, password="pw")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            assert conn.scalar(text("SELECT count(*) FROM moves")) == 1
        for table in TABLES:
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text(f"DELETE FROM {table}"))
        with engine.begin() as conn:  # the rest of the warehouse is writable
            conn.execute(text("UPDATE products SET name = name"))
    finally:
        engine.dispose()
        with received.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")


def test_rows_committed_out_of_id_order_are_all_chained(database, warehouse):
    """Two workstations: the first inserts, the second inserts and commits, the first commits."""
    if database.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time")
    from sqlalchemy.orm import Session

    from app.db import chain
    from app.services import audit

    with Session(database.engine) as first, Session(database.engine) as second:
        audit.journal_scan(first, warehouse.operator, context="test", raw="FIRST", interpretation="", outcome="ok")
        audit.journal_scan(second, warehouse.operator, context="test", raw="SECOND", interpretation="",
                          outcome="ok")
        second.commit()
        first.commit()
    with Session(database.engine) as session:
        links, problems = chain.verify(session)
    assert problems == [] and links > 0
