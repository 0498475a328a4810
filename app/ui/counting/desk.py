"""For the supervisors' desk screens: a one-line message under a table (green when done,
amber when nothing happened, red when refused; no 30 pt banner, no sound), and dense
table headers."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

COLOURS = {"idle": "#000000", "ok": "#0b5d1e", "attention": "#6b4e00", "error": "#a50e0e"}


class MessageLine(QLabel):
    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.state = "idle"
        self.hide()

    def show_message(self, state: str, text: str) -> None:
        self.state = state
        self.setText(text)
        self.setVisible(bool(text))  # no empty line taking room under the table
        self.setStyleSheet(f"QLabel#{self.objectName()} {{ color: {COLOURS[state]};"
                           " font-weight: bold; font-size: 13pt; }")


def dense_header(view) -> None:  # noqa: ANN001 - a QTableView
    """Size header sections by the 13 pt the style sheet paints them in, not the 16 pt body
    font every widget gets: otherwise every column of a dense table is a third too wide."""
    view.horizontalHeader().setStyleSheet("QHeaderView { font-size: 13pt; }")
