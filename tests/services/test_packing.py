"""Packing on every backend: every unit verified by scan into SSCC parcels, cartons
suggested, missing units block the order until a supervisor splits it."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core import clock
from app.core.checkdigits import is_valid_gs1
from app.core.errors import InvalidInput, InvalidTransition, NotAllowed
from app.core.picking_rules import ExtraItem, MissingItems, NotOnOrder, ParcelStillOpen
from app.db.models import WarehouseSetting
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.packing import shipping
from app.services.waves import picking
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.printing.conftest import decoded_texts, page_texts, rasterize
from tests.services.test_orders_support import add_cartons, key, ledger_problems, new_order, on_hand, put_stock

MILK_GTIN = "09501101530003"


def picked_order(database, warehouse, lines, *, short_by=None, number="1001"):
    """An order allocated, released and picked by scans; ``short_by`` {sku: units} are
    reported missing in their bin instead."""
    short_by = short_by or {}
    order_id = new_order(database, warehouse.supervisor, number, lines)
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)
    with UnitOfWork(database) as uow:
        [wave] = waves.release_waves(uow, [order_id], actor=warehouse.supervisor)
    while True:
        with UnitOfWork(database, write=False) as uow:
            task = picking.next_pick(uow.session, wave.wave_id)
        if task is None:
            return order_id, wave
        with UnitOfWork(database) as uow:
            picking.scan_location(uow, task.task_id, task.location, actor=warehouse.operator)
        with UnitOfWork(database) as uow:
            missing = short_by.pop(task.sku, 0)
            if missing:
                picking.short_pick(uow, task.task_id, task.quantity - missing, "not there",
                                   actor=warehouse.operator, idempotency_key=key())
            else:
                scan = f"]C101{MILK_GTIN}10{task.lot}" if task.lot else task.sku
                picking.scan_item(uow, task.task_id, scan, actor=warehouse.operator,
                                  idempotency_key=key(), quantity=task.quantity)


def pack(database, warehouse, order_id, scan, **kwargs):
    with UnitOfWork(database) as uow:
        return packing.pack_scan(uow, order_id, scan, actor=warehouse.operator,
                                 idempotency_key=kwargs.pop("idempotency_key", key()), **kwargs)


def close(database, warehouse, parcel_id, weight=1.2, **kwargs):
    with UnitOfWork(database) as uow:
        return packing.close_parcel(uow, parcel_id, actor=warehouse.operator, weight_kg=weight, **kwargs)


def finish(database, warehouse, order_id):
    with UnitOfWork(database) as uow:
        return packing.finish_packing(uow, order_id, actor=warehouse.operator)


@pytest.fixture
def stocked(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    put_stock(database, warehouse, "GADGET", "A-02-01", 20)
    return warehouse


def test_an_order_with_one_product_on_two_lines_packs_both_lines(database, stocked):
    order_id, _ = picked_order(database, stocked, [("WIDGET", 1), ("GADGET", 1), ("WIDGET", 2)])
    for scan in ("WIDGET", "GADGET", "WIDGET", "WIDGET"):
        packed = pack(database, stocked, order_id, scan)
    # one item per order line in the parcel, in the order they went in; the last scan grew one
    assert packed.view.open_parcel.items == (("WIDGET", "", 1), ("GADGET", "", 1), ("WIDGET", "", 2))
    assert (packed.view.to_pack, packed.parcel) == (0, 1)
    close(database, stocked, packed.view.open_parcel.parcel_id)
    with pytest.raises(ExtraItem):
        pack(database, stocked, order_id, "WIDGET")
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id)
    assert [(line.sku, line.picked, line.packed) for line in view.lines] == [
        ("WIDGET", 1, 1), ("GADGET", 1, 1), ("WIDGET", 2, 2)]
    assert finish(database, stocked, order_id).order.status == "packed"


def test_packer_scans_the_tote_or_the_order_number(database, stocked):
    order_id, wave = picked_order(database, stocked, {"WIDGET": 2})
    with UnitOfWork(database) as uow:
        by_tote = packing.start_packing(uow, f"{wave.number}-T01", actor=stocked.operator)
    with UnitOfWork(database) as uow:
        by_number = packing.start_packing(uow, "1001", actor=stocked.operator)
    assert by_tote.order.order_id == by_number.order.order_id == order_id
    assert (by_tote.to_pack, by_tote.never_picked, by_tote.parcels) == (2, 0, ())
    waiting = new_order(database, stocked.supervisor, "1002", {"WIDGET": 1})
    with UnitOfWork(database) as uow, pytest.raises(InvalidTransition, match="Shopify 1002 is open"):
        packing.start_packing(uow, "1002", actor=stocked.operator)
    assert waiting


def test_each_scan_is_checked_against_the_order(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 2})
    with pytest.raises(NotOnOrder, match="GADGET is not on order Shopify 1001: put it aside."):
        pack(database, stocked, order_id, gtin13(2))
    with pytest.raises(ExtraItem):
        pack(database, stocked, order_id, gtin13(101))  # a case of 12
    first = pack(database, stocked, order_id, gtin13(1))
    pack(database, stocked, order_id, gtin13(1))
    with pytest.raises(ExtraItem) as error:
        pack(database, stocked, order_id, gtin13(1))
    assert str(error.value) == "All 2 WIDGET of order Shopify 1001 are packed: this one is extra."
    sscc = first.view.open_parcel.sscc
    assert len(sscc) == 18 and is_valid_gs1(sscc) and sscc.startswith("10614141")
    assert on_hand(database, stocked, "WIDGET", "CARTS") == (0, 0)
    assert on_hand(database, stocked, "WIDGET", "PACK-1") == (2, 0)
    assert ledger_problems(database) == []


def test_parcels_close_with_weight_and_a_suggested_carton(database, stocked):
    add_cartons(database, ("BOX-S", 20, 15, 10, 5), ("BOX-M", 40, 30, 20, 20))
    with UnitOfWork(database) as uow:
        for sku, sides in (("WIDGET", (10, 10, 5)), ("GADGET", (30, 20, 10))):
            product = uow.session.get(type(stocked.products[sku]), stocked.products[sku].id)
            product.length_cm, product.width_cm, product.height_cm = sides
        uow.commit()
    order_id, _ = picked_order(database, stocked, {"WIDGET": 2, "GADGET": 1})
    with UnitOfWork(database) as uow:
        assert packing.start_packing(uow, "1001", actor=stocked.operator).suggested_carton == "BOX-M"
    first = pack(database, stocked, order_id, gtin13(1), quantity=2)
    assert first.parcel == 1
    with pytest.raises(InvalidInput, match="weight: enter the weight of parcel 1 in kg"):
        close(database, stocked, first.view.open_parcel.parcel_id, weight=0)
    closed = close(database, stocked, first.view.open_parcel.parcel_id, weight=0.8)
    assert (closed.status, closed.carton, closed.weight_kg, closed.units) == ("closed", "BOX-S", 0.8, 2)
    second = pack(database, stocked, order_id, gtin13(2))
    assert second.parcel == 2 and second.view.open_parcel.sscc != closed.sscc
    with pytest.raises(ParcelStillOpen):
        finish(database, stocked, order_id)
    override = close(database, stocked, second.view.open_parcel.parcel_id, weight=2.5, carton_code="BOX-M")
    assert override.carton == "BOX-M"
    done = finish(database, stocked, order_id)
    assert done.order.status == "packed" and [p.status for p in done.parcels] == ["closed", "closed"]
    assert on_hand(database, stocked, "WIDGET", "SHIP-1") == (2, 0)
    assert on_hand(database, stocked, "GADGET", "SHIP-1") == (1, 0)
    assert ledger_problems(database) == []


def test_a_closed_parcel_stays_closed_and_the_next_scan_opens_another(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 2})
    parcel = pack(database, stocked, order_id, gtin13(1)).view.open_parcel
    close(database, stocked, parcel.parcel_id)
    with pytest.raises(InvalidTransition):
        close(database, stocked, parcel.parcel_id)
    assert pack(database, stocked, order_id, gtin13(1)).parcel == 2


def test_missing_units_block_the_order_until_a_supervisor_splits_them_off(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 3, "GADGET": 1}, short_by={"WIDGET": 1})
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id)
    # The only other WIDGET stock is in the short bin itself, which re-allocation avoids.
    assert [(ln.sku, ln.picked, ln.backorder) for ln in view.lines] == [("WIDGET", 2, 1), ("GADGET", 1, 0)]
    pack(database, stocked, order_id, gtin13(1), quantity=2)
    parcel = pack(database, stocked, order_id, gtin13(2)).view.open_parcel
    close(database, stocked, parcel.parcel_id)
    with pytest.raises(MissingItems) as error:
        finish(database, stocked, order_id)
    assert str(error.value) == ("Order Shopify 1001 is missing 1 x WIDGET: "
                                "a supervisor must split the order to close it.")
    with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
        packing.split_order(uow, order_id, actor=stocked.operator)
    with UnitOfWork(database) as uow:
        split = packing.split_order(uow, order_id, actor=stocked.operator, approval=stocked.approval)
    assert (split.backorder.number, split.backorder.status) == ("1001-BO1", "open")
    assert [(ln.sku, ln.quantity) for ln in split.backorder.lines] == [("WIDGET", 1)]
    assert [(ln.sku, ln.quantity, ln.missing) for ln in split.order.lines] == [("WIDGET", 2, 0), ("GADGET", 1, 0)]
    assert finish(database, stocked, order_id).order.status == "packed"


def test_lot_in_the_tote_is_taken_when_the_scan_has_none(database, stocked):
    put_stock(database, stocked, "MILK", "B-01-01", 5, lot="L7", expiry=clock.today() + dt.timedelta(days=20))
    order_id, _ = picked_order(database, stocked, {"MILK": 2})
    result = pack(database, stocked, order_id, MILK_GTIN, quantity=2)
    assert result.view.open_parcel.items == (("MILK", "L7", 2),)
    assert ledger_problems(database) == []


def test_label_with_sscc_and_packing_slip(database, stocked):
    with UnitOfWork(database) as uow:
        uow.session.add(WarehouseSetting(key="gs1_company_prefix", value="9501101"))
        uow.session.add(WarehouseSetting(key="ship_from_address", value="Stockfloor Ltd\nDock Road 1\nLeeds"))
        uow.commit()
    order_id, _ = picked_order(database, stocked, {"WIDGET": 2})
    parcel = pack(database, stocked, order_id, gtin13(1), quantity=2).view.open_parcel
    closed = close(database, stocked, parcel.parcel_id, weight=1.5)
    assert closed.sscc.startswith("19501101")
    with UnitOfWork(database, write=False) as uow:
        pdf = shipping.shipping_label(uow.session, closed.parcel_id)
        zpl = shipping.shipping_label(uow.session, closed.parcel_id, fmt="zpl").decode()
        slip = shipping.packing_slip_pdf(uow.session, order_id, page_size="Letter")
    [page] = rasterize(pdf)
    assert f"(00){closed.sscc}" in decoded_texts(page)
    assert "Ada Lovelace" in page_texts(pdf)[0] and "Stockfloor Ltd" in page_texts(pdf)[0]
    assert closed.sscc in zpl and zpl.startswith("^XA")
    slip_text = page_texts(slip)[0]
    assert "Packing slip Shopify 1001" in slip_text and closed.sscc in slip_text and "WIDGET" in slip_text
