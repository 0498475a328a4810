"""Count sheets and the accuracy report as PDF, read back like a person and a scanner would:
text extracted with pdfium, barcodes decoded by zxing-cpp from a 203 dpi rendering."""

from __future__ import annotations

import re

from app.core import clock
from app.db.uow import UnitOfWork
from app.services import counting
from app.services.counting.documents import accuracy_report_pdf, count_sheet_pdf
from app.services.scanning import resolve
from tests.factories import gtin13
from tests.printing.conftest import decoded_texts, page_texts, rasterize, save_shot
from tests.services.test_counting import count_at, put_stock, recounts_of, run


def sheet(database, count_id) -> bytes:
    with UnitOfWork(database, write=False) as uow:
        return count_sheet_pdf(uow.session, count_id)


def stock_for_sheets(database):
    put_stock(database, "A-01-01", "WIDGET", 37)
    put_stock(database, "A-01-01", "MILK", 23, lot="L1")
    put_stock(database, "A-02-01", "GADGET", 19)


def test_blind_count_sheet_has_a_barcode_per_line_and_no_quantities(database, warehouse):
    stock_for_sheets(database)
    plan = run(database, counting.plan_location_range, "A-01-01", "A-03-01",
               actor=warehouse.supervisor, counter_id=warehouse.operator.user_id, due=clock.today())
    pdf = sheet(database, plan.count_id)
    [text] = page_texts(pdf)
    assert f"Count sheet {plan.number}" in text and "counter: Olga Operator" in text
    assert "Blind count: quantities on record are not printed" in text
    assert "Expected" not in text
    # Nothing on the page is a quantity on record (37, 23, 19); codes and dates do not count.
    words = set(re.findall(r"\b\d+\b", text))
    assert not words & {"37", "23", "19"}, words
    assert "Nothing on record here" in text  # A-03-01 is empty on record
    [page] = rasterize(pdf)
    save_shot(page, "count_sheet_blind")
    found = decoded_texts(page)
    assert found == sorted([plan.number, "A-01-01", "A-02-01", "A-03-01", "GADGET", "MILK", "WIDGET"])
    # Every barcode leads somewhere on the counting screen: the count, a location, a product.
    with UnitOfWork(database, write=False) as uow:
        kinds = {code: resolve(uow.session, code).kind for code in found if code != plan.number}
    assert kinds == {"A-01-01": "location", "A-02-01": "location", "A-03-01": "location",
                     "GADGET": "product", "MILK": "product", "WIDGET": "product"}


def test_open_count_sheet_shows_the_quantities_on_record(database, warehouse):
    stock_for_sheets(database)
    plan = run(database, counting.plan_location_range, "A-01-01", "A-02-01",
               actor=warehouse.supervisor, blind=False)
    [text] = page_texts(sheet(database, plan.count_id))
    assert "Expected" in text and "counter: anyone" in text
    assert {"37", "23", "19"} <= set(re.findall(r"\b\d+\b", text))


def test_long_count_sheet_repeats_its_header_and_keeps_every_barcode(database, warehouse):
    for aisle in "AB":
        for bay in (1, 2, 3):
            put_stock(database, f"{aisle}-0{bay}-01", "WIDGET", 5)
            put_stock(database, f"{aisle}-0{bay}-01", "GADGET", 5)
            put_stock(database, f"{aisle}-0{bay}-01", "MILK", 5, lot=f"L{bay}")
    plan = run(database, counting.plan_zone, "Z1", actor=warehouse.supervisor)
    pdf = sheet(database, plan.count_id)
    texts = page_texts(pdf)
    assert len(texts) >= 2
    assert all("Location" in page and "Counted" in page for page in texts)
    found = [code for page in rasterize(pdf) for code in decoded_texts(page)]
    locations = [f"{a}-0{b}-01" for a in "AB" for b in (1, 2, 3)]
    assert sorted(found) == sorted([plan.number, *locations, *["GADGET", "MILK", "WIDGET"] * 6])


def test_accuracy_report_by_class_and_zone(database, warehouse):
    put_stock(database, "A-01-01", "WIDGET", 10)
    put_stock(database, "A-02-01", "GADGET", 4)
    plan = run(database, counting.plan_location_range, "A-01-01", "A-02-01",
               actor=warehouse.supervisor, counter_id=warehouse.operator.user_id, due=clock.today())
    count_at(database, plan.count_id, "A-01-01", warehouse.operator, [(gtin13(1), 10)])
    count_at(database, plan.count_id, "A-02-01", warehouse.operator, [(gtin13(2), 3)])  # 25 % off
    [recount] = recounts_of(database, plan.count_id)  # the first count is superseded by this one
    count_at(database, recount.id, "A-02-01", warehouse.operator2, [(gtin13(2), 3)])
    with UnitOfWork(database, write=False) as uow:
        pdf = accuracy_report_pdf(uow.session, since=clock.today(), until=clock.today())
    [text] = page_texts(pdf)
    month = clock.today().replace(day=1).isoformat()
    assert "Inventory record accuracy" in text
    assert "Overall: 1 of 2 lines within tolerance (50.0 %)." in text
    assert f"Class C {month} 2 1 50.0 %" in text
    assert f"Zone Z1 {month} 2 1 50.0 %" in text
