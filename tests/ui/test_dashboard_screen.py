"""The supervisor dashboard on the scripted March: trends with targets, open work, operators."""

from __future__ import annotations

import datetime as dt

import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.db.uow import UnitOfWork
from app.services import kpis
from app.ui.dashboard.screen import DashboardScreen
from tests.ui.test_receiving_screen import FakeNavigator
from tests.workflows.test_kpi_month import script_march


def cell(table, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def test_the_dashboard_charts_the_month_and_keeps_the_supervisors_target(qtbot, context, database, warehouse):
    script_march(database, warehouse)
    with time_machine.travel(dt.datetime(2026, 3, 20, 15, 0, tzinfo=dt.timezone.utc), tick=False):
        context.bridge.log_in(warehouse.supervisor)
        context.navigator = FakeNavigator()
        screen = DashboardScreen(context)
        qtbot.addWidget(screen)
        screen.resize(1366, 700)
        screen.show()

        # Order accuracy per day: Mar 2 (1001, mispicked) 0 %, Mar 3 100 %, Mar 4 (2001, short) 0 %.
        chart = screen.charts["order_accuracy"]
        assert [(p.y()) for p in chart.line.points()] == [0.0, 100.0, 0.0]
        assert chart.target.count() == 0
        accuracy_row = kpis.KPIS.index("order_accuracy")
        assert cell(screen.figures, accuracy_row, 0) == "Order accuracy (%)"
        assert cell(screen.figures, accuracy_row, 1) == "0.0 %"
        assert screen.figures.item(accuracy_row, 1).toolTip() == "04.03.2026"  # the last day with a value
        assert cell(screen.figures, kpis.KPIS.index("record_accuracy"), 1) == "50.0 %"
        assert cell(screen.figures, kpis.KPIS.index("stockout_rate"), 1) == "25.0 %"
        # Open work: PO-1001 still lacks its milk, the ASN is untouched; a returned widget waits.
        assert cell(screen.work, kpis.OPEN_WORK.index("receipts"), 1) == "2"
        assert cell(screen.work, kpis.OPEN_WORK.index("returns"), 1) == "1"
        # Operators today (Mar 20): Olga recounted, Otto counted and had one scan refused.
        people = {cell(screen.operators, r, 0): [cell(screen.operators, r, c) for c in range(1, 5)]
                  for r in range(screen.operators.rowCount())}
        assert people["Otto Operator"] == ["2.50", "0.00", "20.0 %", "2.0 h"]  # scans/h, lines/h, errors, hours
        assert set(people) == {"Olga Operator", "Otto Operator"}

        # The supervisor sets a 98 % target: typed into the table, stored, drawn as a dashed line.
        screen.figures.setCurrentCell(accuracy_row, 2)
        qtbot.keyClick(screen.figures, Qt.Key.Key_F2)  # edit the cell, as a supervisor would
        editor = screen.figures.findChild(QLineEdit)
        editor.selectAll()
        qtbot.keyClicks(editor, "98")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: chart.target.count() == 2)
        assert [p.y() for p in chart.target.points()] == [98.0, 98.0]
        assert cell(screen.figures, accuracy_row, 2) == "98.0 %"
        with UnitOfWork(database, write=False) as uow:
            assert kpis.kpi_targets(uow.session) == {"order_accuracy": 0.98}

        qtbot.keyClick(screen, Qt.Key.Key_Escape)
        assert context.navigator.calls == ["home"]


def test_an_operator_sees_why_not(qtbot, context, warehouse):
    context.bridge.log_in(warehouse.operator)
    screen = DashboardScreen(context)
    qtbot.addWidget(screen)
    assert "may not" in screen.summary.text()
