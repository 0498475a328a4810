"""Stock view for supervisors: on-hand by product, location and lot, and how it got there."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen
from app.ui.stock.models import MoveTableModel, StockTableModel

SEARCH_DELAY_MS = 350  # search while typing, once the typing pauses


def _table(model, stretch: int) -> QTableView:  # noqa: ANN001
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class StockScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.search_label = QLabel()
        self.search = QLineEdit(objectName="stockSearch")
        self.search_label.setBuddy(self.search)
        self.search.returnPressed.connect(self.run_search)
        self.search.textEdited.connect(lambda _text: self._typing.start())
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.run_search)
        self.summary = QLabel(objectName="stockSummary")
        self.summary.setWordWrap(True)
        self.stock = StockTableModel(self.bridge, self)
        self.stock_view = _table(self.stock, stretch=1)  # the product name takes the room
        self.stock_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.history_of_product = QRadioButton()
        self.history_of_location = QRadioButton()
        self.history_of_product.setChecked(True)
        self.history_choice = QButtonGroup(self)
        self.history_choice.addButton(self.history_of_product)
        self.history_choice.addButton(self.history_of_location)
        self.history_choice.buttonToggled.connect(lambda *_: self.show_history())
        self.history_title = QLabel(objectName="historyTitle")
        self.moves = MoveTableModel(self.bridge, self)
        self.moves_view = _table(self.moves, stretch=9)  # the document
        self.keys = QLabel(objectName="keyHints")

        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history_title, 1)
        history_row.addWidget(self.history_of_product)
        history_row.addWidget(self.history_of_location)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(history_row)
        lower_layout.addWidget(self.moves_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.stock_view)
        splitter.addWidget(lower)
        splitter.setSizes([500, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addLayout(search_row)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.keys)
        self.setTabOrder(self.search, self.stock_view)
        self.setTabOrder(self.stock_view, self.history_of_product)
        self.setTabOrder(self.history_of_product, self.history_of_location)
        self.setTabOrder(self.history_of_location, self.moves_view)
        context.bridge.changed.connect(self.refresh_on)
        self.retranslate()
        self.run_search()

    # --- behaviour ----------------------------------------------------------------------
    def run_search(self) -> None:
        self._typing.stop()
        try:
            self.stock.search(self.search.text())
        except OperationFailed as failure:
            self.summary.setText(failure.message)
            return
        self.moves.clear()
        self._describe_results()
        self._describe_history()
        self.stock_view.resizeColumnsToContents()
        self.moves_view.resizeColumnsToContents()  # empty: as wide as the column titles

    def selected_row(self):  # noqa: ANN201 - StockRow | None
        rows = self.stock_view.selectionModel().selectedRows()
        return self.stock.rows[rows[0].row()] if rows else None

    def show_history(self) -> None:
        row = self.selected_row()
        if row is None:
            self.moves.clear()
        else:
            try:
                if self.history_of_product.isChecked():
                    self.moves.show_history(product_id=row.product_id)
                else:
                    self.moves.show_history(location_id=row.location_id)
            except OperationFailed as failure:
                self.summary.setText(failure.message)
                return
            self.moves_view.resizeColumnsToContents()
        self._describe_history()

    def refresh_on(self, changes: Changes) -> None:
        if changes.stock and self.isVisible():
            self.run_search()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.show_history()

    # --- texts --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Stock on hand"))
        self.search_label.setText(self.tr("&Search"))
        self.search.setPlaceholderText(self.tr("SKU, barcode, product name, location or lot"))
        self.history_of_product.setText(self.tr("History of the &product"))
        self.history_of_location.setText(self.tr("History of the &location"))
        self.keys.setText(self.tr("Enter: search    Down: to the results    "
                                  "Alt+P / Alt+L: history of product / location    Esc: back"))
        self.stock.retranslate()
        self.moves.retranslate()
        self._describe_results()
        self._describe_history()

    def _describe_results(self) -> None:
        count = len(self.stock.rows)
        if self.stock.text.strip() and count == 0:
            text = self.tr("Nothing in stock matches \u201c{text}\u201d.").format(text=self.stock.text.strip())
        elif self.stock.more:
            text = self.tr("Showing the first %n row(s); scroll down for more.", None, count)
        else:
            text = self.tr("%n row(s).", None, count)
        if self.stock.truncated:
            text += " " + self.tr("The search matches a great many items: type more of it.")
        self.summary.setText(text)

    def _describe_history(self) -> None:
        row = self.selected_row()
        if row is None:
            self.history_title.setText(self.tr("Select a row to see its moves."))
        elif self.history_of_product.isChecked():
            self.history_title.setText(self.tr("Moves of {sku}").format(sku=row.sku))
        else:
            self.history_title.setText(self.tr("Moves at {location}").format(location=row.location))

    # --- Qt events ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.stock.rows:
            self.stock_view.setFocus()
            self.stock_view.selectRow(0)
            return
        super().keyPressEvent(event)

    def shown(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
