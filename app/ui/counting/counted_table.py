"""What the counter has counted at the current location during this visit: SKU, product, lot
and the running total of each. Blind by construction: it is filled only from scan results,
which carry what was counted, never the quantity on record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.services.counting import CountScanResult

TOUCHED_BACKGROUND = QColor("#bcd6ff")  # as the receiving table: the row the last scan touched


class CountedTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("countedHere")
        self.totals: dict[tuple[str, str | None], tuple[str, int]] = {}  # (sku, lot) -> (name, total)
        self.touched: tuple[str, str | None] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(48)
        self.setStyleSheet("QTableWidget#countedHere { font-size: 18pt; }"
                           " QTableWidget#countedHere QHeaderView::section { font-size: 15pt; padding: 4px 10px; }")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([self.tr("SKU"), self.tr("Product"), self.tr("Lot"),
                                        self.tr("Counted")])

    def reset(self) -> None:
        self.totals.clear()
        self.touched = None
        self._fill()

    def record(self, result: CountScanResult) -> None:
        """A scan (or an undo) changed the running total of one product and lot."""
        key = (result.sku, result.lot)
        self.totals[key] = (result.name, result.line_total)
        self.touched = key
        self._fill()

    def _fill(self) -> None:
        self.setRowCount(len(self.totals))
        bold = QFont()
        bold.setBold(True)
        for row, ((sku, lot), (name, total)) in enumerate(self.totals.items()):
            touched = (sku, lot) == self.touched
            for column, text in enumerate((sku, name, lot or "", str(total))):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if touched:
                    item.setBackground(QBrush(TOUCHED_BACKGROUND))
                    item.setFont(bold)
                self.setItem(row, column, item)
            if touched:
                self.scrollToItem(self.item(row, 0))
