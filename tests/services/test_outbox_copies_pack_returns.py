"""Packing and returns offline: the open order's (or RMA's) local copy answers what pack_scan
and receive_item answer, refuses what they refuse, and the outbox sends each kept scan once
even when it is sent twice (the app killed between the server's COMMIT and the outbox
forgetting the scan). On both backends."""

from __future__ import annotations

import uuid

import pytest

from app.core import clock
from app.core.errors import LotRequired, NotInLocalCopy
from app.core.picking_rules import ExtraItem
from app.core.returns_rules import ReturnExceedsShipped
from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.integrity import check_documents
from app.services.outbox.copies_outbound import pack_copy, return_copy
from app.services.outbox.replay import replay_pending
from app.services.outbox.store import Entry, Outbox
from app.services.packing import parcels as packing
from app.services.returns import receive as returns
from tests.factories import gtin13
from tests.services.test_counting import run
from tests.services.test_orders_support import put_stock
from tests.services.test_returns_support import ship_order
from tests.ui.test_packing_screen import picked_order

W, G = gtin13(1), gtin13(2)


def problems(database):
    with UnitOfWork(database, write=False) as uow:
        return ledger.check_ledger(uow.session) + check_documents(uow.session)


def read(database, function, *args):
    with UnitOfWork(database, write=False) as uow:
        return function(uow.session, *args)


def same(offline, online):
    """An offline result is the online one, but a parcel opened offline has no id or SSCC yet."""
    from dataclasses import replace

    if offline.view.open_parcel is not None and offline.view.open_parcel.parcel_id == 0:
        parcels = tuple(replace(p, parcel_id=0, sscc="") if p.number == offline.view.open_parcel.number else p
                        for p in online.view.parcels)
        online = replace(online, view=replace(online.view, parcels=parcels))
    return offline == online


def kept(outbox, database, warehouse, use_case, payloads):
    entries = [Entry(uuid.uuid4().hex, database.describe(), use_case, payload, warehouse.operator, "test",
                     payload["scan"], payload["scan"], clock.now().isoformat()) for payload in payloads]
    for entry in entries:
        outbox.add(entry)
    return entries


