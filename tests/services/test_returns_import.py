"""Importing the channels' RMAs on every backend: every bad row reported, all or nothing."""

from __future__ import annotations

import json

import pytest

from app.core.csv_rules import ImportRejected
from app.services.imports.returns import import_rmas
from app.services.returns import receive as returns
from tests.factories import gtin13
from tests.services.test_returns_support import open_rma, read, receive, run, ship_order

HEADER = "channel,rma_number,order_number,sku,quantity,reason\n"


@pytest.fixture
def orders(database, warehouse):
    ship_order(database, warehouse, "1001", {"WIDGET": 3, "GADGET": 1})
    ship_order(database, warehouse, "302-555", {"WIDGET": 2}, channel="Amazon")


def load(database, warehouse, text: str, file: str = "rmas.csv", **kwargs):
    return run(database, import_rmas, text.encode(), file=file, actor=warehouse.supervisor, **kwargs)


def problems(database, warehouse, text: str, file: str = "rmas.csv") -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        load(database, warehouse, text, file)
    return [str(problem) for problem in rejected.value.problems]


def test_csv_rmas_arrive_announced_with_their_lines_and_reasons(database, warehouse, orders):
    summary = load(database, warehouse, HEADER + "Shopify,RMA-7,1001,WIDGET,2,too big\n"
                                                 "Shopify,RMA-7,1001,GADGET,1,\n"
                                                 "Amazon,R-1,302-555,WIDGET,1,damaged in transit\n")
    assert (summary.rmas, summary.lines, summary.replaced) == (2, 3, 0)
    views = read(database, returns.list_open_rmas)
    assert [(v.label, v.order_number, v.status, v.announced) for v in views] == [
        ("Shopify RMA-7", "1001", "announced", True), ("Amazon R-1", "302-555", "announced", True)]
    assert [(line.sku, line.announced, line.reason) for line in views[0].lines] == [
        ("WIDGET", 2, "too big"), ("GADGET", 1, "")]


def test_json_rmas_use_the_same_rules(database, warehouse, orders):
    data = [{"channel": "Amazon", "rma_number": "R-2", "order_number": "302-555",
             "lines": [{"sku": "WIDGET", "quantity": 2, "reason": "no longer needed"}]}]
    assert load(database, warehouse, json.dumps({"rmas": data}), "amazon.json").lines == 1
    bad = [{"channel": "Amazon", "rma_number": "R-3", "order_number": "302-555", "colour": "red",
            "lines": [{"sku": "WIDGET", "quantity": "two"}, "oops"]}]
    assert problems(database, warehouse, json.dumps(bad), "bad.json") == [
        "row 1, colour: unknown field",
        "row 1, lines[1].quantity: 'two' is not a whole number",
        "row 1, lines[2]: a line must be an object with sku, quantity and reason",
    ]


def test_every_problem_is_reported_and_nothing_is_written(database, warehouse, orders):
    found = problems(database, warehouse, HEADER +
                     "Shopify,RMA-3,1001,GADGET,0,\n"        # zero units
                     "Shopify,RMA-4,1001,GADGET,1,\n"
                     "Shopify,RMA-4,1002,WIDGET,1,\n"        # one RMA, two orders
                     "Shopify,RMA-5,1001,WIDGET,1,\n"
                     "Shopify,RMA-5,1001,WIDGET,1,\n"        # the same SKU twice
                     "Shopify,,1001,WIDGET,1,\n")            # no RMA number
    assert found == [
        "row 2, quantity: must be at least 1, got 0",
        "row 4, order_number: RMA RMA-4 says order 1001 on row 3",
        "row 6, sku: WIDGET is already on row 5 of RMA RMA-5",
        "row 7, rma_number: required, but empty",
    ]
    found = problems(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,4,\nShopify,RMA-1,1001,MILK,1,\n"
                                                   "Shopify,RMA-1,1001,NOPE,1,\nShopify,RMA-2,9999,WIDGET,1,\n")
    assert found == [
        "row 2, quantity: 4 x WIDGET announced, only 3 of the 3 shipped can still come back",
        "row 3, sku: MILK was not shipped on Shopify order 1001",
        "row 4, sku: unknown SKU NOPE",
        "row 5, order_number: no Shopify order 9999",
    ]
    assert read(database, returns.list_open_rmas) == []


def test_announcements_and_returns_of_the_same_order_add_up(database, warehouse, orders):
    load(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,2,\n")
    rma_id = open_rma(database, warehouse.operator, "RMA-1").rma.rma_id
    receive(database, warehouse.operator, rma_id, gtin13(1))
    # 3 shipped, 1 back, 1 more announced on RMA-1: one is left.
    assert problems(database, warehouse, HEADER + "Shopify,RMA-2,1001,WIDGET,2,\n") == [
        "row 2, quantity: 2 x WIDGET announced, only 1 of the 3 shipped can still come back"]
    assert load(database, warehouse, HEADER + "Shopify,RMA-2,1001,WIDGET,1,\n").rmas == 1


def test_an_rma_is_replaced_until_something_of_it_arrives(database, warehouse, orders):
    load(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,1,\n")
    summary = load(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,3,changed my mind\n")
    assert summary.replaced == 1
    [view] = read(database, returns.list_open_rmas)
    assert [(line.announced, line.reason) for line in view.lines] == [(3, "changed my mind")]
    receive(database, warehouse.operator, view.rma_id, gtin13(1))
    assert problems(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,1,\n") == [
        "row 2, rma_number: Shopify RMA RMA-1 already exists and units of it have arrived"]


def test_a_dry_run_checks_everything_and_writes_nothing(database, warehouse, orders):
    summary = load(database, warehouse, HEADER + "Shopify,RMA-1,1001,WIDGET,1,\n", dry_run=True)
    assert summary.rmas == 1
    assert read(database, returns.list_open_rmas) == []
