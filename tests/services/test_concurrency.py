"""Several workstations at once: every receipt lands exactly, the last unit is taken once."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, update

from app.core.errors import InsufficientStock
from app.db.engine import create_database
from app.db.models import OnHand, PurchaseOrderLine
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

SCANS_PER_STATION = 15


def test_two_workstations_receiving_into_the_same_dock_both_land(database, warehouse):
    order_id = warehouse.orders["PO-1001"].id
    with UnitOfWork(database) as uow:
        uow.session.execute(update(PurchaseOrderLine).values(quantity_expected=1000))
        uow.commit()
    start = threading.Barrier(2)

    def station(actor):
        own = create_database(database.url)  # a workstation has its own connection pool
        start.wait()
        for _ in range(SCANS_PER_STATION):
            with UnitOfWork(own) as uow:
                receiving.receive_scan(uow, order_id, gtin13(1), actor=actor,
                                       idempotency_key=uuid.uuid4().hex)
        own.dispose()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(station, [warehouse.operator, warehouse.operator2]))

    with UnitOfWork(database, write=False) as uow:
        on_dock = uow.session.scalar(select(OnHand.quantity).where(
            OnHand.product_id == warehouse.products["WIDGET"].id))
        received = uow.session.scalar(select(PurchaseOrderLine.quantity_received).where(
            PurchaseOrderLine.product_id == warehouse.products["WIDGET"].id))
        assert ledger.check_ledger(uow.session) == []
    assert on_dock == received == 2 * SCANS_PER_STATION


def test_sixteen_takers_for_eight_units_exactly_eight_succeed(database, warehouse):
    with UnitOfWork(database) as uow:
        ledger.post_move(uow.session, actor=warehouse.operator, product_id=warehouse.products["GADGET"].id,
                         quantity=8, source=warehouse.locations["SUPPLIER"],
                         destination=warehouse.locations["A-01-01"], reason="test", idempotency_key="seed")
        uow.commit()
    start = threading.Barrier(16)
    results: list[str] = []

    def take(n):
        own = create_database(database.url)
        start.wait()
        try:
            with UnitOfWork(own) as uow:
                ledger.post_move(uow.session, actor=warehouse.operator2,
                                 product_id=warehouse.products["GADGET"].id, quantity=1,
                                 source=warehouse.locations["A-01-01"],
                                 destination=warehouse.locations["PACK-1"], reason="pick",
                                 idempotency_key=f"take-{n}")
                uow.commit()
            results.append("ok")
        except InsufficientStock:
            results.append("short")
        finally:
            own.dispose()

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(take, range(16)))
    assert results.count("ok") == 8 and results.count("short") == 8
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
        quantities = {row.location_id: row.quantity for row in uow.session.scalars(select(OnHand))}
    assert quantities[warehouse.locations["A-01-01"].id] == 0
    assert quantities[warehouse.locations["PACK-1"].id] == 8


def test_two_pickers_on_tasks_of_one_order_line_both_count(database, warehouse):
    """One order line reserved in two bins is two tasks; two pickers working them at once both
    add to the line's picked count (it is added to in SQL, not written back as read)."""
    from app.services.integrity import check_documents
    from app.services.waves import picking
    from tests.services.test_orders_support import put_stock
    from tests.services.test_picking import released

    units = 8
    put_stock(database, warehouse, "WIDGET", "A-01-01", units)
    put_stock(database, warehouse, "WIDGET", "B-01-01", units)
    order_id, wave = released(database, warehouse, {"WIDGET": 2 * units})
    with UnitOfWork(database, write=False) as uow:
        tasks = [(t.id, t.location.code) for t in picking.get_wave(uow.session, wave.wave_id).tasks]
        line_ids = {t.order_line_id for t in picking.get_wave(uow.session, wave.wave_id).tasks}
    assert len(tasks) == 2 and len(line_ids) == 1
    start = threading.Barrier(2)

    def picker(work):
        (task_id, bin_code), actor = work
        own = create_database(database.url)  # a workstation has its own connection pool
        with UnitOfWork(own) as uow:
            picking.scan_location(uow, task_id, bin_code, actor=actor)
        start.wait()
        for _ in range(units):
            with UnitOfWork(own) as uow:
                picking.scan_item(uow, task_id, gtin13(1), actor=actor, idempotency_key=uuid.uuid4().hex)
        own.dispose()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(picker, zip(tasks, [warehouse.operator, warehouse.operator2], strict=True)))

    from app.db.models_picking import SalesOrder, SalesOrderLine

    with UnitOfWork(database, write=False) as uow:
        picked = uow.session.scalar(select(SalesOrderLine.quantity_picked).where(SalesOrderLine.order_id == order_id))
        status = uow.session.scalar(select(SalesOrder.status).where(SalesOrder.id == order_id))
        assert ledger.check_ledger(uow.session) == [] and check_documents(uow.session) == []
    assert (picked, status) == (2 * units, "picked")
