"""Offline scans that need a supervisor: scans kept in this workstation's outbox during an
outage that the server refused when they were sent (the receipt was closed meanwhile, a
serial was received elsewhere...). Each row shows the original scan, who made it, when, and
the server's reason. The supervisor fixes the cause and sends it again (F5: same key, so it
still counts at most once), or marks it done by hand (Del), e.g. after receiving the goods on
another document. Resolved rows keep who resolved them and when."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.services.outbox.store import Refused
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen


class AttentionScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.rows: list[Refused] = []
        self.title = QLabel(objectName="screenTitle")
        self.summary = QLabel(objectName="attentionSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5, objectName="attentionTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.send_button = QPushButton(clicked=self.send_again)
        self.done_button = QPushButton(clicked=self.done_by_hand)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        if self.bridge.offline is not None:
            self.bridge.offline.changed.connect(self.load)
        self.retranslate()  # the data: shown(), each time the screen is shown

    def retranslate(self) -> None:
        self.title.setText(self.tr("Offline scans that need a supervisor"))
        self.table.setHorizontalHeaderLabels([self.tr("Scanned"), self.tr("By"), self.tr("Where"),
                                              self.tr("Scan"), self.tr("Refused because")])
        self.send_button.setText(self.tr("F5 Send again"))
        self.done_button.setText(self.tr("Del Done by hand"))
        self._summarise()

    def load(self) -> None:
        desk = self.bridge.offline
        self.rows = desk.outbox.attention(desk.target) if desk is not None else []
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            entry = row.entry
            when = clock.local(dt.datetime.fromisoformat(entry.scanned_at)).strftime("%Y-%m-%d %H:%M:%S")
            for column, text in enumerate((when, entry.actor.display_name, f"{entry.actor.workstation} "
                                           f"{entry.context}", entry.raw, row.reason)):
                self.table.setItem(number, column, QTableWidgetItem(text))
        if self.rows:
            self.table.selectRow(0)
        self._summarise()

    def _summarise(self) -> None:
        if self.bridge.offline is None:
            self.summary.setText(self.tr("This workstation keeps no offline outbox: its database is on this computer."))
        elif not self.rows:
            self.summary.setText(self.tr("No offline scan needs attention."))
        else:
            self.summary.setText(self.tr(
                "%n offline scan(s) refused by the server. Fix the cause, then send again; or mark as "
                "done by hand.", "", len(self.rows)))
        self.send_button.setEnabled(bool(self.rows))
        self.done_button.setEnabled(bool(self.rows))

    def selected(self) -> Refused | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _resolve(self, send: bool) -> None:
        chosen, desk = self.selected(), self.bridge.offline
        if chosen is None or desk is None:
            return
        try:
            who = self.bridge.require_actor().display_name
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        if send:
            desk.outbox.requeue(chosen.id, by=who)
        else:
            desk.outbox.resolve(chosen.id, by=who, resolution="done by hand")
        desk.attention_changed()
        if send:
            desk.replay_now()

    def send_again(self) -> None:
        self._resolve(True)

    def done_by_hand(self) -> None:
        self._resolve(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_F5:
            self.send_again()
            return
        if event.key() == Qt.Key.Key_Delete:
            self.done_by_hand()
            return
        super().keyPressEvent(event)

    def shown(self) -> None:
        self.load()

