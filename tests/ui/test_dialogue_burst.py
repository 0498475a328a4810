"""Nothing lost, nothing reordered: a burst of scans ends like the same scans typed slowly.

The burst posts every key event at once (a scanner faster than the database); the slow run
sends each scan and waits for it. Both run receiving on the bridge's worker thread and must
leave the same stock, moves and journal.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.db.models import Location, Move, OnHand, Product, ScanJournal
from app.db.uow import UnitOfWork
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13
from tests.ui.test_receiving_screen import FakeNavigator, scan

W, G, M = gtin13(1), gtin13(2), "09501101530003"
MILK_LABEL = "]C10109501101530003" + "17271231" + "10{lot}"

SCANS = (
    ["PO-1001"] + [W] * 5
    + ["SF:QTY:3", G]
    + [M, W, "L1", "SF:UNDO", "2027-01-01"]           # lot question: an item and a command refused
    + [MILK_LABEL.format(lot="L2")] * 10
    + ["SF:QTY", W, "4", W]                           # quantity question: an item refused
    + ["SF:QTY:3", G, W, "B-SUP", "4321"]             # over-receipt: supervisor badge + PIN
    + ["SF:DAMAGED", W]
    + [M, "SF:CANCEL", "SF:BOGUS", "SF:QTY:2", "SF:QTY:1", "PO-1001"]
    + [MILK_LABEL.format(lot="L3")] * 9
    + ["SF:UNDO"]
)


def post_scan(widget, text):
    for char in text:
        QApplication.postEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                 Qt.KeyboardModifier.NoModifier, char))
    QApplication.postEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                                             Qt.KeyboardModifier.NoModifier, "\r"))


def state(database):
    with UnitOfWork(database, write=False) as uow:
        stock = uow.session.execute(
            select(Location.code, Product.sku, func.sum(OnHand.quantity))
            .join(Location, OnHand.location_id == Location.id).join(Product, OnHand.product_id == Product.id)
            .where(OnHand.quantity != 0).group_by(Location.code, Product.sku).order_by(Location.code, Product.sku)
        ).all()
        moves = uow.session.scalar(select(func.count()).select_from(Move))
        journal = [(j.raw, j.outcome) for j in uow.session.scalars(select(ScanJournal).order_by(ScanJournal.id))]
    return [tuple(row) for row in stock], moves, journal


@pytest.mark.parametrize("speed", ["burst", "slow"])
def test_fifty_scans_with_questions_end_the_same_in_a_burst_and_typed_slowly(qtbot, context, database,
                                                                               warehouse, speed):
    assert len(SCANS) == 50 and context.bridge.background is not None
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    screen = ReceivingScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    if speed == "burst":
        for text in SCANS:
            post_scan(screen.scan_field, text)
        qtbot.waitUntil(lambda: screen.dialogue.idle and not screen.scan_field.text()
                        and screen.banner.text().startswith("Undone"), timeout=60000)
        assert screen.dialogue.most_waiting > 1  # scans did wait for the worker
    else:
        for text in SCANS:
            scan(qtbot, screen, text)
    stock, moves, journal = state(database)
    assert stock == [("DOCK-1", "GADGET", 6), ("DOCK-1", "MILK", 19), ("DOCK-1", "WIDGET", 9),
                     ("QUAR-1", "WIDGET", 1)]
    assert moves == 30  # 29 receipts and one undo
    assert [outcome for _raw, outcome in journal].count("refused") == 4
    assert ("4321", "answer") not in journal and ("****", "answer") in journal
    # Every scan once (a scan that needed answers is journaled when it lands, after them).
    assert sorted(raw for raw, _outcome in journal) == sorted(s.replace("4321", "****") for s in SCANS)
    assert " ".join(outcome for _raw, outcome in journal) == " ".join(
        ["ok"] * 6 + ["command", "ok"] + ["refused", "answer", "refused", "answer", "ok"] + ["ok"] * 10
        + ["command", "refused", "answer", "ok"] + ["command", "refused", "answer", "answer", "ok"]
        + ["command", "ok", "command", "error", "error", "command", "command", "error"] + ["ok"] * 9
        + ["command"])
