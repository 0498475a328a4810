"""Pieces the three tabs of the waves screen share: a dense table, and where a file goes.

``ExportFileDialog.ask`` is the only place a file name is asked for; tests replace it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.ui.feedback import BANNER_COLOURS, Sounds

ID_ROLE = Qt.ItemDataRole.UserRole


class ExportFileDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, suggested_name: str, file_filter: str) -> Path | None:
        """The file to write, or None when cancelled. Tests replace this method."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested_name), file_filter)
        return Path(chosen) if chosen else None


def write_atomically(path: Path, data: bytes) -> None:
    """Through a temporary file, so a failed write never leaves half a document."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)


class MessageLine(QLabel):
    """The desk's banner: the floor's colours and sounds in a size that leaves room for the
    tables. ``state`` is idle | ok | attention | error; hidden while idle."""

    def __init__(self, sounds: Sounds | None) -> None:
        super().__init__()
        self.setObjectName("deskMessage")
        self.setWordWrap(True)
        self.sounds = sounds
        self.show_message("idle", "")

    def show_message(self, state: str, text: str) -> None:
        self.state = state
        self.setText(text)
        background, foreground = BANNER_COLOURS[state]
        self.setStyleSheet(f"QLabel#deskMessage {{ background: {background}; color: {foreground};"
                           " font-size: 17pt; font-weight: bold; padding: 8px 14px; border-radius: 6px; }")
        self.setVisible(state != "idle")
        if state != "idle" and self.sounds is not None:
            self.sounds.play(state)


class DenseTable(QTableWidget):
    """A supervisor's table: whole rows selected, sortable, each row carrying its id."""

    def __init__(self, name: str, *, multi: bool) -> None:
        super().__init__(0, 0)
        self.setObjectName(name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                              else QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setStyleSheet("QTableWidget { font-size: 12pt; }"
                           " QHeaderView::section { font-size: 11pt; padding: 2px 4px; }")
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)

    def set_headers(self, titles: Iterable[str]) -> None:
        titles = list(titles)
        self.setColumnCount(len(titles))
        self.setHorizontalHeaderLabels(titles)

    def fill(self, rows: list[tuple[Any, tuple]], numeric: Iterable[int] = ()) -> None:
        """``rows``: (id, cells). The selection survives when its ids are still there."""
        selected = set(self.selected_ids())
        numeric = set(numeric)
        self.setSortingEnabled(False)
        self.clearSelection()
        self.setRowCount(len(rows))
        for row, (row_id, cells) in enumerate(rows):
            for column, value in enumerate(cells):
                item = QTableWidgetItem()
                if column in numeric and isinstance(value, (int, float)):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)  # sorts as a number
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setText("" if value is None else str(value))
                item.setData(ID_ROLE, row_id)
                self.setItem(row, column, item)
        self.setSortingEnabled(True)
        self.select_ids(selected)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Each column as wide as its widest cell or title. (Qt's own fit would also keep room
        for a sort arrow in every title: eleven columns would not fit a terminal.)"""
        font = QFont(self.horizontalHeader().font())
        font.setBold(True)  # titles are drawn bold
        metrics = QFontMetrics(font)
        for column in range(self.columnCount() - 1):  # the last one stretches
            title = self.horizontalHeaderItem(column)
            title_width = metrics.horizontalAdvance(title.text()) + 16 if title is not None else 0
            self.setColumnWidth(column, max(self.sizeHintForColumn(column), title_width))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self.fit_columns)  # the titles' font is known once polished

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.fit_columns()

    def selected_ids(self) -> list[Any]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self.item(row, 0).data(ID_ROLE) for row in rows if self.item(row, 0) is not None]

    def all_ids(self) -> list[Any]:
        return [self.item(row, 0).data(ID_ROLE) for row in range(self.rowCount())]

    def select_ids(self, ids: Iterable[Any]) -> None:
        wanted = set(ids)
        self.clearSelection()
        mode = self.selectionMode()
        self.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)  # selectRow adds, not replaces
        for row in range(self.rowCount()):
            if self.item(row, 0) is not None and self.item(row, 0).data(ID_ROLE) in wanted:
                self.selectRow(row)
        self.setSelectionMode(mode)


class Tab(QWidget):
    """A tab of the waves screen: ``said(kind, text)`` puts a message on the screen's banner."""

    said = Signal(str, str)  # ok | attention | error, translated text

    def load(self) -> None:
        """Read what the tab shows again."""

    def retranslate(self) -> None:
        """Set every visible text."""
