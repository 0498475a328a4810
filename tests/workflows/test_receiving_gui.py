"""End to end through the real shell: log in by badge, open Receive by keyboard, receive
PO-1001 by typed scans, close it; then the stock and the ledger agree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.stock import queries as stock_queries
from app.ui.receiving.screen import ReceivingScreen
from app.ui.settings_store import settings_in_file
from tests.factories import gtin13

GS = "\x1d"


@pytest.fixture
def window(qtbot, qapp, database, tmp_path, monkeypatch):
    from app.main import make_bridge
    from app.ui.context import AppContext
    from app.ui.feedback import Sounds
    from app.ui.i18n import Translations
    from app.ui.registry import ScreenRegistry, discover
    from app.ui.shell.window import MainWindow

    monkeypatch.setenv("STOCKFLOOR_CACHE_DIR", str(tmp_path / "cache"))
    settings = settings_in_file(tmp_path / "workstation.ini")
    settings.update(workstation="WS-TEST", language="en", sound=False)
    translations = Translations(qapp, cache=tmp_path / "cache")
    context = AppContext(bridge=make_bridge(database, "WS-TEST"), settings=settings,
                         sounds=Sounds(tmp_path / "sounds", enabled=False), translations=translations)
    main = MainWindow(context, discover(ScreenRegistry()))
    qtbot.addWidget(main)
    main.show()
    yield main
    translations.set_language("en")


def type_scan(qtbot, field, text):
    for index, part in enumerate(text.split(GS)):
        if index:
            QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                    Qt.KeyboardModifier.NoModifier, GS))
        qtbot.keyClicks(field, part)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def log_in_and_open_receive(qtbot, window, badge):
    type_scan(qtbot, window.login.scan_field, badge)
    if window.login.badge is not None:  # supervisors: the PIN, asked in the scan field (masked)
        assert window.login.scan_field.echoMode() == window.login.scan_field.EchoMode.Password
        type_scan(qtbot, window.login.scan_field, "4321")
    assert window.stack.currentWidget() is window.home
    names = [entry.name for entry in window.home.entries]
    function_key = getattr(Qt.Key, f"Key_F{names.index('receive') + 1}")
    qtbot.keyClick(window.home.scan_field, function_key)
    screen = window.stack.currentWidget()
    assert isinstance(screen, ReceivingScreen)
    return screen


def test_operator_receives_a_purchase_order_by_scanner_alone(qtbot, window, database, warehouse):
    screen = log_in_and_open_receive(qtbot, window, "B-OP1")
    assert screen.prompt.text() == "Scan a purchase order or ASN"
    type_scan(qtbot, screen.scan_field, "PO-1001")
    assert screen.prompt.text() == "Scan a product of PO-1001"
    for _ in range(10):
        type_scan(qtbot, screen.scan_field, gtin13(1))
    type_scan(qtbot, screen.scan_field, "SF:QTY:4")
    type_scan(qtbot, screen.scan_field, gtin13(2))
    type_scan(qtbot, screen.scan_field, "SF:DAMAGED")
    type_scan(qtbot, screen.scan_field, gtin13(2))
    assert screen.banner.text() == "DAMAGED +1 GADGET Gadget \u2192 QUAR-1 (5 of 5)"
    type_scan(qtbot, screen.scan_field, "SF:QTY:20")
    type_scan(qtbot, screen.scan_field, "]C10109501101530003" + "10LOT-A" + GS + "17271130")
    assert screen.banner.text() == (
        "+20 MILK Milk 1 l \u2192 DOCK-1 (20 of 20), lot LOT-A, expiry 2027-11-30")
    type_scan(qtbot, screen.scan_field, "SF:CLOSE")
    assert (screen.banner.state, screen.banner.text()) == ("ok", "PO-1001 received")
    assert [receipt.number for receipt in screen.open_list.receipts] == ["PO-1002"]

    with UnitOfWork(database, write=False) as uow:
        stock = {(row.sku, row.location, row.lot): row.quantity
                 for row in stock_queries.search_on_hand(uow.session).rows}
        assert ledger.check_ledger(uow.session) == []
    assert stock == {("WIDGET", "DOCK-1", None): 10, ("GADGET", "DOCK-1", None): 4,
                     ("GADGET", "QUAR-1", None): 1, ("MILK", "DOCK-1", "LOT-A"): 20}


def test_a_spanish_supervisor_gets_the_receive_screen_in_spanish(qtbot, window, warehouse):
    screen = log_in_and_open_receive(qtbot, window, "B-SUP")
    QApplication.processEvents()
    assert screen.title.text() == "Recibir"
    assert screen.prompt.text() == "Escanee un pedido de compra o un aviso de envío"
    type_scan(qtbot, screen.scan_field, "PO-1002")
    assert screen.prompt.text() == "Escanee un producto de PO-1002"
