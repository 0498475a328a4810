"""The supervisor's waves screen: filter and allocate orders, release them as single-order
waves or onto carts, follow the waves and export their pick lists, dispatch per carrier and
export the confirmations."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from PySide6.QtCore import QDate, Qt

from app.core import clock
from app.db.uow import UnitOfWork
from app.services.orders import documents as orders
from app.services.packing import parcels as packing
from app.services.waves import release as waves
from app.ui.waves.common import ExportFileDialog
from app.ui.waves.screen import WavesScreen
from tests.services.test_orders_support import key, ledger_problems, new_order, on_hand, put_stock
from tests.ui.test_packing_screen import picked_order
from tests.ui.test_picking_screen import shot
from tests.ui.test_receiving_screen import FakeNavigator


def column(table, title):
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    index = headers.index(title)
    return [table.item(row, index).text() for row in range(table.rowCount())]


def select(table, *texts):
    """Select the rows whose first two cells contain ``texts`` (e.g. order numbers)."""
    table.clearSelection()
    wanted = [row for row in range(table.rowCount())
              if any(table.item(row, c).text() in texts for c in (0, 1))]
    table.select_ids(table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in wanted)
    assert len(table.selected_ids()) == len(texts)


def alt(qtbot, screen, key):
    qtbot.keyClick(screen, key, Qt.KeyboardModifier.AltModifier)


def status(database, order_id):
    with UnitOfWork(database, write=False) as uow:
        return orders.get_order(uow.session, order_id).status


@pytest.fixture
def screen(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.supervisor)
    context.navigator = FakeNavigator()
    widget = WavesScreen(context)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


@pytest.fixture
def saved(monkeypatch, tmp_path):
    """The file dialog replaced: every export goes into tmp_path under the suggested name."""
    asked = []

    def ask(cls, parent, title, suggested_name, file_filter):
        asked.append((title, suggested_name, file_filter))
        return tmp_path / suggested_name

    monkeypatch.setattr(ExportFileDialog, "ask", classmethod(ask))
    return asked


@pytest.fixture
def three_orders(database, warehouse):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    put_stock(database, warehouse, "GADGET", "B-02-01", 2)
    return {
        "1001": new_order(database, warehouse.supervisor, "1001", {"WIDGET": 2}, priority=2,
                          ship_by=clock.today()),
        "1002": new_order(database, warehouse.supervisor, "1002", {"WIDGET": 1, "GADGET": 2}, channel="eBay",
                          carrier="UPS", ship_by=clock.today() + dt.timedelta(days=3)),
        "1003": new_order(database, warehouse.supervisor, "1003", {"WIDGET": 1, "GADGET": 1}, carrier="UPS"),
    }


def test_allocate_filter_and_release_single_and_batch_waves(qtbot, screen, database, warehouse, three_orders):
    release = screen.release
    qtbot.keyClick(screen, Qt.Key.Key_F5)  # orders arrived since the screen opened
    assert release.waiting.text() == "3 order(s) wait for stock to be allocated."
    assert release.table.rowCount() == 0
    alt(qtbot, screen, Qt.Key.Key_A)
    assert (screen.banner.state, screen.banner.text()) == (
        "ok", "3 order(s) allocated: units reserved: 6, on backorder: 1.")
    assert column(release.table, "Order") == ["1001", "1002", "1003"]  # most urgent first
    assert column(release.table, "Backorder") == ["0", "0", "1"]
    assert release.waiting.text() == "No orders wait for allocation."
    release.complete_only.setChecked(True)
    assert column(release.table, "Order") == ["1001", "1002"]
    release.complete_only.setChecked(False)
    release.carrier.setCurrentIndex(release.carrier.findData("UPS"))
    assert column(release.table, "Order") == ["1002", "1003"]
    release.carrier.setCurrentIndex(0)
    release.cutoff_on.setChecked(True)
    release.cutoff.setDate(QDate(clock.today().year, clock.today().month, clock.today().day))
    assert column(release.table, "Order") == ["1001"]
    release.cutoff_on.setChecked(False)
    release.priority.setValue(1)
    assert column(release.table, "Order") == ["1001"]
    release.priority.setValue(0)
    shot(screen, "waves_release")

    alt(qtbot, screen, Qt.Key.Key_S)
    assert (screen.banner.state, screen.banner.text()) == (
        "error", "Select the orders to release first (Ctrl+A: all listed).")
    select(release.table, "1001")
    alt(qtbot, screen, Qt.Key.Key_S)
    assert (screen.banner.state, screen.banner.text()) == ("ok", "Released 1 wave(s): W000001; lines to pick: 1.")
    assert column(release.table, "Order") == ["1002", "1003"]
    select(release.table, "1002", "1003")
    release.slots.setValue(1)  # one tote per cart: two carts
    alt(qtbot, screen, Qt.Key.Key_B)
    assert screen.banner.text() == "Released 2 wave(s): W000002, W000003; lines to pick: 3."
    assert column(release.table, "Order") == []
    assert release.table.rowCount() == 0
    assert {status(database, order_id) for order_id in three_orders.values()} == {"picking"}

    waves_tab = screen.waves
    assert column(waves_tab.table, "Wave") == ["W000001", "W000002", "W000003"]
    assert column(waves_tab.table, "Mode") == ["single order", "batch (cart)", "batch (cart)"]
    assert column(waves_tab.table, "Lines picked") == ["0 of 1", "0 of 2", "0 of 1"]
    assert column(waves_tab.table, "Totes: orders") == ["1: Shopify 1001", "1: eBay 1002", "1: Shopify 1003"]
    alt(qtbot, screen, Qt.Key.Key_2)
    assert screen.tabs.currentWidget() is waves_tab
    shot(screen, "waves_list")


def test_pick_lists_are_exported_as_pdf_and_csv(qtbot, screen, database, warehouse, three_orders, saved, tmp_path):
    screen.refresh()
    screen.release.allocate()
    select(screen.release.table, "1001", "1002")
    screen.release.release("batch")
    alt(qtbot, screen, Qt.Key.Key_P)
    assert screen.banner.text() == "Select a wave first."
    screen.waves.table.select_ids([1])
    alt(qtbot, screen, Qt.Key.Key_P)
    assert saved[-1] == ("Pick list of W000001", "picklist-W000001.pdf", "PDF files (*.pdf)")
    assert screen.banner.text() == f"Pick list of W000001 saved to {tmp_path / 'picklist-W000001.pdf'}"
    assert (tmp_path / "picklist-W000001.pdf").read_bytes().startswith(b"%PDF")
    alt(qtbot, screen, Qt.Key.Key_C)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "picklist-W000001.csv").read_text())))
    assert [(row["location"], row["sku"], row["quantity"], row["tote_slot"]) for row in rows] == [
        ("A-01-01", "WIDGET", "2", "1"), ("A-01-01", "WIDGET", "1", "2"), ("B-02-01", "GADGET", "2", "2")]


def test_packed_parcels_are_dispatched_per_carrier_and_confirmed(qtbot, screen, database, warehouse, saved,
                                                                 tmp_path):
    put_stock(database, warehouse, "WIDGET", "A-01-01", 20)
    packed = {}
    for number, carrier in (("2001", "DHL"), ("2002", "UPS"), ("2003", "DHL")):
        order_id, _ = picked_order(database, warehouse, number, {"WIDGET": 1}, carrier=carrier)
        with UnitOfWork(database) as uow:
            result = packing.pack_scan(uow, order_id, "WIDGET", actor=warehouse.operator, idempotency_key=key())
        with UnitOfWork(database) as uow:
            packing.close_parcel(uow, result.view.open_parcel.parcel_id, actor=warehouse.operator, weight_kg=0.7)
        with UnitOfWork(database) as uow:
            packing.finish_packing(uow, order_id, actor=warehouse.operator)
        packed[number] = order_id
    screen.refresh()
    dispatch = screen.dispatch
    assert [dispatch.carrier.itemText(i) for i in range(dispatch.carrier.count())] == [
        "DHL (2 parcel(s))", "UPS (1 parcel(s))"]
    assert column(dispatch.table, "Order") == ["Shopify 2001", "Shopify 2003"]
    assert column(dispatch.table, "Weight (kg)") == ["0.7", "0.7"]
    alt(qtbot, screen, Qt.Key.Key_3)
    shot(screen, "waves_dispatch")
    alt(qtbot, screen, Qt.Key.Key_D)  # nothing selected: every parcel for DHL
    assert (screen.banner.state, screen.banner.text()) == (
        "ok", "Shipment S000001: 2 parcel(s) handed to DHL; orders shipped: Shopify 2001, Shopify 2003")
    assert [dispatch.carrier.itemText(i) for i in range(dispatch.carrier.count())] == ["UPS (1 parcel(s))"]
    assert (status(database, packed["2001"]), status(database, packed["2002"])) == ("shipped", "packed")
    alt(qtbot, screen, Qt.Key.Key_X)
    assert screen.banner.text() == f"2 shipped parcel(s) written to {tmp_path / 'shipments.csv'}"
    exported = list(csv.DictReader(io.StringIO((tmp_path / "shipments.csv").read_text())))
    assert sorted(row["order"] for row in exported) == ["2001", "2003"]
    assert on_hand(database, warehouse, "WIDGET", "SHIP-1") == (1, 0)  # UPS has not come yet
    assert ledger_problems(database) == []


def test_escape_goes_home(qtbot, screen):
    qtbot.keyClick(screen.release.table, Qt.Key.Key_Escape)
    assert screen.context.navigator.calls == ["home"]


def test_release_refusal_is_red_with_the_services_words(qtbot, screen, database, warehouse, three_orders):
    screen.refresh()
    screen.release.allocate()
    select(screen.release.table, "1001")
    with UnitOfWork(database) as uow:  # another supervisor released it meanwhile
        waves.release_waves(uow, [three_orders["1001"]], actor=warehouse.supervisor)
    screen.release.release("single")
    assert (screen.banner.state, screen.banner.text()) == (
        "error", "Shopify 1001 is picking: 'release' is not possible.")
