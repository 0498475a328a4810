"""Base of the supervisor (desk) screens: tables, filters and forms rather than one scan field.

What every one of them did by hand, once: texts follow a language change, Esc goes back to the
home screen (when there is a navigator: not in screen tests), and ``shown()`` runs each time
the screen is shown (reload what the floor changed, put the focus where work starts).
Floor screens use app/ui/screen.py instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext


class DeskScreen(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    # --- for subclasses ---------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every visible text with self.tr(); runs again when the language changes."""

    def language_changed(self) -> None:
        """The language changed: the texts by default; override to also reload names in tables."""
        self.retranslate()

    def shown(self) -> None:
        """Runs each time the screen is shown."""

    def leave(self) -> None:
        """Esc: back to the home screen. Override to drop unsaved edits first."""
        self.context.navigator.go_home()

    # --- plumbing ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape and self.context.navigator is not None:
            self.leave()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.language_changed()
        super().changeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().showEvent(event)
        self.shown()
