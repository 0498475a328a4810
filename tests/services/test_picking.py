"""Picking by scans on every backend: the picker is led bin by bin, wrong scans are refused
with the reason, picked units land in the order's tote, short picks are re-allocated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.core import clock
from app.core.errors import InvalidTransition, LotRequired, WrongScanKind
from app.core.picking_rules import ScanPickLocationFirst, TooManyPicked, WrongLot, WrongPickItem, WrongPickLocation
from app.db.models import Move
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.waves import picking
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.services.test_orders_support import key, ledger_problems, new_order, on_hand, put_stock

MILK_GTIN = "09501101530003"


def released(database, warehouse, lines, number="1001"):
    order_id = new_order(database, warehouse.supervisor, number, lines)
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)
    with UnitOfWork(database) as uow:
        [wave] = waves.release_waves(uow, [order_id], actor=warehouse.supervisor)
    return order_id, wave


def prompt(database, wave):
    with UnitOfWork(database, write=False) as uow:
        return picking.next_pick(uow.session, wave.wave_id)


def at(database, warehouse, task, code):
    with UnitOfWork(database) as uow:
        return picking.scan_location(uow, task.task_id, code, actor=warehouse.operator)


def item(database, warehouse, task, scan, **kwargs):
    kwargs.setdefault("idempotency_key", key())
    with UnitOfWork(database) as uow:
        return picking.scan_item(uow, task.task_id, scan, actor=warehouse.operator, **kwargs)


def short(database, warehouse, task, found, reason="bin short", **kwargs):
    with UnitOfWork(database) as uow:
        return picking.short_pick(uow, task.task_id, found, reason, actor=warehouse.operator,
                                  idempotency_key=kwargs.pop("idempotency_key", key()), **kwargs)


def order_status(database, order_id):
    with UnitOfWork(database, write=False) as uow:
        return orders.get_order(uow.session, order_id)


def test_the_prompt_says_where_what_how_many_and_which_tote(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    assert (task.location, task.sku, task.name, task.quantity, task.lot, task.tote_slot, task.order) == (
        "A-02-01", "WIDGET", "Widget, blue", 3, None, 1, "Shopify 1001")
    assert (task.location_confirmed, task.tasks_total, task.tasks_finished) == (False, 1, 0)


def test_wrong_location_and_wrong_item_are_refused_with_the_reason(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    put_stock(database, warehouse, "GADGET", "A-01-01", 10)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    with pytest.raises(ScanPickLocationFirst, match="Scan location A-02-01 first."):
        item(database, warehouse, task, gtin13(1))
    with pytest.raises(WrongPickLocation) as error:
        at(database, warehouse, task, "B-03-01")
    assert str(error.value) == "B-03-01 is not the pick location, go to A-02-01."
    with pytest.raises(WrongScanKind, match="WIDGET is a product, scan a location."):
        at(database, warehouse, task, gtin13(1))
    assert at(database, warehouse, task, "A-02-01").location_confirmed
    with pytest.raises(WrongPickItem) as error:
        item(database, warehouse, task, gtin13(2))
    assert str(error.value) == "GADGET is not the item to pick at A-02-01, pick WIDGET."


def test_units_by_repeated_scans_or_entry_move_from_the_reservation_to_the_tote(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    order_id, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-02-01")
    first = item(database, warehouse, task, gtin13(1))
    assert (first.units, first.task_finished, first.next.quantity) == (1, False, 2)
    with pytest.raises(TooManyPicked, match="Only 2 more WIDGET to pick here, 12 scanned."):
        item(database, warehouse, task, gtin13(101))  # a case of 12
    done = item(database, warehouse, task, gtin13(1), quantity=2)
    assert (done.units, done.task_finished, done.next) == (2, True, None)
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (7, 0)
    assert on_hand(database, warehouse, "WIDGET", "CARTS") == (3, 0)
    view = order_status(database, order_id)
    assert (view.status, view.lines[0].picked, view.lines[0].allocated) == ("picked", 3, 0)
    with UnitOfWork(database, write=False) as uow:
        assert waves.wave_view(uow.session, waves.get_wave(uow.session, wave.wave_id)).status == "done"
    with pytest.raises(InvalidTransition):
        item(database, warehouse, task, gtin13(1))
    assert ledger_problems(database) == []


def test_a_repeated_confirmed_scan_picks_once(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-02-01")
    item(database, warehouse, task, gtin13(1), idempotency_key="scan-1")
    again = item(database, warehouse, task, gtin13(1), idempotency_key="scan-1")
    assert again.replayed and again.next.quantity == 2
    assert on_hand(database, warehouse, "WIDGET", "CARTS") == (1, 0)


def test_lot_tracked_items_need_the_reserved_lot(database, warehouse):
    put_stock(database, warehouse, "MILK", "A-02-01", 5, lot="L1", expiry=(clock.today() + dt.timedelta(days=30)))
    put_stock(database, warehouse, "MILK", "A-02-01", 5, lot="L2", expiry=(clock.today() + dt.timedelta(days=30)) + dt.timedelta(days=9))
    _, wave = released(database, warehouse, {"MILK": 2})
    task = prompt(database, wave)
    assert task.lot == "L1"
    at(database, warehouse, task, "A-02-01")
    with pytest.raises(LotRequired):
        item(database, warehouse, task, MILK_GTIN)
    with pytest.raises(WrongLot, match="Lot L2 of MILK is not the one reserved: pick lot L1."):
        item(database, warehouse, task, f"]C101{MILK_GTIN}10L2")
    result = item(database, warehouse, task, f"]C101{MILK_GTIN}10L1", quantity=2)
    assert result.task_finished
    assert ledger_problems(database) == []


def test_short_pick_takes_what_is_there_and_reallocates_the_rest(database, warehouse, monkeypatch):
    requested = []
    monkeypatch.setattr(picking, "request_count",
                        lambda session, location_id, reason, product_id=None, actor=None:
                        requested.append((location_id, reason, product_id, actor)))
    put_stock(database, warehouse, "WIDGET", "A-01-01", 3, days_ago=9)
    put_stock(database, warehouse, "WIDGET", "B-02-01", 1, days_ago=1)
    order_id, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-01-01")
    result = short(database, warehouse, task, 1, reason="only one in the bin")
    assert (result.picked, result.written_off, result.reallocated, result.backorder) == (1, 2, 1, 1)
    assert result.count_requested
    assert requested == [(warehouse.locations["A-01-01"].id, "short_pick",
                          warehouse.products["WIDGET"].id, warehouse.operator)]
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (0, 0)  # written off to LOSS
    assert (result.next.location, result.next.quantity, result.next.sequence) == ("B-02-01", 1, 2)
    at(database, warehouse, result.next, "B-02-01")
    item(database, warehouse, result.next, gtin13(1))
    view = order_status(database, order_id)
    assert view.status == "picked"
    assert (view.lines[0].picked, view.lines[0].backorder) == (2, 1)
    with UnitOfWork(database, write=False) as uow:
        reasons = [m.reason for m in uow.session.scalars(select(Move).order_by(Move.id))]
    assert reasons[-3:] == ["pick", "short_pick", "pick"]
    assert ledger_problems(database) == []


def test_short_pick_replayed_changes_nothing_and_bad_quantities_are_refused(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 3)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    with pytest.raises(ScanPickLocationFirst):
        short(database, warehouse, task, 1)
    at(database, warehouse, task, "A-01-01")
    with pytest.raises(Exception, match="found must be 0 to 2; 3 is a full pick"):
        short(database, warehouse, task, 3)
    first = short(database, warehouse, task, 0, idempotency_key="short-1")
    again = short(database, warehouse, task, 0, idempotency_key="short-1")
    assert (first.written_off, first.backorder, again.replayed) == (3, 3, True)
    assert on_hand(database, warehouse, "WIDGET", "A-01-01") == (0, 0)
    assert prompt(database, wave) is None


def test_short_pick_asks_the_counting_workflow_when_it_is_installed(database, warehouse):
    counting = pytest.importorskip("app.services.counting")
    assert picking.request_count is counting.request_count
    put_stock(database, warehouse, "WIDGET", "A-01-01", 3)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-01-01")
    assert short(database, warehouse, task, 2).count_requested
    with UnitOfWork(database, write=False) as uow:
        [count] = counting.open_counts(uow.session)
    assert (count.kind, count.reason, count.locations) == ("triggered", "short_pick", ("A-01-01",))


def test_two_pickers_on_one_wave_each_keep_their_own_task(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
    put_stock(database, warehouse, "GADGET", "B-03-01", 10)
    _, wave = released(database, warehouse, {"WIDGET": 3, "GADGET": 2})
    first = prompt(database, wave)
    at(database, warehouse, first, first.location)
    item(database, warehouse, first, first.sku)  # Olga starts the first bin
    with UnitOfWork(database, write=False) as uow:
        otto = picking.next_pick(uow.session, wave.wave_id, warehouse.operator2)
        olga = picking.next_pick(uow.session, wave.wave_id, warehouse.operator)
    assert (olga.task_id, olga.quantity) == (first.task_id, first.quantity - 1)
    assert otto.task_id != first.task_id and otto.sequence == 2
