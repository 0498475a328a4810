"""Exactly once under concurrency: the same confirmed scan (one idempotency key) submitted
by several processes at the same instant is applied once; every other submission reports
``replayed`` and changes no counter. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest
from sqlalchemy import select, update

from app.db.engine import create_database
from app.db.models import OnHand, PurchaseOrderLine
from app.db.models_counting import CountLine
from app.db.models_picking import PickTask, SalesOrderLine
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from app.services.counting import floor
from app.services.integrity import check_documents
from app.services.packing import parcels as packing
from app.services.receiving import receipts as receiving
from app.services.waves import picking
from tests.factories import gtin13
from tests.services.test_counting import plan_one, run
from tests.services.test_orders_support import put_stock
from tests.services.test_packing import picked_order
from tests.services.test_picking import released

PROCESSES = 4
ROUNDS = 3
VERBS = {
    "receive": receiving.receive_scan,
    "pick": picking.scan_item,
    "pack": packing.pack_scan,
    "count": floor.count_scan,
}


def _submit(url, verb, args, kwargs, barrier, results) -> None:
    """One workstation (its own process and connection pool) submitting the scan."""
    database = create_database(url)
    try:
        database.engine.connect().close()  # connected before the start line, like a running station
        barrier.wait(timeout=30)
        with UnitOfWork(database) as uow:
            result = VERBS[verb](uow, *args, **kwargs)
        results.put(("replayed" if result.replayed else "applied", ""))
    except Exception as error:  # noqa: BLE001  (reported to the parent, which fails the test)
        results.put(("error", repr(error)))
    finally:
        database.dispose()


def submit_at_once(database, verb: str, *args, **kwargs) -> list[str]:
    """PROCESSES processes submit the same call at the same instant; their outcomes."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_submit, args=(database.url, verb, args, kwargs, barrier, results))
               for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert [kind for kind, _ in outcomes].count("error") == 0, outcomes
    return sorted(kind for kind, _ in outcomes)


EXACTLY_ONE = sorted(["applied"] + ["replayed"] * (PROCESSES - 1))


def consistent(database) -> None:
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
        assert check_documents(uow.session) == []


def scalar(database, query):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(query)


def test_the_same_receipt_scan_from_four_processes_lands_once(database, warehouse):
    order_id = warehouse.orders["PO-1001"].id
    widget = warehouse.products["WIDGET"].id
    with UnitOfWork(database) as uow:
        uow.session.execute(update(PurchaseOrderLine).values(quantity_expected=1000))
        uow.commit()
    for n in range(1, ROUNDS + 1):
        outcomes = submit_at_once(database, "receive", order_id, gtin13(1), actor=warehouse.operator,
                                  idempotency_key=uuid.uuid4().hex)
        assert outcomes == EXACTLY_ONE
        assert scalar(database, select(PurchaseOrderLine.quantity_received)
                      .where(PurchaseOrderLine.product_id == widget)) == n
        assert scalar(database, select(OnHand.quantity).where(OnHand.product_id == widget)) == n
    consistent(database)


def test_the_same_pick_scan_from_four_processes_picks_once(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    _, wave = released(database, warehouse, {"WIDGET": 5})
    with UnitOfWork(database, write=False) as uow:
        task = picking.next_pick(uow.session, wave.wave_id)
    with UnitOfWork(database) as uow:
        picking.scan_location(uow, task.task_id, task.location, actor=warehouse.operator)
    for n in range(1, ROUNDS + 1):
        outcomes = submit_at_once(database, "pick", task.task_id, gtin13(1), actor=warehouse.operator,
                                  idempotency_key=uuid.uuid4().hex)
        assert outcomes == EXACTLY_ONE
        assert scalar(database, select(PickTask.quantity_picked).where(PickTask.id == task.task_id)) == n
        assert scalar(database, select(SalesOrderLine.quantity_picked)) == n
        assert scalar(database, select(OnHand.reserved).where(OnHand.reserved > 0)) == 5 - n
    consistent(database)


def test_the_same_pack_scan_from_four_processes_packs_once(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    order_id, _ = picked_order(database, warehouse, {"WIDGET": 5})
    for n in range(1, ROUNDS + 1):
        outcomes = submit_at_once(database, "pack", order_id, gtin13(1), actor=warehouse.operator,
                                  idempotency_key=uuid.uuid4().hex)
        assert outcomes == EXACTLY_ONE
        assert scalar(database, select(SalesOrderLine.quantity_packed)) == n
    consistent(database)


def test_the_same_count_scan_from_four_processes_counts_once(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    count_id = plan_one(database, warehouse, "A-01-01").count_id
    location_id = run(database, counting.start_location, count_id, "A-01-01",
                      actor=warehouse.operator).location_id
    for n in range(1, ROUNDS + 1):
        outcomes = submit_at_once(database, "count", count_id, location_id, gtin13(1),
                                  actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
        assert outcomes == EXACTLY_ONE
        assert scalar(database, select(CountLine.counted)) == n
    consistent(database)


@pytest.mark.parametrize("verb", ["receive"])
def test_a_refused_scan_gives_its_key_back(database, warehouse, verb):
    """A scan refused (over-receipt) claims nothing: the same key works once it may."""
    from app.core.errors import OverReceipt

    order_id = warehouse.orders["PO-1001"].id
    key = uuid.uuid4().hex
    with pytest.raises(OverReceipt), UnitOfWork(database) as uow:
        receiving.receive_scan(uow, order_id, gtin13(101), actor=warehouse.operator,
                               idempotency_key=key, quantity=2)
    with UnitOfWork(database) as uow:
        result = receiving.receive_scan(uow, order_id, gtin13(1), actor=warehouse.operator,
                                        idempotency_key=key)
    assert not result.replayed and result.line.received == 1
