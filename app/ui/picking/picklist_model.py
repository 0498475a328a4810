"""The wave's pick list in walking order: done lines ticked, short lines marked, the current
line highlighted, so the picker sees at arm's length how far the cart has come."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.waves.release import PickListRow

COLUMNS = ("sequence", "location", "sku", "name", "lot", "quantity", "picked", "tote_slot", "state")
NUMERIC = frozenset(("sequence", "quantity", "picked", "tote_slot"))

# Backgrounds behind black text; each keeps a contrast ratio above 12:1.
CURRENT_BACKGROUND = QColor("#bcd6ff")
DONE_BACKGROUND = QColor("#d3efd6")
SHORT_BACKGROUND = QColor("#ffe7a3")
Index = QModelIndex | QPersistentModelIndex


class PickListModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.rows: tuple[PickListRow, ...] = ()
        self.current: int | None = None  # the sequence number being picked

    def show_rows(self, rows: list[PickListRow], current: int | None) -> None:
        self.beginResetModel()
        self.rows = tuple(rows)
        self.current = current
        self.endResetModel()

    def current_row(self) -> int | None:
        return next((n for n, row in enumerate(self.rows) if row.sequence == self.current), None)

    def row_of(self, sequence: int) -> PickListRow | None:
        return next((row for row in self.rows if row.sequence == sequence), None)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    # --- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.header_titles()[section]

    def header_titles(self) -> tuple[str, ...]:
        return ("#", self.tr("Location"), self.tr("SKU"), self.tr("Product"), self.tr("Lot"),
                self.tr("Qty"), self.tr("Picked"), self.tr("Tote"), "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        current = row.sequence == self.current
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if current:
                return QBrush(CURRENT_BACKGROUND)
            if row.status == "done":
                return QBrush(DONE_BACKGROUND)
            if row.status == "short":
                return QBrush(SHORT_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.FontRole and current:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_text(self, row: PickListRow, column: str) -> str:
        if column == "state":
            # A mark, not colour alone, says how the line ended.
            if row.status == "done":
                return "\u2713"
            if row.status == "short":
                return self.tr("{missing} short").format(missing=row.quantity - row.picked)
            return "\u25b6" if row.sequence == self.current else ""
        return str(getattr(row, column))
