"""The return report for supervisors: return rate and grades by channel, product, customer
reason or month, over a chosen period; saved as a PDF for meetings."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.returns_rules import GRADES
from app.services.returns.reports import GROUPS, ReportRow, return_report, return_report_pdf
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext

PERIODS = (30, 90, 365, None)  # days back; None: everything
Index = QModelIndex | QPersistentModelIndex


class ReportModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.rows: list[ReportRow] = []
        self.group = "channel"

    def show_rows(self, rows: list[ReportRow], group: str) -> None:
        self.beginResetModel()
        self.rows, self.group = rows, group
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 5 + len(GRADES)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = [group_title(self.group), self.tr("Shipped"), self.tr("Returned"), self.tr("Rate")]
        titles += [self.tr("Grade {grade}").format(grade=g) for g in GRADES] + [self.tr("Waiting")]
        return titles[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        rate = row.rate_pct
        values = [row.key, "" if row.shipped is None else row.shipped, row.returned,
                  "" if rate is None else f"{rate:g} %", *(row.grades[g] for g in GRADES), row.waiting]
        return str(values[column])


def group_title(group: str) -> str:
    from PySide6.QtCore import QCoreApplication

    titles = {"channel": QCoreApplication.translate("ReturnReportScreen", "Channel"),
              "product": QCoreApplication.translate("ReturnReportScreen", "Product"),
              "reason": QCoreApplication.translate("ReturnReportScreen", "Customer's reason"),
              "month": QCoreApplication.translate("ReturnReportScreen", "Month")}
    return titles[group]


class ReturnReportScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.group_label, self.period_label = QLabel(), QLabel()
        self.group = QComboBox(objectName="reportGroup")
        self.period = QComboBox(objectName="reportPeriod")
        self.save = QPushButton(objectName="savePdf")
        self.summary = QLabel(objectName="reportSummary")
        self.model = ReportModel(self)
        self.table = QTableView(objectName="reportTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        controls = QHBoxLayout()
        for widget in (self.group_label, self.group, self.period_label, self.period):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.retranslate()
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.save.clicked.connect(self.save_pdf)
        context.bridge.changed.connect(lambda changes: self.refresh() if changes.returns else None)
        self.refresh()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Return report"))
        self.group_label.setText(self.tr("By"))
        self.period_label.setText(self.tr("Period"))
        self.save.setText(self.tr("Save as PDF\u2026"))
        for combo, texts in ((self.group, [group_title(g) for g in GROUPS]),
                             (self.period, [self.tr("last {days} days").format(days=d) if d else self.tr("all time")
                                            for d in PERIODS])):
            index = max(combo.currentIndex(), 0)
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(texts)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)

    def chosen(self) -> tuple[str, dt.datetime | None]:
        days = PERIODS[max(self.period.currentIndex(), 0)]
        since = clock.now() - dt.timedelta(days=days) if days else None
        return GROUPS[max(self.group.currentIndex(), 0)], since

    def refresh(self) -> None:
        group, since = self.chosen()
        try:
            rows = self.bridge.query(return_report, group, since=since)
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        self.model.show_rows(rows, group)
        returned = sum(r.returned for r in rows)
        graded = {g: sum(r.grades[g] for r in rows) for g in GRADES}
        self.summary.setText(self.tr("{returned} units returned; graded A {a}, B {b}, C {c}, D {d}").format(
            returned=returned, a=graded["A"], b=graded["B"], c=graded["C"], d=graded["D"]))

    @classmethod
    def ask_path(cls, parent: QWidget) -> str | None:
        """Where to save the PDF; None when cancelled. Tests replace this method."""
        path, _ = QFileDialog.getSaveFileName(parent, "", "return-report.pdf", "PDF (*.pdf)")
        return path or None

    def save_pdf(self) -> None:
        path = self.ask_path(self)
        if not path:
            return
        group, since = self.chosen()
        try:
            pdf = self.bridge.query_long(self, self.tr("Writing the return report…"), return_report_pdf, group,
                                         since=since)
            with open(path, "wb") as stream:
                stream.write(pdf)
        except (OperationFailed, OSError) as problem:
            self.summary.setText(getattr(problem, "message", None) or str(problem))
            return
        self.summary.setText(self.tr("Saved {path}").format(path=path))

