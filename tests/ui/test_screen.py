"""The floor screen base class, driven through a small screen written like app/ui/README.md."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.services.receiving import receipts as receiving
from app.ui.bridge import Changes, OperationFailed
from app.ui.screen import FloorScreen


class ReceiptPeekScreen(FloorScreen):
    refresh_flags = Changes(receipts=True)
    journal_context = "receiving"

    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        self.order = None
        self.refreshed = 0
        self.lines = QLabel()
        self.content.addWidget(self.lines)
        self.retranslate()

    def retranslate(self):
        super().retranslate()
        self.title.setText(self.tr("Receipt"))
        if self.order is None:
            self.prompt.setText(self.tr("Scan a purchase order"))
        else:
            self.prompt.setText(self.tr("Scan a product of {number}").format(number=self.order.number))

    def on_scan(self, raw, by_scanner):
        try:
            self.order = self.bridge.run(receiving.open_receipt, raw, actor=self.bridge.require_actor())
        except OperationFailed as failure:
            self.fail(failure, raw)
            return
        self.feedback.ok(self.tr("{number} from {supplier}").format(
            number=self.order.number, supplier=self.order.supplier))
        self.lines.setText("\n".join(f"{line.sku}: {line.received}/{line.expected}" for line in self.order.lines))
        self.retranslate()

    def refresh(self):
        self.refreshed += 1


class FakeNavigator:
    def __init__(self):
        self.calls = []

    def go_home(self):
        self.calls.append("home")

    def open_screen(self, name):
        self.calls.append(name)

    def log_out(self):
        self.calls.append("logout")


def scan(qtbot, screen, text):
    qtbot.keyClicks(screen.scan_field, text)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def make_screen(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReceiptPeekScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_good_scan_turns_the_banner_green_and_moves_the_prompt(qtbot, context, warehouse):
    screen = make_screen(qtbot, context, warehouse)
    assert screen.prompt.text() == "Scan a purchase order"
    scan(qtbot, screen, "PO-1001")
    assert (screen.banner.state, screen.banner.text()) == ("ok", "PO-1001 from ACME")
    assert screen.prompt.text() == "Scan a product of PO-1001"
    assert "WIDGET: 0/10" in screen.lines.text()


def test_wrong_scan_is_red_with_the_reason_and_journaled(qtbot, context, warehouse, database):
    screen = make_screen(qtbot, context, warehouse)
    scan(qtbot, screen, "A-01-01")
    assert screen.banner.state == "error"
    assert screen.banner.text() == "A-01-01 is a location, scan a purchase order."
    with UnitOfWork(database, write=False) as uow:
        journal = uow.session.execute(select(ScanJournal.context, ScanJournal.raw, ScanJournal.outcome)).all()
    assert journal == [("receiving", "A-01-01", "error")]


def test_logout_barcode_and_escape_go_through_the_navigator(qtbot, context, warehouse):
    screen = make_screen(qtbot, context, warehouse)
    scan(qtbot, screen, "SF:LOGOUT")
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Escape)
    assert context.navigator.calls == ["logout", "home"]


def test_screen_refreshes_only_on_its_flags_and_follows_scanner_settings(qtbot, context, warehouse):
    screen = make_screen(qtbot, context, warehouse)
    context.bridge.announce(Changes(stock=True))
    assert screen.refreshed == 0
    context.bridge.announce(Changes(receipts=True, stock=True))
    assert screen.refreshed == 1
    context.settings.update(scanner_suffix="tab", scanner_prefix="#")
    context.bridge.announce(Changes(settings=True))
    assert screen.scan_field.options.suffix == "tab" and screen.scan_field.options.prefix == "#"
