"""Undo of the last pick and the last pack scan, on every backend: a compensating move (the
ledger stays append-only and chained), counters and reservations exactly as before the scan,
refused once the task is finished or the parcel closed; the document checks stay clean."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.core.errors import InvalidTransition
from app.db import chain
from app.db.models import AuditEntry, Move
from app.db.uow import UnitOfWork
from app.services.integrity import check_documents
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.waves import pick_undo
from tests.factories import gtin13
from tests.services.test_orders_support import key, ledger_problems, on_hand, put_stock
from tests.services.test_packing import pack, picked_order
from tests.services.test_picking import at, item, prompt, released, short


def undo_pick(database, actor, wave):
    with UnitOfWork(database) as uow:
        return pick_undo.undo_last_pick(uow, wave.wave_id, actor=actor)


def undo_pack(database, actor, order_id):
    with UnitOfWork(database) as uow:
        return packing.undo_last_pack(uow, order_id, actor=actor)


def all_clean(database):
    with UnitOfWork(database, write=False) as uow:
        assert check_documents(uow.session) == []
        assert chain.verify(uow.session)[1] == []
    assert ledger_problems(database) == []


def line(database, order_id):
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id).lines[0]
        return view.picked, view.allocated, view.packed


def test_undo_puts_the_last_pick_back_in_the_bin_reserved_for_the_order(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    order_id, wave = released(database, warehouse, {"WIDGET": 5})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-02-01")
    item(database, warehouse, task, gtin13(1))
    item(database, warehouse, task, gtin13(1), quantity=2)
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (7, 2)
    undone = undo_pick(database, warehouse.operator, wave)
    assert (undone.sku, undone.units, undone.location, undone.tote_slot) == ("WIDGET", 2, "A-02-01", 1)
    assert (undone.prompt.task_id, undone.prompt.quantity, undone.prompt.location_confirmed) == (
        task.task_id, 4, True)
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (9, 4)
    assert on_hand(database, warehouse, "WIDGET", "CARTS") == (1, 0)
    assert line(database, order_id)[:2] == (1, 4)
    # The next undo takes the scan before; then there is nothing of mine left.
    assert undo_pick(database, warehouse.operator, wave).units == 1
    assert undo_pick(database, warehouse.operator, wave) is None
    assert on_hand(database, warehouse, "WIDGET", "A-02-01") == (10, 5)
    with UnitOfWork(database, write=False) as uow:
        reasons = [m.reason for m in uow.session.scalars(select(Move).order_by(Move.id))]
        audits = [json.loads(a.details)["units"] for a in uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pick_undo").order_by(AuditEntry.id))]
    assert reasons[-4:] == ["pick", "pick", "pick_undo", "pick_undo"] and audits == [2, 1]
    # Picked again, the task finishes as if nothing had happened.
    done = item(database, warehouse, task, gtin13(1), quantity=5)
    assert (done.task_finished, done.next) == (True, None)
    assert line(database, order_id)[:2] == (5, 0)
    all_clean(database)


def test_undo_is_refused_once_the_task_is_finished_and_skips_other_pickers(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 10)
    _, wave = released(database, warehouse, {"WIDGET": 2})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-02-01")
    item(database, warehouse, task, gtin13(1))
    assert undo_pick(database, warehouse.supervisor, wave) is None  # not their scan
    item(database, warehouse, task, gtin13(1))
    with pytest.raises(InvalidTransition) as error:
        undo_pick(database, warehouse.operator, wave)
    assert str(error.value) == f"Pick 1 of {wave.number} is done: 'undo' is not possible."
    assert on_hand(database, warehouse, "WIDGET", "CARTS") == (2, 0)
    all_clean(database)


def test_a_short_pick_is_not_undone(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-02-01", 3)
    _, wave = released(database, warehouse, {"WIDGET": 3})
    task = prompt(database, wave)
    at(database, warehouse, task, "A-02-01")
    short(database, warehouse, task, 1)
    with pytest.raises(InvalidTransition):
        undo_pick(database, warehouse.operator, wave)
    all_clean(database)


@pytest.fixture
def stocked(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    put_stock(database, warehouse, "GADGET", "A-02-01", 20)
    return warehouse


def test_undo_takes_the_last_pack_scan_out_of_the_parcel_into_the_tote(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 3, "GADGET": 1})
    pack(database, stocked, order_id, gtin13(1), quantity=2)
    pack(database, stocked, order_id, gtin13(2))
    undone = undo_pack(database, stocked.operator, order_id)
    assert (undone.sku, undone.units, undone.parcel) == ("GADGET", 1, 1)
    assert undone.view.open_parcel.items == (("WIDGET", "", 2),)
    assert undone.view.to_pack == 2
    assert on_hand(database, stocked, "GADGET", "CARTS") == (1, 0)
    assert on_hand(database, stocked, "WIDGET", "PACK-1") == (2, 0)
    undone = undo_pack(database, stocked.operator, order_id)
    assert (undone.sku, undone.units, undone.view.open_parcel.items) == ("WIDGET", 2, ())
    assert undo_pack(database, stocked.operator, order_id) is None
    assert on_hand(database, stocked, "WIDGET", "CARTS") == (3, 0)
    # Packed again into the same (still open) parcel.
    again = pack(database, stocked, order_id, gtin13(1), quantity=3)
    assert again.view.open_parcel.items == (("WIDGET", "", 3),)
    all_clean(database)


def test_undo_is_refused_once_the_parcel_is_closed(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 1})
    result = pack(database, stocked, order_id, gtin13(1))
    with UnitOfWork(database) as uow:
        packing.close_parcel(uow, result.view.open_parcel.parcel_id, actor=stocked.operator, weight_kg=1.0)
    with pytest.raises(InvalidTransition) as error:
        undo_pack(database, stocked.operator, order_id)
    assert "is closed: 'undo' is not possible." in str(error.value)
    assert on_hand(database, stocked, "WIDGET", "SHIP-1")[0] == 1
    all_clean(database)


def test_a_replayed_pack_after_undo_does_not_pack_again(database, stocked):
    order_id, _ = picked_order(database, stocked, {"WIDGET": 2})
    scan_key = key()
    pack(database, stocked, order_id, gtin13(1), idempotency_key=scan_key)
    undo_pack(database, stocked.operator, order_id)
    replay = pack(database, stocked, order_id, gtin13(1), idempotency_key=scan_key)
    assert replay.replayed and replay.view.to_pack == 2
    all_clean(database)
