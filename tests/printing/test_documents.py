"""Documents: multi-page tables with repeated headers, page numbers, a barcode per line."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.printing.barcodes import BarcodeTooWide
from app.printing.data import PutawayList, PutawayTask, ReceiptLine, ReceivingReport
from app.printing.documents import Column, putaway_list_pdf, receiving_report_pdf, render_table_document
from tests.printing.conftest import decoded_texts, page_texts, rasterize, save_shot


def putaway(count: int) -> PutawayList:
    tasks = [PutawayTask(f"SKU-{i:05d}", f"Product {i} with a rather long descriptive name",
                         i % 7 + 1, "RCV-01", f"B-{i // 10:02d}-{i % 10:02d}",
                         f"LOC:B{i // 10:02d}{i % 10:02d}", f"L{i}") for i in range(count)]
    return PutawayList("PA-0001", datetime(2026, 11, 3, 9, 30), "J. Smith", tasks)


@pytest.fixture(scope="module")
def long_putaway_pdf() -> bytes:
    return putaway_list_pdf(putaway(120))


def test_long_putaway_list_breaks_across_pages_with_the_header_on_each(long_putaway_pdf):
    texts = page_texts(long_putaway_pdf)
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert "Scan destination" in text and "SKU" in text and "Qty" in text, number
        assert f"Page {number} of {len(texts)}" in text
    assert "Put-away list PA-0001" in texts[0]
    assert "SKU-00000" in texts[0] and "SKU-00119" in texts[-1]


def test_every_line_of_the_putaway_list_has_a_scannable_destination(long_putaway_pdf):
    pages = rasterize(long_putaway_pdf)
    save_shot(pages[0], "putaway_page1")
    found = [code for page in pages for code in decoded_texts(page)]
    expected = [task.to_location_barcode for task in putaway(120).tasks]
    assert sorted(found) == sorted(expected)


def test_rows_appear_in_order_and_none_is_lost(long_putaway_pdf):
    text = "\n".join(page_texts(long_putaway_pdf))
    positions = [text.index(f"SKU-{i:05d}") for i in range(120)]
    assert positions == sorted(positions)


def test_receiving_report_on_letter_with_totals():
    lines = [ReceiptLine(f"SKU-{i:03d}", f"Product {i}", 10, 9 if i % 3 == 0 else 10,
                         f"L{i}", date(2027, 1, i % 28 + 1), f"SKU-{i:03d}")
             for i in range(30)]
    report = ReceivingReport("R-1001", "ACME Supplies", datetime(2026, 11, 3, 8, 0),
                             "M. Keller", lines)
    pdf = receiving_report_pdf(report, page_size="Letter")
    import pypdfium2

    assert pypdfium2.PdfDocument(pdf)[0].get_size() == pytest.approx((612, 792))
    text = "\n".join(page_texts(pdf))
    assert "Receiving report R-1001" in text
    assert "expected 300, received 290, difference -10" in text
    assert "2027-01-02" in text  # dates as ISO, unbroken
    pages = rasterize(pdf)
    assert sorted(c for p in pages for c in decoded_texts(p)) == sorted(l.sku for l in lines)


def test_generic_table_takes_mappings_escapes_markup_and_skips_empty_barcodes():
    rows = [{"order": "SO-1", "customer": "Smith & <Sons>", "code": "SO-1"},
            {"order": "SO-2", "customer": "Jones", "code": ""}]
    pdf = render_table_document("Pick list W-7", ["Wave 7"],
                                [Column("Order", "order"), Column("Customer", "customer", 2)],
                                rows, barcode_column="code")
    [text] = page_texts(pdf)
    assert "Smith & <Sons>" in text and "Page 1 of 1" in text
    [page] = rasterize(pdf)
    assert decoded_texts(page) == ["SO-1"]


def test_barcode_too_long_for_the_page_is_refused():
    rows = [{"code": "X" * 120}]
    with pytest.raises(BarcodeTooWide):
        render_table_document("T", [], [Column("Code", "code")], rows, barcode_column="code")
