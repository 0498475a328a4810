"""The counter's counts due today, to choose with the arrow keys when there is no sheet to scan.

The scan field keeps the keyboard focus; the screen forwards arrow keys here and opens the
highlighted count on Enter. A double click opens one too (the mouse is only a fallback).
Nothing here shows a quantity on record: MyCount carries none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.services.counting import MyCount
from app.ui.counting.names import count_reason, kind_name

ID_ROLE = Qt.ItemDataRole.UserRole


class MyCountsList(QListWidget):
    chosen = Signal(int)  # the count's id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myCounts")
        self.counts: list[MyCount] = []
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.setStyleSheet(
            "QListWidget#myCounts { font-size: 20pt; border: 2px solid #888888; }"
            " QListWidget#myCounts::item { padding: 10px; border-bottom: 1px solid #cccccc; }"
            " QListWidget#myCounts::item:selected { background: #0a2a5e; color: #ffffff; }"
        )
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(ID_ROLE)))

    def show_counts(self, counts: list[MyCount]) -> None:
        previous = self.selected_id()
        self.counts = list(counts)
        self.clear()
        for count in self.counts:
            item = QListWidgetItem(self.describe(count))
            item.setData(ID_ROLE, count.count_id)
            self.addItem(item)
        ids = [count.count_id for count in self.counts]
        if ids:
            self.setCurrentRow(ids.index(previous) if previous in ids else 0)

    def describe(self, count: MyCount) -> str:
        about = count.only_sku or count_reason(count.reason)
        text = self.tr("{number}    {kind} {about}    {done} of {total} locations done").format(
            number=count.number, kind=kind_name(count.kind), about=about,
            done=count.locations_done, total=count.locations_total)
        if count.next_location:
            text += "    " + self.tr("next: {location}").format(location=count.next_location)
        if not count.assigned_to_me:
            text += "    " + self.tr("(anyone's)")
        return text

    def retranslate(self) -> None:
        for row, count in enumerate(self.counts):
            self.item(row).setText(self.describe(count))

    def find(self, number: str) -> MyCount | None:
        """The listed count with this number ("CC-000012"), however it was typed."""
        wanted = number.strip().upper()
        return next((count for count in self.counts if count.number.upper() == wanted), None)

    def selected_id(self) -> int | None:
        item = self.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` rows, stopping at the ends."""
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))
