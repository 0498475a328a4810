"""The units of the open RMA as a table: what came back, its grade, and where it was sent.

The unit being inspected is highlighted; flagged units say why in the last column, so the
operator sees at arm's length what is done, what waits, and what needs a second look.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.returns.data import UnitView
from app.ui.returns.texts import disposition_name, flag_names

COLUMNS = ("unit", "sku", "lot", "grade", "route", "check")
CURRENT_BACKGROUND = QColor("#bcd6ff")
DONE_BACKGROUND = QColor("#d3efd6")
FLAG_TEXT = QColor("#8a3b00")  # dark amber on white and on the tints above
Index = QModelIndex | QPersistentModelIndex


class ReturnUnitsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.units: tuple[UnitView, ...] = ()
        self.current_id: int | None = None

    def show_units(self, units: tuple[UnitView, ...], current_id: int | None) -> None:
        self.beginResetModel()
        self.units = tuple(u for u in units if u.status != "cancelled")
        self.current_id = current_id
        self.endResetModel()

    def row_of(self, unit_id: int | None) -> int | None:
        return next((row for row, unit in enumerate(self.units) if unit.unit_id == unit_id), None)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.units:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.units) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.units)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Unit"), self.tr("SKU"), self.tr("Lot / serial"), self.tr("Grade"),
                self.tr("Sent to"), self.tr("Check"))[section]

    def cell_text(self, unit: UnitView, column: str) -> str:
        if column == "unit":
            return unit.code
        if column == "sku":
            return unit.sku if unit.quantity == 1 else f"{unit.sku} x{unit.quantity}"
        if column == "lot":
            return unit.lot or ""
        if column == "grade":
            return unit.grade or ""
        if column == "route":
            if unit.waiting:
                return self.tr("waiting for inspection")
            return "\u2713 {what} \u2192 {where}".format(what=disposition_name(unit.disposition),
                                                       where=unit.destination or "")
        return flag_names(unit.flags)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        unit = self.units[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(unit, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if unit.unit_id == self.current_id:
                return QBrush(CURRENT_BACKGROUND)
            return QBrush(DONE_BACKGROUND) if not unit.waiting else None
        if role == Qt.ItemDataRole.ForegroundRole and column == "check" and unit.flags:
            return QBrush(FLAG_TEXT)
        if role == Qt.ItemDataRole.FontRole and unit.unit_id == self.current_id:
            font = QFont()
            font.setBold(True)
            return font
        return None
