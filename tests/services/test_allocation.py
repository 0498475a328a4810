"""Allocation on every backend: which stock an order is promised, backorders, and that two
workstations never both get the last unit."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, update

from app.core import clock
from app.core.errors import InsufficientStock, InvalidTransition
from app.db.engine import create_database
from app.db.models import Location
from app.db.models_picking import Allocation
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.waves import picking
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.services.test_orders_support import add_bin, key, ledger_problems, new_order, on_hand, put_stock


def allocate(database, warehouse, order_id, **kwargs):
    with UnitOfWork(database) as uow:
        return allocation.allocate_order(uow, order_id, actor=warehouse.supervisor, **kwargs)


def reserved_at(database, order_id) -> dict[tuple[str, str | None], int]:
    """{(location code, lot code): units} the order holds."""
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id)
        rows = uow.session.scalars(select(Allocation).where(
            Allocation.order_line_id.in_([line.line_id for line in view.lines]), Allocation.quantity > 0))
        return {(a.location.code, a.lot.code if a.lot else None): a.quantity for a in rows}


def test_fifo_promises_the_oldest_stock(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10, days_ago=1)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10, days_ago=20)
    order = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 3})
    result = allocate(database, warehouse, order)
    assert result.order.status == "allocated" and result.reserved_now == 3 and result.backorder == 0
    assert reserved_at(database, order) == {("A-01-01", None): 3}
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (10, 3)


def test_pick_face_is_emptied_before_reserve_storage(database, warehouse):
    add_bin(database, "F-01", "pick_face", aisle="A", x=3.0, y=6.0)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10, days_ago=30)
    put_stock(database, warehouse, "WIDGET", "F-01", 4, days_ago=1)
    order = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 6})
    allocate(database, warehouse, order)
    assert reserved_at(database, order) == {("F-01", None): 4, ("A-01-01", None): 2}


@pytest.mark.calendar
def test_fefo_and_expired_or_too_short_lots_are_skipped(database, warehouse):
    add_bin(database, "F-01", "pick_face", aisle="A", x=3.0, y=6.0)
    put_stock(database, warehouse, "MILK", "F-01", 5, lot="LATE", expiry=clock.today() + dt.timedelta(days=60))
    put_stock(database, warehouse, "MILK", "A-01-01", 5, lot="SOON", expiry=clock.today() + dt.timedelta(days=10))
    put_stock(database, warehouse, "MILK", "A-02-01", 5, lot="OLD", expiry=clock.today() - dt.timedelta(days=1))
    put_stock(database, warehouse, "MILK", "A-03-01", 5, lot="WEEK", expiry=clock.today() + dt.timedelta(days=5))
    ships_in_a_week = new_order(database, warehouse.supervisor, "1001", {"MILK": 7},
                                ship_by=clock.today() + dt.timedelta(days=7))
    allocate(database, warehouse, ships_in_a_week)
    # WEEK expires before the ship-by date and OLD is expired: SOON first, then LATE.
    assert reserved_at(database, ships_in_a_week) == {("A-01-01", "SOON"): 5, ("F-01", "LATE"): 2}
    today = new_order(database, warehouse.supervisor, "1002", {"MILK": 20})
    result = allocate(database, warehouse, today)
    assert reserved_at(database, today) == {("A-03-01", "WEEK"): 5, ("F-01", "LATE"): 3}
    assert result.backorder == 12


def test_partial_stock_leaves_a_backorder_that_later_stock_fills(database, warehouse):
    put_stock(database, warehouse, "GADGET", "B-01-01", 2)
    order = new_order(database, warehouse.supervisor, "1001", {"GADGET": 5, "WIDGET": 1})
    result = allocate(database, warehouse, order)
    lines = {line.sku: line for line in result.order.lines}
    assert (lines["GADGET"].allocated, lines["GADGET"].backorder) == (2, 3)
    assert (lines["WIDGET"].allocated, lines["WIDGET"].backorder) == (0, 1)
    assert result.order.status == "allocated"
    put_stock(database, warehouse, "GADGET", "B-02-01", 10)
    put_stock(database, warehouse, "WIDGET", "B-03-01", 10)
    again = allocate(database, warehouse, order)
    assert again.reserved_now == 4 and again.backorder == 0


def test_only_pickable_unblocked_locations_are_promised(database, warehouse):
    for code in ("DOCK-1", "QUAR-1", "RET-1", "PACK-1", "A-01-01"):
        put_stock(database, warehouse, "GADGET", code, 3)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Location).where(Location.code == "A-01-01").values(blocked=True))
        uow.commit()
    order = new_order(database, warehouse.supervisor, "1001", {"GADGET": 2})
    result = allocate(database, warehouse, order)
    assert result.reserved_now == 0 and result.backorder == 2 and result.order.status == "open"


def test_reserved_units_cannot_be_taken_by_another_order_or_a_plain_move(database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-01-01", 3)
    first = new_order(database, warehouse.supervisor, "1001", {"GADGET": 3})
    second = new_order(database, warehouse.supervisor, "1002", {"GADGET": 1})
    allocate(database, warehouse, first)
    assert allocate(database, warehouse, second).backorder == 1
    with UnitOfWork(database) as uow, pytest.raises(InsufficientStock) as error:
        session = uow.session
        bin_, pack = (session.scalar(select(Location).where(Location.code == c)) for c in ("A-01-01", "PACK-1"))
        ledger.post_move(session, actor=warehouse.operator, product_id=warehouse.products["GADGET"].id,
                         quantity=1, source=bin_, destination=pack, reason="move", idempotency_key=key())
    assert str(error.value) == "Only 0 of GADGET at A-01-01, 1 needed."


def test_cancelling_gives_the_reservation_back(database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-01-01", 3)
    order = new_order(database, warehouse.supervisor, "1001", {"GADGET": 2})
    allocate(database, warehouse, order)
    with UnitOfWork(database) as uow:
        view = allocation.cancel_order(uow, order, actor=warehouse.supervisor)
    assert view.status == "cancelled" and view.allocated == 0
    assert on_hand(database, warehouse, "GADGET", "A-01-01") == (3, 0)
    with UnitOfWork(database) as uow, pytest.raises(InvalidTransition):
        allocation.allocate_order(uow, order, actor=warehouse.supervisor)


@pytest.mark.calendar
def test_waiting_orders_are_allocated_most_urgent_first(database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-01-01", 1)
    normal = new_order(database, warehouse.supervisor, "1001", {"GADGET": 1})
    urgent = new_order(database, warehouse.supervisor, "1002", {"GADGET": 1}, priority=5)
    with UnitOfWork(database) as uow:
        results = allocation.allocate_waiting_orders(uow, actor=warehouse.supervisor)
    assert [(r.order.number, r.reserved_now) for r in results] == [("1002", 1), ("1001", 0)]
    assert reserved_at(database, urgent) == {("A-01-01", None): 1} and reserved_at(database, normal) == {}


STATIONS = 6


def test_workstations_allocating_at_once_never_share_a_unit(database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-01-01", 2)
    put_stock(database, warehouse, "GADGET", "B-02-01", 1)
    order_ids = [new_order(database, warehouse.supervisor, f"R{n}", {"GADGET": 1}) for n in range(STATIONS)]
    start = threading.Barrier(STATIONS)

    def station(order_id):
        own = create_database(database.url)  # a workstation has its own connection pool
        try:
            start.wait()
            with UnitOfWork(own) as uow:
                return allocation.allocate_order(uow, order_id, actor=warehouse.supervisor2).reserved_now
        finally:
            own.dispose()

    with ThreadPoolExecutor(STATIONS) as pool:
        got = list(pool.map(station, order_ids))
    assert sorted(got) == [0, 0, 0, 1, 1, 1]
    assert on_hand(database, warehouse, "GADGET", "A-01-01") == (2, 2)
    assert on_hand(database, warehouse, "GADGET", "B-02-01") == (1, 1)
    assert ledger_problems(database) == []


def test_the_last_unit_is_picked_once_while_another_station_allocates_it(database, warehouse):
    put_stock(database, warehouse, "GADGET", "A-01-01", 1)
    first = new_order(database, warehouse.supervisor, "1001", {"GADGET": 1})
    second = new_order(database, warehouse.supervisor, "1002", {"GADGET": 1})
    allocate(database, warehouse, first)
    with UnitOfWork(database) as uow:
        [wave] = waves.release_waves(uow, [first], actor=warehouse.supervisor)
    start = threading.Barrier(2)

    def picker():
        own = create_database(database.url)
        try:
            with UnitOfWork(own) as uow:
                task = picking.next_pick(uow.session, wave.wave_id)
            start.wait()
            with UnitOfWork(own) as uow:
                picking.scan_location(uow, task.task_id, "A-01-01", actor=warehouse.operator)
            with UnitOfWork(own) as uow:
                return picking.scan_item(uow, task.task_id, gtin13(2), actor=warehouse.operator,
                                         idempotency_key=key()).units
        finally:
            own.dispose()

    def allocator():
        own = create_database(database.url)
        try:
            start.wait()
            with UnitOfWork(own) as uow:
                return allocation.allocate_order(uow, second, actor=warehouse.supervisor2).reserved_now
        finally:
            own.dispose()

    with ThreadPoolExecutor(2) as pool:
        picked, allocated = pool.submit(picker), pool.submit(allocator)
        assert (picked.result(), allocated.result()) == (1, 0)
    assert on_hand(database, warehouse, "GADGET", "A-01-01") == (0, 0)
    assert ledger_problems(database) == []
