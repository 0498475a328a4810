"""Why is the bin short? A numbered choice, for keys and scanner alike.

Press or scan 1-5 (a scanned "1" + Enter works as well as the key). "Other" asks for the
picker's own words. Esc or SF:CANCEL cancels: nothing is written off.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.ui.scanfield import ScanField

CANCEL_COMMAND = "SF:CANCEL"
# The English text is what the audit trail keeps; the dialog shows it translated.
REASONS_CONTEXT = "short pick reasons"
SHORT_REASONS = (
    QT_TRANSLATE_NOOP("short pick reasons", "Bin empty"),
    QT_TRANSLATE_NOOP("short pick reasons", "Fewer in the bin than expected"),
    QT_TRANSLATE_NOOP("short pick reasons", "Damaged, cannot be sent"),
    QT_TRANSLATE_NOOP("short pick reasons", "Another product in the bin"),
    QT_TRANSLATE_NOOP("short pick reasons", "Other"),
)
OTHER = SHORT_REASONS[-1]  # asks for the picker's own words


def reason_text(english: str) -> str:
    return QCoreApplication.translate(REASONS_CONTEXT, english)


class ShortReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, question: str) -> None:
        super().__init__(parent)
        self.setObjectName("shortReasonDialog")
        self.reason: str | None = None  # English, as the audit trail keeps it
        self.question = QLabel(question, objectName="shortQuestion")
        self.question.setWordWrap(True)
        self.question.setStyleSheet("QLabel#shortQuestion { font-size: 20pt; font-weight: bold; }")
        self.hint = QLabel(objectName="shortHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.question)
        layout.addWidget(self.hint)
        self.choices: list[QPushButton] = []
        for number in range(1, len(SHORT_REASONS) + 1):
            button = QPushButton(objectName="shortChoice")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the choice field
            button.setStyleSheet("QPushButton#shortChoice { font-size: 20pt; text-align: left;"
                                 " padding: 8px 16px; }")
            button.clicked.connect(lambda _=False, n=number: self.choose(n))
            layout.addWidget(button)
            self.choices.append(button)
        self.choice = ScanField()
        self.choice.setObjectName("shortChoiceField")
        self.choice.scanned.connect(self._choice_scanned)
        self.choice.installEventFilter(self)
        self.other = QLineEdit(objectName="shortOther")
        self.other.returnPressed.connect(self._other_given)
        self.other.hide()
        self.problem = QLabel(objectName="shortProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#shortProblem { color: #a50e0e; font-weight: bold; }")
        layout.addWidget(self.choice)
        layout.addWidget(self.other)
        layout.addWidget(self.problem)
        self.setMinimumWidth(760)
        self.retranslate()
        self.choice.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, question: str) -> str | None:
        """The reason (English) the picker chose, or None when cancelled. Tests replace this."""
        dialog = cls(parent, question)
        dialog.exec()
        return dialog.reason

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Short pick"))
        self.hint.setText(self.tr("Why? Press or scan the number of the reason. Esc: cancel, nothing is written off"))
        for number, (button, english) in enumerate(zip(self.choices, SHORT_REASONS), start=1):
            button.setText(self.tr("{number}   {reason}").format(number=number, reason=reason_text(english)))
        self.choice.setPlaceholderText(self.tr("1 to {last}").format(last=len(SHORT_REASONS)))
        self.other.setPlaceholderText(self.tr("Say why in a few words, then Enter"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose(self, number: int) -> None:
        english = SHORT_REASONS[number - 1]
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
        elif text.isdigit() and 1 <= int(text) <= len(SHORT_REASONS):
            self.choose(int(text))
        else:
            self.problem.setText(self.tr("'{text}' is not a reason: press 1 to {last}.").format(
                text=text, last=len(SHORT_REASONS)))

    def _other_given(self) -> None:
        words = self.other.text().strip()
        if not words:
            self.problem.setText(self.tr("Say why, or press Esc to cancel."))
            return
        self.reason = f"{OTHER}: {words}"
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # A digit chooses at once, without Enter: one key press or one scan of "1".."5".
        if watched is self.choice and event.type() == QEvent.Type.KeyPress and not self.choice.text():
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(SHORT_REASONS):
                self.choose(int(text))
                return True
        return super().eventFilter(watched, event)
