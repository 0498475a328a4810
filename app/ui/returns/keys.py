"""The returns screen's keys: F1-F6 checklist, F7 details, F8 close, F9 reprint, arrows,
and Ctrl+Z / an empty Enter in the scan field (which a QLineEdit would keep for itself)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from app.ui.returns.inspection_panel import CHECK_KEYS

CHECK_FKEYS = {getattr(Qt.Key, f"Key_{key}"): index for index, key in enumerate(CHECK_KEYS)}
SCREEN_KEYS = (*CHECK_FKEYS, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_F7, Qt.Key.Key_F8, Qt.Key.Key_F9)


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
        elif self.rma is not None and key == Qt.Key.Key_F7:
            self.edit_details()
        elif self.rma is not None and key == Qt.Key.Key_F8:
            self.close_rma()
        elif self.rma is not None and key == Qt.Key.Key_F9:
            self.print_again()
        else:
            super().keyPressEvent(event)
            return
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # The scan field would keep Ctrl+Z for its own text and ignore an empty Enter.
        if watched is self.scan_field and event.type() == QEvent.Type.KeyPress and self.dialogue.question is None:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) and self.rma is not None:
                self.scan_field.clear()
                self.undo()
                self.retranslate()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.scan_field.text():
                self.confirm()
                self.retranslate()
                return True
        return super().eventFilter(watched, event)
