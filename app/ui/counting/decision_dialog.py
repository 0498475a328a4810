"""Approve or reject counted lines: a reason code, and for stock that moved while it was
counted a deliberate choice between the two resolutions, each shown with what it would do.

Nothing is preselected: the button stays disabled until a reason (and, where stock moved,
a resolution) is chosen. Digits 1-6 (with or without Alt) pick a reason; Alt+K and Alt+D a
resolution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.counting_rules import KEEP_COUNTED, KEEP_DIFFERENCE, REASON_CODES
from app.services.counting import ReviewLine
from app.ui.counting.names import reason_name

APPROVE, REJECT = "approve", "reject"
LISTED = 8  # lines named in the summary; the rest are counted


@dataclass(frozen=True)
class Decision:
    reason: str
    resolution: str | None  # None when no stock moved (or on a rejection)


def line_name(line: ReviewLine) -> str:
    lot = f" {line.lot}" if line.lot else ""
    return f"{line.sku}{lot} @ {line.location}"


class DecisionDialog(QDialog):
    def __init__(self, parent: QWidget | None, decision: str, lines: Sequence[ReviewLine], *,
                 must_resolve: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("decisionDialog")
        self.decision = decision
        self.lines = list(lines)
        self.moved = [line for line in self.lines if line.moved_during_count]
        self.needs_resolution = decision == APPROVE and (bool(self.moved) or must_resolve)
        self.summary = QLabel(objectName="decisionSummary")
        self.summary.setWordWrap(True)
        self.reason_box = QGroupBox()
        self.reasons = QButtonGroup(self)
        reason_layout = QVBoxLayout(self.reason_box)
        for code in REASON_CODES:
            button = QRadioButton()
            button.setProperty("code", code)
            self.reasons.addButton(button)
            reason_layout.addWidget(button)
        self.resolution_box = QGroupBox()
        self.resolution_note = QLabel(objectName="resolutionNote")
        self.resolution_note.setWordWrap(True)
        self.keep_counted = QRadioButton()
        self.keep_counted.setProperty("code", KEEP_COUNTED)
        self.keep_counted_effect = QLabel(objectName="keepCountedEffect")
        self.keep_difference = QRadioButton()
        self.keep_difference.setProperty("code", KEEP_DIFFERENCE)
        self.keep_difference_effect = QLabel(objectName="keepDifferenceEffect")
        self.resolutions = QButtonGroup(self)
        resolution_layout = QVBoxLayout(self.resolution_box)
        resolution_layout.addWidget(self.resolution_note)
        for button, effect in ((self.keep_counted, self.keep_counted_effect),
                               (self.keep_difference, self.keep_difference_effect)):
            effect.setIndent(28)  # one short line per location: no wrapping, the dialog fits them  # under the radio button's text
            self.resolutions.addButton(button)
            resolution_layout.addWidget(button)
            resolution_layout.addWidget(effect)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reasons.buttonToggled.connect(lambda *_: self._update_ok())
        self.resolutions.buttonToggled.connect(lambda *_: self._update_ok())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.reason_box)
        layout.addWidget(self.resolution_box)
        layout.addWidget(self.buttons)
        self.resolution_box.setVisible(self.needs_resolution)  # after its children exist
        self.setMinimumWidth(720)
        self.retranslate()
        self._update_ok()

    @classmethod
    def ask(cls, parent: QWidget | None, decision: str, lines: Sequence[ReviewLine], *,
            must_resolve: bool = False) -> Decision | None:
        """The reviewer's decision, or None when cancelled. Tests replace this method."""
        dialog = cls(parent, decision, lines, must_resolve=must_resolve)
        dialog.exec()
        return dialog.result_decision()

    def result_decision(self) -> Decision | None:
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        return self.chosen()

    def chosen(self) -> Decision | None:
        reason = self.reasons.checkedButton()
        resolution = self.resolutions.checkedButton()
        if reason is None or (self.needs_resolution and resolution is None):
            return None
        return Decision(reason.property("code"),
                        resolution.property("code") if self.needs_resolution else None)

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        approving = self.decision == APPROVE
        self.setWindowTitle(self.tr("Approve counted lines") if approving else self.tr("Reject counted lines"))
        named = [self._describe(line) for line in self.lines[:LISTED]]
        if len(self.lines) > LISTED:
            named.append(self.tr("and %n more", None, len(self.lines) - LISTED))
        intro = (self.tr("Approve %n line(s): stock is adjusted to what was counted.", None, len(self.lines))
                 if approving else
                 self.tr("Reject %n line(s): stock stays as recorded.", None, len(self.lines)))
        self.summary.setText("\n".join([intro, *named]))
        self.reason_box.setTitle(self.tr("Reason"))
        for number, button in enumerate(self.reasons.buttons(), start=1):
            button.setText(f"&{number}  {reason_name(button.property('code'))}")
        self.resolution_box.setTitle(self.tr("Stock moved while it was counted"))
        self.resolution_note.setText(self.tr("Stock was put in or taken out after counting began. Choose:"))
        self.keep_counted.setText(self.tr("&Keep counted quantity"))
        self.keep_difference.setText(self.tr("Keep the &difference"))
        self.keep_counted_effect.setText("\n".join([
            self.tr("The location holds what was counted."),
            *(self._effect(line, line.adjust_if_keep_counted) for line in self.moved)]))
        self.keep_difference_effect.setText("\n".join([
            self.tr("Today's stock changes by the difference the count found."),
            *(self._effect(line, line.adjust_if_keep_difference) for line in self.moved)]))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Approve") if approving else self.tr("Reject"))

    def _describe(self, line: ReviewLine) -> str:
        return self.tr("{line}: expected {expected}, counted {counted} ({variance})").format(
            line=line_name(line), expected=line.expected, counted=line.counted,
            variance=f"{line.counted - line.expected:+d}")

    def _effect(self, line: ReviewLine, adjustment: int) -> str:
        return self.tr("{line}: {now} now, becomes {after} ({change})").format(
            line=line_name(line), now=line.current_on_hand, after=line.current_on_hand + adjustment,
            change=f"{adjustment:+d}")

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen() is not None)

    def accept(self) -> None:
        if self.chosen() is None:
            return  # Enter before a choice: stay
        super().accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        # A digit picks a reason without Alt: radio buttons do not use digit keys themselves.
        reasons = self.reasons.buttons()
        digit = event.key() - Qt.Key.Key_1
        if 0 <= digit < len(reasons):
            reasons[digit].setChecked(True)
            reasons[digit].setFocus()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