def test_the_pack_copy_answers_like_pack_scan_and_a_scan_sent_twice_packs_once(database, warehouse, tmp_path):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-01-01", 10)
    order_id, _ = picked_order(database, warehouse, "1001", {"WIDGET": 4, "GADGET": 1})
    run(database, packing.pack_scan, order_id, W, actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
    copy = read(database, pack_copy, order_id)
    for raw, quantity in ((W, None), (G, None), (W, 2)):
        offline = copy.check({"order_id": order_id, "scan": raw, "quantity": quantity})
        copy.take(offline)
        online = run(database, packing.pack_scan, order_id, raw, actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex, quantity=quantity)
        assert offline == online
    with pytest.raises(ExtraItem):  # all 4 WIDGET are packed
        copy.check({"order_id": order_id, "scan": W})
    with pytest.raises(NotInLocalCopy):  # PHONE is not on the order: the copy cannot name it
        copy.check({"order_id": order_id, "scan": gtin13(4)})
    assert problems(database) == []

    # A second order, packed offline, its outbox sent twice: each scan is packed once.
    order_id, _ = picked_order(database, warehouse, "1002", {"WIDGET": 3, "GADGET": 1})
    outbox = Outbox(tmp_path / "outbox.sqlite")
    payloads = [{"order_id": order_id, "scan": raw, "quantity": q, "lot": None} for raw, q in ((W, None), (W, 2), (G, None))]
    entries = kept(outbox, database, warehouse, "pack_scan", payloads)
    assert replay_pending(database, outbox).applied == 3
    for entry in entries:  # as if the outbox had not forgotten them before a crash
        outbox.add(entry)
    report = replay_pending(database, outbox)
    assert (report.applied, report.already, report.refused) == (0, 3, 0)
    view = read(database, packing.packing_view_of, order_id)
    assert [(ln.sku, ln.packed) for ln in view.order.lines] == [("WIDGET", 3), ("GADGET", 1)]
    assert [sorted(p.items) for p in view.parcels] == [[("GADGET", "", 1), ("WIDGET", "", 3)]]
    assert problems(database) == []

    # A parcel closed online, then an outage: the next scan opens the next parcel, as on the server.
    order_id, _ = picked_order(database, warehouse, "1003", {"WIDGET": 2})
    first = run(database, packing.pack_scan, order_id, W, actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
    copy = read(database, pack_copy, order_id)
    run(database, packing.close_parcel, first.view.open_parcel.parcel_id, actor=warehouse.operator, weight_kg=1.0)
    copy.take(read(database, packing.packing_view_of, order_id))  # the screen reads the order again
    offline = copy.check({"order_id": order_id, "scan": W})
    online = run(database, packing.pack_scan, order_id, W, actor=warehouse.operator, idempotency_key=uuid.uuid4().hex)
    assert (offline.parcel, offline.view.order.lines) == (online.parcel, online.view.order.lines) == (
        2, online.view.order.lines)
    assert [(p.number, p.status, p.items) for p in offline.view.parcels] == [
        (p.number, p.status, p.items) for p in online.view.parcels]
    assert offline.view.open_parcel.sscc == ""  # the server gives it its SSCC when the scan is sent


def test_the_pack_copy_fills_a_product_on_two_lines_like_pack_scan(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    order_id, _ = picked_order(database, warehouse, "1001", [("WIDGET", 1), ("WIDGET", 2)])
    copy = read(database, pack_copy, order_id)
    for raw in (W, W, W):
        offline = copy.check({"order_id": order_id, "scan": raw})
        copy.take(offline)
        online = run(database, packing.pack_scan, order_id, raw, actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex)
        # The lines agree; the parcel's item list does not (the server lists one item per
        # order line, the copy one per SKU and lot).
        assert (offline.view.order, offline.parcel, offline.units) == (online.view.order, online.parcel, online.units)
    assert [(ln.picked, ln.packed) for ln in online.view.order.lines] == [(1, 1), (2, 2)]
    with pytest.raises(ExtraItem):
        copy.check({"order_id": order_id, "scan": W})
    assert problems(database) == []


def test_the_pack_copy_asks_the_lot_of_a_tote_with_two_lots_and_follows_what_is_left_of_each(database, warehouse):
    import datetime as dt

    from app.core.picking_rules import WrongLot

    milk = "09501101530003"
    put_stock(database, warehouse, "MILK", "A-01-01", 1, lot="L1", expiry=clock.today() + dt.timedelta(days=20))
    put_stock(database, warehouse, "MILK", "A-02-01", 5, lot="L2", expiry=clock.today() + dt.timedelta(days=40))
    order_id, _ = picked_order(database, warehouse, "1001", {"MILK": 3})
    copy = read(database, pack_copy, order_id)
    with pytest.raises(LotRequired):
        copy.check({"order_id": order_id, "scan": milk})
    with pytest.raises(WrongLot):
        copy.check({"order_id": order_id, "scan": milk, "lot": "L9"})
    for lot in ("L1", "L2"):
        offline = copy.check({"order_id": order_id, "scan": f"]C101{milk}10{lot}"})
        copy.take(offline)
        online = run(database, packing.pack_scan, order_id, f"]C101{milk}10{lot}", actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex)
        assert same(offline, online)
        copy.take(online)
    with pytest.raises(WrongLot):  # the one L1 is packed: only L2 is left in the tote
        copy.check({"order_id": order_id, "scan": milk, "lot": "L1"})
    last = copy.check({"order_id": order_id, "scan": milk})  # one lot left: no question
    assert last.view.open_parcel.items == (("MILK", "L1", 1), ("MILK", "L2", 2))


def test_the_return_copy_answers_like_receive_item_and_a_scan_sent_twice_is_received_once(
        database, warehouse, tmp_path):
    from app.services.imports.returns import import_rmas

    ship_order(database, warehouse, "1001", {"WIDGET": 3, "PHONE": ["SN1"]})
    ship_order(database, warehouse, "1002", {"WIDGET": 2})
    with UnitOfWork(database) as uow:
        import_rmas(uow, b"channel,rma_number,order_number,sku,quantity,reason\n"
                         b"Shopify,RMA-7,1001,WIDGET,2,too big\nShopify,RMA-7,1001,PHONE,1,broken screen\n",
                    file="rmas.csv", actor=warehouse.supervisor)
    baseline = problems(database)  # the shipments' own shortcut (no picking): not returns'
    rma = run(database, returns.open_return, "RMA-7", actor=warehouse.operator).rma
    copy = read(database, return_copy, rma.rma_id)
    with pytest.raises(LotRequired):  # a serial is asked offline too
        copy.check({"rma_id": rma.rma_id, "scan": "0" + gtin13(4)})
    for raw, lot in ((W, None), ("0" + gtin13(4), "SN9"), (W, None)):
        offline = copy.check({"rma_id": rma.rma_id, "scan": raw, "lot": lot})
        copy.take(offline)
        online = run(database, returns.receive_item, rma.rma_id, raw, actor=warehouse.operator,
                     idempotency_key=uuid.uuid4().hex, lot=lot)
        got, want = offline.unit, online.unit
        assert (got.sku, got.lot, got.quantity, got.status, got.line_no) == (
            want.sku, want.lot, want.quantity, want.status, want.line_no)
        assert set(got.flags) <= set(want.flags)  # returned before / in stock: the server adds them
        assert [(ln.sku, ln.received) for ln in offline.rma.lines] == [(ln.sku, ln.received) for ln in online.rma.lines]
        copy.take(online)
    assert "serial_not_shipped" in copy.view.units[1].flags
    third = copy.check({"rma_id": rma.rma_id, "scan": W})  # shipped 3, the RMA announced 2
    assert third.unit.flags == ("more_than_announced",) and third.unit.unit_id < 0 and third.unit.code == ""
    copy.take(third)
    with pytest.raises(ReturnExceedsShipped):
        copy.check({"rma_id": rma.rma_id, "scan": W})
    with pytest.raises(NotInLocalCopy):  # a product the order never shipped: the copy cannot name it
        copy.check({"rma_id": rma.rma_id, "scan": G})
    assert problems(database) == baseline

    # Another return, received offline, its outbox sent twice: each item is received once.
    rma = run(database, returns.open_return, "1002", actor=warehouse.operator).rma
    outbox = Outbox(tmp_path / "outbox.sqlite")
    entries = kept(outbox, database, warehouse, "receive_item",
                   [{"rma_id": rma.rma_id, "scan": W, "lot": None, "quantity": None}] * 2)
    assert replay_pending(database, outbox).applied == 2
    for entry in entries:
        outbox.add(entry)
    report = replay_pending(database, outbox)
    assert (report.applied, report.already, report.refused) == (0, 2, 0)
    assert [u.sku for u in read(database, returns.get_rma, rma.rma_id).units] == ["WIDGET", "WIDGET"]
    assert problems(database) == baseline
