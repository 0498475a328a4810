"""The scan journal screen: what the floor scanned, filtered by the supervisor."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.journal.screen import JournalScreen
from app.ui.receiving.screen import ReceivingScreen
from tests.factories import gtin13
from tests.ui.test_receiving_screen import FakeNavigator, scan


def shown(screen):
    model = screen.model
    return [(model.index(r, 1).data(), model.index(r, 4).data(), model.index(r, 5).data())
            for r in range(model.rowCount())]


def test_journal_shows_commands_refusals_and_answers_and_filters_them(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    context.navigator = FakeNavigator()
    floor = ReceivingScreen(context)
    qtbot.addWidget(floor)
    floor.show()
    for text in ("PO-1001", "SF:NOPE", "09501101530003", gtin13(1), "L5", "2027-03-01"):
        scan(qtbot, floor, text)
    context.bridge.log_in(warehouse.supervisor)
    screen = JournalScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert shown(screen) == [
        ("Olga Operator", "09501101530003", "ok"),
        ("Olga Operator", "2027-03-01", "answer"),
        ("Olga Operator", "L5", "answer"),
        ("Olga Operator", gtin13(1), "refused"),
        ("Olga Operator", "SF:NOPE", "error"),
        ("Olga Operator", "PO-1001", "ok"),
    ]
    assert screen.model.index(3, 3).data() == "receiving:receive"
    assert screen.summary.text() == "6 scans shown, newest first"
    screen.outcome.setCurrentIndex(screen.outcome.findText("refused"))
    assert shown(screen) == [("Olga Operator", gtin13(1), "refused")]
    screen.outcome.setCurrentIndex(0)
    qtbot.keyClicks(screen.text, "sf:")
    qtbot.keyClick(screen.text, Qt.Key.Key_Return)
    assert shown(screen) == [("Olga Operator", "SF:NOPE", "error")]
    qtbot.keyClicks(screen.user, "sam")
    qtbot.keyClick(screen.user, Qt.Key.Key_Return)
    assert shown(screen) == []
