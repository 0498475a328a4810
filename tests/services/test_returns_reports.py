"""What comes out of returns: the inspection export with refund recommendations, the return
report (rate and grades by channel, product, reason, month), its PDF, and the routing labels
(rasterised and decoded like a scanner would). The command line: tests/workflows/test_return_flow.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import pytest

from app.core import clock
from app.printing.data import LABEL_4X3, LABEL_4X6
from app.services.returns import receive as returns
from app.services.returns.labels import RoutingLabel, routing_label_pdf, routing_label_zpl
from app.services.returns.reports import EXPORT_HEADER, export_inspections_csv, return_report
from tests.factories import gtin13
from tests.printing.conftest import decoded_texts, page_texts, rasterize
from tests.services.test_returns_support import inspect, open_rma, read, receive, run, ship_order, warehouse_rule

SHOTS = os.environ.get("STOCKFLOOR_RETURNS_SHOTS")  # a folder: keep label images for a human


@pytest.fixture
def inspected(database, warehouse):
    """Shopify 1001 (4 widgets, 1 gadget) and Amazon 302-555 (2 widgets) shipped; three
    widgets and the gadget came back and were graded A, B, D; one widget still waits."""
    ship_order(database, warehouse, "1001", {"WIDGET": 4, "GADGET": 1})
    ship_order(database, warehouse, "302-555", {"WIDGET": 2}, channel="Amazon")
    run(database, returns.open_return, "1001", actor=warehouse.operator)
    shop = read(database, returns.list_open_rmas)[0].rma_id
    amazon = open_rma(database, warehouse.operator, "302-555").rma.rma_id
    a = receive(database, warehouse.operator, shop, gtin13(1)).unit
    b = receive(database, warehouse.operator, shop, gtin13(2)).unit
    d = receive(database, warehouse.operator, amazon, gtin13(1)).unit
    receive(database, warehouse.operator, amazon, gtin13(1))  # not inspected yet
    inspect(database, warehouse.operator, a.unit_id, "A", checklist=(("clean", True),))
    inspect(database, warehouse.operator, b.unit_id, "B", checklist=(("packaging_intact", False),),
            findings=("packaging_damaged",), notes="box, crushed")
    inspect(database, warehouse.operator, d.unit_id, "D")
    return shop, amazon


@pytest.mark.calendar
def test_the_inspection_export_carries_grade_disposition_and_refund(database, warehouse, inspected):
    warehouse_rule(database, "returns_refund_pct_b", 70)  # only counts for units inspected from now
    out = io.StringIO()
    assert read(database, export_inspections_csv, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == EXPORT_HEADER
    assert [(r["rma"], r["sku"], r["grade"], r["disposition"], r["destination"], r["refund"], r["refund_pct"])
            for r in rows] == [
        ("1001-R1", "WIDGET", "A", "restock", "RET-1", "full", "100"),
        ("1001-R1", "GADGET", "B", "restock", "RET-1", "partial", "50"),
        ("302-555-R1", "WIDGET", "D", "scrap", "LOSS", "none", "0"),
    ]
    gadget = rows[1]
    assert (gadget["checklist_failed"], gadget["findings"], gadget["notes"], gadget["inspector"]) == (
        "packaging_intact", "packaging_damaged", "box, crushed", "Olga Operator")
    tomorrow = clock.now() + dt.timedelta(days=1)
    assert read(database, export_inspections_csv, io.StringIO(), since=tomorrow) == 0


@pytest.mark.calendar
def test_the_report_gives_return_rate_and_grades_per_group(database, warehouse, inspected):
    by_channel = {r.key: r for r in read(database, return_report, "channel")}
    shopify, amazon = by_channel["Shopify"], by_channel["Amazon"]
    assert (shopify.shipped, shopify.returned, shopify.rate_pct, shopify.grades) == (
        5, 2, 40.0, {"A": 1, "B": 1, "C": 0, "D": 0})
    assert (amazon.shipped, amazon.returned, amazon.rate_pct, amazon.waiting, amazon.grades["D"]) == (2, 2, 100.0, 1, 1)
    by_product = {r.key: (r.shipped, r.returned) for r in read(database, return_report, "product")}
    assert by_product == {"WIDGET": (6, 3), "GADGET": (1, 1)}
    [month] = read(database, return_report, "month")
    assert (month.key, month.shipped, month.returned) == (clock.today().strftime("%Y-%m"), 7, 4)
    [reason] = read(database, return_report, "reason")
    assert (reason.key, reason.shipped, reason.rate_pct) == ("(none)", None, None)


def test_the_report_pdf_lists_every_group(database, warehouse, inspected):
    from app.services.returns.reports import return_report_pdf

    pdf = read(database, return_report_pdf, "product")
    [text] = page_texts(pdf)
    assert "Returns by product" in text and "WIDGET" in text and "50%" in text


LABEL = RoutingLabel(unit_code="RU0000042", disposition="quarantine", destination="QUAR-1",
                     destination_kind="quarantine", rma="Shopify RMA-7", line_no=2, order="Shopify 1001",
                     sku="PHONE", name="Phone, black, 128 GB", grade="A", lot="SN9",
                     flags=("serial_not_shipped",), inspected=dt.date(2026, 11, 23), inspector="Olga Operator")


@pytest.mark.parametrize("size", [LABEL_4X6, LABEL_4X3], ids=["4x6", "4x3"])
def test_a_routing_label_says_where_the_unit_goes_and_its_barcode_scans(size):
    pdf = routing_label_pdf(LABEL, size)
    [page] = rasterize(pdf)
    assert page.size == size.dots(203)
    assert decoded_texts(page) == ["RU0000042"]
    [text] = page_texts(pdf)
    for words in ("QUARANTINE", "TO QUAR-1", "Shopify RMA-7", "PHONE", "Grade A", "SN9", "serial not shipped"):
        assert words in text
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.save(Path(SHOTS) / f"routing_label_{size.name}.png")


def test_the_routing_label_of_an_inspection_opens_its_rma_when_scanned(database, warehouse, inspected):
    _, amazon = inspected
    waiting = read(database, returns.get_rma, amazon).waiting[0]
    result = inspect(database, warehouse.operator, waiting.unit_id, "C")
    [page] = rasterize(routing_label_pdf(result.label))
    [scanned] = decoded_texts(page)
    assert read(database, returns.find_unit, scanned) == waiting.unit_id
    assert open_rma(database, warehouse.operator, scanned).rma.rma_id == amazon
    assert (result.label.headline, result.label.where, result.label.rma) == (
        "REFURBISH", "TO QUAR-1", "Amazon 302-555-R1")


def test_the_routing_label_in_zpl_carries_the_same_data():
    zpl = routing_label_zpl(LABEL).decode()
    assert zpl.startswith("^XA\n^CI28\n^PW812\n^LL1218") and zpl.rstrip().endswith("^XZ")
    assert "^FDQUARANTINE^FS" in zpl and "^FDTO QUAR-1^FS" in zpl
    assert "^BCN," in zpl and "^FD>:RU>5000004>62^FS" in zpl  # Code 128: B, C for digit pairs, B
