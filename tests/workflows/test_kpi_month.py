"""A scripted March on every backend, through the real use cases with the clock pinned:
stock, a receipt put away, four orders (a mispick, a short pick, a stockout at allocation),
three shipments, a return and a count. Every KPI of the month is asserted against figures
worked out by hand below.

The script travels to fixed instants at mid-day UTC, which fall on the same local day in
every zone the suite runs in, so the figures do not depend on the run's calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import event

from app.core.picking_rules import WrongPickItem
from app.db.uow import UnitOfWork
from app.services import audit, kpis
from app.services.counting import floor as counting_floor
from app.services.counting import planning as counting_planning
from app.services.imports.orders import import_orders
from app.services.imports.returns import import_rmas
from app.services.orders import allocation
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.packing import shipping
from app.services.putaway import tasks as putaway
from app.services.receiving import receipts as receiving
from app.services.returns import receive as returns
from app.services.waves import picking
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.services.test_orders_support import add_cartons, key, put_stock

ORDERS = (
    "channel,order_number,sku,quantity,ship_to_name,ship_to_address1,ship_to_city,ship_to_postcode,"
    "ship_to_country,carrier\n"
    "Shopify,1001,WIDGET,2,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL\n"
    "Shopify,1002,GADGET,1,Ada Lovelace,1 Analytical St,London,N1 9GU,GB,DHL\n"
    "Amazon,2001,WIDGET,3,Grace Hopper,9 Compiler Rd,Arlington,22201,US,DHL\n"
    "Amazon,2002,GADGET,5,Grace Hopper,9 Compiler Rd,Arlington,22201,US,DHL\n"
)
RMA = "channel,rma_number,order_number,sku,quantity,reason\nShopify,RMA-1,1001,WIDGET,1,did not fit\n"
MARCH = dt.date(2026, 3, 1)


def at(day: int, hour: int, minute: int = 0, month: int = 3):
    return time_machine.travel(dt.datetime(2026, month, day, hour, minute, tzinfo=dt.timezone.utc), tick=False)


def run(database, use_case, *args, **kwargs):
    with UnitOfWork(database) as uow:
        return use_case(uow, *args, **kwargs)


def read(database, query, *args, **kwargs):
    with UnitOfWork(database, write=False) as uow:
        return query(uow.session, *args, **kwargs)


def pick_order(database, actor, wave_id, *, wrong_item: str | None = None, short: int | None = None):
    """Walk a single-order wave; optionally scan a wrong item first, or find a bin short."""
    while (task := read(database, picking.next_pick, wave_id)) is not None:
        run(database, picking.scan_location, task.task_id, task.location, actor=actor)
        if wrong_item is not None:
            with pytest.raises(WrongPickItem) as refused:
                run(database, picking.scan_item, task.task_id, wrong_item, actor=actor, idempotency_key=key())
            with UnitOfWork(database) as uow:  # what the window journals for a refused scan
                audit.journal_scan(uow.session, actor, context="picking", raw=wrong_item,
                                   interpretation="", outcome="error", message=str(refused.value))
                uow.commit()
            wrong_item = None
        if short is not None:
            run(database, picking.short_pick, task.task_id, short, "bin short", actor=actor,
                idempotency_key=key())
            short = None
            continue
        for _ in range(task.quantity):
            run(database, picking.scan_item, task.task_id, task.sku, actor=actor, idempotency_key=key())


def pack(database, actor, order_id: int, wave_number: str) -> int:
    start = run(database, packing.start_packing, f"{wave_number}-T01", actor=actor)
    for line in start.order.lines:
        for _ in range(line.picked):
            run(database, packing.pack_scan, order_id, line.sku, actor=actor, idempotency_key=key())
    parcel = read(database, lambda s: packing.packing_view(s, orders.load_order(s, order_id))).open_parcel
    run(database, packing.close_parcel, parcel.parcel_id, actor=actor, weight_kg=1.0)
    run(database, packing.finish_packing, order_id, actor=actor)
    return parcel.parcel_id


def script_march(database, warehouse) -> None:
    olga, otto, sam = warehouse.operator, warehouse.operator2, warehouse.supervisor
    # Feb 27: opening stock, 20 widgets at 2.50 and 4 gadgets at 10.00 = 90.00.
    with at(27, 12, month=2):
        put_stock(database, warehouse, "WIDGET", "A-01-01", 10)
        put_stock(database, warehouse, "WIDGET", "B-02-01", 10)
        put_stock(database, warehouse, "GADGET", "B-03-01", 4)
        add_cartons(database, ("BOX-S", 25, 20, 10, 10))

    # Mar 2 09:00 PO-1001 received on the dock: 10 widgets, 5 gadgets (+75.00).
    with at(2, 9):
        po = run(database, receiving.open_receipt, "PO-1001", actor=olga)
        for scan, quantity in ((gtin13(1), 10), (gtin13(2), 5)):
            run(database, receiving.receive_scan, po.order_id, scan, actor=olga, idempotency_key=key(),
                quantity=quantity)
    # Mar 2 10:00 four orders arrive; 10:30 allocation: Amazon 2002 wants 5 gadgets, 3 are left.
    with at(2, 10):
        run(database, import_orders, ORDERS.encode(), file="orders.csv", actor=sam)
    with at(2, 10, 30):
        results = {r.order.number: r for r in run(database, allocation.allocate_waiting_orders, actor=sam)}
        assert results["2002"].backorder == 2
        ids = {r.order.number: r.order.order_id for r in results.values()}
        released = run(database, waves.release_waves, [ids[n] for n in ("1001", "1002", "2001")], actor=sam)
        wave_of = {label.split()[-1]: (wave.wave_id, wave.number) for wave in released
                   for _, label, _ in wave.orders}

    # Mar 2 11:00 picking: a gadget scanned at 1001's widget bin; 2001's bin holds 2 of 3.
    with at(2, 11):
        pick_order(database, olga, wave_of["1001"][0], wrong_item=gtin13(2))
        pick_order(database, olga, wave_of["1002"][0])
        pick_order(database, olga, wave_of["2001"][0], short=2)
        parcels = {n: pack(database, olga, ids[n], wave_of[n][1]) for n in ("1001", "1002", "2001")}

    # Shipped: 1001 Mar 2 16:00 (6 h), 1002 Mar 3 10:00 (24 h), 2001 Mar 4 10:00 (48 h); the
    # receipt is put away in between: widgets Mar 2 13:00, gadgets Mar 3 09:00.
    for (day, hour), number, scan in (((2, 13), None, gtin13(1)), ((2, 16), "1001", None),
                                      ((3, 9), None, gtin13(2)), ((3, 10), "1002", None),
                                      ((4, 10), "2001", None)):
        with at(day, hour):
            if scan is not None:
                task = run(database, putaway.start_putaway, scan, actor=olga)
                run(database, putaway.confirm_putaway, task, task.suggestion.destination, actor=olga,
                    idempotency_key=key())
            else:
                run(database, shipping.dispatch, "DHL", actor=sam, parcel_ids=[parcels[number]])

    # Mar 10 one widget of 1001 comes back.
    with at(10, 12):
        run(database, import_rmas, RMA.encode(), file="rma.csv", actor=sam)
        opened = run(database, returns.open_return, "RMA-1", actor=olga)
        run(database, returns.receive_item, opened.rma.rma_id, gtin13(1), actor=olga, idempotency_key=key())

    # Mar 20 Otto counts B-02-01 (9 widgets, right) and B-03-01 (30 gadgets where 3 are).
    with at(20, 8):
        plan = run(database, counting_planning.plan_location_range, "B-02-01", "B-03-01", actor=sam,
                   counter_id=otto.user_id, due=dt.date(2026, 3, 20))
    for hour, minute, code, scan, quantity in ((9, 0, "B-02-01", gtin13(1), 9), (10, 30, "B-03-01", gtin13(2), 30)):
        with at(20, hour, minute):
            start = run(database, counting_floor.start_location, plan.count_id, code, actor=otto)
            run(database, counting_floor.count_scan, plan.count_id, start.location_id, scan, actor=otto,
                idempotency_key=key(), quantity=quantity)
            run(database, counting_floor.finish_location, plan.count_id, start.location_id, actor=otto)
    with at(20, 11), UnitOfWork(database) as uow:  # a refused scan, as the window journals it
        audit.journal_scan(uow.session, otto, context="counting", raw="XYZ", interpretation="",
                           outcome="error", message="Unknown barcode XYZ")
        uow.commit()
    # 12:00 that is beyond tolerance, so Olga recounts B-03-01 and finds 30 again: to review.
    with at(20, 12):
        [recount] = [c for c in read(database, counting_floor.my_counts, olga, dt.date(2026, 3, 20))
                     if c.kind == "recount"]
        start = run(database, counting_floor.start_location, recount.count_id, "B-03-01", actor=olga)
        run(database, counting_floor.count_scan, recount.count_id, start.location_id, gtin13(2), actor=olga,
            idempotency_key=key(), quantity=30)
        run(database, counting_floor.finish_location, recount.count_id, start.location_id, actor=olga)


def test_a_month_of_work_gives_the_kpis_worked_out_by_hand(database, warehouse):
    script_march(database, warehouse)
    report = run(database, kpis.kpi_report, MARCH, dt.date(2026, 3, 31), by="month", actor=warehouse.supervisor)
    kpi = report.value

    # Order accuracy: 3 shipped; 1001 had a mispick, 2001 a short pick, 1002 was perfect.
    assert kpi("order_accuracy") == pytest.approx(1 / 3)
    assert kpi("order_accuracy", channel="Shopify") == pytest.approx(1 / 2)
    assert kpi("order_accuracy", channel="Amazon") == 0
    # Cycle time (imported 10:00 -> shipped): 6, 24, 48 h; p90 = 24 + 0.8 x (48 - 24) = 43.2.
    assert kpi("cycle_time_p50_h") == pytest.approx(24)
    assert kpi("cycle_time_p90_h") == pytest.approx(43.2)
    assert kpi("cycle_time_p50_h", channel="Shopify") == pytest.approx(15)  # (6 + 24) / 2
    assert kpi("cycle_time_p50_h", channel="Amazon") == pytest.approx(48)
    # Dock-to-stock: received 09:00; widgets put away after 4 h, gadgets after 24 h.
    assert kpi("dock_to_stock_p50_h") == pytest.approx(14)
    assert kpi("dock_to_stock_p90_h") == pytest.approx(22)  # 4 + 0.9 x 20
    # Return rate: 1 unit back of 6 shipped (Shopify 1 of 3, Amazon 0 of 3).
    assert kpi("return_rate") == pytest.approx(1 / 6)
    assert kpi("return_rate", channel="Shopify") == pytest.approx(1 / 3)
    assert kpi("return_rate", channel="Amazon") == 0
    # Stockout: 1 of 4 lines short at its first allocation (Amazon 2002).
    assert kpi("stockout_rate") == pytest.approx(1 / 4)
    assert kpi("stockout_rate", channel="Amazon") == pytest.approx(1 / 2)
    assert kpi("stockout_rate", channel="Shopify") == 0
    # Turnover: cost shipped 5 x 2.50 + 1 x 10.00 = 22.50. Value 90.00 on Mar 1; + 75.00
    # received, - 22.50 shipped, - 2.50 the short widget written off, + 2.50 returned = 142.50.
    assert kpi("inventory_turnover") == pytest.approx(22.5 / ((90 + 142.5) / 2))
    # Record accuracy: B-02-01 exact; B-03-01's recount 27 gadgets (270.00) off, beyond class C's
    # 5 % and 250.00 (the first count of B-03-01, superseded by its recount, is not a measurement).
    assert kpi("record_accuracy") == pytest.approx(1 / 2)

    # Otto on Mar 20: a location scan and an item scan at 09:00 and at 10:30, a refused scan at
    # 11:00: 5 scans, 1 error, 2 hours from first to last scan.
    assert kpi("scans", operator="Otto Operator") == 5
    assert kpi("errors", operator="Otto Operator") == 1
    assert kpi("error_rate", operator="Otto Operator") == pytest.approx(1 / 5)
    assert kpi("hours", operator="Otto Operator") == pytest.approx(2)
    assert kpi("scans_per_hour", operator="Otto Operator") == pytest.approx(2.5)
    assert kpi("lines_per_hour", operator="Otto Operator") == 0
    # Olga picked 4 lines: 1001, 1002, 2001's short task and its replacement from another bin.
    assert kpi("pick_lines", operator="Olga Operator") == 4
    assert kpi("errors", operator="Olga Operator") == 1


def test_by_day_the_month_has_a_row_per_day_and_empty_ratios_where_nothing_happened(database, warehouse):
    script_march(database, warehouse)
    report = run(database, kpis.kpi_report, MARCH, dt.date(2026, 3, 31), by="day", actor=warehouse.supervisor)
    accuracy = report.series("order_accuracy")
    assert len(accuracy) == 31
    assert dict(accuracy)[dt.date(2026, 3, 2)] == 0  # 1001, with its mispick
    assert dict(accuracy)[dt.date(2026, 3, 3)] == 1
    assert dict(accuracy)[dt.date(2026, 3, 5)] is None  # nothing shipped: no value, not 0
    assert report.value("return_rate", dt.date(2026, 3, 10)) is None  # a return, nothing shipped that day
    weeks = run(database, kpis.kpi_report, MARCH, dt.date(2026, 3, 31), by="week", actor=warehouse.supervisor)
    assert [start for start, _ in weeks.series("order_accuracy")][:3] == [
        dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 9)]  # Sunday Mar 1, then ISO weeks
    assert weeks.value("order_accuracy", dt.date(2026, 3, 2)) == pytest.approx(1 / 3)


def test_the_report_runs_the_same_statements_for_any_amount_of_work(database, warehouse):
    def statements() -> int:
        seen = []

        def note(*_args):
            seen.append(1)

        event.listen(database.engine, "before_cursor_execute", note)
        try:
            run(database, kpis.kpi_report, MARCH, dt.date(2026, 3, 31), by="day", actor=warehouse.supervisor)
        finally:
            event.remove(database.engine, "before_cursor_execute", note)
        return len(seen)

    empty = statements()
    script_march(database, warehouse)
    assert statements() == empty
