"""Planning and counting on the floor, on every backend. Helpers here are shared by the
other counting tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.core import clock
from app.core.actor import system_actor
from app.core.counting_rules import (
    EmptyNotConfirmed,
    LocationNotInCount,
    NotEmpty,
    NothingToCount,
    ProductNotInCount,
    ScanLocationFirst,
    SerialAlreadyCounted,
)
from app.core.errors import InvalidInput, InvalidTransition, LotRequired, NotAllowed, WrongScanKind
from app.db.models import Location, Lot, Move, OnHand, Product, User
from app.db.models_counting import Count
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from tests.factories import gtin13


# --- helpers shared by the counting tests -------------------------------------------------------
def key() -> str:
    return uuid.uuid4().hex


def run(database, verb, *args, **kwargs):
    """One use case in its own unit of work, as the UI bridge runs it."""
    with UnitOfWork(database) as uow:
        return verb(uow, *args, **kwargs)


def put_stock(database, code: str, sku: str, quantity: int, lot: str | None = None,
              to: str | None = None) -> None:
    """Receive stock straight into a location (or move it out to ``to``) through the ledger."""
    with UnitOfWork(database) as uow:
        session = uow.session
        product = session.scalar(select(Product).where(Product.sku == sku))
        lot_id = None
        if lot is not None:
            lot_row = session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == lot))
            if lot_row is None:
                lot_row = Lot(product_id=product.id, code=lot)
                session.add(lot_row)
                session.flush()
            lot_id = lot_row.id
        location = session.scalar(select(Location).where(Location.code == code))
        supplier = session.scalar(select(Location).where(Location.code == "SUPPLIER"))
        source, destination = (location, session.scalar(select(Location).where(Location.code == to))) \
            if to else (supplier, location)
        ledger.post_move(session, actor=system_actor("test"), product_id=product.id,
                         quantity=quantity, source=source, destination=destination,
                         reason="test_move" if to else "receipt", idempotency_key=key(), lot_id=lot_id)
        uow.commit()


def on_hand(database, code: str, sku: str) -> int:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.scalar(
            select(OnHand.quantity).join(Location, Location.id == OnHand.location_id)
            .join(Product, Product.id == OnHand.product_id)
            .where(Location.code == code, Product.sku == sku)
        ) or 0


def count_at(database, count_id: int, code: str, actor, scans=(), *, finish=True):
    """Start ``code``, scan each (scan, quantity) and finish; returns the last result."""
    location_id = run(database, counting.start_location, count_id, code, actor=actor).location_id
    for scan, quantity in scans:
        run(database, counting.count_scan, count_id, location_id, scan, actor=actor,
            idempotency_key=key(), quantity=quantity)
    if not finish:
        return None
    if not scans:
        return run(database, counting.confirm_empty, count_id, location_id, actor=actor)
    return run(database, counting.finish_location, count_id, location_id, actor=actor)


def plan_one(database, warehouse, code: str, counter=None):
    """A supervisor plans a count of one location for ``counter`` (the operator by default)."""
    counter = counter or warehouse.operator
    return run(database, counting.plan_location_range, code, code, actor=warehouse.supervisor,
               counter_id=counter.user_id, due=clock.today())


def lines_of(database, count_id: int) -> list[tuple[str, int, int, str]]:
    with UnitOfWork(database, write=False) as uow:
        count = uow.session.get(Count, count_id)
        return [(line.product.sku, line.expected, line.counted, line.status)
                for cl in count.locations for line in cl.lines]


def count_status(database, count_id: int) -> str:
    with UnitOfWork(database, write=False) as uow:
        return uow.session.get(Count, count_id).status


def recounts_of(database, count_id: int) -> list[SimpleNamespace]:
    with UnitOfWork(database, write=False) as uow:
        return [
            SimpleNamespace(id=c.id, number=c.number, kind=c.kind, status=c.status,
                            assigned_user_id=c.assigned_user_id)
            for c in uow.session.scalars(select(Count).where(Count.parent_count_id == count_id))
        ]


# --- planning ---------------------------------------------------------------------------------------
def test_operators_cannot_plan_counts(database, warehouse):
    with pytest.raises(NotAllowed) as error:
        run(database, counting.plan_zone, "Z1", actor=warehouse.operator)
    assert str(error.value) == "Olga Operator may not plan counts."


@pytest.mark.calendar
def test_plans_by_location_range_zone_and_product(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 5)
    put_stock(database, "B-02-01", "WIDGET", 7)
    by_range = run(database, counting.plan_location_range, "A-03-01", "A-01-01",
                   actor=warehouse.supervisor, counter_id=warehouse.operator.user_id)
    assert by_range.locations == ("A-01-01", "A-02-01", "A-03-01")
    assert (by_range.status, by_range.assigned_to, by_range.due_date) == ("planned", "Olga Operator", clock.today())
    by_zone = run(database, counting.plan_zone, "Z1", actor=warehouse.supervisor)
    assert len(by_zone.locations) == 6 and by_zone.assigned_to is None
    by_product = run(database, counting.plan_product, warehouse.products["WIDGET"].id,
                     actor=warehouse.supervisor)
    assert by_product.locations == ("A-01-01", "B-02-01") and by_product.kind == "product"
    with pytest.raises(NothingToCount):
        run(database, counting.plan_product, warehouse.products["GADGET"].id, actor=warehouse.supervisor)
    with pytest.raises(NothingToCount):
        run(database, counting.plan_zone, "NOWHERE", actor=warehouse.supervisor)


def test_count_sheet_shows_what_to_count_but_not_how_many(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 5)
    put_stock(database, "A-01-01", "MILK", 3, lot="L1")
    blind = plan_one(database, warehouse, "A-01-01")
    with UnitOfWork(database, write=False) as uow:
        sheet = counting.count_sheet(uow.session, blind.count_id)
    assert sheet.blind and sheet.counter == "Olga Operator"
    assert [(r.location, r.sku, r.lot, r.expected) for r in sheet.rows] == [
        ("A-01-01", "MILK", "L1", None), ("A-01-01", "WIDGET", None, None)]
    open_book = run(database, counting.plan_location_range, "A-01-01", "A-02-01",
                    actor=warehouse.supervisor, blind=False)
    with UnitOfWork(database, write=False) as uow:
        sheet = counting.count_sheet(uow.session, open_book.count_id)
    assert [(r.location, r.sku, r.expected) for r in sheet.rows] == [
        ("A-01-01", "MILK", 3), ("A-01-01", "WIDGET", 5), ("A-02-01", None, 0)]


@pytest.mark.calendar
def test_my_counts_are_mine_or_nobodys_and_due(database, warehouse):
    mine = plan_one(database, warehouse, "A-01-01")
    plan_one(database, warehouse, "A-02-01", counter=warehouse.operator2)
    anyones = run(database, counting.plan_location_range, "B-01-01", "B-02-01",
                  actor=warehouse.supervisor, due=clock.today())
    run(database, counting.plan_location_range, "B-03-01", "B-03-01", actor=warehouse.supervisor,
        counter_id=warehouse.operator.user_id, due=clock.today() + dt.timedelta(days=3))
    with UnitOfWork(database, write=False) as uow:
        listed = counting.my_counts(uow.session, warehouse.operator, clock.today())
    assert [(c.number, c.assigned_to_me, c.next_location, c.locations_total) for c in listed] == [
        (mine.number, True, "A-01-01", 1), (anyones.number, False, "B-01-01", 2)]
    # Starting a count that belongs to nobody makes it mine; the other operator no longer sees it.
    count_at(database, anyones.count_id, "B-01-01", warehouse.operator, finish=False)
    with UnitOfWork(database, write=False) as uow:
        theirs = counting.my_counts(uow.session, warehouse.operator2, clock.today())
    assert [c.next_location for c in theirs] == ["A-02-01"]
    with pytest.raises(NotAllowed):
        count_at(database, mine.count_id, "A-01-01", warehouse.operator2, finish=False)


def test_request_count_reuses_an_open_count_of_the_location(database, warehouse):
    location_id = warehouse.locations["A-02-01"].id
    with UnitOfWork(database) as uow:
        first = counting.request_count(uow.session, location_id, "short_pick")
        again = counting.request_count(uow.session, location_id, "bin_found_empty")
        uow.commit()
    assert first.created and not again.created and again.count_id == first.count_id
    with UnitOfWork(database, write=False) as uow:
        assert uow.session.get(Count, first.count_id).reason == "short_pick"
    count_at(database, first.count_id, "A-02-01", warehouse.operator)
    with UnitOfWork(database) as uow:
        after = counting.request_count(uow.session, location_id, "putaway_refused",
                                       warehouse.products["GADGET"].id)
        with pytest.raises(InvalidInput):
            counting.request_count(uow.session, location_id, "because")
        uow.commit()
    assert after.created and after.count_id != first.count_id


@pytest.mark.calendar
def test_supervisors_assign_and_cancel_counts(database, warehouse):
    planned = plan_one(database, warehouse, "A-01-01")
    later = clock.today() + dt.timedelta(days=2)
    moved = run(database, counting.assign_count, planned.count_id, warehouse.operator2.user_id,
                actor=warehouse.supervisor, due=later)
    assert (moved.assigned_to, moved.due_date) == ("Otto Operator", later)
    with pytest.raises(NotAllowed):
        run(database, counting.assign_count, planned.count_id, None, actor=warehouse.operator)
    with UnitOfWork(database, write=False) as uow:
        assert counting.my_counts(uow.session, warehouse.operator2, clock.today()) == []
        assert [c.number for c in counting.my_counts(uow.session, warehouse.operator2, later)] == [
            planned.number]
        assert [c.status for c in counting.open_counts(uow.session)] == ["planned"]
    cancelled = run(database, counting.cancel_count, planned.count_id, actor=warehouse.supervisor)
    assert cancelled.status == "cancelled"
    with UnitOfWork(database, write=False) as uow:
        assert counting.open_counts(uow.session) == []
    with pytest.raises(InvalidTransition):
        run(database, counting.start_location, planned.count_id, "A-01-01", actor=warehouse.operator2)


# --- counting -----------------------------------------------------------------------------------------
def _dataclass_fields(cls, seen=None) -> set[str]:
    """Every field name of a result type, through nested dataclasses too."""
    seen = set() if seen is None else seen
    names: set[str] = set()
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        names.add(f.name)
        for arg in (hints[f.name], *typing.get_args(hints[f.name])):
            if dataclasses.is_dataclass(arg) and arg not in seen:
                seen.add(arg)
                names |= _dataclass_fields(arg, seen)
    return names


@pytest.mark.parametrize("result_type", [counting.MyCount, counting.StartResult,
                                         counting.CountScanResult, counting.FinishResult,
                                         counting.CountSummary])
def test_counting_side_results_never_carry_the_quantity_on_record(result_type):
    names = _dataclass_fields(result_type)
    assert not {n for n in names if any(word in n for word in
                                        ("expected", "snapshot", "variance", "on_hand", "record"))}


def test_a_counter_sees_only_what_they_counted(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 37)
    planned = plan_one(database, warehouse, "A-01-01")
    start = run(database, counting.start_location, planned.count_id, "A-01-01", actor=warehouse.operator)
    scanned = run(database, counting.count_scan, planned.count_id, start.location_id, gtin13(1),
                  actor=warehouse.operator, idempotency_key=key())
    finished = run(database, counting.finish_location, planned.count_id, start.location_id,
                   actor=warehouse.operator)
    shown = [dataclasses.astuple(result) for result in (start, scanned, finished)]
    assert not any(37 in values for values in shown)
    assert (scanned.units, scanned.line_total, finished.units_counted) == (1, 1, 1)


def test_item_scans_cases_bulk_quantities_and_lots_add_up(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 30)
    planned = plan_one(database, warehouse, "A-01-01")
    count_id = planned.count_id
    location_id = warehouse.locations["A-01-01"].id
    start = run(database, counting.start_location, count_id, "A-01-01", actor=warehouse.operator)
    assert (start.location, start.resumed, start.units_counted) == ("A-01-01", False, 0)

    def scan(raw, quantity=None, idempotency_key=None, **extra):
        return run(database, counting.count_scan, count_id, location_id, raw, actor=warehouse.operator,
                   idempotency_key=idempotency_key or key(), quantity=quantity, **extra)

    assert scan(gtin13(1)).line_total == 1
    assert scan(gtin13(101)).units == 12  # a case
    same = key()
    assert scan(gtin13(1), quantity=5, idempotency_key=same).line_total == 18  # bulk entry
    replay = scan(gtin13(1), quantity=5, idempotency_key=same)
    assert replay.replayed and replay.line_total == 18
    milk = scan("]C10109501101530003" + "10L7\x1d" + "17271231", quantity=4)
    assert (milk.sku, milk.lot, milk.line_total) == ("MILK", "L7", 4)
    assert scan("09501101530003", lot="L8").lot == "L8"
    with pytest.raises(LotRequired):
        scan("09501101530003")
    undone = run(database, counting.undo_last_count_scan, count_id, location_id, actor=warehouse.operator)
    assert (undone.sku, undone.units, undone.line_total) == ("MILK", -1, 0)
    # Resuming after a break keeps what was counted.
    again = run(database, counting.start_location, count_id, "A-01-01", actor=warehouse.operator)
    assert again.resumed and again.units_counted == 22
    assert sorted(lines_of(database, count_id)) == [
        ("MILK", 0, 0, "open"), ("MILK", 0, 4, "open"), ("WIDGET", 30, 18, "open")]


def test_wrong_scans_are_explained(database, warehouse):
    planned = plan_one(database, warehouse, "A-01-01")
    location_id = warehouse.locations["A-01-01"].id
    with pytest.raises(ScanLocationFirst) as error:
        run(database, counting.count_scan, planned.count_id, location_id, gtin13(1),
            actor=warehouse.operator, idempotency_key=key())
    assert str(error.value) == "Scan location A-01-01 before counting in it."
    with pytest.raises(WrongScanKind):
        run(database, counting.start_location, planned.count_id, gtin13(1), actor=warehouse.operator)
    with pytest.raises(LocationNotInCount) as error:
        run(database, counting.start_location, planned.count_id, "B-01-01", actor=warehouse.operator)
    assert str(error.value) == f"B-01-01 is not part of count {planned.number}."


def test_product_counts_and_serials(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 2)
    put_stock(database, "A-01-01", "PHONE", 1, lot="SN1")
    planned = run(database, counting.plan_product, warehouse.products["PHONE"].id,
                  actor=warehouse.supervisor, counter_id=warehouse.operator.user_id)
    location_id = warehouse.locations["A-01-01"].id
    run(database, counting.start_location, planned.count_id, "A-01-01", actor=warehouse.operator)
    with pytest.raises(ProductNotInCount):
        run(database, counting.count_scan, planned.count_id, location_id, gtin13(1),
            actor=warehouse.operator, idempotency_key=key())
    phone = "]C1" + "01" + gtin13(4).zfill(14) + "21SN1"
    run(database, counting.count_scan, planned.count_id, location_id, phone,
        actor=warehouse.operator, idempotency_key=key())
    with pytest.raises(SerialAlreadyCounted):
        run(database, counting.count_scan, planned.count_id, location_id, phone,
            actor=warehouse.operator, idempotency_key=key())
    run(database, counting.finish_location, planned.count_id, location_id, actor=warehouse.operator)
    assert lines_of(database, planned.count_id) == [("PHONE", 1, 1, "matched")]
    assert count_status(database, planned.count_id) == "closed"


def test_an_empty_bin_must_be_confirmed(database, warehouse):
    planned = plan_one(database, warehouse, "A-02-01")
    location_id = warehouse.locations["A-02-01"].id
    run(database, counting.start_location, planned.count_id, "A-02-01", actor=warehouse.operator)
    with pytest.raises(EmptyNotConfirmed):
        run(database, counting.finish_location, planned.count_id, location_id, actor=warehouse.operator)
    done = run(database, counting.confirm_empty, planned.count_id, location_id, actor=warehouse.operator)
    assert done.empty_confirmed and done.count_complete and done.remaining_locations == ()
    assert count_status(database, planned.count_id) == "closed"


def test_a_bin_with_something_counted_is_not_empty(database, warehouse):
    planned = plan_one(database, warehouse, "A-02-01")
    count_at(database, planned.count_id, "A-02-01", warehouse.operator,
             [(gtin13(2), None)], finish=False)
    with pytest.raises(NotEmpty):
        run(database, counting.confirm_empty, planned.count_id, warehouse.locations["A-02-01"].id,
            actor=warehouse.operator)


# --- evaluation ---------------------------------------------------------------------------------------
def test_exact_count_closes_without_moves(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 10)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 10)])
    assert lines_of(database, planned.count_id) == [("WIDGET", 10, 10, "matched")]
    assert count_status(database, planned.count_id) == "closed"
    with UnitOfWork(database, write=False) as uow:
        assert not uow.session.scalars(select(Move).where(Move.document_type == "count")).all()


def test_within_tolerance_is_approved_automatically(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    # Class C by default: 5 % and 250.00 allowed; 3 x 2.50 missing is within.
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 97)])
    assert lines_of(database, planned.count_id) == [("WIDGET", 100, 97, "auto_approved")]
    assert count_status(database, planned.count_id) == "closed"
    assert on_hand(database, "A-01-01", "WIDGET") == 97
    with UnitOfWork(database, write=False) as uow:
        move = uow.session.scalar(select(Move).where(Move.document_type == "count"))
        assert (move.quantity, move.reason, move.to_location_id) == (
            3, "count_loss", warehouse.locations["LOSS"].id)
        assert ledger.check_ledger(uow.session) == []


def test_within_tolerance_waits_for_review_when_auto_approval_is_off(database, warehouse):
    policy = run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    assert not policy.auto_approve and policy.quantity_pct == 5.0
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 97)])
    assert lines_of(database, planned.count_id) == [("WIDGET", 100, 97, "to_review")]
    assert count_status(database, planned.count_id) == "in_review"
    assert on_hand(database, "A-01-01", "WIDGET") == 100
    with pytest.raises(NotAllowed):
        run(database, counting.set_class_policy, "C", actor=warehouse.operator, auto_approve=True)


def test_beyond_tolerance_is_recounted_by_another_operator(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 80)])
    assert lines_of(database, planned.count_id) == [("WIDGET", 100, 80, "recounted")]
    assert count_status(database, planned.count_id) == "closed"
    assert on_hand(database, "A-01-01", "WIDGET") == 100  # nothing settled before the recount
    [recount] = recounts_of(database, planned.count_id)
    assert (recount.kind, recount.status, recount.assigned_user_id) == (
        "recount", "planned", warehouse.operator2.user_id)
    with pytest.raises(NotAllowed) as error:
        run(database, counting.start_location, recount.id, "A-01-01", actor=warehouse.operator)
    assert str(error.value) == f"Olga Operator may not recount {recount.number} after counting it."
    with UnitOfWork(database, write=False) as uow:
        assert counting.my_counts(uow.session, warehouse.operator, clock.today()) == []


def test_recount_waits_for_anyone_else_when_no_other_operator_is_active(database, warehouse):
    with UnitOfWork(database) as uow:
        uow.session.get(User, warehouse.operator2.user_id).active = False
        uow.commit()
    put_stock(database, "A-01-01", "WIDGET", 100)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 50)])
    [recount] = recounts_of(database, planned.count_id)
    assert recount.assigned_user_id is None
    with UnitOfWork(database, write=False) as uow:
        assert counting.my_counts(uow.session, warehouse.operator, clock.today()) == []
    with pytest.raises(NotAllowed):
        run(database, counting.start_location, recount.id, "A-01-01", actor=warehouse.operator)
    # A supervisor who did not count it first may recount it.
    count_at(database, recount.id, "A-01-01", warehouse.supervisor, [(gtin13(1), 50)])
    assert lines_of(database, recount.id) == [("WIDGET", 100, 50, "to_review")]
