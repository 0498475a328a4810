"""The supervisors' stock view: search on-hand, page through it, see how stock got there."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt

from app.db.uow import UnitOfWork
from app.services.receiving import receipts as receiving
from app.services.stock import queries as stock_queries
from app.ui.stock.screen import StockScreen
from tests.factories import gtin13

MILK_LOT7 = "]C10109501101530003" + "10LOT7\x1d" + "17271231"


@pytest.fixture
def stocked(database, warehouse):
    """PO-1001 partly received by Olga: 4 WIDGET, 3 GADGET, 6 MILK of lot LOT7, on DOCK-1."""
    for scan, quantity in ((gtin13(1), 4), (gtin13(2), 3), (MILK_LOT7, 6)):
        with UnitOfWork(database) as uow:
            receiving.receive_scan(uow, warehouse.orders["PO-1001"].id, scan, actor=warehouse.operator,
                                   idempotency_key=uuid.uuid4().hex, quantity=quantity)
    return warehouse


@pytest.fixture
def screen(qtbot, context, stocked):
    context.bridge.log_in(stocked.supervisor)
    widget = StockScreen(context)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def search(qtbot, screen, text):
    screen.search.clear()
    qtbot.keyClicks(screen.search, text)
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    return [(row.sku, row.location, row.lot, row.quantity) for row in screen.stock.rows]


def cell(view, row, column):
    return view.model().index(row, column).data()


def test_everything_in_stock_is_listed_at_first(screen):
    assert sorted((row.sku, row.quantity) for row in screen.stock.rows) == [
        ("GADGET", 3), ("MILK", 6), ("WIDGET", 4)]
    assert screen.summary.text() == "3 row(s)."


@pytest.mark.parametrize("text, expected", [
    ("widget", [("WIDGET", "DOCK-1", None, 4)]),          # SKU, any case
    ("Gadg", [("GADGET", "DOCK-1", None, 3)]),            # SKU prefix
    ("blue", [("WIDGET", "DOCK-1", None, 4)]),            # part of the name
    ("LOT7", [("MILK", "DOCK-1", "LOT7", 6)]),            # lot
    (gtin13(2), [("GADGET", "DOCK-1", None, 3)]),          # a scanned barcode
    ("DOCK", [("GADGET", "DOCK-1", None, 3), ("MILK", "DOCK-1", "LOT7", 6),
              ("WIDGET", "DOCK-1", None, 4)]),            # location code, sorted by SKU
    ("PHONE", []),                                        # a product with no stock
])
def test_search_finds_by_sku_name_barcode_location_and_lot(qtbot, screen, text, expected):
    assert search(qtbot, screen, text) == expected


def test_nothing_found_is_said_in_words(qtbot, screen):
    assert search(qtbot, screen, "A-02") == []
    assert screen.summary.text() == "Nothing in stock matches \u201cA-02\u201d."


def test_the_table_shows_lot_expiry_and_quantity(qtbot, screen):
    search(qtbot, screen, "MILK")
    view = screen.stock_view
    assert [cell(view, 0, column) for column in (0, 1, 2, 3, 6)] == ["MILK", "Milk 1 l", "DOCK-1", "LOT7", "6"]
    assert "31" in cell(view, 0, 4) and "27" in cell(view, 0, 4)  # 2027-12-31 in the locale's format


def test_selecting_a_row_shows_the_moves_of_its_product_or_location(qtbot, screen):
    search(qtbot, screen, "DOCK")
    assert screen.history_title.text() == "Select a row to see its moves."
    qtbot.keyClick(screen.search, Qt.Key.Key_Down)  # keyboard: from the search into the results
    assert screen.history_title.text() == "Moves of GADGET"
    moves = screen.moves_view
    assert [cell(moves, 0, column) for column in (1, 2, 3, 4, 6, 7, 9)] == [
        "GADGET", "3", "SUPPLIER", "DOCK-1", "receipt", "Olga Operator", "PO-1001"]
    screen.history_of_location.setChecked(True)
    assert screen.history_title.text() == "Moves at DOCK-1"
    assert [cell(moves, row, 1) for row in range(moves.model().rowCount())] == ["MILK", "GADGET", "WIDGET"]


def test_long_results_arrive_page_by_page(qtbot, screen):
    screen.stock.page_size = 2
    search(qtbot, screen, "DOCK")
    assert len(screen.stock.rows) == 2 and screen.stock.canFetchMore()
    assert screen.summary.text() == "Showing the first 2 row(s); scroll down for more."
    screen.stock.fetchMore()
    assert [row.sku for row in screen.stock.rows] == ["GADGET", "MILK", "WIDGET"]
    assert not screen.stock.canFetchMore()


def test_received_stock_appears_without_searching_again(qtbot, screen, database, stocked):
    search(qtbot, screen, "GADGET")
    screen.bridge.run(receiving.receive_scan, stocked.orders["PO-1001"].id, gtin13(2),
                      actor=stocked.operator, idempotency_key=uuid.uuid4().hex,
                      changes=stock_changes())
    assert [row.quantity for row in screen.stock.rows] == [4]


def stock_changes():
    from app.ui.bridge import Changes

    return Changes(stock=True, receipts=True)


def test_location_history_reads_both_directions(database, stocked):
    with UnitOfWork(database, write=False) as uow:
        dock = stocked.locations["DOCK-1"].id
        rows = stock_queries.move_history(uow.session, location_id=dock, limit=2)
    assert [(row.sku, row.destination) for row in rows] == [("MILK", "DOCK-1"), ("GADGET", "DOCK-1")]
