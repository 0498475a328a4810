"""The supervisor dashboard: each KPI's daily trend over the last four weeks against the
target the supervisor set (charts on top), and underneath the latest figures with their
targets (editable), today's open work and the operators of today.

A ratio with nothing to divide by has no point on its chart and shows "—" in the tables.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QMargins, Qt, QTime
from PySide6.QtGui import QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.services.kpis import KPIS, OPEN_WORK, RATIO_KPIS, Dashboard, dashboard_view, set_kpi_target
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen

DAYS = 28
CHARTED = ("order_accuracy", "stockout_rate", "return_rate", "cycle_time_p50_h", "dock_to_stock_p50_h",
           "record_accuracy")
OPERATOR_COLUMNS = ("scans_per_hour", "lines_per_hour", "error_rate", "hours")
NO_VALUE = "—"
DENSE = ("QTableWidget { font-size: 13px; } QTableWidget::item { padding: 0px 4px; } "
         "QHeaderView::section { font-size: 13px; font-weight: normal; padding: 2px 4px; }")


def shown(kpi: str, value: float | None) -> str:
    """A figure as the dashboard writes it: ratios in %, times in hours."""
    if value is None:
        return NO_VALUE
    if kpi in RATIO_KPIS:
        return f"{100 * value:.1f} %"
    if kpi.endswith("_h") or kpi == "hours":
        return f"{value:.1f} h"
    if kpi in ("inventory_turnover", "scans_per_hour", "lines_per_hour"):
        return f"{value:.2f}"
    return f"{value:g}"


def _scale(kpi: str, value: float) -> float:
    return 100 * value if kpi in RATIO_KPIS else value


def _msecs(day: dt.date) -> float:
    return float(QDateTime(day, QTime(12, 0)).toMSecsSinceEpoch())


def _label(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class KpiChart(QChartView):
    """One KPI's daily line and its target as a dashed line."""

    def __init__(self, kpi: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi = kpi
        self.setObjectName(f"chart_{kpi}")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_ = QChart()
        self.chart_.legend().setVisible(False)
        self.chart_.setMargins(QMargins(2, 2, 2, 2))
        self.setChart(self.chart_)
        self.line = QLineSeries()
        self.line.setPointsVisible(True)
        self.target = QLineSeries()
        pen = QPen(Qt.GlobalColor.darkGreen)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidth(2)
        self.target.setPen(pen)
        self.chart_.addSeries(self.line)
        self.chart_.addSeries(self.target)
        self.x = QDateTimeAxis()
        self.x.setFormat("dd.MM")
        self.x.setTickCount(5)
        self.y = QValueAxis()
        self.y.setLabelFormat("%.0f")
        self.chart_.addAxis(self.x, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.y, Qt.AlignmentFlag.AlignLeft)
        for series in (self.line, self.target):
            series.attachAxis(self.x)
            series.attachAxis(self.y)

    def show_series(self, title: str, points: list[tuple[dt.date, float | None]], target: float | None) -> None:
        self.chart_.setTitle(title)
        values = [(day, _scale(self.kpi, value)) for day, value in points if value is not None]
        self.line.clear()
        for day, value in values:
            self.line.append(_msecs(day), value)
        self.target.clear()
        if target is not None and points:
            for day in (points[0][0], points[-1][0]):
                self.target.append(_msecs(day), _scale(self.kpi, target))
        if points:
            self.x.setRange(QDateTime(points[0][0], QTime(0, 0)), QDateTime(points[-1][0], QTime(23, 59)))
        every = [value for _, value in values] + ([_scale(self.kpi, target)] if target is not None else [])
        top = max(every, default=1.0)
        self.y.setRange(0, 100 if self.kpi in RATIO_KPIS and top <= 100 else max(top * 1.1, 1.0))
        if self.kpi not in RATIO_KPIS:
            self.y.applyNiceNumbers()

    def point_count(self) -> int:
        return self.line.count()


class DashboardScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.data: Dashboard | None = None
        self.title = QLabel(objectName="screenTitle")
        self.charts = {kpi: KpiChart(kpi) for kpi in CHARTED}
        grid = QGridLayout()
        for n, chart in enumerate(self.charts.values()):
            chart.setMinimumHeight(150)
            grid.addWidget(chart, n // 3, n % 3)
        self.figures = QTableWidget(len(KPIS), 3, objectName="dashboardFigures")
        self.work = QTableWidget(len(OPEN_WORK), 2, objectName="dashboardWork")
        self.operators = QTableWidget(0, 1 + len(OPERATOR_COLUMNS), objectName="dashboardOperators")
        for table in (self.figures, self.work, self.operators):
            table.setAlternatingRowColors(True)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            table.verticalHeader().setDefaultSectionSize(24)
            table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            table.setStyleSheet(DENSE)  # a supervisor's table: more rows, smaller type than the floor's
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.figures.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                     | QAbstractItemView.EditTrigger.EditKeyPressed
                                     | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.work.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.operators.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.figures.itemChanged.connect(self._target_edited)
        self.table_titles = [QLabel() for _ in range(3)]
        tables = QHBoxLayout()
        for label, table, stretch in zip(self.table_titles, (self.figures, self.work, self.operators), (5, 3, 4),
                                         strict=True):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(table, 1)
            tables.addLayout(column, stretch)
        self.summary = QLabel(objectName="dashboardSummary")
        self.keys = QLabel(objectName="keyHints")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid, 3)
        layout.addLayout(tables, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.keys)
        self._filling = False
        self.bridge.changed.connect(self._changed)
        self.retranslate()
        self.load()

    # --- words ------------------------------------------------------------------------------
    def kpi_title(self, kpi: str) -> str:
        return {
            "order_accuracy": self.tr("Order accuracy (%)"),
            "cycle_time_p50_h": self.tr("Cycle time, median (h)"),
            "cycle_time_p90_h": self.tr("Cycle time, 90th percentile (h)"),
            "return_rate": self.tr("Return rate (%)"),
            "stockout_rate": self.tr("Stockout rate (%)"),
            "dock_to_stock_p50_h": self.tr("Dock-to-stock, median (h)"),
            "dock_to_stock_p90_h": self.tr("Dock-to-stock, 90th percentile (h)"),
            "inventory_turnover": self.tr("Inventory turnover"),
            "record_accuracy": self.tr("Inventory record accuracy (%)"),
        }[kpi]

    def work_title(self, what: str) -> str:
        return {
            "receipts": self.tr("Receipts open"), "putaway": self.tr("Put-away waiting"),
            "waves": self.tr("Waves not picked"), "replenish": self.tr("Replenishments open"), "counts": self.tr("Counts open"),
            "returns": self.tr("Returns to inspect"), "attention": self.tr("Needs attention"),
        }[what]

    def retranslate(self) -> None:
        self.title.setText(self.tr("Dashboard"))
        for label, text in zip(self.table_titles, (self.tr("Latest figures and targets"),
                                                   self.tr("Open work now"), self.tr("Operators today")),
                               strict=True):
            label.setText(text)
        self.figures.setHorizontalHeaderLabels(["", self.tr("Latest"), self.tr("Target")])
        self.work.setHorizontalHeaderLabels(["", self.tr("Count")])
        self._filling = True
        try:
            for row, kpi in enumerate(KPIS):
                self.figures.setItem(row, 0, _label(self.kpi_title(kpi)))
            for row, what in enumerate(OPEN_WORK):
                self.work.setItem(row, 0, _label(self.work_title(what)))
        finally:
            self._filling = False
        self.operators.setHorizontalHeaderLabels([
            self.tr("Operator"), self.tr("Scans/h"), self.tr("Lines/h"), self.tr("Error rate"), self.tr("Hours")])
        self.keys.setText(self.tr("F5: refresh   Double-click a target to change it   Esc: back"))
        if self.data is not None:
            self.show_data(self.data)

    # --- data -------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            actor = self.bridge.require_actor()
            data = self.bridge.query(dashboard_view, actor=actor, days=DAYS)
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        if not isValid(self.figures):  # closed while the query ran
            return
        self.show_data(data)

    def show_data(self, data: Dashboard) -> None:
        self.data = data
        for kpi, chart in self.charts.items():
            chart.show_series(self.kpi_title(kpi), data.report.series(kpi), data.targets.get(kpi))
        self._filling = True
        try:
            for row, kpi in enumerate(KPIS):
                latest = data.latest(kpi)
                target = data.targets.get(kpi)
                cells = (shown(kpi, latest.value if latest else None), shown(kpi, target) if target is not None else "")
                for column, text in enumerate(cells, start=1):
                    item = QTableWidgetItem(text)
                    if column == 1:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                        if latest is not None:  # the day the latest value is of
                            item.setToolTip(latest.period_start.strftime("%d.%m.%Y"))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.figures.setItem(row, column, item)
        finally:
            self._filling = False
        for row, what in enumerate(OPEN_WORK):
            item = QTableWidgetItem(str(getattr(data.work, what)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.work.setItem(row, 1, item)
        people = data.operators_today()
        self.operators.setRowCount(len(people))
        for row, (name, figures) in enumerate(sorted(people.items())):
            self.operators.setItem(row, 0, QTableWidgetItem(name))
            for column, kpi in enumerate(OPERATOR_COLUMNS, start=1):
                item = QTableWidgetItem(shown(kpi, figures.get(kpi)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.operators.setItem(row, column, item)
        self.summary.setText(self.tr("Daily figures of the last {days} days up to {today}; dashed line: target.")
                             .format(days=DAYS, today=data.today.strftime("%d.%m.%Y")))

    def _target_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 2:
            return
        kpi = KPIS[item.row()]
        text = item.text().replace("%", "").replace("h", "").replace(",", ".").strip()
        try:
            value = None if not text or text == NO_VALUE else float(text)
        except ValueError:
            self.summary.setText(self.tr("A target is a number, e.g. 99.5"))
            return
        if value is not None and kpi in RATIO_KPIS:
            value /= 100
        try:
            self.bridge.run(set_kpi_target, kpi, value, actor=self.bridge.require_actor(),
                            changes=Changes(settings=True))
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        self.load()

    def _changed(self, changes: Changes) -> None:
        if not isValid(self) or not self.isVisible():
            return
        if changes.settings:  # the target the supervisor just set is reloaded by _target_edited
            return
        self.load()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_F5:
            self.load()
            return
        super().keyPressEvent(event)
