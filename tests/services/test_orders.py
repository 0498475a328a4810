"""Orders on every backend: created one by one or imported from CSV and JSON, all or nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from app.core import clock
from app.core.csv_rules import ImportRejected
from app.core.errors import InvalidInput
from app.db.models_picking import SalesOrder
from app.db.uow import UnitOfWork
from app.services.imports.orders import import_orders
from app.services.orders import documents as orders
from tests.services.test_orders_support import new_order

CSV_HEADER = ("channel,order_number,sku,quantity,ship_to_name,ship_to_address1,ship_to_city,"
              "ship_to_postcode,ship_to_country,carrier,service,priority,ship_by\n")


def run_import(database, warehouse, text: str, file: str = "orders.csv"):
    with UnitOfWork(database) as uow:
        return import_orders(uow, text.encode(), file=file, actor=warehouse.supervisor)


def all_orders(database):
    with UnitOfWork(database, write=False) as uow:
        return orders.list_orders(uow.session)


def problems_of(database, warehouse, text, file="orders.csv") -> list[str]:
    with pytest.raises(ImportRejected) as error:
        run_import(database, warehouse, text, file)
    assert all_orders(database) == []  # nothing at all was written
    return [str(problem) for problem in error.value.problems]


def test_an_order_shows_its_lines_and_backorder(database, warehouse):
    order_id = new_order(database, warehouse.supervisor, "1001", {"WIDGET": 2, "GADGET": 1},
                         ship_by=dt.date(2026, 12, 1), priority=3)
    with UnitOfWork(database, write=False) as uow:
        view = orders.get_order(uow.session, order_id)
    assert (view.label, view.status, view.priority, view.ship_by) == ("Shopify 1001", "open", 3, dt.date(2026, 12, 1))
    assert [(ln.sku, ln.quantity, ln.backorder) for ln in view.lines] == [("WIDGET", 2, 2), ("GADGET", 1, 1)]
    assert view.ship_to.lines() == ("Ada Lovelace", "1 Analytical St", "N1 9GU London", "GB")


def test_an_order_number_exists_once_per_channel(database, warehouse):
    new_order(database, warehouse.supervisor, "1001", {"WIDGET": 1})
    new_order(database, warehouse.supervisor, "1001", {"WIDGET": 1}, channel="eBay")
    with pytest.raises(InvalidInput, match="Shopify order 1001 already exists"):
        new_order(database, warehouse.supervisor, "1001", {"GADGET": 1})


def test_csv_with_one_row_per_line_makes_orders(database, warehouse):
    summary = run_import(database, warehouse, CSV_HEADER
                         + "Shopify,1001,WIDGET,2,Ada,1 Main St,Leeds,LS1 1AA,gb,DHL,Express,5,2026-12-01\n"
                         + "Amazon,302-1,GADGET,1,Bob,2 High St,Paris,75001,FR,UPS,,,\n"
                         + "Shopify,1001,GADGET,3,Ada,1 Main St,Leeds,LS1 1AA,gb,DHL,Express,5,2026-12-01\n")
    assert (summary.orders, summary.lines) == (2, 3)
    by_number = {view.number: view for view in all_orders(database)}
    shopify = by_number["1001"]
    assert (shopify.channel, shopify.carrier, shopify.service, shopify.priority) == ("Shopify", "DHL", "Express", 5)
    assert shopify.ship_to.country == "GB" and shopify.ship_by == dt.date(2026, 12, 1)
    assert [(ln.sku, ln.quantity) for ln in shopify.lines] == [("WIDGET", 2), ("GADGET", 3)]
    assert (by_number["302-1"].priority, by_number["302-1"].ship_by) == (0, None)


def test_bad_cells_are_reported_with_row_and_column(database, warehouse):
    found = problems_of(database, warehouse, CSV_HEADER
                        + "Shopify,1001,WIDGET,0,Ada,1 Main St,Leeds,LS1,GBR,DHL,,,2026-13-01\n"
                        + "Shopify,1002,WIDGET,1,Ada,1 Main St,Leeds,LS1,G1,DHL,,,\n"
                        + "Shopify,1002,WIDGET,2,Ada,1 Main St,Leeds,LS1,G1,UPS,,,\n")
    assert found == [
        "row 2, quantity: must be at least 1, got 0",
        "row 2, ship_by: '2026-13-01' is not a date as YYYY-MM-DD",
        "row 2, ship_to_country: longer than 2 characters",
        "row 3, ship_to_country: 'G1' is not a two-letter country code",
        "row 4, carrier: differs from row 3 of order 1002",
        "row 4, ship_to_country: 'G1' is not a two-letter country code",
        "row 4, sku: WIDGET is already on row 3 of order 1002",
    ]


def test_unknown_skus_and_existing_order_numbers_are_refused(database, warehouse):
    new_order(database, warehouse.supervisor, "900", {"WIDGET": 1})
    with pytest.raises(ImportRejected) as error:
        run_import(database, warehouse, CSV_HEADER
                   + "Shopify,1003,NOPE,1,Ada,1 Main St,Leeds,LS1,GB,DHL,,,\n"
                   + "Shopify,900,GADGET,1,Ada,1 Main St,Leeds,LS1,GB,DHL,,,\n"
                   + "eBay,900,GADGET,1,Ada,1 Main St,Leeds,LS1,GB,DHL,,,\n")
    assert [str(p) for p in error.value.problems] == [
        "row 2, sku: unknown SKU NOPE",
        "row 3, order_number: Shopify order 900 already exists",
    ]
    assert [view.number for view in all_orders(database)] == ["900"]


JSON_ORDER = {
    "channel": "Amazon", "order_number": "302-77", "carrier": "UPS", "service": "Saver",
    "priority": 2, "ship_by": "2026-12-03",
    "ship_to": {"name": "Bob", "address1": "2 High St", "address2": "Flat 3", "city": "Paris",
                "postcode": "75001", "country": "FR"},
    "lines": [{"sku": "WIDGET", "quantity": 4}, {"sku": "GADGET", "quantity": 1}],
}


def test_json_list_of_orders_with_lines(database, warehouse):
    second = {**JSON_ORDER, "channel": "eBay", "lines": [{"sku": "MILK", "quantity": 6}]}
    summary = run_import(database, warehouse, json.dumps([JSON_ORDER, second]), "orders.json")
    assert (summary.orders, summary.lines) == (2, 3)
    amazon = next(v for v in all_orders(database) if v.channel == "Amazon")
    assert amazon.ship_to.address2 == "Flat 3" and amazon.service == "Saver"
    assert [(ln.sku, ln.quantity) for ln in amazon.lines] == [("WIDGET", 4), ("GADGET", 1)]


def test_json_problems_name_the_order_and_the_field(database, warehouse):
    bad = {**JSON_ORDER, "ship_to": {**JSON_ORDER["ship_to"], "city": "", "zip": "1"},
           "lines": [{"sku": "WIDGET", "quantity": "two"}, {"sku": "NOPE"}], "colour": "red"}
    duplicate = dict(JSON_ORDER)
    found = problems_of(database, warehouse, json.dumps([JSON_ORDER, bad, duplicate]), "orders.json")
    assert found == [
        "row 2, colour: unknown field",
        "row 2, lines[1].quantity: 'two' is not a whole number",
        "row 2, lines[2].quantity: required, but empty",
        "row 2, ship_to.city: required, but empty",
        "row 2, ship_to.zip: unknown field",
        "row 3, order_number: Amazon order 302-77 is already order 1 of this file",
    ]
    assert problems_of(database, warehouse, "[{", "orders.json") == [
        "row 1: not valid JSON: Expecting property name enclosed in double quotes (column 3)"
    ]


def test_a_csv_read_in_batches_keeps_each_order_whole(database, warehouse, monkeypatch):
    monkeypatch.setattr("app.services.imports.orders.BATCH_ROWS", 2)  # an order's rows in different batches
    rows = ["Shopify,1001,WIDGET,2,Ada,1 Main St,Leeds,LS1 1AA,GB,DHL,,,",
            "eBay,77,WIDGET,1,Cy,3 Low St,York,YO1,GB,DHL,,,",
            "eBay,78,MILK,6,Di,4 Mid St,Hull,HU1,GB,DHL,,,",
            "Shopify,1001,GADGET,3,Ada,1 Main St,Leeds,LS1 1AA,GB,DHL,,,",
            "eBay,77,MILK,2,Cy,3 Low St,York,YO1,GB,DHL,,,"]
    assert (run_import(database, warehouse, CSV_HEADER + "\n".join(rows) + "\n").orders) == 3
    lines = {(view.channel, view.number): [(ln.sku, ln.quantity) for ln in view.lines]
             for view in all_orders(database)}
    assert lines == {("Shopify", "1001"): [("WIDGET", 2), ("GADGET", 3)], ("eBay", "77"): [("WIDGET", 1), ("MILK", 2)],
                     ("eBay", "78"): [("MILK", 6)]}
    with UnitOfWork(database, write=False) as uow:
        stamps = list(uow.session.scalars(select(SalesOrder.created_at)))
    assert len(stamps) == 3 and all(stamp.date() == clock.now().date() for stamp in stamps)  # as add_order
    refused = rows[:3] + ["Shopify,1001,GADGET,3,Ada,1 Main St,Leeds,LS1 1AA,GB,UPS,,,", "eBay,78,MILK,1,Di,4 Mid St,Hull,HU1,GB,DHL,,,"]
    with pytest.raises(ImportRejected) as error:
        run_import(database, warehouse, CSV_HEADER + "\n".join(
            row.replace("1001", "2001").replace(",77,", ",177,").replace(",78,", ",178,") for row in refused) + "\n")
    assert [str(problem) for problem in error.value.problems] == [
        "row 5, carrier: differs from row 2 of order 2001", "row 6, sku: MILK is already on row 4 of order 178"]
    assert len(all_orders(database)) == 3  # nothing of the refused file was written
