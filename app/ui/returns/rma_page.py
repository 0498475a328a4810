"""The open RMA's page: a header with its progress, the unit being inspected, the last
routing label, and every unit that came back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.returns.data import RmaView
from app.ui.returns.inspection_panel import InspectionPanel, InspectionState
from app.ui.returns.units_model import ReturnUnitsModel


class RmaPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel(objectName="rmaHeader")
        self.header.setWordWrap(True)
        self.header.setStyleSheet("QLabel#rmaHeader { font-size: 20pt; font-weight: bold; }")
        self.panel = InspectionPanel()
        self.label_line = QLabel(objectName="labelLine")
        self.label_line.setWordWrap(True)
        self.units_model = ReturnUnitsModel(self)
        self.table = QTableView(objectName="returnUnits")
        self.table.setModel(self.units_model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setStyleSheet("QTableView#returnUnits { font-size: 16pt; }")
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.header, self.panel, self.label_line):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)

    def show_rma(self, rma: RmaView | None, state: InspectionState | None, label_note: str) -> None:
        """Everything on the page, in the current language."""
        self.units_model.retranslate()
        current = state.unit.unit_id if state is not None else None
        self.units_model.show_units(rma.units if rma is not None else (), current)
        row = self.units_model.row_of(current)
        if row is not None:
            self.table.scrollTo(self.units_model.index(row, 0))
        self.panel.setVisible(state is not None)
        if state is not None:
            self.panel.show_state(state)
        self.label_line.setText(label_note)
        self.label_line.setVisible(bool(label_note))
        if rma is None:
            self.header.clear()
            return
        kind = self.tr("announced") if rma.announced else self.tr("unannounced")
        progress = (self.tr("{received} of {expected} units").format(received=rma.received, expected=rma.expected)
                    if rma.announced else self.tr("{received} units").format(received=rma.received))
        self.header.setText("    ".join((rma.label, self.tr("order {order}").format(order=rma.order_number), kind,
                                         progress, self.tr("{waiting} waiting").format(waiting=len(rma.waiting)))))
