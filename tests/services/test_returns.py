"""Receiving returns on every backend: RMAs found by what the inspector scans, units checked
against what the order shipped, held on the returns location until inspected."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import InvalidTransition, LotRequired
from app.core.returns_rules import (
    NoShippedOrder,
    NotShippedOnOrder,
    ReturnExceedsShipped,
    SeveralOrdersMatch,
    UnitsAwaitingInspection,
)
from app.db.models import Move, ScanJournal
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.imports.returns import import_rmas
from app.services.orders import allocation
from app.services.returns import receive as returns
from tests.factories import gtin13
from tests.services.test_orders_support import new_order
from tests.services.test_returns_support import (
    inspect,
    key,
    open_rma,
    read,
    receive,
    run,
    ship_order,
    stock,
)

PHONE_GTIN = "0" + gtin13(4)
SSCC = "006141411234567890"


def phone(serial: str) -> str:
    """The phone's GS1-128 barcode with its serial (AI 21), as a scanner sends it."""
    return f"]C101{PHONE_GTIN}21{serial}"


def announce(database, warehouse, text: str, file: str = "rma.csv"):
    return run(database, import_rmas, text.encode(), file=file, actor=warehouse.supervisor)


@pytest.fixture
def shipped(database, warehouse):
    """Shopify 1001 shipped 3 widgets and phones SN1, SN2; RMA-7 announces 2 widgets, 1 phone."""
    order_id = ship_order(database, warehouse, "1001", {"WIDGET": 3, "PHONE": ["SN1", "SN2"]},
                          sscc=SSCC, tracking="1Z999")
    announce(database, warehouse, "channel,rma_number,order_number,sku,quantity,reason\n"
                                  "Shopify,RMA-7,1001,WIDGET,2,too big\nShopify,RMA-7,1001,PHONE,1,broken\n")
    return order_id


def test_a_returned_item_lands_on_the_returns_location_held_for_inspection(database, warehouse, shipped):
    opened = open_rma(database, warehouse.operator, "RMA-7")
    assert (opened.matched_by, opened.rma.status, opened.rma.expected) == ("rma", "announced", 3)
    result = receive(database, warehouse.operator, opened.rma.rma_id, gtin13(1))
    assert (result.unit.sku, result.unit.status, result.unit.reason, result.flags) == ("WIDGET", "received", "too big", ())
    assert result.rma.status == "receiving"
    assert [(line.sku, line.announced, line.received) for line in result.rma.lines] == [("WIDGET", 2, 1), ("PHONE", 1, 0)]
    # On RET-1 and reserved: nobody may take it before the inspection decides.
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 1)
    with UnitOfWork(database, write=False) as uow:
        move = uow.session.scalar(select(Move).where(Move.reason == "return"))
        assert (move.document_type, move.document_id) == ("rma", opened.rma.rma_id)
        assert uow.session.scalar(select(ScanJournal.outcome).where(ScanJournal.context == "returns")) == "ok"
        assert ledger.check_ledger(uow.session) == []


def test_returned_units_are_never_allocated_to_an_order(database, warehouse, shipped):
    opened = open_rma(database, warehouse.operator, "RMA-7")
    receive(database, warehouse.operator, opened.rma.rma_id, gtin13(1))
    order_id = new_order(database, warehouse.supervisor, "2001", {"WIDGET": 1})
    result = run(database, allocation.allocate_order, order_id, actor=warehouse.supervisor)
    assert (result.reserved_now, result.backorder) == (0, 1)


def test_a_replayed_scan_adds_nothing(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    same = key()
    receive(database, warehouse.operator, rma_id, gtin13(1), idempotency_key=same)
    again = receive(database, warehouse.operator, rma_id, gtin13(1), idempotency_key=same)
    assert again.replayed and again.rma.received == 1
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 1)


