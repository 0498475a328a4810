"""The scan path's statements on the driver's cursor (app.db.prepared) behave as SQLAlchemy's
own execution would: same values both ways, same transaction, same exceptions, same listeners,
and every row they write into a chained table is chained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import bindparam, case, event, insert, literal, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core import clock
from app.db import chain
from app.db.compiling import bind_processor
from app.db.models import Location, Move, ScanClaim, ScanJournal
from app.db.models_audit import ChainLink
from app.db.prepared import Prepared
from app.db.uow import UnitOfWork

JOURNAL = ScanJournal.__table__
_INSERT_JOURNAL = Prepared(insert(JOURNAL).returning(JOURNAL.c.id))
_JOURNAL_ROW = Prepared(select(JOURNAL.c.id, JOURNAL.c.at, JOURNAL.c.raw).where(JOURNAL.c.id == bindparam("id")))
_INSERT_CLAIM = Prepared(insert(ScanClaim.__table__))
_INSERT_MOVE = Prepared(insert(Move.__table__).returning(Move.__table__.c.id))
_INSERT_LOCATION = Prepared(insert(Location.__table__))


def journal_values(raw: str, at: dt.datetime | None = None) -> dict:
    return {"at": at or clock.now(), "user_id": None, "workstation": "WS", "context": "test", "raw": raw,
            "interpretation": "", "outcome": "ok", "message": ""}


def test_values_go_in_and_come_back_as_sqlalchemy_converts_them(database):
    at = dt.datetime(2026, 12, 4, 15, 30, 12, 345678, tzinfo=dt.UTC)
    with UnitOfWork(database) as uow:
        conn = uow.session.connection()
        row_id = _INSERT_JOURNAL.scalar(conn, journal_values("Ä-1", at))
        fast = _JOURNAL_ROW.first(conn, {"id": row_id})
        orm = uow.session.get(ScanJournal, row_id)
        assert fast == (row_id, orm.at, "Ä-1")
        assert (fast[1] if fast[1].tzinfo else fast[1].replace(tzinfo=dt.UTC)) == at  # SQLite: naive UTC, as the ORM
        uow.commit()


def test_python_side_column_defaults_are_filled_in(database, warehouse):
    with UnitOfWork(database) as uow:
        conn = uow.session.connection()
        move_id = _INSERT_MOVE.scalar(conn, {
            "product_id": warehouse.products["WIDGET"].id, "quantity": 1,
            "from_location_id": warehouse.locations["A-01-01"].id, "to_location_id": warehouse.locations["A-02-01"].id,
            "workstation": "WS", "reason": "test", "idempotency_key": "defaults"})
        created = uow.session.get(Move, move_id).created_at  # Move.created_at's default: now
        assert abs((created if created.tzinfo else created.replace(tzinfo=dt.UTC)) - clock.now()) < dt.timedelta(minutes=1)


def test_a_refused_statement_raises_sqlalchemys_error_and_rolls_back_with_the_unit_of_work(database):
    with UnitOfWork(database) as uow:
        conn = uow.session.connection()
        _INSERT_CLAIM.execute(conn, {"idempotency_key": "k1", "created_at": clock.now()})
        with pytest.raises(IntegrityError):
            _INSERT_CLAIM.execute(conn, {"idempotency_key": "k1", "created_at": clock.now()})
    with UnitOfWork(database) as uow:  # nothing committed: the key is free again
        assert uow.session.scalar(select(ScanClaim).where(ScanClaim.idempotency_key == "k1")) is None


def test_it_runs_in_a_transaction_even_on_a_fresh_connection(database):
    with database.engine.connect() as conn:
        _INSERT_CLAIM.execute(conn, {"idempotency_key": "k2", "created_at": clock.now()})
        assert conn.in_transaction()
        conn.rollback()
    with database.engine.connect() as conn:
        assert conn.scalar(select(ScanClaim.idempotency_key).where(ScanClaim.idempotency_key == "k2")) is None


@contextmanager
def statements_run(database) -> Iterator[list[str]]:  # noqa: ANN001
    """The statements the engine's statement listeners see meanwhile."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):  # noqa: ANN001
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", note)


def test_statement_listeners_see_every_statement(database):
    with statements_run(database) as seen, UnitOfWork(database) as uow:
        _INSERT_CLAIM.execute(uow.session.connection(), {"idempotency_key": "k3", "created_at": clock.now()})
        # An INSERT asked to return nothing returns nothing (PostgreSQL's implicit RETURNING
        # of a generated id would be read and thrown away).
        assert _INSERT_LOCATION.execute(uow.session.connection(), {
            "code": "Z-99", "barcode": "Z-99", "kind": "storage", "blocked": False}) == []
    assert any(statement.startswith("INSERT INTO scan_claims") for statement in seen), seen
    assert [statement for statement in seen if "RETURNING" in statement] == [], seen


