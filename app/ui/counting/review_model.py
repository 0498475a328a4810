"""The supervisor's table of counted lines waiting for a decision, and its filters.

One row per line: where, what, expected and counted, the variance in units and money,
every count round (who, when, how many), and the stock moves at the location since the
snapshot. Sorting uses the raw values (numbers sort as numbers); filters narrow by count,
zone, ABC class, "beyond tolerance only" and "stock moved only".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.core import clock
from app.services.counting import CountReview, CountSummary, ReviewLine
from app.ui.counting.names import kind_name

# Only waiting lines are shown, so there is no status column.
COLUMNS = ("count", "location", "zone", "sku", "name", "lot", "abc_class", "expected", "counted",
           "variance_qty", "variance_value", "moves", "rounds")
NUMERIC = frozenset(("expected", "counted", "variance_qty", "variance_value"))
BEYOND_TEXT = QColor("#a50e0e")  # dark red on white: 7.6:1
MOVED_BACKGROUND = QColor("#fff0b3")  # pale amber behind black text
Index = QModelIndex | QPersistentModelIndex


def local_time(at: dt.datetime | None, *, short: bool = False) -> str:
    """A stored UTC timestamp (SQLite hands them back naive) in the workstation's time;
    ``short`` (for table cells) shows only the time for today, else leaves the year out."""
    if at is None:
        return ""
    local = clock.local(at)
    if not short:
        return local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%H:%M" if local.date() == clock.today() else "%m-%d %H:%M")


@dataclass(frozen=True)
class Row:
    count: CountSummary
    line: ReviewLine

    @property
    def beyond_tolerance(self) -> bool:
        return self.line.within_tolerance is False

    @property
    def net_moved(self) -> int:
        return sum(move.quantity for move in self.line.moves_since_snapshot)


class ReviewLinesModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.rows: list[Row] = []
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None  # kept across reloads

    def show_reviews(self, reviews: list[CountReview]) -> None:
        self.beginResetModel()
        self.rows = [Row(review.count, line) for review in reviews for line in review.lines]
        if self.sorted_by is not None:
            self.rows = self._sorted(self.rows, *self.sorted_by)
        self.endResetModel()

    def _sorted(self, rows: list[Row], column: int, order: Qt.SortOrder) -> list[Row]:
        name = COLUMNS[column]
        keys = [self.sort_value(row, name) for row in rows]
        ranked = sorted(range(len(rows)), key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return [rows[old] for old in ranked]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def header_titles(self) -> tuple[str, ...]:
        return (self.tr("Count"), self.tr("Location"), self.tr("Zone"), self.tr("SKU"),
                self.tr("Product"), self.tr("Lot"), self.tr("ABC"), self.tr("Expected"),
                self.tr("Counted"), self.tr("Variance"), self.tr("Value"), self.tr("Moved"),
                self.tr("Counts (who, when)"))

    # --- Qt model API -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.header_titles()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and row.line.moved_during_count:
            return QBrush(MOVED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.beyond_tolerance and column.startswith("variance"):
            return QBrush(BEYOND_TEXT)
        if role == Qt.ItemDataRole.FontRole and row.beyond_tolerance and column.startswith("variance"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column in ("rounds", "moves"):
            return self.cell_text(row, column).replace("; ", "\n")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, in one Python sort over each row's key made once, instead of by the
        proxy, whose C++ sort would ask data() through Python for every comparison (~25,000
        calls for 1,200 lines). Selections and the current row follow their lines."""
        if not 0 <= column < len(COLUMNS):
            return
        self.sorted_by = (column, order)
        if not self.rows:
            return
        self.layoutAboutToBeChanged.emit()
        place = {id(row): old for old, row in enumerate(self.rows)}
        self.rows = self._sorted(self.rows, column, order)
        new_place = {place[id(row)]: new for new, row in enumerate(self.rows)}
        before = self.persistentIndexList()
        self.changePersistentIndexList(before, [
            self.index(new_place[index.row()], index.column()) for index in before])
        self.layoutChanged.emit()

    def cell_text(self, row: Row, column: str) -> str:
        line = row.line
        if column == "count":
            return f"{row.count.number} {kind_name(row.count.kind)}"
        if column == "variance_qty":
            return "" if line.variance_qty is None else f"{line.variance_qty:+d}"
        if column == "variance_value":
            return "" if line.variance_value is None else f"{line.variance_value:+.2f}"
        if column == "rounds":
            return "; ".join(self.tr("{counted} by {who} ({when})").format(
                counted=r.counted, who=", ".join(r.counters) or "?", when=local_time(r.counted_at, short=True))
                for r in line.rounds)
        if column == "moves":
            if not line.moves_since_snapshot:
                return ""
            return self.tr("{net} in %n move(s)", None, len(line.moves_since_snapshot)).format(
                net=f"{row.net_moved:+d}")
        value = getattr(line, column)
        return "" if value is None else str(value)

    def sort_value(self, row: Row, column: str) -> object:
        if column in NUMERIC:
            value = getattr(row.line, column)
            return float("-inf") if value is None else float(value)
        if column == "moves":
            return float(len(row.line.moves_since_snapshot))
        if column == "count":
            return row.count.number
        return self.cell_text(row, column).casefold()


class ReviewFilter(QSortFilterProxyModel):
    """Which rows show: all of them until a filter says otherwise."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - any QObject
        super().__init__(parent)
        self.count_id: int | None = None
        self.zone: str | None = None
        self.abc_class: str | None = None
        self.beyond_only = False
        self.moved_only = False

    def set_filters(self, *, count_id: int | None, zone: str | None, abc_class: str | None,
                    beyond_only: bool, moved_only: bool) -> None:
        modern = hasattr(self, "beginFilterChange")  # Qt 6.9+; older ones only know invalidate
        if modern:
            self.beginFilterChange()
        self.count_id, self.zone, self.abc_class = count_id, zone, abc_class
        self.beyond_only, self.moved_only = beyond_only, moved_only
        if modern:
            self.endFilterChange()
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt API
        row: Row = self.sourceModel().rows[source_row]
        return ((self.count_id is None or row.count.count_id == self.count_id)
                and (self.zone is None or row.line.zone == self.zone)
                and (self.abc_class is None or row.line.abc_class == self.abc_class)
                and (not self.beyond_only or row.beyond_tolerance)
                and (not self.moved_only or row.line.moved_during_count))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # the proxy keeps the source's order: it only filters

    def row_at(self, proxy_row: int) -> Row:
        return self.sourceModel().rows[self.mapToSource(self.index(proxy_row, 0)).row()]
