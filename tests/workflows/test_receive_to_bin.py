"""Scenario: a purchase order is received by scans, then everything is put away by scans."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.db.models import Location, Move, OnHand, Product
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.putaway import tasks as putaway
from app.services.receiving import receipts as receiving
from tests.factories import gtin13

MILK_L7 = "]C10109501101530003" + "10L7\x1d" + "17271231"


def scan_key() -> str:
    return uuid.uuid4().hex


def on_hand_by_location(database) -> dict[tuple[str, str], int]:
    with UnitOfWork(database, write=False) as uow:
        rows = uow.session.execute(
            select(Location.code, Product.sku, OnHand.quantity)
            .join(Location, Location.id == OnHand.location_id)
            .join(Product, Product.id == OnHand.product_id)
            .where(OnHand.quantity > 0)
        ).all()
    return {(code, sku): quantity for code, sku, quantity in rows}


def test_receive_then_put_away_everything_by_scans(database, warehouse):
    operator = warehouse.operator
    with UnitOfWork(database) as uow:
        order = receiving.open_receipt(uow, "PO-1001", actor=operator)
    for scan, quantity in ((gtin13(1), 10), (gtin13(2), 5), (MILK_L7, 20)):
        with UnitOfWork(database) as uow:
            receiving.receive_scan(uow, order.order_id, scan, actor=operator,
                                   idempotency_key=scan_key(), quantity=quantity)

    with UnitOfWork(database, write=False) as uow:
        waiting = putaway.list_waiting(uow.session)
    assert [(w.location, w.sku, w.lot, w.quantity) for w in waiting] == [
        ("DOCK-1", "GADGET", None, 5), ("DOCK-1", "MILK", "L7", 20), ("DOCK-1", "WIDGET", None, 10),
    ]

    # The operator scans each item on the dock, walks to the suggested bin and scans it.
    placed = {}
    for scan in (gtin13(1), gtin13(2), MILK_L7):
        with UnitOfWork(database) as uow:
            task = putaway.start_putaway(uow, scan, actor=operator)
        bin_code = task.suggestion.destination
        with UnitOfWork(database) as uow:
            result = putaway.confirm_putaway(uow, task, bin_code, actor=operator,
                                             idempotency_key=scan_key())
        placed[task.lines[0].sku] = result.destination
        assert result.followed_suggestion and result.units == task.quantity

    # Each product got its own empty bin, nearest first.
    assert placed == {"WIDGET": "A-01-01", "GADGET": "A-02-01", "MILK": "A-03-01"}
    assert on_hand_by_location(database) == {
        ("A-01-01", "WIDGET"): 10, ("A-02-01", "GADGET"): 5, ("A-03-01", "MILK"): 20,
    }
    with UnitOfWork(database, write=False) as uow:
        assert putaway.list_waiting(uow.session) == []
        assert ledger.check_ledger(uow.session) == []
        reasons = uow.session.scalars(select(Move.reason).order_by(Move.id)).all()
    assert reasons == ["receipt"] * 3 + ["putaway"] * 3

    # A mistake is cheap: undo the last put-away, the milk is back on the dock.
    with UnitOfWork(database) as uow:
        putaway.undo_last_putaway(uow, actor=operator)
    with UnitOfWork(database, write=False) as uow:
        assert [(w.sku, w.quantity) for w in putaway.list_waiting(uow.session)] == [("MILK", 20)]
        assert ledger.check_ledger(uow.session) == []