def test_rows_written_both_ways_in_one_transaction_are_all_chained(database):
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(uow.session.connection(), journal_values("FAST-1"))
        uow.session.add(ScanJournal(**journal_values("ORM")))
        uow.session.flush()
        _INSERT_JOURNAL.scalar(uow.session.connection(), journal_values("FAST-2"))
        uow.commit()
    with Session(database.engine) as session:
        links, problems = chain.verify(session)
        raws = session.scalars(select(ScanJournal.raw).order_by(ScanJournal.id)).all()
    assert problems == [] and links >= 3
    assert raws[-3:] == ["FAST-1", "ORM", "FAST-2"]


def test_rows_of_a_rolled_back_transaction_are_not_chained_by_the_next(database):
    with UnitOfWork(database) as uow:
        _INSERT_JOURNAL.scalar(uow.session.connection(), journal_values("GONE"))
        uow.rollback()
        _INSERT_JOURNAL.scalar(uow.session.connection(), journal_values("KEPT"))
        uow.commit()
    with Session(database.engine) as session:
        links, problems = chain.verify(session)
    assert problems == [] and links >= 1


def test_a_read_only_unit_ends_without_forgetting_the_prepared_statements(database, warehouse):
    """psycopg prepares a statement at its fifth run on a connection and forgets all of them at
    ROLLBACK: the screens' reads between scans (read-only units) end with COMMIT, so the scan
    statements stay prepared. A unit that may have written still rolls back."""
    from sqlalchemy import text

    from app.db.models import Location

    where = select(Location.id).where(Location.code == "A-01-01")
    for _ in range(6):  # one connection: the pool hands back the one just returned
        with UnitOfWork(database, write=False) as uow:
            assert uow.session.execute(where).scalar_one()
    with UnitOfWork(database, write=False) as uow:
        if database.is_sqlite:
            return  # SQLite: nothing to keep, COMMIT and ROLLBACK of a read are the same
        prepared = uow.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()
    assert prepared >= 1

    with UnitOfWork(database) as uow:  # a write unit that ends uncommitted: rolled back
        uow.session.execute(text("UPDATE locations SET blocked = true WHERE code = 'A-01-01'"))
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.execute(text("SELECT blocked FROM locations WHERE code = 'A-01-01'")).scalar_one() is False


def test_an_in_list_is_written_out_for_each_length_and_rows_can_be_named(database, warehouse):
    """IN lists (expanding parameters) as SQLAlchemy writes them, of any length, empty too,
    with the items converted by the column's type; named rows read like SQLAlchemy's."""
    from sqlalchemy import text

    from app.db.models import Location

    locations = Location.__table__
    by_codes = Prepared(select(locations.c.code, locations.c.kind.label("what"))
                        .where(locations.c.code.in_(bindparam("codes", expanding=True)),
                               locations.c.blocked.is_(False))
                        .order_by(locations.c.code), named=True)
    since = Prepared(select(JOURNAL.c.raw).where(JOURNAL.c.at.in_(bindparam("ats", expanding=True))))
    with UnitOfWork(database) as uow:
        conn = uow.session.connection()
        every = [code for (code,) in conn.execute(text("SELECT code FROM locations ORDER BY code"))]
        for wanted in ([], every[:1], every[:3], every[1:4], every):
            rows = by_codes.execute(conn, {"codes": wanted})
            assert [row.code for row in rows] == sorted(wanted)
            assert rows == [tuple(row) for row in conn.execute(by_codes.statement, {"codes": wanted})]
        at = clock.now()
        _INSERT_JOURNAL.execute(conn, journal_values("in-list", at))
        assert since.execute(conn, {"ats": [at, at.replace(year=2001)]}) == [("in-list",)]


@pytest.mark.parametrize("value", [
    dt.datetime(2026, 12, 4, 15, 30, 12, 345678, tzinfo=dt.UTC), dt.datetime(2026, 12, 4, 15, 30),
    dt.datetime(999, 1, 2, 3, 4, 5, 6), dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    dt.date(2026, 12, 4), None])
