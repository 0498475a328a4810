"""The demo warehouse: consistent stock, scannable codes, documented users, same seed same data."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from sqlalchemy import func, select

from app.core.actor import system_actor
from app.core.checkdigits import is_valid_gs1
from app.db.engine import create_database
from app.db.models import Location, OnHand, Product, ProductBarcode, PurchaseOrder, User
from app.db.models_picking import Carton, SalesOrder
from app.db.uow import UnitOfWork
from app.services import ledger, scanning, users
from app.services.demo import DatabaseNotEmpty, build_demo
from app.services.orders import documents as orders
from app.services.waves import picking
from app.services.waves import release as waves
from app.services.waves.layout import floor_plan, walking_order

TODAY = dt.date(2026, 11, 22)


def build(database, **kwargs):
    with UnitOfWork(database) as uow:
        return build_demo(uow, today=TODAY, **{"actor": system_actor("demo"), **kwargs})


def snapshot(database) -> list[tuple]:
    """Everything a user would compare between two demo warehouses."""
    with UnitOfWork(database, write=False) as uow:
        products = uow.session.execute(select(Product.sku, Product.name, Product.tracking).order_by(Product.sku))
        stock = uow.session.execute(
            select(Product.sku, Location.code, OnHand.quantity)
            .join(Product, Product.id == OnHand.product_id).join(Location, Location.id == OnHand.location_id)
            .order_by(Product.sku, Location.code, OnHand.quantity))
        sales = uow.session.execute(
            select(SalesOrder.channel, SalesOrder.number, SalesOrder.status, SalesOrder.ship_to_name)
            .order_by(SalesOrder.id))
        return [tuple(row) for row in products] + [tuple(row) for row in stock] + [tuple(row) for row in sales]


def test_demo_warehouse_is_consistent_and_scannable(database):
    summary = build(database, products=120, seed=3)
    assert summary.products == 120 and summary.moves > 100 and summary.orders >= 4
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        assert ledger.check_ledger(session) == []
        gtins = session.scalars(select(ProductBarcode.code).where(ProductBarcode.kind.in_(("gtin", "case"))))
        assert all(is_valid_gs1(code) and len(code) in (13, 14) for code in gtins)
        case = session.scalar(select(ProductBarcode).where(ProductBarcode.kind == "case").limit(1))
        assert scanning.resolve(session, case.code).units in (6, 12, 24)
        bins = session.scalars(select(Location).where(Location.aisle == "C", Location.bay == 3)).all()
        assert {(b.code, b.kind, b.x, b.y) for b in bins if b.level <= 2} == {
            ("C-03-01-1", "pick_face", 7.5, 3.0), ("C-03-01-2", "pick_face", 7.5, 3.0),
            ("C-03-02-1", "storage", 7.5, 3.0)}
        tracked = session.scalars(select(Product.tracking).distinct()).all()
        assert set(tracked) == {"none", "lot", "serial"}
        orders = session.scalars(select(PurchaseOrder)).all()
        waiting = [order for order in orders if order.status == "open"]
        assert all(order.lines for order in waiting) and [o.kind for o in waiting].count("asn") == 1
        # the rest is history: received on Mondays and Thursdays of the weeks before
        assert all(order.status == "received" and order.number.startswith("PO-23") for order in orders
                   if order not in waiting)


@pytest.mark.parametrize(("badge", "pin", "role", "language"), [
    ("B-1001", "1111", "operator", "en"), ("B-1002", "2222", "operator", "es"),
    ("B-2001", "9999", "supervisor", "en"), ("B-3001", "0000", "admin", "en"),
])
def test_documented_users_log_in(sqlite_database, badge, pin, role, language):
    build(sqlite_database, products=10)
    with UnitOfWork(sqlite_database) as uow:
        by_badge = users.login(uow, badge, pin if role != "operator" else None, workstation="WS")
    with UnitOfWork(sqlite_database) as uow:
        username = uow.session.get(User, by_badge.user_id).username
        by_pin = users.login_with_pin(uow, username, pin, workstation="WS")
        assert users.user_language(uow.session, by_pin.user_id) == language
    assert (by_pin.user_id, by_pin.role) == (by_badge.user_id, role)


def test_same_seed_same_warehouse_other_seed_other_one(tmp_path, sqlite_template):
    databases = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        shutil.copy(sqlite_template, tmp_path / f"{name}.sqlite")
        databases.append(create_database(str(tmp_path / f"{name}.sqlite")))
        build(databases[-1], products=60, seed=seed)
    first, again, other = (snapshot(db) for db in databases)
    assert first == again and first != other
    for db in databases:
        db.dispose()


def test_a_database_with_data_is_refused_unless_forced(database):
    build(database, products=20)
    with pytest.raises(DatabaseNotEmpty) as error:
        build(database, products=20)
    assert "20 products" in str(error.value) and "--force" in str(error.value)
    build(database, products=25, force=True)
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Product)) == 25
        assert ledger.check_ledger(uow.session) == []
        codes = uow.session.scalars(select(Location.code)).all()
    assert all(re.fullmatch(r"[A-H]-\d\d-0[1-4]-[12]|[A-Z]+(-\d)?", code) for code in codes)


def test_demo_orders_are_ready_to_pick_pack_and_route(database):
    """20 customer orders from three channels: some on the floor already, some allocated for a
    supervisor to release, some open; the layout places every pick face; a wave picks clean."""
    summary = build(database, products=150, seed=2)
    assert (summary.sales_orders, summary.waves) == (20, 3)
    with UnitOfWork(database, write=False) as uow:
        session = uow.session
        listed = orders.list_orders(session)
        assert {order.channel for order in listed} == {"Shopify", "Amazon", "eBay"}
        assert {order.carrier for order in listed} == {"DHL", "UPS", "DPD"}
        assert all(order.ship_to.name and order.ship_to.country and order.ship_by for order in listed)
        by_status = {status: [o for o in listed if o.status == status] for status in ("open", "allocated", "picking")}
        assert [len(by_status[s]) for s in ("open", "allocated", "picking")] == [4, 10, 6]
        assert all(order.allocated == sum(line.quantity for line in order.lines) for order in by_status["allocated"])
        assert waves.list_releasable_orders(session) != []
        released = [wave for wave in waves.list_waves(session) if wave.status != "done"]  # not the history's
        assert sorted((wave.mode, len(wave.orders)) for wave in released) == [
            ("batch", 4), ("single", 1), ("single", 1)]
        assert all(wave.route_length for wave in released)
        assert sorted(session.scalars(select(Carton.code))) == ["BOX-L", "BOX-M", "BOX-S", "BOX-XL"]
        faces = session.scalars(select(Location).where(Location.kind == "pick_face")).all()
        order, length = walking_order(floor_plan(session), faces)
        assert length is not None and len(order) == len(faces)  # the stored layout places every bin
        assert ledger.check_ledger(session) == []
    batch = next(wave for wave in released if wave.mode == "batch")
    while True:
        with UnitOfWork(database, write=False) as uow:
            task = picking.next_pick(uow.session, batch.wave_id)
        if task is None:
            break
        with UnitOfWork(database) as uow:
            picking.scan_location(uow, task.task_id, task.location_barcode, actor=system_actor("demo"))
        with UnitOfWork(database) as uow:
            picking.scan_item(uow, task.task_id, task.sku, actor=system_actor("demo"),
                              idempotency_key=f"t{task.task_id}", quantity=task.quantity, lot=task.lot)
    with UnitOfWork(database, write=False) as uow:
        assert waves.wave_view(uow.session, waves.get_wave(uow.session, batch.wave_id)).status == "done"
        assert ledger.check_ledger(uow.session) == []
