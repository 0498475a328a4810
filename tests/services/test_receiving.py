"""Receiving by scans, on every backend: stock lands on the dock through the ledger."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.core.errors import (
    BadCheckDigit,
    ExpiryRequired,
    InvalidTransition,
    LotRequired,
    OverReceipt,
    UnexpectedProduct,
    WrongScanKind,
)
from app.db.models import Lot, Move, OnHand
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.receiving import receipts as receiving
from tests.factories import add_product, gtin13


def key() -> str:
    return uuid.uuid4().hex


def receive(database, warehouse, scan, actor=None, **kwargs):
    with UnitOfWork(database) as uow:
        return receiving.receive_scan(
            uow, warehouse.orders["PO-1001"].id, scan,
            actor=actor or warehouse.operator, idempotency_key=kwargs.pop("idempotency_key", key()),
            **kwargs,
        )


def dock_quantity(database, warehouse, sku) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(
            select(OnHand.quantity).where(
                OnHand.product_id == warehouse.products[sku].id,
                OnHand.location_id == warehouse.locations["DOCK-1"].id,
            )
        ) or 0


def test_opening_by_scan_shows_expected_lines(database, warehouse):
    with UnitOfWork(database) as uow:
        view = receiving.open_receipt(uow, "PO-1001", actor=warehouse.operator)
    assert view.number == "PO-1001"
    assert [(line.sku, line.expected, line.received) for line in view.lines] == [
        ("WIDGET", 10, 0), ("GADGET", 5, 0), ("MILK", 20, 0)
    ]


def test_scanning_a_location_where_a_po_is_expected_says_so(database, warehouse):
    with UnitOfWork(database) as uow, pytest.raises(WrongScanKind) as error:
        receiving.open_receipt(uow, "A-01-01", actor=warehouse.operator)
    assert str(error.value) == "A-01-01 is a location, scan a purchase order."


def test_item_scans_and_case_barcode_land_on_the_dock(database, warehouse):
    receive(database, warehouse, gtin13(1))
    result = receive(database, warehouse, gtin13(2), quantity=3)
    assert result.line.received == 3 and result.destination == "DOCK-1"
    case = receive(database, warehouse, gtin13(101), approval=warehouse.approval)
    assert case.units == 12
    assert dock_quantity(database, warehouse, "WIDGET") == 13
    assert dock_quantity(database, warehouse, "GADGET") == 3
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []


def test_gs1_lot_and_expiry_are_captured(database, warehouse):
    result = receive(database, warehouse, "]C10109501101530003" + "10LOT7\x1d" + "17271231", quantity=4)
    assert result.lot == "LOT7" and result.units == 4
    with UnitOfWork(database, write=False) as uow:
        lot = uow.session.scalar(select(Lot).where(Lot.code == "LOT7"))
        assert lot.expiry == dt.date(2027, 12, 31)


def test_lot_tracked_product_without_lot_is_refused(database, warehouse):
    with pytest.raises(LotRequired):
        receive(database, warehouse, "09501101530003")
    with pytest.raises(ExpiryRequired):
        receive(database, warehouse, "09501101530003", lot="L1")


def test_wrong_check_digit_is_explained(database, warehouse):
    wrong = gtin13(1)[:-1] + str((int(gtin13(1)[-1]) + 1) % 10)
    with pytest.raises(BadCheckDigit) as error:
        receive(database, warehouse, wrong)
    assert f"expected {gtin13(1)[-1]}" in str(error.value)


def test_over_receipt_needs_a_supervisor(database, warehouse):
    receive(database, warehouse, gtin13(2), quantity=5)
    with pytest.raises(OverReceipt):
        receive(database, warehouse, gtin13(2))
    result = receive(database, warehouse, gtin13(2), approval=warehouse.approval)
    assert result.line.received == 6


def test_unexpected_product_needs_a_supervisor(database, warehouse):
    with UnitOfWork(database) as uow:
        add_product(uow.session, "EXTRA", "Extra", gtin13(9))
        uow.commit()
    with pytest.raises(UnexpectedProduct):
        receive(database, warehouse, gtin13(9))
    result = receive(database, warehouse, gtin13(9), actor=warehouse.supervisor)
    assert result.line.expected == 0 and result.line.received == 1


def test_damaged_units_go_to_quarantine(database, warehouse):
    result = receive(database, warehouse, gtin13(1), quantity=2, damaged=True)
    assert result.destination == "QUAR-1" and result.line.damaged == 2
    assert dock_quantity(database, warehouse, "WIDGET") == 0


def test_replayed_scan_is_counted_once(database, warehouse):
    same = key()
    receive(database, warehouse, gtin13(1), idempotency_key=same)
    replay = receive(database, warehouse, gtin13(1), idempotency_key=same)
    assert replay.replayed and replay.line.received == 1
    assert dock_quantity(database, warehouse, "WIDGET") == 1


def test_undo_reverses_only_my_last_scan(database, warehouse):
    receive(database, warehouse, gtin13(1), quantity=2)
    receive(database, warehouse, gtin13(2), quantity=1)
    with UnitOfWork(database) as uow:
        undone = receiving.undo_last_receipt_scan(uow, warehouse.orders["PO-1001"].id,
                                                  actor=warehouse.operator)
    assert undone.sku == "GADGET" and undone.line.received == 0
    with UnitOfWork(database) as uow:
        undone = receiving.undo_last_receipt_scan(uow, warehouse.orders["PO-1001"].id,
                                                  actor=warehouse.operator)
    assert undone.sku == "WIDGET"
    assert dock_quantity(database, warehouse, "WIDGET") == 0
    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []


def test_partial_finish_leaves_the_rest_open_and_complete_closes(database, warehouse):
    order_id = warehouse.orders["PO-1001"].id
    receive(database, warehouse, gtin13(1), quantity=10)
    with UnitOfWork(database) as uow:
        view = receiving.finish_receipt(uow, order_id, actor=warehouse.operator)
    assert view.status == "partially_received"
    receive(database, warehouse, gtin13(2), quantity=5)
    receive(database, warehouse, "(01)09501101530003(10)L9(17)270101", quantity=20)
    with UnitOfWork(database) as uow:
        view = receiving.finish_receipt(uow, order_id, actor=warehouse.operator)
    assert view.status == "received"
    with pytest.raises(InvalidTransition):
        receive(database, warehouse, gtin13(1))


def test_moves_carry_who_where_and_why(database, warehouse):
    receive(database, warehouse, gtin13(1))
    with UnitOfWork(database, write=False) as uow:
        move = uow.session.scalar(select(Move))
        stamped = (move.user_id, move.workstation, move.reason, move.document_type)
    assert stamped == (warehouse.operator.user_id, "WS-TEST", "receipt", "purchase_order")
