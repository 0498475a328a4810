"""A supervisor decides a count's waiting lines at the counter's workstation.

Opened from the counting screen (F9 / SF:SUPERVISOR) after the supervisor's badge and PIN:
the lines are read with the supervisor's rights and every decision is made by the logged-in
operator with ``approval=`` the supervisor, so the record says who decided and who asked.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.core.actor import Actor, Approval
from app.services import counting
from app.services.counting import DecisionResult
from app.ui.bridge import Bridge, OperationFailed
from app.ui.counting.review_panel import ReviewPanel


class SpotReviewDialog(QDialog):
    def __init__(self, parent: QWidget | None, bridge: Bridge, count_id: int, approver: Approval,
                 number: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("spotReview")
        self.approver = approver
        self.number = number
        self.decided_lines = 0
        self.panel = ReviewPanel(bridge, reader=_reader(bridge, approver), approval=approver, count_id=count_id)
        self.panel.count_label.hide()  # one count only: nothing to choose or show per line
        self.panel.count_choice.hide()
        self.panel.table.hideColumn(0)
        self.panel.decided.connect(self._decided)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.buttons)
        self.resize(1200, 640)
        self.retranslate()
        self.panel.load()

    @classmethod
    def decide_now(cls, parent: QWidget | None, bridge: Bridge, count_id: int, number: str,
                   approver: Actor) -> tuple[str, str]:
        """The count's waiting lines for the supervisor (who badged in at the scan field) to
        approve or reject. Returns what the counter's banner says: (ok | attention | error, text)."""
        try:
            waiting = bridge.query(counting.waiting_reviews, actor=_reader(bridge, approver), count_id=count_id)
        except OperationFailed as failure:
            return "error", failure.message
        if not any(review.lines for review in waiting):
            return "attention", QCoreApplication.translate(
                "SpotReviewDialog", "Nothing of {number} waits for a decision.").format(number=number)
        decided = cls.review(parent, bridge, count_id, approver, number)
        return "ok", QCoreApplication.translate(
            "SpotReviewDialog", "Lines of {number} decided by {name}: {lines}").format(
            name=approver.display_name, number=number, lines=decided)

    @classmethod
    def review(cls, parent: QWidget | None, bridge: Bridge, count_id: int, approver: Approval,
               number: str = "") -> int:
        """How many lines were decided before the dialog was closed. Tests replace this."""
        dialog = cls(parent, bridge, count_id, approver, number)
        dialog.exec()
        return dialog.decided_lines

    def _decided(self, result: DecisionResult) -> None:
        if not result.replayed:
            self.decided_lines += len(result.lines)

    def retranslate(self) -> None:
        self.panel.retranslate()
        self.setWindowTitle(self.tr("{name} decides count {number}").format(
            name=self.approver.display_name, number=self.number))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _reader(bridge: Bridge, approval: Approval) -> Actor:
    """Reads the waiting lines with a supervisor's view; every decision still sends ``approval``
    (badge + PIN), which the use case verifies."""
    return Actor(None, bridge.workstation, "supervisor", approval.display_name)