def test_more_than_was_shipped_is_refused_across_rmas(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    for _ in range(3):
        receive(database, warehouse.operator, rma_id, gtin13(1))
    with pytest.raises(ReturnExceedsShipped) as error:
        receive(database, warehouse.operator, rma_id, gtin13(1))
    assert str(error.value) == ("WIDGET: 3 shipped on order Shopify 1001, 3 already returned. "
                                "This one is more than was shipped.")
    with pytest.raises(NotShippedOnOrder, match="GADGET was not shipped on order Shopify 1001"):
        receive(database, warehouse.operator, rma_id, gtin13(2))
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (3, 3)


def test_a_third_widget_is_flagged_as_more_than_announced(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    flags = [receive(database, warehouse.operator, rma_id, gtin13(1)).flags for _ in range(3)]
    assert flags == [(), (), ("more_than_announced",)]
    with UnitOfWork(database, write=False) as uow:
        outcomes = uow.session.scalars(select(ScanJournal.outcome).order_by(ScanJournal.id)).all()
    assert outcomes[-3:] == ["ok", "ok", "attention"]


def test_serials_are_checked_against_the_order(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    with pytest.raises(LotRequired):
        receive(database, warehouse.operator, rma_id, PHONE_GTIN)  # which phone? the serial says
    good = receive(database, warehouse.operator, rma_id, phone("SN1"))
    assert (good.unit.lot, good.flags) == ("SN1", ())
    other = receive(database, warehouse.operator, rma_id, phone("SN77"))
    assert other.flags == ("serial_not_shipped", "more_than_announced")
    # Typed instead of scanned: the serial comes as a separate answer.
    with pytest.raises(ReturnExceedsShipped):
        receive(database, warehouse.operator, rma_id, PHONE_GTIN, lot="SN2")


def test_a_serial_returned_before_is_flagged(database, warehouse):
    ship_order(database, warehouse, "1001", {"PHONE": ["SN1"]})
    rma_id = open_rma(database, warehouse.operator, "1001").rma.rma_id
    unit = receive(database, warehouse.operator, rma_id, phone("SN1")).unit
    inspect(database, warehouse.operator, unit.unit_id, "A")  # restocked
    run(database, returns.close_rma, rma_id, actor=warehouse.operator)
    # The same serial went out again on another order (here: straight from the customer) and came back.
    ship_order(database, warehouse, "1002", {"PHONE": ["SN1"]})
    again = open_rma(database, warehouse.operator, phone("SN1"))
    assert again.matched_by == "product" and again.rma.order_number == "1002"
    assert set(again.received.flags) == {"returned_before", "serial_in_stock"}


def test_an_unannounced_parcel_is_found_by_order_number_sscc_or_tracking(database, warehouse):
    ship_order(database, warehouse, "1001", {"WIDGET": 2}, sscc=SSCC, tracking="1Z999")
    by_order = open_rma(database, warehouse.operator, "1001")
    assert (by_order.matched_by, by_order.created, by_order.rma.number, by_order.rma.announced) == (
        "order", True, "1001-R1", False)
    by_sscc = open_rma(database, warehouse.operator, f"]C100{SSCC}")
    by_tracking = open_rma(database, warehouse.operator, "1Z999")
    assert (by_sscc.matched_by, by_tracking.matched_by) == ("parcel", "parcel")
    assert by_sscc.rma.rma_id == by_tracking.rma.rma_id == by_order.rma.rma_id  # the open one is reused
    result = receive(database, warehouse.operator, by_order.rma.rma_id, gtin13(1))
    assert result.flags == ()  # nothing was announced, so nothing is "unannounced"


def test_a_product_scan_finds_its_order_and_is_received_at_once(database, warehouse):
    ship_order(database, warehouse, "1001", {"WIDGET": 1})
    ship_order(database, warehouse, "1002", {"GADGET": 1})
    opened = open_rma(database, warehouse.operator, gtin13(2))
    assert (opened.matched_by, opened.rma.order_number, opened.received.unit.sku) == ("product", "1002", "GADGET")
    assert stock(database, warehouse.products["GADGET"].id, "RET-1") == (1, 1)
    ship_order(database, warehouse, "1003", {"WIDGET": 1})
    with pytest.raises(SeveralOrdersMatch, match="Shopify 1003, Shopify 1001"):
        open_rma(database, warehouse.operator, gtin13(1))
    with pytest.raises(NoShippedOrder, match="No shipped order matches MILK"):
        open_rma(database, warehouse.operator, "MILK")
    with pytest.raises(NoShippedOrder):
        open_rma(database, warehouse.operator, "NOTHING-LIKE-THIS")


def test_an_order_that_shipped_nothing_cannot_take_returns(database, warehouse):
    new_order(database, warehouse.supervisor, "3001", {"WIDGET": 1})
    with pytest.raises(NoShippedOrder, match="Shopify 3001"):
        open_rma(database, warehouse.operator, "3001")


def test_a_lot_product_takes_the_only_lot_that_was_shipped(database, warehouse):
    ship_order(database, warehouse, "1001", {"MILK": ["L1"]})
    rma_id = open_rma(database, warehouse.operator, "1001").rma.rma_id
    assert receive(database, warehouse.operator, rma_id, "MILK").unit.lot == "L1"


def test_undo_takes_back_my_last_step(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    first = receive(database, warehouse.operator, rma_id, gtin13(1)).unit
    second = receive(database, warehouse.operator, rma_id, gtin13(1)).unit
    inspect(database, warehouse.operator, first.unit_id, "D")  # scrapped: 2.50 needs nobody
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (1, 1)
    undone = run(database, returns.undo_last, rma_id, actor=warehouse.operator)
    assert (undone.undone, undone.unit.unit_id, undone.unit.status, undone.unit.grade) == (
        "disposition", first.unit_id, "received", None)
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (2, 2)
    # Then the receipts, newest first.
    undone = run(database, returns.undo_last, rma_id, actor=warehouse.operator)
    assert (undone.undone, undone.unit.unit_id, undone.unit.status) == ("receipt", second.unit_id, "cancelled")
    assert run(database, returns.undo_last, rma_id, actor=warehouse.operator2) is None  # not Otto's
    undone = run(database, returns.undo_last, rma_id, actor=warehouse.operator)
    assert undone.unit.unit_id == first.unit_id
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (0, 0)
    assert read(database, ledger.check_ledger) == []
    assert read(database, returns.get_rma, rma_id).received == 0


def test_an_rma_closes_only_when_every_unit_is_routed(database, warehouse, shipped):
    rma_id = open_rma(database, warehouse.operator, "RMA-7").rma.rma_id
    unit = receive(database, warehouse.operator, rma_id, gtin13(1)).unit
    with pytest.raises(UnitsAwaitingInspection, match="RMA-7 has 1 unit"):
        run(database, returns.close_rma, rma_id, actor=warehouse.operator)
    inspect(database, warehouse.operator, unit.unit_id, "A")
    assert run(database, returns.close_rma, rma_id, actor=warehouse.operator).status == "closed"
    assert read(database, returns.list_open_rmas) == []
    with pytest.raises(InvalidTransition, match="RMA RMA-7 is closed"):
        open_rma(database, warehouse.operator, "RMA-7")
    # A routing label still finds its RMA.
    assert read(database, returns.find_unit, unit.code) == unit.unit_id


def test_open_rmas_are_listed_oldest_first(database, warehouse, shipped):
    ship_order(database, warehouse, "1002", {"GADGET": 1})
    open_rma(database, warehouse.operator, "1002")
    assert [view.number for view in read(database, returns.list_open_rmas)] == ["RMA-7", "1002-R1"]
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.scalar(select(func.count(Move.id)).where(Move.document_type == "rma")) == 0


def test_two_workstations_returning_the_last_units_of_an_order_cannot_exceed_what_shipped(database, warehouse):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from app.db.engine import create_database

    ship_order(database, warehouse, "1001", {"WIDGET": 4})
    announce(database, warehouse, "channel,rma_number,order_number,sku,quantity,reason\n"
                                  "Shopify,RMA-A,1001,WIDGET,2,\nShopify,RMA-B,1001,WIDGET,2,\n")
    rmas = [open_rma(database, warehouse.operator, number).rma.rma_id for number in ("RMA-A", "RMA-B")]
    start = threading.Barrier(2)

    def station(rma_id, actor):
        own = create_database(database.url)  # each workstation has its own connections
        start.wait()
        outcomes = []
        for _ in range(3):  # 3 + 3 attempts for 4 shipped units
            try:
                with UnitOfWork(own) as uow:
                    returns.receive_item(uow, rma_id, gtin13(1), actor=actor, idempotency_key=key())
                outcomes.append("ok")
            except ReturnExceedsShipped:
                outcomes.append("refused")
        own.dispose()
        return outcomes

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(station, rmas, [warehouse.operator, warehouse.operator2]))
    assert sum(r.count("ok") for r in results) == 4 and sum(r.count("refused") for r in results) == 2
    assert stock(database, warehouse.products["WIDGET"].id, "RET-1") == (4, 4)
    assert read(database, ledger.check_ledger) == []