def test_a_datetime_is_bound_on_sqlite_as_the_same_text_sqlalchemy_writes(value):
    """The scan path binds SQLite datetimes by one C call: the stored text (which SQLite
    compares and sorts as text) must be exactly SQLAlchemy's, whatever the value."""
    dialect = sqlite.dialect()
    column_type = Move.__table__.c.created_at.type
    sqlalchemys = column_type.dialect_impl(dialect).bind_processor(dialect)
    ours = bind_processor(column_type, dialect, sqlalchemys)
    assert ours is not sqlalchemys  # the fast one is in use
    assert ours(value) == sqlalchemys(value)


_LOCATIONS = Location.__table__
# Constants of three kinds (a literal, a CASE's values, a LIMIT) beside the caller's values.
_NEAREST_OF_KIND = Prepared(
    select(_LOCATIONS.c.code, case((_LOCATIONS.c.code == bindparam("first"), 0), else_=1).label("later"))
    .where(_LOCATIONS.c.kind == literal("storage"), _LOCATIONS.c.code.like(bindparam("like")))
    .order_by(case((_LOCATIONS.c.code == bindparam("first"), 0), else_=1), _LOCATIONS.c.code).limit(2))


def test_constants_are_written_into_the_sql_and_the_callers_values_stay_parameters(database, warehouse):
    with statements_run(database) as seen, UnitOfWork(database, write=False) as uow:
        rows = _NEAREST_OF_KIND.execute(uow.session.connection(), {"first": "A-02-01", "like": "A-%"})
    assert [tuple(row) for row in rows] == [("A-02-01", 0), ("A-01-01", 1)]
    sql, = (statement for statement in seen if "FROM locations" in statement)
    assert "'storage'" in sql and "THEN 0 ELSE 1" in sql and "LIMIT 2" in sql, sql
    assert "A-02-01" not in sql and "A-%" not in sql, sql  # the caller's: bound
    assert "OFFSET ?" not in sql, sql  # SQLite's OFFSET of a LIMIT: written in too (OFFSET 0)


def utc(at: dt.datetime) -> dt.datetime:
    """An instant as naive UTC (SQLite gives some columns back naive, others aware)."""
    return at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at


def _stamped_scan(database, key: str, product_id: int) -> None:  # noqa: ANN001
    """What a receive scan writes, statement by statement, in one unit of work."""
    from app.core.actor import system_actor
    from app.services import audit, ledger
    from app.services.config import special_location_refs

    actor = system_actor("test")
    with UnitOfWork(database) as uow:
        assert ledger.claim(uow.session, key)
        scan_id = audit.journal_scan(uow.session, actor, context="test", raw=key, interpretation="", outcome="ok")
        dock, supplier = special_location_refs(uow.session, "receiving", "supplier")
        ledger.post_move(uow.session, actor=actor, product_id=product_id, quantity=1, source=supplier,
                         destination=dock, reason="receipt", idempotency_key=key, scan_id=scan_id, claimed=True)
        uow.commit()


def test_a_transactions_rows_carry_one_instant_and_the_next_transaction_its_own(database, warehouse):
    """The claim, the journal row, the move and their chain links of one scan carry the
    instant of the transaction (the clock ticks between the statements); the next scan on the
    same kept connection reads the clock again."""
    product_id = warehouse.products["GADGET"].id
    stamps = []
    for key in ("stamp-1", "stamp-2"):
        _stamped_scan(database, key, product_id)
        with database.engine.connect() as conn:
            claimed = conn.scalar(select(ScanClaim.created_at).where(ScanClaim.idempotency_key == key))
            moved, scan_id = conn.execute(select(Move.created_at, Move.scan_id).where(Move.idempotency_key == key)).one()
            journaled = conn.scalar(select(ScanJournal.at).where(ScanJournal.id == scan_id))
            links = conn.scalars(select(ChainLink.at).where(ChainLink.row_id.in_([scan_id]),
                                                            ChainLink.table_name == "scan_journal")).all()
        instants = {utc(claimed), utc(moved), utc(journaled), utc(links[0])}
        assert len(instants) == 1, (claimed, moved, journaled, links)
        stamps.append(utc(moved))
    assert stamps[1] > stamps[0]


def test_a_stamp_ends_with_a_transaction_sqlalchemy_ends(database):
    """A transaction SQLAlchemy begins and commits (not the unit of work's at the driver)
    leaves no stamp behind for the next one on the connection."""
    from app.db.prepared import stamp

    with database.engine.connect() as conn:
        with conn.begin():
            first = stamp(conn)
            assert stamp(conn) is first
        with conn.begin():
            assert stamp(conn) > first
