"""What waits to be put away, as a table in walking order.

The rows of the task in hand are highlighted, so the operator sees which line of the dock
the scanned item or plate came from.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.putaway.tasks import WaitingItem

COLUMNS = ("location", "sku", "name", "lot", "license_plate", "quantity")
TASK_BACKGROUND = QColor("#bcd6ff")  # black text on it keeps a contrast ratio above 12:1
Index = QModelIndex | QPersistentModelIndex
RowKey = tuple[int, int, int | None, int | None]  # location, product, lot, plate


def row_key(item: WaitingItem) -> RowKey:
    return (item.location_id, item.product_id, item.lot_id, item.license_plate_id)


class WaitingModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.items: tuple[WaitingItem, ...] = ()
        self.highlighted: frozenset[RowKey] = frozenset()

    # --- updates ----------------------------------------------------------------------
    def show_items(self, items: Iterable[WaitingItem]) -> None:
        self.beginResetModel()
        self.items = tuple(items)
        self.endResetModel()

    def highlight(self, keys: Iterable[RowKey]) -> None:
        self.highlighted = frozenset(keys)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, len(COLUMNS) - 1))

    def highlighted_rows(self) -> list[int]:
        return [row for row, item in enumerate(self.items) if row_key(item) in self.highlighted]

    def units(self) -> int:
        return sum(item.quantity for item in self.items)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # --- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.header_titles()[section]

    def header_titles(self) -> tuple[str, ...]:
        return (self.tr("Location"), self.tr("SKU"), self.tr("Name"), self.tr("Lot"),
                self.tr("License plate"), self.tr("Quantity"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(item, column)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == "quantity" else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        in_task = row_key(item) in self.highlighted
        if role == Qt.ItemDataRole.BackgroundRole and in_task:
            return QBrush(TASK_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and in_task:
            font = QFont()
            font.setBold(True)
            return font
        return None
