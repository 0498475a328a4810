"""Table models of the stock view: on-hand rows paged from the database, and move history."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
)

from app.services.stock import queries as stock_queries
from app.services.stock.queries import MoveRow, PageKey, StockRow
from app.ui import dates
from app.ui.bridge import Bridge, OperationFailed

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StockTables", text)


def _date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return QLocale().toString(dates.qdate(value), QLocale.FormatType.ShortFormat)


def _timestamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)  # SQLite hands back naive UTC
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp()))  # shown in local time
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class _Table(QAbstractTableModel):
    headers: tuple[str, ...] = ()  # English sources, translated in headerData

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.headers[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.headers) - 1)
        if self.rowCount():  # dates follow the language's format
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self.headers) - 1))


class StockTableModel(_Table):
    """On-hand rows for a search; more pages are read as the view scrolls (fetchMore), each
    after the last row's key (keyset paging: no OFFSET, one statement per page)."""

    headers = (
        QT_TRANSLATE_NOOP("StockTables", "SKU"),
        QT_TRANSLATE_NOOP("StockTables", "Product"),
        QT_TRANSLATE_NOOP("StockTables", "Location"),
        QT_TRANSLATE_NOOP("StockTables", "Lot"),
        QT_TRANSLATE_NOOP("StockTables", "Expiry"),
        QT_TRANSLATE_NOOP("StockTables", "License plate"),
        QT_TRANSLATE_NOOP("StockTables", "Quantity"),
    )

    def __init__(self, bridge: Bridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.page_size = stock_queries.PAGE_SIZE
        self.text = ""
        self.rows: list[StockRow] = []
        self.more = False
        self._fetching = False
        self.truncated = False
        self.next: PageKey | None = None

    def search(self, text: str) -> None:
        """Show the first page for ``text``; raises OperationFailed (rows then stay as they were)."""
        page = self.bridge.query(stock_queries.search_on_hand, text, limit=self.page_size)
        self.beginResetModel()
        self.text = text
        self.rows = list(page.rows)
        self.more = page.more
        self.truncated = page.truncated
        self.next = page.next
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and self.more and self.next is not None and not self._fetching

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: N802, B008
        if self._fetching:  # the view asks again while the page is on its way (worker thread)
            return
        self._fetching = True
        try:
            self._fetch_page()
        finally:
            self._fetching = False

    def _fetch_page(self) -> None:
        try:
            page = self.bridge.query(stock_queries.search_on_hand, self.text, after=self.next,
                                     limit=self.page_size)
        except OperationFailed:
            self.more = False  # the screen shows the problem on its next search
            return
        if page.rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.endInsertRows()
        self.more = page.more
        self.next = page.next

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.sku, row.name, row.location, row.lot or "", _date(row.expiry),
                      row.license_plate or "", QLocale().toString(row.quantity))
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 6:
            return RIGHT
        return None


class MoveTableModel(_Table):
    """The newest moves of one product or one location."""

    headers = (
        QT_TRANSLATE_NOOP("StockTables", "When"),
        QT_TRANSLATE_NOOP("StockTables", "SKU"),
        QT_TRANSLATE_NOOP("StockTables", "Quantity"),
        QT_TRANSLATE_NOOP("StockTables", "From"),
        QT_TRANSLATE_NOOP("StockTables", "To"),
        QT_TRANSLATE_NOOP("StockTables", "Lot"),
        QT_TRANSLATE_NOOP("StockTables", "Reason"),
        QT_TRANSLATE_NOOP("StockTables", "By"),
        QT_TRANSLATE_NOOP("StockTables", "Workstation"),
        QT_TRANSLATE_NOOP("StockTables", "Document"),
    )

    def __init__(self, bridge: Bridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.rows: list[MoveRow] = []

    def show_history(self, *, product_id: int | None = None, location_id: int | None = None) -> None:
        rows = self.bridge.query(stock_queries.move_history, product_id=product_id, location_id=location_id)
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (_timestamp(row.at), row.sku, QLocale().toString(row.quantity), row.source,
                      row.destination, row.lot or "", row.reason, row.user, row.workstation, row.document)
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return RIGHT
        return None
