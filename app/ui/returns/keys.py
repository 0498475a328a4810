"""The returns screen's own keys: F1-F6 tick the checklist, Up/Down step through the units
waiting for inspection. Everything else (Enter, Ctrl+Z, F7-F9, Esc) is in the screen's
command table and runs through the dialogue engine."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from app.ui.returns.inspection_panel import CHECK_KEYS

CHECK_FKEYS = {getattr(Qt.Key, f"Key_{key}"): index for index, key in enumerate(CHECK_KEYS)}
SCREEN_KEYS = (*CHECK_FKEYS, Qt.Key.Key_Up, Qt.Key.Key_Down)


class ReturnsKeys:
    """Mixed into ReturnsScreen before FloorScreen: calls its actions, holds no state."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if self.dialogue.question is not None and key in SCREEN_KEYS:
            # A question is open in the scan field: the screen's keys wait until it is answered.
            self.feedback.error(QCoreApplication.translate(
                "Dialogue", "{code} is a command, not an answer. {prompt} (SF:CANCEL: cancel)").format(
                code=QKeySequence(event.keyCombination()).toString(), prompt=self.dialogue.question.prompt))
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move(1 if key == Qt.Key.Key_Down else -1)
        elif self.rma is not None and key in CHECK_FKEYS:
            self.toggle_check(CHECK_FKEYS[key])
        else:
            super().keyPressEvent(event)
            return
        self.retranslate()
