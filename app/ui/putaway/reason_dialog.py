"""Why another bin than the suggested one? A numbered choice, for keys and scanner alike.

Press or scan 1-4 (a scanned "1" + Enter works as well as the key). "Other" asks for the
operator's own words. Esc or SF:CANCEL cancels: nothing is put away.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.putaway.reasons import DEVIATION_REASONS, OTHER, deviation_text
from app.ui.scanfield import ScanField

CANCEL_COMMAND = "SF:CANCEL"


class DeviationReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, question: str) -> None:
        super().__init__(parent)
        self.setObjectName("deviationDialog")
        self.reason: str | None = None  # English, as the audit trail keeps it
        self.question = QLabel(question, objectName="deviationQuestion")
        self.question.setWordWrap(True)
        self.question.setStyleSheet("QLabel#deviationQuestion { font-size: 20pt; font-weight: bold; }")
        self.hint = QLabel(objectName="deviationHint")
        self.hint.setWordWrap(True)
        self.choices: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.question)
        layout.addWidget(self.hint)
        for number, english in enumerate(DEVIATION_REASONS, start=1):
            button = QPushButton(objectName="deviationChoice")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the choice field
            button.setStyleSheet("QPushButton#deviationChoice { font-size: 20pt; text-align: left;"
                                 " padding: 8px 16px; }")
            button.clicked.connect(lambda _=False, n=number: self.choose(n))
            layout.addWidget(button)
            self.choices.append(button)
        self.choice = ScanField()
        self.choice.setObjectName("deviationChoiceField")
        self.choice.scanned.connect(self._choice_scanned)
        self.choice.installEventFilter(self)
        self.other = QLineEdit(objectName="deviationOther")
        self.other.returnPressed.connect(self._other_given)
        self.other.hide()
        self.problem = QLabel(objectName="deviationProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#deviationProblem { color: #a50e0e; font-weight: bold; }")
        layout.addWidget(self.choice)
        layout.addWidget(self.other)
        layout.addWidget(self.problem)
        self.setMinimumWidth(760)
        self.retranslate()
        self.choice.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, question: str) -> str | None:
        """The reason (English) the operator chose, or None when cancelled. Tests replace this."""
        dialog = cls(parent, question)
        dialog.exec()
        return dialog.reason

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Why another bin?"))
        self.hint.setText(self.tr("Press or scan the number of the reason. Esc: cancel"))
        for number, (button, english) in enumerate(zip(self.choices, DEVIATION_REASONS), start=1):
            button.setText(self.tr("{number}   {reason}").format(number=number, reason=deviation_text(english)))
        self.choice.setPlaceholderText(self.tr("1 to {last}").format(last=len(DEVIATION_REASONS)))
        self.other.setPlaceholderText(self.tr("Say why in a few words, then Enter"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- choosing -----------------------------------------------------------------------
    def choose(self, number: int) -> None:
        english = DEVIATION_REASONS[number - 1]
        if english != OTHER:
            self.reason = english
            self.accept()
            return
        self.problem.clear()
        self.other.show()
        self.other.setFocus(Qt.FocusReason.OtherFocusReason)

    def _choice_scanned(self, raw: str, _by_scanner: bool) -> None:
        text = raw.strip()
        if text.upper() == CANCEL_COMMAND:
            self.reject()
        elif text.isdigit() and 1 <= int(text) <= len(DEVIATION_REASONS):
            self.choose(int(text))
        else:
            self.problem.setText(self.tr("'{text}' is not a reason: press 1 to {last}.").format(
                text=text, last=len(DEVIATION_REASONS)))

    def _other_given(self) -> None:
        words = self.other.text().strip()
        if not words:
            self.problem.setText(self.tr("Say why, or press Esc to cancel."))
            return
        self.reason = f"{OTHER}: {words}"
        self.accept()

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802, ANN001 - Qt API
        # A digit chooses at once, without Enter: one key press or one scan of "1".."4".
        if watched is self.choice and event.type() == QEvent.Type.KeyPress and not self.choice.text():
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(DEVIATION_REASONS):
                self.choose(int(text))
                return True
        return super().eventFilter(watched, event)
