"""A supervisor approves on the spot with badge + PIN (errors that subclass NeedsApproval).

The dialog checks the badge and PIN at once (a wrong PIN is said here and counts towards the
lockout) and hands back the ``Approval`` credentials: the use case verifies them again itself,
so nothing the screen builds can stand in for a supervisor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.actor import Actor, Approval
from app.services.users import supervisor_approval
from app.ui.scanfield import ScanField

if TYPE_CHECKING:
    from app.ui.bridge import Bridge


class SupervisorApprovalDialog(QDialog):
    def __init__(self, parent: QWidget | None, reason: str, bridge: Bridge) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.approver: Actor | None = None  # who approved, as checked (for reading on their behalf)
        self.approval: Approval | None = None  # what the use case gets and verifies
        self.setObjectName("approvalDialog")
        self.reason = QLabel(reason)
        self.reason.setWordWrap(True)
        self.reason.setObjectName("approvalReason")
        self.reason.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.setMinimumWidth(720)
        self.badge = ScanField()
        self.badge.scanned.connect(self._badge_scanned)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.accept)
        self.problem = QLabel()
        self.problem.setObjectName("approvalProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a50e0e; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.badge_label = QLabel()
        self.pin_label = QLabel()
        form = QFormLayout()
        form.addRow(self.badge_label, self.badge)
        form.addRow(self.pin_label, self.pin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.badge.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, reason: str, *, bridge: Bridge) -> Approval | None:
        """The supervisor's badge + PIN for ``approval=``, or None when cancelled. Tests replace
        this method."""
        dialog = cls(parent, reason, bridge)
        dialog.exec()
        return dialog.approval

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Supervisor approval"))
        self.badge_label.setText(self.tr("Supervisor badge"))
        self.pin_label.setText(self.tr("PIN"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _badge_scanned(self, raw: str, _by_scanner: bool) -> None:
        self.badge.setText(raw)
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        from app.ui.bridge import OperationFailed

        badge = self.badge.text().strip()
        if not badge:
            self.badge.setFocus()
            return
        try:
            self.approver = self.bridge.query(
                supervisor_approval, badge, self.pin.text(), workstation=self.bridge.workstation
            )
        except OperationFailed as failure:
            self.problem.setText(failure.message)
            self.pin.clear()
            self.pin.setFocus()
            return
        self.approval = Approval(badge, self.pin.text(), self.approver.display_name)
        super().accept()
