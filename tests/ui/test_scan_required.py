"""Scans that must be scans: the warehouse refuses typed codes at the prompt kinds it names,
using the scan field's own key timing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.db.models import ScanJournal
from app.db.uow import UnitOfWork
from app.services import config
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13
from tests.ui.test_receiving_screen import FakeNavigator


class Keys:
    """A fake millisecond clock for the scan field: each key ``step`` ms after the last."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def enter(qtbot, screen, text, ms_per_key):
    screen.scan_field.clock = Keys(ms_per_key)
    qtbot.keyClicks(screen.scan_field, text)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)


def test_a_typed_document_or_item_is_refused_where_the_warehouse_requires_a_scan(qtbot, context, database,
                                                                                  warehouse):
    with UnitOfWork(database) as uow:
        config.set_rule(uow.session, "scan_required_at", "document, item", actor=warehouse.admin)
        uow.commit()
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    enter(qtbot, screen, "PO-1001", ms_per_key=120)  # a person typing
    assert screen.banner.state == "error"
    assert screen.banner.text() == "Scan the label: a typed code is not accepted here. Scan a purchase order or ASN"
    assert screen.receipt is None
    enter(qtbot, screen, "PO-1001", ms_per_key=4)  # a scanner
    assert screen.receipt is not None
    enter(qtbot, screen, gtin13(1), ms_per_key=120)
    assert screen.banner.state == "error" and screen.lines_model.lines[0].received == 0
    enter(qtbot, screen, "SF:QTY", ms_per_key=120)  # commands and answers may be typed
    enter(qtbot, screen, "2", ms_per_key=120)
    enter(qtbot, screen, gtin13(1), ms_per_key=4)
    assert screen.banner.text().startswith("+2 WIDGET")
    with UnitOfWork(database, write=False) as uow:
        refused = uow.session.scalars(select(ScanJournal.raw).where(ScanJournal.outcome == "refused")).all()
    assert refused == ["PO-1001", gtin13(1)]


def test_without_the_rule_typing_works_everywhere(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    enter(qtbot, screen, "PO-1001", ms_per_key=120)
    assert screen.receipt is not None
