"""Waves on every backend: which orders may go, single and batch release, routed pick tasks,
and the pick list as CSV and as a PDF whose barcodes scan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest

from app.core import clock
from app.core.csv_rules import ImportRejected
from app.core.errors import InvalidTransition
from app.core.routing import alphabetical_route, route_length, shortest_route
from app.db.uow import UnitOfWork
from app.services.orders import allocation
from app.services.waves import layout
from app.services.waves import release as waves
from tests.factories import add_location, add_product
from tests.printing.conftest import decoded_texts, page_texts, rasterize
from tests.services.test_orders_support import new_order, put_stock

LAYOUT_CSV = (
    "kind,label,x,y,length\n"
    "aisle,A,0,,20\naisle,B,5,,20\naisle,C,10,,20\naisle,D,15,,20\n"
    "cross_aisle,,,10,\n"
    "depot,,7,0,\n"
)
# Bins of the routing test: (code, aisle, y).
BINS = [("A-17", "A", 17.0), ("B-03", "B", 3.0), ("C-12", "C", 12.0), ("D-18", "D", 18.0),
        ("D-02", "D", 2.0), ("A-04", "A", 4.0)]


def release(database, warehouse, order_ids, **kwargs):
    with UnitOfWork(database) as uow:
        return waves.release_waves(uow, order_ids, actor=warehouse.supervisor, **kwargs)


def allocated_order(database, warehouse, number, lines, **extra):
    order_id = new_order(database, warehouse.supervisor, number, lines, **extra)
    with UnitOfWork(database) as uow:
        allocation.allocate_order(uow, order_id, actor=warehouse.supervisor)
    return order_id


def pick_list(database, wave_id):
    with UnitOfWork(database, write=False) as uow:
        return waves.picklist(uow.session, wave_id)


@pytest.mark.calendar
def test_releasable_orders_are_filtered_and_most_urgent_first(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    today = clock.today()
    late = allocated_order(database, warehouse, "1", {"WIDGET": 1}, ship_by=today + dt.timedelta(days=9))
    soon = allocated_order(database, warehouse, "2", {"WIDGET": 1}, ship_by=today + dt.timedelta(days=1))
    urgent = allocated_order(database, warehouse, "3", {"WIDGET": 1}, priority=9, carrier="UPS")
    allocated_order(database, warehouse, "4", {"WIDGET": 1}, channel="eBay")
    new_order(database, warehouse.supervisor, "5", {"WIDGET": 1})  # not allocated: not releasable
    with UnitOfWork(database, write=False) as uow:
        def numbers(**filters):
            return [v.number for v in waves.list_releasable_orders(uow.session, **filters)]

        assert numbers() == ["3", "2", "1", "4"]
        assert numbers(channel="Shopify", carrier="DHL") == ["2", "1"]
        assert numbers(ship_by_until=today + dt.timedelta(days=2)) == ["2"]
        assert numbers(min_priority=1) == ["3"]
    assert {late, soon, urgent}


def test_single_order_waves_and_batch_carts_with_tote_slots(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    put_stock(database, warehouse, "GADGET", "B-03-01", 50)
    ids = [allocated_order(database, warehouse, str(n), {"WIDGET": n, "GADGET": 1}) for n in (1, 2, 3)]
    singles = release(database, warehouse, ids[:1])
    assert [(w.mode, w.orders[0][1:], w.tasks_total, w.units_total) for w in singles] == [
        ("single", ("Shopify 1", 1), 2, 2)]
    carts = release(database, warehouse, ids[1:] + ids[:0], mode="batch", cart_slots=1)
    assert [[o[1:] for o in w.orders] for w in carts] == [[("Shopify 2", 1)], [("Shopify 3", 1)]]
    with pytest.raises(InvalidTransition, match="Shopify 1 is picking: 'release' is not possible"):
        release(database, warehouse, ids[:1])
    rows = pick_list(database, carts[0].wave_id)
    assert [(r.sequence, r.location, r.sku, r.quantity, r.tote_slot) for r in rows] == [
        (1, "A-01-01", "WIDGET", 2, 1), (2, "B-03-01", "GADGET", 1, 1)]


def test_batch_orders_share_one_cart_each_in_its_own_tote(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 50)
    ids = [allocated_order(database, warehouse, str(n), {"WIDGET": n}) for n in (1, 2, 3)]
    [cart] = release(database, warehouse, ids, mode="batch")
    assert [o[2] for o in cart.orders] == [1, 2, 3]
    rows = pick_list(database, cart.wave_id)
    assert [(r.location, r.tote_slot, r.quantity, r.order) for r in rows] == [
        ("A-01-01", 1, 1, "Shopify 1"), ("A-01-01", 2, 2, "Shopify 2"), ("A-01-01", 3, 3, "Shopify 3")]


def routed_warehouse(database, warehouse):
    """The layout above, one part in each bin of BINS, and an allocated order for all."""
    with UnitOfWork(database) as uow:
        layout.import_layout_csv(uow, LAYOUT_CSV.encode(), file="layout.csv", actor=warehouse.supervisor)
    with UnitOfWork(database) as uow:
        for n, (code, aisle, y) in enumerate(BINS):
            warehouse.products[f"P{n}"] = add_product(uow.session, f"P{n}", f"Part {n}")
            add_location(uow.session, code, "storage", aisle=aisle, y=y)
        uow.commit()
    for n, (code, _, _) in enumerate(BINS):
        put_stock(database, warehouse, f"P{n}", code, 5)
    return allocated_order(database, warehouse, "R1", {f"P{n}": 1 for n in range(len(BINS))})


def test_pick_tasks_follow_the_shortest_route_of_the_router(database, warehouse):
    order_id = routed_warehouse(database, warehouse)
    [wave] = release(database, warehouse, [order_id])
    walked = [row.location for row in pick_list(database, wave.wave_id)]

    with UnitOfWork(database, write=False) as uow:
        plan = layout.floor_plan(uow.session)
    picks = [(plan.aisle_index[aisle], y) for _, aisle, y in BINS]
    stops = {code: pick for (code, _, _), pick in zip(BINS, picks)}
    best = min(route_length(plan.layout, order) for order in itertools.permutations(picks))
    assert route_length(plan.layout, [stops[code] for code in walked]) == pytest.approx(best)
    assert wave.route_length == pytest.approx(best)
    assert walked == [BINS[i][0] for i in shortest_route(plan.layout, picks).order]
    # Alphabetical order (the baseline) walks further on this floor.
    assert alphabetical_route(plan.layout, picks).length > best + 1


def test_layout_falls_back_to_the_locations_coordinates(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "B-03-01", 5)
    put_stock(database, warehouse, "GADGET", "A-01-01", 5)
    put_stock(database, warehouse, "MILK", "B-01-01", 5, lot="L1", expiry=clock.today() + dt.timedelta(days=30))
    order_id = allocated_order(database, warehouse, "1", {"WIDGET": 1, "GADGET": 1, "MILK": 1})
    [wave] = release(database, warehouse, [order_id])
    # Depot in front of aisle A (x = 3); the back cross aisle runs along the last bins
    # (y = 4.5): up aisle A, across the back, down aisle B (15 m; front-only would be 18).
    assert [r.location for r in pick_list(database, wave.wave_id)] == ["A-01-01", "B-03-01", "B-01-01"]
    assert wave.route_length == pytest.approx(15.0)


def test_bad_layout_rows_are_reported(database, warehouse):
    bad = ("kind,label,x,y,length\naisle,A,0,,20\naisle,A,5,,\ncross_aisle,,,25,\n"
           "depot,,3,2,\nshelf,,,,\n")
    with UnitOfWork(database) as uow, pytest.raises(ImportRejected) as error:
        layout.import_layout_csv(uow, bad.encode(), file="layout.csv", actor=warehouse.supervisor)
    assert [str(p) for p in error.value.problems] == [
        "row 6, kind: 'shelf' is not one of aisle, cross_aisle, depot"]
    with UnitOfWork(database) as uow, pytest.raises(ImportRejected) as error:
        layout.import_layout_csv(uow, bad.replace("shelf,,,,\n", "").encode(), file="layout.csv",
                                 actor=warehouse.supervisor)
    assert [str(p) for p in error.value.problems] == [
        "row 3, label: A is already on row 2",
        "row 3, length: required when kind is aisle",
        "row 5, y: the depot must be on the front cross aisle (y = 0)",
    ]


def test_pick_list_csv_and_pdf_in_walking_order(database, warehouse):
    order_id = routed_warehouse(database, warehouse)
    [wave] = release(database, warehouse, [order_id])
    expected = [row.location for row in pick_list(database, wave.wave_id)]
    out = io.StringIO()
    with UnitOfWork(database, write=False) as uow:
        assert waves.export_picklist_csv(uow.session, wave.wave_id, out) == len(BINS)
        pdf = waves.picklist_pdf(uow.session, wave.wave_id)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["sequence"], r["location"]) for r in rows] == [(str(i), c) for i, c in enumerate(expected, 1)]
    assert rows[0]["tote_slot"] == "1" and rows[0]["order"] == "Shopify R1"
    [page] = rasterize(pdf, dpi=300)
    assert decoded_texts(page) == sorted(expected)
    text = page_texts(pdf)[0]
    assert f"Pick list {wave.number}" in text
    positions = [text.index(code) for code in expected]
    assert positions == sorted(positions)  # printed top to bottom in walking order
