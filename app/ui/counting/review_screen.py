"""Supervisors review counted lines: a dense table of every line waiting for a decision in the
counts under review, filters and sorting, each line's count rounds and the moves since
counting began, and Approve / Reject with a reason code (mouse or keyboard)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.context import AppContext
from app.ui.counting.review_panel import ReviewPanel
from app.ui.desk import DeskScreen


class ReviewScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.panel = ReviewPanel(self.bridge)
        self.keys = QLabel(objectName="keyHints", wordWrap=True)  # long in Spanish and Polish
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.keys)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Review counts"))
        self.panel.retranslate()
        self.keys.setText(self.tr(
            "Click or Shift/Ctrl+arrows: select lines    Ctrl+A: all shown    Alt+A: approve    "
            "Alt+R: reject    Alt+B / Alt+M: filters    F5: reload    Esc: back"))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_F5:
            self.panel.load()
            return
        super().keyPressEvent(event)

    def shown(self) -> None:
        self.panel.load()  # counts finished since last time
        self.panel.table.setFocus(Qt.FocusReason.OtherFocusReason)
