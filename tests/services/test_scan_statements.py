"""The scan path issues a small, constant number of statements (no query per line, no
query per earlier scan): counted with SQLAlchemy's before_cursor_execute event."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

from sqlalchemy import event, update

from app.db.models import PurchaseOrderLine
from app.db.uow import UnitOfWork
from app.services.receiving import receipts as receiving
from tests.factories import gtin13


@contextmanager
def statements(database):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def receive(database, actor, scan=None):
    with UnitOfWork(database) as uow:
        return receiving.receive_scan(uow, RECEIPT[0], scan or gtin13(1), actor=actor,
                                      idempotency_key=uuid.uuid4().hex)


RECEIPT: list[int] = []


def test_a_receipt_scan_is_ten_statements_however_long_the_order(database, warehouse):
    RECEIPT[:] = [warehouse.orders["PO-1001"].id]
    with UnitOfWork(database) as uow:
        uow.session.execute(update(PurchaseOrderLine).values(quantity_expected=1000))
        uow.commit()
    receive(database, warehouse.operator)  # the first scan creates the dock's on-hand row
    with statements(database) as first:
        receive(database, warehouse.operator)
    for _ in range(5):
        receive(database, warehouse.operator, gtin13(2))
    with statements(database) as later:
        receive(database, warehouse.operator)
    # claim, product, order (locked), lines, rules, dock, journal, supplier, on-hand row
    # (ensure + add), move, line counter; BEGIN on SQLite.
    assert len(first) == len(later) <= 13, first
    assert first.count("SELECT") <= 6
