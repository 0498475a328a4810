"""Replenishment on every backend: min / max per pick face, tasks when a face falls below min
or an allocation would short while reserve holds stock, the Replenish confirmation through the
ledger (exactly once), and waiting orders allocated when the face is refilled."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import InvalidInput, NotAllowed
from app.core.replenishment_rules import NotAReserveBin, WrongFace, WrongReplenishItem, refill_quantity
from app.db.models import Move, ScanJournal
from app.db.models_replenishment import ReplenishmentTask
from app.db.uow import UnitOfWork
from app.services.imports import ImportRejected, import_csv
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.replenishment import faces, floor, tasks
from tests.factories import add_location, gtin13
from tests.services.test_orders_support import key, ledger_problems, new_order, on_hand, put_stock
from tests.services.test_picking import at, item, prompt, released


@pytest.fixture
def faced(database, warehouse):
    """Pick faces F-01 (WIDGET: min 5, max 20, unit 6) and F-02 (no levels); reserve in A-01-01."""
    with UnitOfWork(database) as uow:
        for code in ("F-01", "F-02"):
            add_location(uow.session, code, "pick_face", zone="Z1", aisle="F", bay=int(code[-1]), level=1, slot=1,
                         x=0.0, y=float(code[-1]))
        uow.commit()
    with UnitOfWork(database) as uow:
        faces.set_face_levels(uow, "F-01", "WIDGET", 5, 20, 6, actor=warehouse.supervisor)
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    return warehouse


def open_tasks(database):
    with UnitOfWork(database, write=False) as uow:
        return tasks.open_tasks(uow.session)


def confirm(database, warehouse, task_id, quantity, *, reserve="A-01-01", scan=None, face="F-01", idem=None):
    with UnitOfWork(database) as uow:
        return floor.confirm_replenishment(uow, task_id, reserve_scan=reserve, item_scan=scan or gtin13(1),
                                           quantity=quantity, face_scan=face, actor=warehouse.operator,
                                           idempotency_key=idem or key())


def test_refill_quantity_rounds_to_whole_units():
    assert refill_quantity(3, 5, 20, 6) == 12  # room 17: two cases
    assert refill_quantity(19, 5, 20, 6) == 6  # at least one unit
    assert refill_quantity(2, 5, 20, 6, waiting=30) == 30  # 28 short: five cases
    assert refill_quantity(0, 0, 10, 1) == 10


def test_levels_by_hand_and_by_csv(database, faced, tmp_path):
    with UnitOfWork(database) as uow, pytest.raises(InvalidInput, match="max units: must be more than min"):
        faces.set_face_levels(uow, "F-02", "GADGET", 10, 10, 1, actor=faced.supervisor)
    with UnitOfWork(database) as uow, pytest.raises(NotAllowed):
        faces.set_face_levels(uow, "F-02", "GADGET", 1, 10, 1, actor=faced.operator)
    path = tmp_path / "faces.csv"
    path.write_text("location,sku,min_units,max_units,unit\nF-02,GADGET,4,40,\nA-01-01,GADGET,1,2,1\n"
                    "F-01,NOPE,1,5,6\n", encoding="utf-8")
    with UnitOfWork(database) as uow, pytest.raises(ImportRejected) as rejected:
        import_csv(uow, "pick-faces", path, actor=faced.supervisor)
    assert [str(p) for p in rejected.value.problems] == [
        "row 3, location: A-01-01 is a storage location, not a pick face",
        "row 4, sku: no product NOPE (import products first)",
        "row 4, unit: one unit (6) does not fit below max (5)",
    ]
    path.write_text("location,sku,min_units,max_units,unit\nF-02,GADGET,4,40,\nF-01,WIDGET,6,24,12\n",
                    encoding="utf-8")
    with UnitOfWork(database) as uow:
        summary = import_csv(uow, "pick-faces", path, actor=faced.supervisor)
    assert (summary.created, summary.updated) == (1, 1)
    with UnitOfWork(database, write=False) as uow:
        rows = faces.face_rows(uow.session)
    assert [(r.location, r.sku, r.min_units, r.max_units, r.unit, r.on_hand) for r in rows] == [
        ("F-01", "WIDGET", 6, 24, 12, 0), ("F-02", "GADGET", 4, 40, 1, 0)]


def test_a_pick_that_leaves_the_face_below_min_creates_one_task(database, faced):
    put_stock(database, faced, "WIDGET", "F-01", 10)
    _, wave = released(database, faced, {"WIDGET": 6}, number="2001")
    task = prompt(database, wave)
    assert task.location == "F-01"  # the reserve of a faced product is not promised
    at(database, faced, task, "F-01")
    item(database, faced, task, gtin13(1), quantity=2)
    assert open_tasks(database) == []  # 8 left: not below min
    item(database, faced, task, gtin13(1), quantity=4)
    [opened] = open_tasks(database)
    assert (opened.face, opened.sku, opened.quantity, opened.trigger, opened.reserve, opened.reserve_free) == (
        "F-01", "WIDGET", 12, "below_min", "A-01-01", 50)
    _, wave = released(database, faced, {"WIDGET": 1}, number="2002")
    task = prompt(database, wave)
    at(database, faced, task, "F-01")
    item(database, faced, task, gtin13(1))
    assert len(open_tasks(database)) == 1  # one open task per face
    from app.services.kpis.board import open_work

    with UnitOfWork(database, write=False) as uow:
        assert open_work(uow.session).replenish == 1  # the supervisor's dashboard counts it


def test_an_allocation_that_would_short_waits_for_the_replenishment(database, faced):
    put_stock(database, faced, "WIDGET", "F-01", 2)
    order_id = new_order(database, faced.supervisor, "3001", {"WIDGET": 10})
    with UnitOfWork(database) as uow:
        result = allocation.allocate_order(uow, order_id, actor=faced.supervisor)
    assert result.reserved_now == 2 and on_hand(database, faced, "WIDGET", "A-01-01") == (50, 0)
    [waiting] = open_tasks(database)
    assert (waiting.trigger, waiting.waiting_units, waiting.quantity) == ("allocation", 8, 18)
    done = confirm(database, faced, waiting.id, 18)
    assert (done.units, done.source, done.face, done.done, done.allocated) == (18, "A-01-01", "F-01", True, 8)
    assert on_hand(database, faced, "WIDGET", "F-01") == (20, 10)
    assert on_hand(database, faced, "WIDGET", "A-01-01") == (32, 0)
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id)
        journal = uow.session.execute(select(ScanJournal.context, ScanJournal.raw, ScanJournal.message)
                                      .where(ScanJournal.context == "replenish")).all()
        status = uow.session.scalar(select(ReplenishmentTask.status).where(ReplenishmentTask.id == waiting.id))
    assert (view.status, view.backorder, status) == ("allocated", 0, "done")
    assert journal == [("replenish", "F-01", "18 x WIDGET A-01-01 -> F-01")]
    assert open_tasks(database) == [] and ledger_problems(database) == []


def test_the_batch_allocation_waits_too(database, faced):
    new_order(database, faced.supervisor, "3002", {"WIDGET": 7})
    with UnitOfWork(database) as uow:
        allocation.allocate_waiting_orders(uow, actor=faced.supervisor)
    [waiting] = open_tasks(database)
    assert (waiting.waiting_units, waiting.quantity) == (7, 18)


def test_a_confirmation_is_applied_exactly_once(database, faced):
    put_stock(database, faced, "WIDGET", "F-01", 1)
    with UnitOfWork(database) as uow:
        tasks.request_for_shortages(uow.session, {faced.products["WIDGET"].id: 3})
        uow.commit()
    [task] = open_tasks(database)
    first = confirm(database, faced, task.id, 12, idem="replen-key-1")
    again = confirm(database, faced, task.id, 12, idem="replen-key-1")
    assert (again.replayed, again.units, again.source, again.face) == (True, 12, "A-01-01", "F-01")
    assert not first.replayed
    with UnitOfWork(database, write=False) as uow:
        moves = uow.session.scalar(select(func.count()).select_from(Move).where(Move.reason == "replenish"))
    assert moves == 1 and on_hand(database, faced, "WIDGET", "F-01") == (13, 0)


def test_wrong_bin_item_face_and_quantity_are_refused(database, faced):
    put_stock(database, faced, "GADGET", "A-02-01", 5)
    with UnitOfWork(database) as uow:
        tasks.request_for_shortages(uow.session, {faced.products["WIDGET"].id: 3})
        uow.commit()
    [task] = open_tasks(database)
    with UnitOfWork(database, write=False) as uow:
        assert floor.check_reserve(uow.session, task.id, "A-01-01") == floor.ReserveCheck("A-01-01", 50)
        with pytest.raises(NotAReserveBin):
            floor.check_reserve(uow.session, task.id, "A-02-01")
        with pytest.raises(WrongReplenishItem, match="GADGET is not WIDGET"):
            floor.check_item(uow.session, task.id, gtin13(2))
        assert floor.check_item(uow.session, task.id, gtin13(101)).units == 12
    with pytest.raises(WrongFace, match="F-02 is not the pick face of WIDGET: take it to F-01"):
        confirm(database, faced, task.id, 6, face="F-02")
    with pytest.raises(InvalidInput, match="bring 1 to 18, not 19"):
        confirm(database, faced, task.id, 19)
    assert on_hand(database, faced, "WIDGET", "A-01-01") == (50, 0) and len(open_tasks(database)) == 1


def test_a_short_pick_at_a_face_asks_for_its_replenishment(database, faced):
    from tests.services.test_picking import short

    put_stock(database, faced, "WIDGET", "F-01", 6)
    order_id, wave = released(database, faced, {"WIDGET": 6}, number="4001")
    task = prompt(database, wave)
    at(database, faced, task, "F-01")
    result = short(database, faced, task, 2)
    # the reserve is not picked from directly; the order is being picked: what is missing stays a
    # backorder (a wave does not wait); the face got its task when the 2 found left it below min
    # (4 of min 5: room 16, two cases of 6), and one task only
    assert (result.written_off, result.reallocated, result.backorder) == (4, 0, 4)
    [waiting] = open_tasks(database)
    assert (waiting.face, waiting.trigger, waiting.waiting_units, waiting.quantity) == ("F-01", "below_min", 0, 12)
    assert ledger_problems(database) == []
