"""Supervisors: the audit log, filtered by user, action, document and time; CSV export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.services import audit
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen


class AuditScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.rows: list[audit.AuditRow] = []
        self.title = QLabel(objectName="screenTitle")
        self.user = QLineEdit(objectName="auditUser")
        self.action = QLineEdit(objectName="auditAction")
        self.document = QLineEdit(objectName="auditDocument")
        now = QDateTime.fromSecsSinceEpoch(int(clock.now().timestamp()))
        self.use_since, self.use_until = QCheckBox(objectName="auditUseSince"), QCheckBox(objectName="auditUseUntil")
        self.since = QDateTimeEdit(now.addDays(-7), objectName="auditSince", calendarPopup=True)
        self.until = QDateTimeEdit(now.addDays(1), objectName="auditUntil", calendarPopup=True)
        for field in (self.user, self.action, self.document):
            field.returnPressed.connect(self.search)
        self.search_button = QPushButton(objectName="auditSearch", clicked=self.search)
        self.export_button = QPushButton(objectName="auditExport", clicked=self.export)
        self.labels = [QLabel(wordWrap=True) for _ in range(3)]  # long hints wrap, never widen
        grid = QGridLayout()
        for column, (label, field) in enumerate(zip(self.labels, (self.user, self.action, self.document),
                                                    strict=True)):
            grid.addWidget(label, 0, column)
            grid.addWidget(field, 1, column)
        grid.addWidget(self.use_since, 0, 3)
        grid.addWidget(self.since, 1, 3)
        grid.addWidget(self.use_until, 0, 4)
        grid.addWidget(self.until, 1, 4)
        grid.addWidget(self.search_button, 0, 5)  # stacked: the filters keep the width
        grid.addWidget(self.export_button, 1, 5)
        self.table = QTableWidget(0, 5, objectName="auditTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(objectName="auditMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit log"))
        for label, text in zip(self.labels, (self.tr("User"), self.tr("Action (end with * for a prefix)"),
                                             self.tr("Document")), strict=True):
            label.setText(text)
        self.use_since.setText(self.tr("From"))
        self.use_until.setText(self.tr("Until"))
        self.search_button.setText(self.tr("Search"))
        self.export_button.setText(self.tr("Export CSV..."))
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("User"), self.tr("Workstation"),
                                              self.tr("Action"), self.tr("Details")])

    def shown(self) -> None:
        self.search()

    def current_filter(self) -> audit.AuditFilter:
        def instant(edit: QDateTimeEdit) -> dt.datetime:
            return dt.datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), tz=dt.UTC)

        return audit.AuditFilter(
            user=self.user.text(), action=self.action.text(), document=self.document.text(),
            since=instant(self.since) if self.use_since.isChecked() else None,
            until=instant(self.until) if self.use_until.isChecked() else None)

    def search(self) -> None:
        try:
            self.rows = self.bridge.query(audit.search, self.current_filter(), actor=self.bridge.require_actor())
        except OperationFailed as failure:
            self.message.setText(failure.message)
            return
        self.table.setRowCount(len(self.rows))
        for row, entry in enumerate(self.rows):
            at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
            cells = (at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), entry.user, entry.workstation,
                     entry.action, entry.details)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.message.setText(self.tr("%n entries", "", len(self.rows)))

    @classmethod
    def ask_path(cls, parent: QWidget) -> str:
        """Where to save the CSV ('' when cancelled). Tests replace this."""
        title = QCoreApplication.translate("AuditScreen", "Export audit log")
        return QFileDialog.getSaveFileName(parent, title, "audit.csv", "CSV (*.csv)")[0]

    def export(self) -> None:
        path = self.ask_path(self)
        if not path:
            return
        Path(path).write_text(audit.to_csv(self.rows), encoding="utf-8")
        self.message.setText(self.tr("{count} entries written to {path}").format(count=len(self.rows), path=path))
