"""The open receipts, to choose from with the arrow keys when there is no paper to scan.

The scan field keeps the keyboard focus; the screen forwards arrow keys here and opens the
highlighted receipt on Enter. A double click opens one too (the mouse is only a fallback).
A model, not an item per receipt: thousands of open receipts cost one model reset, and a
row's text is only made when the view paints it (also after a language change).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from app.services.receiving.receipts import ReceiptView

NUMBER_ROLE = Qt.ItemDataRole.UserRole


def kind_name(kind: str) -> str:
    names = {
        "po": QCoreApplication.translate("ReceivingScreen", "purchase order"),
        "asn": QCoreApplication.translate("ReceivingScreen", "ASN"),
    }
    return names.get(kind, kind)


class OpenReceiptsModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.receipts: list[ReceiptView] = []

    def show_receipts(self, receipts: list[ReceiptView]) -> None:
        self.beginResetModel()
        self.receipts = list(receipts)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.receipts)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        receipt = self.receipts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(receipt)
        if role == NUMBER_ROLE:
            return receipt.number
        return None

    def retranslate(self) -> None:
        if self.receipts:
            self.dataChanged.emit(self.index(0), self.index(len(self.receipts) - 1))


def describe(receipt: ReceiptView) -> str:
    expected = sum(line.expected for line in receipt.lines)
    done = sum(line.received + line.damaged for line in receipt.lines)
    return QCoreApplication.translate("OpenReceiptsList", "{number}    {supplier}    {kind}    {done} of {expected} units").format(
        number=receipt.number, supplier=receipt.supplier, kind=kind_name(receipt.kind),
        done=done, expected=expected)


class OpenReceiptsList(QListView):
    chosen = Signal(str)  # the receipt's number, as if it had been scanned

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openReceipts")
        self.model_ = OpenReceiptsModel(self)
        self.setModel(self.model_)
        self.setUniformItemSizes(True)  # no size asked of every row: thousands stay cheap
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.setStyleSheet(
            "QListView#openReceipts { font-size: 20pt; border: 2px solid #888888; }"
            " QListView#openReceipts::item { padding: 10px; border-bottom: 1px solid #cccccc; }"
            " QListView#openReceipts::item:selected { background: #0a2a5e; color: #ffffff; }"
        )
        self.doubleClicked.connect(lambda index: self.chosen.emit(index.data(NUMBER_ROLE)))

    @property
    def receipts(self) -> list[ReceiptView]:
        return self.model_.receipts

    def show_receipts(self, receipts: list[ReceiptView]) -> None:
        previous = self.selected_number()
        self.model_.show_receipts(receipts)
        numbers = [receipt.number for receipt in self.model_.receipts]
        if numbers:
            self.setCurrentRow(numbers.index(previous) if previous in numbers else 0)

    def describe(self, receipt: ReceiptView) -> str:
        return describe(receipt)

    def retranslate(self) -> None:
        self.model_.retranslate()

    def count(self) -> int:
        return self.model_.rowCount()

    def currentRow(self) -> int:  # noqa: N802 - as QListWidget names it
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 - as QListWidget names it
        self.setCurrentIndex(self.model_.index(row))

    def selected_number(self) -> str | None:
        index = self.currentIndex()
        return index.data(NUMBER_ROLE) if index.isValid() else None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` rows, stopping at the ends."""
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollTo(self.model_.index(row))
