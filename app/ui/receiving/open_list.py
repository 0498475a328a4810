"""The open receipts, to choose from with the arrow keys when there is no paper to scan.

The scan field keeps the keyboard focus; the screen forwards arrow keys here and opens the
highlighted receipt on Enter. A double click opens one too (the mouse is only a fallback).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.services.receiving.receipts import ReceiptView

NUMBER_ROLE = Qt.ItemDataRole.UserRole


def kind_name(kind: str) -> str:
    names = {
        "po": QCoreApplication.translate("ReceivingScreen", "purchase order"),
        "asn": QCoreApplication.translate("ReceivingScreen", "ASN"),
    }
    return names.get(kind, kind)


class OpenReceiptsList(QListWidget):
    chosen = Signal(str)  # the receipt's number, as if it had been scanned

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openReceipts")
        self.receipts: list[ReceiptView] = []
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.setStyleSheet(
            "QListWidget#openReceipts { font-size: 20pt; border: 2px solid #888888; }"
            " QListWidget#openReceipts::item { padding: 10px; border-bottom: 1px solid #cccccc; }"
            " QListWidget#openReceipts::item:selected { background: #0a2a5e; color: #ffffff; }"
        )
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(NUMBER_ROLE)))

    def show_receipts(self, receipts: list[ReceiptView]) -> None:
        previous = self.selected_number()
        self.receipts = list(receipts)
        self.clear()
        for receipt in self.receipts:
            item = QListWidgetItem(self.describe(receipt))
            item.setData(NUMBER_ROLE, receipt.number)
            self.addItem(item)
        numbers = [receipt.number for receipt in self.receipts]
        if numbers:
            self.setCurrentRow(numbers.index(previous) if previous in numbers else 0)

    def describe(self, receipt: ReceiptView) -> str:
        expected = sum(line.expected for line in receipt.lines)
        done = sum(line.received + line.damaged for line in receipt.lines)
        return self.tr("{number}    {supplier}    {kind}    {done} of {expected} units").format(
            number=receipt.number, supplier=receipt.supplier, kind=kind_name(receipt.kind),
            done=done, expected=expected)

    def retranslate(self) -> None:
        for row, receipt in enumerate(self.receipts):
            self.item(row).setText(self.describe(receipt))

    def selected_number(self) -> str | None:
        item = self.currentItem()
        return item.data(NUMBER_ROLE) if item is not None else None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` rows, stopping at the ends."""
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))
