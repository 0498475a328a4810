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


def test_a_receipt_scan_is_at_most_ten_statements_however_long_the_order(database, warehouse):
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
    # claim, product, order with its lines (locked), rules, dock + supplier, journal,
    # on-hand upsert, move, line counter; BEGIN on SQLite; at commit the hash chain: its head,
    # the new move and the new journal row read back by the ids their INSERTs returned, one
    # INSERT of the links; on PostgreSQL the chain's lock instead of BEGIN (no floor to read:
    # the ids are known).
    postgresql = database.engine.dialect.name == "postgresql"
    assert len(first) == len(later) <= 15, first
    assert first.count("SELECT") == 7 + postgresql, first


def counted(database, call) -> list[str]:
    with statements(database) as seen:
        call()
    return seen


def at_the_bin(database, warehouse, stock: int, ordered: int):  # noqa: ANN201 - (order id, task)
    """An order of ``ordered`` WIDGETs released as a wave, its task's bin scanned."""
    from app.services.waves import picking
    from tests.services.test_counting import run
    from tests.services.test_orders_support import put_stock
    from tests.services.test_picking import released

    put_stock(database, warehouse, "WIDGET", "A-01-01", stock)
    order_id, wave = released(database, warehouse, {"WIDGET": ordered})
    with UnitOfWork(database, write=False) as uow:
        task = picking.next_pick(uow.session, wave.wave_id)
    run(database, picking.scan_location, task.task_id, task.location, actor=warehouse.operator)
    return order_id, task


def test_pick_pack_and_count_scans_cost_the_same_however_far_along(database, warehouse):
    from app.services import counting
    from app.services.packing import parcels as packing
    from app.services.waves import picking
    from tests.services.test_counting import plan_one, run

    order_id, task = at_the_bin(database, warehouse, 40, 12)

    def pick():
        run(database, picking.scan_item, task.task_id, gtin13(1), actor=warehouse.operator,
            idempotency_key=uuid.uuid4().hex)

    def pack():
        run(database, packing.pack_scan, order_id, gtin13(1), actor=warehouse.operator,
            idempotency_key=uuid.uuid4().hex)

    picks = [counted(database, pick) for _ in range(11)]
    extra = 3 if database.engine.dialect.name == "postgresql" else 0  # the chain's floors and lock
    # the task with all it checks and shows in one statement, its counters by UPDATEs, the next prompt
    assert len(picks[1]) == len(picks[10]) <= 19 + extra, picks[1]  # with the hash chain at commit
    pick()  # the last unit finishes the task, the order and the wave
    packs = [counted(database, pack) for _ in range(12)]
    # the cart and the packing bench in one statement; the parcels with their plates, cartons
    # and items in one, the item grown by one UPDATE
    assert len(packs[1]) == len(packs[11]) <= 21 + extra, packs[1]

    count_id = plan_one(database, warehouse, "A-02-01").count_id
    location_id = run(database, counting.start_location, count_id, "A-02-01", actor=warehouse.operator).location_id

    def count():
        run(database, counting.count_scan, count_id, location_id, gtin13(2), actor=warehouse.operator,
            idempotency_key=uuid.uuid4().hex)

    counts = [counted(database, count) for _ in range(12)]
    assert len(counts[1]) == len(counts[11]) <= 17 + extra, counts[1]


def test_a_return_scan_costs_the_same_statements_at_the_first_and_the_tenth_unit(database, warehouse):
    """The RMA view the scan answers with reads its units in one statement, however many."""
    from tests.services.test_returns_support import inspect, open_rma, receive, ship_order

    ship_order(database, warehouse, "1001", {"WIDGET": 12})
    rma_id = open_rma(database, warehouse.operator, "1001").rma.rma_id

    def scan():
        return receive(database, warehouse.operator, rma_id, gtin13(1))

    scans = [counted(database, scan) for _ in range(10)]
    assert len(scans[1]) == len(scans[9]) <= 20, (scans[1], scans[9])
    result = scan()
    assert (result.unit.sku, result.rma.received, len(result.rma.units)) == ("WIDGET", 11, 11)
    # inspecting them: the same statements for the first and the tenth unit too
    units = [unit.unit_id for unit in result.rma.units]
    inspections = [counted(database, lambda unit_id=unit_id: inspect(database, warehouse.operator, unit_id, "A"))
                   for unit_id in units[:10]]
    assert len(inspections[1]) == len(inspections[9]), (inspections[1], inspections[9])
    last = inspect(database, warehouse.operator, units[10], "A")
    assert (last.unit.grade, len(last.rma.waiting)) == ("A", 0)


def test_the_pick_that_finishes_a_task_closes_it_in_the_same_update(database, warehouse):
    from sqlalchemy import select

    from app.db.models_picking import PickTask
    from app.services.waves import picking
    from tests.services.test_counting import run

    _, task = at_the_bin(database, warehouse, 5, 2)
    texts: list[str] = []

    def pick():
        run(database, picking.scan_item, task.task_id, gtin13(1), actor=warehouse.operator,
            idempotency_key=uuid.uuid4().hex)

    def seen(_conn, _cursor, statement, *_args):  # noqa: ANN001
        texts.append(" ".join(statement.split()))

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        pick()
        first = [text for text in texts if text.startswith("UPDATE pick_tasks")]
        texts.clear()
        pick()  # the last unit
        last = [text for text in texts if text.startswith("UPDATE pick_tasks")]
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert len(first) == 1 and "done_at" not in first[0], first
    assert len(last) == 1 and "done_at" in last[0], last  # picked, by whom, done: one statement
    with UnitOfWork(database, write=False) as uow:
        stored = uow.session.execute(select(PickTask.quantity_picked, PickTask.status, PickTask.done_at,
                                            PickTask.picked_by).where(PickTask.id == task.task_id)).one()
    assert stored[:2] == (2, "done") and stored.done_at is not None
    assert stored.picked_by == warehouse.operator.user_id
