"""The status bar's word on the outbox: "Offline — N scans waiting" while the shared database
cannot be reached, "Sending N offline scans" while they replay, and how many refused scans
need a supervisor. Empty (hidden) when nothing waits."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel

from app.ui.bridge import Bridge


class OfflineStatus(QLabel):
    def __init__(self, bridge: Bridge) -> None:
        super().__init__(objectName="offlineStatus")
        self.bridge = bridge
        self.setStyleSheet("QLabel#offlineStatus { font-weight: bold; }")
        desk = bridge.offline
        if desk is not None:
            desk.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        desk = self.bridge.offline
        parts = []
        if desk is not None and desk.unreachable:
            parts.append(self.tr("Offline \u2014 %n scan(s) waiting", "", desk.waiting))
        elif desk is not None and desk.waiting:
            parts.append(self.tr("Back online: sending %n offline scan(s)", "", desk.waiting))
        if desk is not None and desk.needs_attention:
            parts.append(self.tr("%n offline scan(s) need a supervisor", "", desk.needs_attention))
        self.setText("    ".join(parts))
        self.setVisible(bool(parts))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
