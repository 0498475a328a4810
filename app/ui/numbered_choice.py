"""A numbered choice of reasons, for keys and scanner alike (short picks, another bin...).

Press or scan the number (a scanned "1" + Enter works as well as the key). The last reason,
"Other", asks for the operator's own words. Esc or SF:CANCEL cancels. Subclasses give the
reasons (English, kept in the audit trail; shown translated) and their own title and hint.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.ui.scanfield import ScanField

CANCEL_COMMAND = "SF:CANCEL"

class NumberedChoiceDialog(QDialog):
    reasons: Sequence[str] = ()  # English; the last one asks for words
    reason_text: Callable[[str], str] = staticmethod(lambda english: english)  # its translation
    name = "choice"  # prefix of the widgets' object names (stylesheets)

    def __init__(self, parent: QWidget | None, question: str) -> None:
        super().__init__(parent)
        self.setObjectName(f"{self.name}Dialog")
        self.reason: str | None = None  # English, as the audit trail keeps it
        self.question = QLabel(question, objectName=f"{self.name}Question")
        self.question.setWordWrap(True)
        self.question.setStyleSheet(f"QLabel#{self.name}Question {{ font-size: 20pt; font-weight: bold; }}")
        self.hint = QLabel(objectName=f"{self.name}Hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.question)
        layout.addWidget(self.hint)
        self.choices: list[QPushButton] = []
        for number in range(1, len(self.reasons) + 1):
            button = QPushButton(objectName=f"{self.name}Choice")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the choice field
            button.setStyleSheet(f"QPushButton#{self.name}Choice {{ font-size: 20pt; text-align: left;"
                                 " padding: 8px 16px; }")
            button.clicked.connect(lambda _=False, n=number: self.choose(n))
            layout.addWidget(button)
            self.choices.append(button)
        self.choice = ScanField()
        self.choice.setObjectName(f"{self.name}ChoiceField")
        self.choice.scanned.connect(self._choice_scanned)
        self.choice.installEventFilter(self)
        self.other = QLineEdit(objectName=f"{self.name}Other")
        self.other.returnPressed.connect(self._other_given)
        self.other.hide()
        self.problem = QLabel(objectName=f"{self.name}Problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"QLabel#{self.name}Problem {{ color: #a50e0e; font-weight: bold; }}")
        layout.addWidget(self.choice)
        layout.addWidget(self.other)
        layout.addWidget(self.problem)
        self.setMinimumWidth(760)
        self.retranslate()
        self.choice.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, question: str) -> str | None:
        """The reason (English) chosen, or None when cancelled. Tests replace this."""
        dialog = cls(parent, question)
        dialog.exec()
        return dialog.reason

    def retranslate(self) -> None:
        """Subclasses set the window title and the hint, then call this."""
        for number, (button, english) in enumerate(zip(self.choices, self.reasons), start=1):
            button.setText(QCoreApplication.translate("NumberedChoiceDialog", "{number}   {reason}").format(
                number=number, reason=self.reason_text(english)))
        self.choice.setPlaceholderText(
            QCoreApplication.translate("NumberedChoiceDialog", "1 to {last}").format(last=len(self.reasons)))
        self.other.setPlaceholderText(
            QCoreApplication.translate("NumberedChoiceDialog", "Say why in a few words, then Enter"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose(self, number: int) -> None:
        english = self.reasons[number - 1]
        if english != self.reasons[-1]:
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
        elif text.isdigit() and 1 <= int(text) <= len(self.reasons):
            self.choose(int(text))
        else:
            self.problem.setText(QCoreApplication.translate(
                "NumberedChoiceDialog", "'{text}' is not a reason: press 1 to {last}.").format(
                text=text, last=len(self.reasons)))

    def _other_given(self) -> None:
        words = self.other.text().strip()
        if not words:
            self.problem.setText(QCoreApplication.translate("NumberedChoiceDialog", "Say why, or press Esc to cancel."))
            return
        self.reason = f"{self.reasons[-1]}: {words}"
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # A digit chooses at once, without Enter: one key press or one scan of a number.
        if watched is self.choice and event.type() == QEvent.Type.KeyPress and not self.choice.text():
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(self.reasons):
                self.choose(int(text))
                return True
        return super().eventFilter(watched, event)
