"""The lines of the open receipt as a table: what was expected, what has arrived, what is left.

The row the last scan touched is highlighted, completed rows are tinted green and carry a
check mark, so the operator sees progress at arm's length without reading every number.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.receiving.receipts import LineView, ReceiptView

COLUMNS = ("sku", "name", "expected", "received", "damaged", "remaining")
NUMERIC = frozenset(("expected", "received", "damaged", "remaining"))

# Backgrounds behind black text; each pair keeps a contrast ratio above 12:1.
TOUCHED_BACKGROUND = QColor("#bcd6ff")
COMPLETE_BACKGROUND = QColor("#d3efd6")
DAMAGED_TEXT = QColor("#8a3b00")  # dark amber: readable on every background here
Index = QModelIndex | QPersistentModelIndex


class ReceiptLinesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.lines: tuple[LineView, ...] = ()
        self.touched_line_id: int | None = None

    # --- updates ----------------------------------------------------------------------
    def show_receipt(self, receipt: ReceiptView | None, touched_line_id: int | None = None) -> None:
        self.beginResetModel()
        self.lines = receipt.lines if receipt is not None else ()
        self.touched_line_id = touched_line_id
        self.endResetModel()

    def touched_row(self) -> int | None:
        for row, line in enumerate(self.lines):
            if line.line_id == self.touched_line_id:
                return row
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

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
        return (self.tr("SKU"), self.tr("Name"), self.tr("Expected"), self.tr("Received"),
                self.tr("Damaged"), self.tr("Remaining"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.line_id == self.touched_line_id:
                return QBrush(TOUCHED_BACKGROUND)
            if line.complete:
                return QBrush(COMPLETE_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == "damaged" and line.damaged:
            return QBrush(DAMAGED_TEXT)
        if role == Qt.ItemDataRole.FontRole and line.line_id == self.touched_line_id:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_text(self, line: LineView, column: str) -> str:
        if column == "remaining":
            if not line.complete:
                return str(line.remaining)
            over = line.received + line.damaged - line.expected
            # A check mark, not colour alone, says "done"; "+n" says more came than ordered.
            return "\u2713" if over <= 0 else f"\u2713 +{over}"
        return str(getattr(line, column))
