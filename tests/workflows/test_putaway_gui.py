"""End to end through the real shell: log in by badge, receive PO-1001 in the receiving
screen, go home, open Put away, put everything away by scanning item and bin; then the
ledger is consistent and nothing is left on the dock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.db.uow import UnitOfWork
from app.services import ledger
from app.services.putaway import tasks as putaway
from app.services.stock import queries as stock_queries
from app.ui.putaway.screen import PutawayScreen
from app.ui.receiving.screen import ReceivingScreen
from app.ui.settings_store import settings_in_file
from tests.factories import gtin13

GS = "\x1d"
MILK_LOT_A = "]C10109501101530003" + "10LOT-A" + GS + "17271130"


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


def open_from_home(qtbot, window, name, screen_class):
    assert window.stack.currentWidget() is window.home
    names = [entry.name for entry in window.home.entries]
    qtbot.keyClick(window.home.scan_field, getattr(Qt.Key, f"Key_F{names.index(name) + 1}"))
    screen = window.stack.currentWidget()
    assert isinstance(screen, screen_class)
    return screen


def test_receive_then_put_everything_away_by_scanner_alone(qtbot, window, database, warehouse):
    type_scan(qtbot, window.login.scan_field, "B-OP1")
    assert window.home.tile_texts()[:2] == ["Receive", "Put away"]

    receive = open_from_home(qtbot, window, "receive", ReceivingScreen)
    type_scan(qtbot, receive.scan_field, "PO-1001")
    for quantity, code in ((10, gtin13(1)), (5, gtin13(2)), (20, MILK_LOT_A)):
        type_scan(qtbot, receive.scan_field, f"SF:QTY:{quantity}")
        type_scan(qtbot, receive.scan_field, code)
    type_scan(qtbot, receive.scan_field, "SF:CLOSE")
    assert (receive.banner.state, receive.banner.text()) == ("ok", "PO-1001 received")
    qtbot.keyClick(receive.scan_field, Qt.Key.Key_Escape)

    screen = open_from_home(qtbot, window, "putaway", PutawayScreen)
    assert screen.title.text() == "Put away"
    assert screen.prompt.text() == "Scan an item or a license plate"
    assert screen.caption.text() == "Waiting to be put away    lines: 3    units: 35"
    assert screen.scan_field.hasFocus()

    placed = {}
    for code, sku in ((gtin13(1), "WIDGET"), (gtin13(2), "GADGET"), (MILK_LOT_A, "MILK")):
        type_scan(qtbot, screen.scan_field, code)
        destination = screen.task.suggestion.destination
        assert screen.prompt.text() == f"Scan the destination {destination}"
        type_scan(qtbot, screen.scan_field, destination)
        assert screen.banner.state == "ok", screen.banner.text()
        placed[sku] = destination
    assert placed == {"WIDGET": "A-01-01", "GADGET": "A-02-01", "MILK": "A-03-01"}
    assert screen.caption.text() == "Nothing waits to be put away."

    with UnitOfWork(database, write=False) as uow:
        assert ledger.check_ledger(uow.session) == []
        assert putaway.list_waiting(uow.session) == []
        stock = {(row.sku, row.location, row.lot): row.quantity
                 for row in stock_queries.search_on_hand(uow.session).rows}
    assert stock == {("WIDGET", "A-01-01", None): 10, ("GADGET", "A-02-01", None): 5,
                     ("MILK", "A-03-01", "LOT-A"): 20}

    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.home


def test_a_spanish_supervisor_gets_the_put_away_screen_in_spanish(qtbot, window, warehouse):
    type_scan(qtbot, window.login.scan_field, "B-SUP")
    if window.login.badge is not None:  # supervisors: the PIN, asked in the scan field (masked)
        assert window.login.scan_field.echoMode() == window.login.scan_field.EchoMode.Password
        type_scan(qtbot, window.login.scan_field, "4321")
    screen = open_from_home(qtbot, window, "putaway", PutawayScreen)
    QApplication.processEvents()
    assert screen.title.text() == "Ubicar"
    assert screen.prompt.text() == "Escanee un artículo o una matrícula"
    assert screen.caption.text() == "No hay nada pendiente de ubicar."
