"""Every printed document in every language: count sheet, receiving report, put-away list,
pick list and packing slip, rendered and read back; no word may be missing from
app/printing/words.py (a missing one would print in English)."""

from __future__ import annotations

import pytest

from app.core import clock
from app.db.uow import UnitOfWork
from app.printing import words as words_module
from app.printing.documents import putaway_list_pdf, receiving_report_pdf
from app.printing.words import CATALOGUE, LANGUAGES, words
from app.services import counting
from app.services.counting.documents import count_sheet_pdf
from app.services.packing import shipping
from app.services.waves import release as waves
from tests.factories import gtin13
from tests.printing.conftest import page_texts
from tests.printing.test_documents import putaway
from tests.services.test_counting import put_stock as put_count_stock
from tests.services.test_counting import run
from tests.services.test_packing import close, pack, picked_order
from tests.services.test_packing import put_stock as put_order_stock
from tests.services.test_waves import release, routed_warehouse

# What each language prints in every document's footer, for page 1 of a one-page document.
PAGE_ONE = {"en": "Page 1 of 1", "de": "Seite 1 von 1", "es": "Página 1 de 1", "pl": "Strona 1 z 1"}


@pytest.fixture(autouse=True)
def missing_words(monkeypatch):
    """Records every key a document asks for that the catalogue does not have."""
    missing: set[str] = set()

    class Recording(dict):
        def get(self, key, default=None):
            if key not in self:
                missing.add(key)
            return super().get(key, default)

    monkeypatch.setattr(words_module, "CATALOGUE", Recording(CATALOGUE))
    yield missing
    assert not missing, f"add to app/printing/words.py: {sorted(missing)}"


def read(pdf: bytes) -> str:
    return " ".join(" ".join(page_texts(pdf)).split())  # lines wrap where the table says


def assert_speaks(text: str, language: str, *keys: str) -> None:
    _ = words(language)
    assert PAGE_ONE[language] in text
    for key in keys:
        assert _(key) in text, (language, _(key))


def test_every_document_has_every_word_in_every_language():
    for key, translations in CATALOGUE.items():
        assert len(translations) == len(LANGUAGES) - 1 and all(t.strip() for t in translations), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_receiving_report_and_putaway_list(language):
    from datetime import date, datetime

    from app.printing.data import ReceiptLine, ReceivingReport

    report = ReceivingReport("R-1001", "ACME", datetime(2026, 11, 3, 8, 0), "M. Keller",
                             [ReceiptLine("SKU-1", "Product 1", 10, 9, "L1", date(2027, 1, 1), "SKU-1")],
                             language=language)
    text = read(receiving_report_pdf(report))
    assert_speaks(text, language, "Expected", "Received", "Expiry")
    assert words(language)("Supplier: {supplier}").format(supplier="ACME") in text
    assert words(language)("Receiving report {number}").format(number="R-1001") in text
    text = read(putaway_list_pdf(putaway(3), language=language))
    assert_speaks(text, language, "Scan destination", "Product")
    assert words(language)("Put-away list {reference}").format(reference="PA-0001") in text


def test_count_sheet_in_every_language(database, warehouse):
    put_count_stock(database, "A-01-01", "WIDGET", 37)
    plan = run(database, counting.plan_location_range, "A-01-01", "A-02-01",
               actor=warehouse.supervisor, counter_id=warehouse.operator.user_id, due=clock.today())
    for language in LANGUAGES:
        with UnitOfWork(database, write=False) as uow:
            text = read(count_sheet_pdf(uow.session, plan.count_id, language=language))
        assert_speaks(text, language, "Counted", "Location", "Other items found here:", "Nothing on record here")
        assert words(language)("Count sheet {number}").format(number=plan.number) in text


def test_pick_list_in_every_language(database, warehouse):
    order_id = routed_warehouse(database, warehouse)
    [wave] = release(database, warehouse, [order_id])
    for language in LANGUAGES:
        with UnitOfWork(database, write=False) as uow:
            text = read(waves.picklist_pdf(uow.session, wave.wave_id, language=language))
        assert_speaks(text, language, "Tote", "Location")
        assert words(language)("Pick list {number}").format(number=wave.number) in text


def test_packing_slip_in_every_language(database, warehouse):
    put_order_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    order_id, _ = picked_order(database, warehouse, {"WIDGET": 2})
    parcel = pack(database, warehouse, order_id, gtin13(1), quantity=2).view.open_parcel
    close(database, warehouse, parcel.parcel_id, weight=1.5)
    for language in LANGUAGES:
        with UnitOfWork(database, write=False) as uow:
            text = read(shipping.packing_slip_pdf(uow.session, order_id, language=language))
        assert_speaks(text, language, "Parcel", "Product")
        assert words(language)("Packing slip {channel} {number}").format(channel="Shopify", number="1001") in text
