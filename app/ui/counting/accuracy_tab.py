"""Inventory record accuracy: the share of counted lines within tolerance per week or month,
by ABC class or by zone, as a table; the count results as CSV and the report as PDF."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import counting
from app.services.counting.documents import accuracy_report_pdf
from app.ui import dates
from app.ui.bridge import Bridge, OperationFailed
from app.ui.counting.desk import dense_header
from app.ui.counting.files import SaveFileDialog, write_file

NUMBER_ALIGN = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class AccuracyTab(QWidget):
    said = Signal(str, str)  # state ("ok" | "attention" | "error"), translated text

    def __init__(self, bridge: Bridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.period_label, self.period = QLabel(), QComboBox(objectName="accuracyPeriod")
        self.group_label, self.grouping = QLabel(), QComboBox(objectName="accuracyGrouping")
        self.period.addItems(["", ""])  # month, week: texts set in retranslate()
        self.grouping.addItems(["", ""])  # class, zone
        today = dates.today()
        self.since_label, self.since = QLabel(), QDateEdit(today.addYears(-1), objectName="accuracySince")
        self.until_label, self.until = QLabel(), QDateEdit(today, objectName="accuracyUntil")
        for label, field in ((self.period_label, self.period), (self.group_label, self.grouping),
                             (self.since_label, self.since), (self.until_label, self.until)):
            label.setBuddy(field)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _date: self.load())
        self.period.currentIndexChanged.connect(lambda _index: self.load())
        self.grouping.currentIndexChanged.connect(lambda _index: self.load())
        self.table = QTableWidget(0, 5, objectName="accuracyTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        dense_header(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.overall = QLabel(objectName="accuracyOverall")
        self.csv_button = QPushButton(objectName="csvButton")
        self.pdf_button = QPushButton(objectName="pdfButton")
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.save_pdf)
        choices = QHBoxLayout()
        choices.setSpacing(12)
        for widget in (self.period_label, self.period, self.group_label, self.grouping,
                       self.since_label, self.since, self.until_label, self.until):
            choices.addWidget(widget)
        choices.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.overall, 1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def choices(self) -> dict:
        return dict(period=("month", "week")[self.period.currentIndex()],
                    since=self.since.date().toPython(), until=self.until.date().toPython())

    def load(self) -> None:
        by = ("class", "zone")[self.grouping.currentIndex()]
        try:
            rows = self.bridge.query(counting.inventory_accuracy, by=by, **self.choices())
            overall = self.bridge.query(counting.inventory_accuracy, **self.choices())
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = (row.period_start.isoformat(), row.group or "-", str(row.lines),
                     str(row.within_tolerance), f"{100 * row.accuracy:.1f} %")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(NUMBER_ALIGN)
                self.table.setItem(index, column, item)
        lines = sum(row.lines for row in overall)
        within = sum(row.within_tolerance for row in overall)
        self.overall.setText(
            self.tr("Overall: {within} of {lines} counted lines within tolerance ({share})").format(
                within=within, lines=lines, share=f"{100 * within / lines:.1f} %")
            if lines else self.tr("No counted lines in this period."))

    def export_csv(self) -> None:
        choices = self.choices()
        path = SaveFileDialog.ask(self, self.tr("Export count results"),
                                  "count-results-{since}-{until}.csv".format(**choices),
                                  self.tr("CSV files (*.csv)"))
        if path is None:
            return
        out = io.StringIO(newline="")
        try:
            written = self.bridge.query(counting.write_count_results_csv, out,
                                        since=choices["since"], until=choices["until"])
            write_file(path, out.getvalue().encode("utf-8"))
        except (OperationFailed, OSError) as failure:
            self.said.emit("error", self._problem(failure))
            return
        self.said.emit("ok", self.tr("%n count line(s) written to {path}", None, written).format(path=str(path)))

    def save_pdf(self) -> None:
        choices = self.choices()
        path = SaveFileDialog.ask(self, self.tr("Save accuracy report"),
                                  "accuracy-{since}-{until}.pdf".format(**choices), self.tr("PDF files (*.pdf)"))
        if path is None:
            return
        try:
            write_file(path, self.bridge.query_long(self, self.tr("Writing the accuracy report…"),
                                                    accuracy_report_pdf, **choices))
        except (OperationFailed, OSError) as failure:
            self.said.emit("error", self._problem(failure))
            return
        self.said.emit("ok", self.tr("Accuracy report saved to {path}").format(path=str(path)))

    def _problem(self, failure: Exception) -> str:
        if isinstance(failure, OperationFailed):
            return failure.message
        return self.tr("Could not write the file: {reason}").format(reason=str(failure))

    def retranslate(self) -> None:
        self.period_label.setText(self.tr("P&eriod"))
        self.period.setItemText(0, self.tr("Month"))
        self.period.setItemText(1, self.tr("Week"))
        self.group_label.setText(self.tr("B&y"))
        self.grouping.setItemText(0, self.tr("ABC class"))
        self.grouping.setItemText(1, self.tr("Zone"))
        self.since_label.setText(self.tr("&From"))
        self.until_label.setText(self.tr("&Until"))
        self.table.setHorizontalHeaderLabels([self.tr("Period from"), self.tr("Group"),
                                              self.tr("Lines counted"), self.tr("Within tolerance"),
                                              self.tr("Accuracy")])
        self.csv_button.setText(self.tr("Export results as &CSV\u2026"))
        self.pdf_button.setText(self.tr("Save report as P&DF\u2026"))
