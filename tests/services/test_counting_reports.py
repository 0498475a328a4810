"""ABC classes and the count schedule, inventory record accuracy, CSV export — every backend."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select, update

from app.core import clock
from app.core.actor import system_actor
from app.core.errors import InvalidInput, NotAllowed
from app.db.models import Location, Lot, Product
from app.db.models_counting import CountLocation
from app.db.uow import UnitOfWork
from app.services import counting, ledger
from tests.factories import add_location, gtin13
from tests.services.test_counting import (
    count_at,
    key,
    plan_one,
    put_stock,
    recounts_of,
    run,
)


def period() -> dict:
    """The last year up to today, by the pinned clock."""
    return dict(since=clock.today() - dt.timedelta(days=365), until=clock.today())


def seed_movement(database, warehouse):
    """Value: GADGET 600, WIDGET 250, MILK 90 (and a count gain of phones that must not count).
    Moves: MILK 5, GADGET 3, WIDGET 1."""
    for _ in range(3):
        put_stock(database, "A-01-01", "GADGET", 20)
    put_stock(database, "A-02-01", "WIDGET", 100)
    for _ in range(5):
        put_stock(database, "B-01-01", "MILK", 20, lot="L1")
    with UnitOfWork(database) as uow:
        session = uow.session
        phone = session.scalar(select(Product).where(Product.sku == "PHONE"))
        lot = Lot(product_id=phone.id, code="SN1")
        session.add(lot)
        session.flush()
        ledger.post_move(session, actor=system_actor("test"), product_id=phone.id, quantity=10,
                         source=session.get(Location, warehouse.locations["LOSS"].id),
                         destination=session.get(Location, warehouse.locations["A-03-01"].id),
                         reason="count_gain", idempotency_key=key(), lot_id=lot.id)
        uow.commit()


@pytest.mark.calendar
def test_abc_classes_from_movement_value_or_frequency(database, warehouse):
    seed_movement(database, warehouse)
    by_value = run(database, counting.classify_products, actor=warehouse.supervisor, **period())
    assert by_value == {"GADGET": "A", "WIDGET": "A", "MILK": "B", "PHONE": "C"}
    by_frequency = run(database, counting.classify_products, actor=warehouse.supervisor,
                       basis="frequency", **period())
    assert by_frequency == {"MILK": "A", "GADGET": "A", "WIDGET": "B", "PHONE": "C"}
    old_period = dict(since=clock.today() - dt.timedelta(days=730), until=clock.today() - dt.timedelta(days=366))
    assert set(run(database, counting.classify_products, actor=warehouse.supervisor,
                   **old_period).values()) == {"C"}
    with pytest.raises(NotAllowed):
        run(database, counting.classify_products, actor=warehouse.operator, **period())
    with pytest.raises(InvalidInput):
        run(database, counting.classify_products, actor=warehouse.supervisor, basis="weight", **period())


def due_skus(database, day) -> list[str]:
    with UnitOfWork(database, write=False) as uow:
        return [item.sku for item in counting.due_for_counting(uow.session, day)]


@pytest.mark.calendar
def test_what_is_due_follows_class_and_last_count(database, warehouse):
    seed_movement(database, warehouse)
    run(database, counting.classify_products, actor=warehouse.supervisor, **period())
    with UnitOfWork(database, write=False) as uow:
        due = counting.due_for_counting(uow.session, clock.today())
    # Never counted: all due at once, A first.
    assert [(d.sku, d.abc_class, d.last_counted, d.locations) for d in due] == [
        ("GADGET", "A", None, ("A-01-01",)), ("WIDGET", "A", None, ("A-02-01",)),
        ("MILK", "B", None, ("B-01-01",)), ("PHONE", "C", None, ("A-03-01",))]
    planned = run(database, counting.plan_abc_counts, clock.today(), actor=warehouse.supervisor,
                  counter_id=warehouse.operator.user_id)
    assert [(c.kind, c.reason, c.locations) for c in planned] == [
        ("abc", "GADGET", ("A-01-01",)), ("abc", "WIDGET", ("A-02-01",)),
        ("abc", "MILK", ("B-01-01",)), ("abc", "PHONE", ("A-03-01",))]
    assert run(database, counting.plan_abc_counts, clock.today(), actor=warehouse.supervisor) == []

    gadget_count = planned[0].count_id
    count_at(database, gadget_count, "A-01-01", warehouse.operator, [(gtin13(2), 60)])
    assert due_skus(database, clock.today()) == ["WIDGET", "MILK", "PHONE"]
    # A is counted 12 times a year: due again 30 days later, not a day before.
    assert "GADGET" not in due_skus(database, clock.today() + dt.timedelta(days=29))
    assert "GADGET" in due_skus(database, clock.today() + dt.timedelta(days=30))
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, counts_per_year=0)
    assert "PHONE" not in due_skus(database, clock.today())


# --- inventory record accuracy --------------------------------------------------------------------------
@pytest.mark.calendar
def test_inventory_record_accuracy_by_period_class_and_zone(database, warehouse):
    with UnitOfWork(database) as uow:
        add_location(uow.session, "C-01-01", "storage", zone="Z2")
        uow.commit()
    put_stock(database, "A-01-01", "GADGET", 100)
    put_stock(database, "C-01-01", "GADGET", 10)
    put_stock(database, "A-02-01", "WIDGET", 100)
    run(database, counting.classify_products, actor=warehouse.supervisor, **period())  # GADGET A, WIDGET B

    last_month = plan_one(database, warehouse, "A-01-01")
    count_at(database, last_month.count_id, "A-01-01", warehouse.operator, [(gtin13(2), 100)])
    found = plan_one(database, warehouse, "C-01-01")
    count_at(database, found.count_id, "C-01-01", warehouse.operator, [(gtin13(2), 10)])
    short = plan_one(database, warehouse, "A-02-01")
    count_at(database, short.count_id, "A-02-01", warehouse.operator, [(gtin13(1), 90)])
    [recount] = recounts_of(database, short.count_id)  # 10 % off for B: recounted, confirmed
    count_at(database, recount.id, "A-02-01", warehouse.operator2, [(gtin13(1), 90)])

    # Eight days before the 1st: in the previous month and before this week's Monday, whatever
    # the date (the week can begin in the previous month).
    previous = dt.datetime.combine(clock.today().replace(day=1) - dt.timedelta(days=8), dt.time(12),
                                   dt.timezone.utc)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(CountLocation).where(CountLocation.count_id == last_month.count_id)
                            .values(finished_at=previous))
        uow.commit()

    def report(**kwargs):
        with UnitOfWork(database, write=False) as uow:
            return [(r.period_start, r.group, r.lines, r.within_tolerance, r.accuracy)
                    for r in counting.inventory_accuracy(uow.session, **kwargs)]

    this_month, last = clock.today().replace(day=1), previous.date().replace(day=1)
    # The first count of A-02-01 was superseded by its recount: only the recount measures.
    assert report(period="month") == [(last, None, 1, 1, 1.0), (this_month, None, 2, 1, 0.5)]
    assert report(period="month", by="class") == [
        (last, "A", 1, 1, 1.0), (this_month, "A", 1, 1, 1.0), (this_month, "B", 1, 0, 0.0)]
    assert report(period="month", by="zone", since=this_month) == [
        (this_month, "Z1", 1, 0, 0.0), (this_month, "Z2", 1, 1, 1.0)]
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    assert report(period="week", since=monday) == [(monday, None, 2, 1, 0.5)]
    with pytest.raises(InvalidInput):
        report(by="aisle")


# --- CSV export --------------------------------------------------------------------------------------------
@pytest.mark.calendar
def test_count_results_export_to_csv(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 100)
    put_stock(database, "A-01-01", "MILK", 5, lot="L1")
    run(database, counting.set_class_policy, "C", actor=warehouse.supervisor, auto_approve=False)
    planned = plan_one(database, warehouse, "A-01-01")
    count_at(database, planned.count_id, "A-01-01", warehouse.operator,
             [(gtin13(1), 98), ("]C10109501101530003" + "10L1", 5)])
    with UnitOfWork(database, write=False) as uow:
        review = counting.count_review(uow.session, planned.count_id, actor=warehouse.supervisor,
                                       waiting_only=True)
    run(database, counting.approve_lines, [line.line_id for line in review.lines], "lost",
        actor=warehouse.supervisor)
    plan_one(database, warehouse, "A-02-01")  # planned, not counted: not exported

    out = io.StringIO()
    with UnitOfWork(database, write=False) as uow:
        written = counting.write_count_results_csv(uow.session, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert written == 2 and tuple(rows[0]) == counting.CSV_COLUMNS
    by_sku = {row["sku"]: row for row in rows}
    assert {k: by_sku["WIDGET"][k] for k in ("count", "location", "zone", "expected", "counted",
                                             "variance_qty", "variance_value", "within_tolerance",
                                             "status", "reason_code", "adjustment", "counted_by",
                                             "decided_by")} == {
        "count": planned.number, "location": "A-01-01", "zone": "Z1", "expected": "100",
        "counted": "98", "variance_qty": "-2", "variance_value": "-5.00", "within_tolerance": "yes",
        "status": "approved", "reason_code": "lost", "adjustment": "-2",
        "counted_by": "Olga Operator", "decided_by": "Sam Supervisor"}
    assert (by_sku["MILK"]["lot"], by_sku["MILK"]["status"], by_sku["MILK"]["decided_by"]) == (
        "L1", "matched", "")
    assert by_sku["WIDGET"]["counted_at"].endswith("+00:00")
    empty = io.StringIO()
    with UnitOfWork(database, write=False) as uow:
        assert counting.write_count_results_csv(uow.session, empty, since=clock.today() + dt.timedelta(days=1)) == 0
    assert empty.getvalue().strip() == ",".join(counting.CSV_COLUMNS)
