"""Receiving a lot that has expired, or has less shelf life left than the product's minimum:
a supervisor accepts it to the dock, else the units go to quarantine. On every backend."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select, update

from app.core.errors import LotExpired, NotAllowed, ShortShelfLife
from app.db.models import AuditEntry, Move, OnHand, Product, PurchaseOrderLine, ScanJournal
from app.db.uow import UnitOfWork
from app.services.integrity import check_documents
from app.services.receiving import receipts as receiving

GS = "\x1d"
MILK_GS1 = "]C10109501101530003" + "10{lot}" + GS + "17{expiry}"  # the clock says 2026-06-17


def receive(database, warehouse, lot, expiry, actor=None, **kwargs):
    with UnitOfWork(database) as uow:
        return receiving.receive_scan(
            uow, warehouse.orders["PO-1001"].id, MILK_GS1.format(lot=lot, expiry=expiry),
            actor=actor or warehouse.operator, idempotency_key=uuid.uuid4().hex, **kwargs)


def minimum_days(database, warehouse, days):
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Product).where(Product.id == warehouse.products["MILK"].id)
                            .values(min_shelf_life_days=days))
        uow.commit()


def stock(database, warehouse, location):
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(select(OnHand.quantity).where(
            OnHand.product_id == warehouse.products["MILK"].id,
            OnHand.location_id == warehouse.locations[location].id)) or 0


def moves_and_received(database, warehouse):
    with UnitOfWork(database, write=False) as uow:
        moves = len(uow.session.scalars(select(Move)).all())
        received = uow.session.scalar(select(PurchaseOrderLine.quantity_received).where(
            PurchaseOrderLine.product_id == warehouse.products["MILK"].id))
        return moves, received


def audit_rows(database, action):
    with UnitOfWork(database, write=False) as uow:
        return [(row.user_id, json.loads(row.details)) for row in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action))]


def test_an_expired_lot_is_refused_until_someone_decides_and_records_nothing(database, warehouse):
    with pytest.raises(LotExpired) as error:
        receive(database, warehouse, "OLD1", "260616")
    assert str(error.value) == "MILK lot OLD1 expired on 2026-06-16."
    assert moves_and_received(database, warehouse) == (0, 0)


def test_a_lot_inside_the_minimum_shelf_life_is_refused_with_the_days(database, warehouse):
    minimum_days(database, warehouse, 30)
    with pytest.raises(ShortShelfLife) as error:
        receive(database, warehouse, "SHORT1", "260707")
    assert str(error.value) == "MILK lot SHORT1 expires 2026-07-07: 20 days left, at least 30 required."
    # Exactly the minimum is enough; expiring today is not expired without a minimum.
    assert receive(database, warehouse, "OK30", "260717").destination == "DOCK-1"
    minimum_days(database, warehouse, 0)
    assert receive(database, warehouse, "TODAY", "260617").destination == "DOCK-1"


def test_quarantine_when_no_supervisor_accepts(database, warehouse):
    result = receive(database, warehouse, "OLD1", "260601", quantity=3, short_shelf_life="quarantine")
    assert (result.destination, result.units, result.short_shelf_life) == ("QUAR-1", 3, "quarantine")
    assert (stock(database, warehouse, "QUAR-1"), stock(database, warehouse, "DOCK-1")) == (3, 0)
    assert moves_and_received(database, warehouse) == (1, 3)
    [(user_id, details)] = audit_rows(database, "short_shelf_life_quarantine")
    assert user_id == warehouse.operator.user_id
    assert (details["lot"], details["expiry"], details["destination"]) == ("OLD1", "2026-06-01", "QUAR-1")
    with UnitOfWork(database, write=False) as uow:
        journal = uow.session.scalars(select(ScanJournal)).one()
        assert journal.message == "3 x MILK -> QUAR-1 (lot OLD1 expires 2026-06-01: quarantine)"
        assert check_documents(uow.session) == []


def test_a_supervisors_approval_accepts_the_lot_to_the_dock(database, warehouse):
    minimum_days(database, warehouse, 30)
    with pytest.raises(NotAllowed):
        receive(database, warehouse, "SHORT1", "260707", short_shelf_life="accept")
    result = receive(database, warehouse, "SHORT1", "260707", short_shelf_life="accept",
                     approval=warehouse.approval)
    assert (result.destination, result.short_shelf_life) == ("DOCK-1", "accept")
    assert stock(database, warehouse, "DOCK-1") == 1
    [(user_id, details)] = audit_rows(database, "short_shelf_life_accept")
    assert user_id == warehouse.supervisor.user_id
    assert (details["operator"], details["minimum_days"]) == (warehouse.operator.display_name, 30)
    # A supervisor receiving alone decides for themselves.
    result = receive(database, warehouse, "SHORT2", "260708", actor=warehouse.supervisor,
                     short_shelf_life="accept")
    assert result.destination == "DOCK-1"


def test_a_lot_with_shelf_life_enough_ignores_the_decision(database, warehouse):
    result = receive(database, warehouse, "FRESH", "270101", short_shelf_life="quarantine")
    assert (result.destination, result.short_shelf_life) == ("DOCK-1", None)
    assert audit_rows(database, "short_shelf_life_quarantine") == []


def test_undo_of_a_quarantined_receipt_takes_it_out_of_quarantine(database, warehouse):
    receive(database, warehouse, "OLD1", "260601", quantity=2, short_shelf_life="quarantine")
    with UnitOfWork(database) as uow:
        undone = receiving.undo_last_receipt_scan(uow, warehouse.orders["PO-1001"].id, actor=warehouse.operator)
    assert (undone.destination, undone.units) == ("QUAR-1", 2)
    assert stock(database, warehouse, "QUAR-1") == 0
    with UnitOfWork(database, write=False) as uow:
        assert check_documents(uow.session) == []


def test_the_minimum_comes_from_the_products_csv(database, warehouse, tmp_path):
    from app.core.actor import system_actor
    from app.services.imports import import_csv

    path = tmp_path / "products.csv"
    path.write_text("sku,name,min_shelf_life_days\nMILK,Milk 1 l,45\nNEWP,New product,\n", encoding="utf-8")
    with UnitOfWork(database) as uow:
        import_csv(uow, "products", path, actor=system_actor("test"))
    with UnitOfWork(database, write=False) as uow:
        days = dict(uow.session.execute(select(Product.sku, Product.min_shelf_life_days)
                                        .where(Product.sku.in_(("MILK", "NEWP")))).all())
    assert days == {"MILK": 45, "NEWP": 0}
    with pytest.raises(ShortShelfLife):
        receive(database, warehouse, "L1", "260717")
