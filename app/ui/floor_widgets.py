"""Building blocks every floor screen lays out the same way: pages of the content area,
the read-only line table, and the amber strip that shows what applies to the next scan."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget


def floor_page(*widgets: QWidget, stretch: QWidget | None = None) -> QWidget:
    """A page of the content area; ``stretch`` (default: the last widget) takes the height left."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if widget is (stretch or widgets[-1]) else 0)
    return page


def floor_table(model: QAbstractItemModel, name: str, *, stretch_column: int,
                font_pt: int = 16, header_pt: int = 14, row_height: int = 44, padding: int = 8) -> QTableView:
    """A large-type table the operator reads but never clicks: the scan field keeps focus."""
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setStyleSheet(f"QTableView#{name} {{ font-size: {font_pt}pt; }}"
                        f" QTableView#{name}::item {{ padding: 0px {padding}px; }}"
                        f" QTableView#{name} QHeaderView::section {{ font-size: {header_pt}pt;"
                        f" padding: 4px {padding}px; }}")
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table


def marks_strip(name: str) -> QLabel:
    """The amber strip for pending marks ("Next item: quantity 4, DAMAGED")."""
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    label.setStyleSheet(
        f"QLabel#{name} {{ background: #ffc400; color: #000000; font-size: 20pt;"
        " font-weight: bold; padding: 6px 14px; border-radius: 6px; }"
    )
    return label


#: Arrow keys that move the highlight in a floor screen's list of open documents.
LIST_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -5, Qt.Key.Key_PageDown: 5}
