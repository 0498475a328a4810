"""The order's lines as the packer checks them: ordered, picked, packed, still in the tote.

The line the last scan touched is highlighted; packed lines are ticked; units that were never
picked are marked "missing" (a supervisor splits them off before the order can ship).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.orders.documents import OrderLineView

COLUMNS = ("sku", "name", "quantity", "picked", "packed", "to_pack", "state")
NUMERIC = frozenset(("quantity", "picked", "packed", "to_pack"))

# Backgrounds behind black text; each keeps a contrast ratio above 12:1.
TOUCHED_BACKGROUND = QColor("#bcd6ff")
PACKED_BACKGROUND = QColor("#d3efd6")
MISSING_BACKGROUND = QColor("#ffe7a3")
Index = QModelIndex | QPersistentModelIndex


class PackLinesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.lines: tuple[OrderLineView, ...] = ()
        self.touched_sku: str | None = None

    def show_lines(self, lines: tuple[OrderLineView, ...], touched_sku: str | None = None) -> None:
        self.beginResetModel()
        self.lines = tuple(lines)
        self.touched_sku = touched_sku
        self.endResetModel()

    def touched_row(self) -> int | None:
        return next((n for n, line in enumerate(self.lines) if line.sku == self.touched_sku), None)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(COLUMNS) - 1))

    # --- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.header_titles()[section]

    def header_titles(self) -> tuple[str, ...]:
        return (self.tr("SKU"), self.tr("Product"), self.tr("Ordered"), self.tr("Picked"),
                self.tr("Packed"), self.tr("In tote"), "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = COLUMNS[index.column()]
        touched = line.sku == self.touched_sku
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if touched:
                return QBrush(TOUCHED_BACKGROUND)
            if line.packed >= line.quantity:
                return QBrush(PACKED_BACKGROUND)
            if line.picked == line.packed and line.picked < line.quantity:
                return QBrush(MISSING_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.FontRole and touched:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_text(self, line: OrderLineView, column: str) -> str:
        if column == "to_pack":
            return str(line.picked - line.packed)
        if column == "state":
            if line.packed >= line.quantity:
                return "\u2713"
            never_picked = line.quantity - line.picked
            return self.tr("{units} missing").format(units=never_picked) if never_picked else ""
        return str(getattr(line, column))
