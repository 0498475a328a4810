"""The announced and open returns, to choose from with the arrow keys when there is nothing
to scan. The scan field keeps the keyboard focus; the screen forwards the arrow keys."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.services.returns.data import RmaView

NUMBER_ROLE = Qt.ItemDataRole.UserRole


class OpenRmasList(QListWidget):
    chosen = Signal(str)  # the RMA's number, as if it had been scanned

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openRmas")
        self.views: list[RmaView] = []
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            "QListWidget#openRmas { font-size: 20pt; border: 2px solid #888888; }"
            " QListWidget#openRmas::item { padding: 10px; border-bottom: 1px solid #cccccc; }"
            " QListWidget#openRmas::item:selected { background: #0a2a5e; color: #ffffff; }")
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(NUMBER_ROLE)))

    def show_rmas(self, views: list[RmaView]) -> None:
        previous = self.selected_number()
        self.views = list(views)
        self.clear()
        for view in self.views:
            item = QListWidgetItem(self.describe(view))
            item.setData(NUMBER_ROLE, view.number)
            self.addItem(item)
        numbers = [view.number for view in self.views]
        if numbers:
            self.setCurrentRow(numbers.index(previous) if previous in numbers else 0)

    def describe(self, view: RmaView) -> str:
        return self.tr("{rma}    order {order}    {received} of {expected} units").format(
            rma=view.label, order=view.order_number, received=view.received, expected=view.expected)

    def retranslate(self) -> None:
        for row, view in enumerate(self.views):
            self.item(row).setText(self.describe(view))

    def selected_number(self) -> str | None:
        item = self.currentItem()
        return item.data(NUMBER_ROLE) if item is not None else None

    def move(self, step: int) -> None:
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))
