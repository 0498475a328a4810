"""Choosing the carton by hand (F5): a numbered list, the suggestion first marked.

Press or scan the number, or scan the carton's own code. Esc or SF:CANCEL keeps the carton
as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.picking_rules import CartonSize
from app.ui.scanfield import ScanField

CANCEL_COMMAND = "SF:CANCEL"


class CartonDialog(QDialog):
    def __init__(self, parent: QWidget | None, cartons: list[CartonSize], suggested: str | None) -> None:
        super().__init__(parent)
        self.setObjectName("cartonDialog")
        self.cartons = sorted(cartons, key=lambda carton: (carton.volume_cm3, carton.code))
        self.suggested = suggested
        self.code: str | None = None
        self.hint = QLabel(objectName="cartonHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("QLabel#cartonHint { font-size: 18pt; font-weight: bold; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.hint)
        self.choices: list[QPushButton] = []
        for number, _carton in enumerate(self.cartons, start=1):
            button = QPushButton(objectName="cartonChoice")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the choice field
            button.setStyleSheet("QPushButton#cartonChoice { font-size: 18pt; text-align: left;"
                                 " padding: 6px 16px; }")
            button.clicked.connect(lambda _=False, n=number: self.choose(n))
            layout.addWidget(button)
            self.choices.append(button)
        self.choice = ScanField()
        self.choice.setObjectName("cartonChoiceField")
        self.choice.scanned.connect(self._scanned)
        self.choice.installEventFilter(self)
        self.problem = QLabel(objectName="cartonProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#cartonProblem { color: #a50e0e; font-weight: bold; }")
        layout.addWidget(self.choice)
        layout.addWidget(self.problem)
        self.setMinimumWidth(720)
        self.retranslate()
        self.choice.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, cartons: list[CartonSize], suggested: str | None) -> str | None:
        """The carton code chosen, or None when cancelled. Tests replace this."""
        dialog = cls(parent, cartons, suggested)
        dialog.exec()
        return dialog.code

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Carton"))
        self.hint.setText(self.tr("Which carton? Press or scan its number, or scan the carton. Esc: keep it"))
        for number, (button, carton) in enumerate(zip(self.choices, self.cartons), start=1):
            text = self.tr("{number}   {code}   {length} \u00d7 {width} \u00d7 {height} cm").format(
                number=number, code=carton.code, length=f"{carton.length_cm:g}",
                width=f"{carton.width_cm:g}", height=f"{carton.height_cm:g}")
            if carton.code == self.suggested:
                text += "   " + self.tr("(suggested)")
            button.setText(text)
        self.choice.setPlaceholderText(self.tr("1 to {last}, or a carton code").format(last=len(self.cartons)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose(self, number: int) -> None:
        self.code = self.cartons[number - 1].code
        self.accept()

    def _scanned(self, raw: str, _by_scanner: bool) -> None:
        text = raw.strip()
        codes = {carton.code.upper(): carton.code for carton in self.cartons}
        if text.upper() == CANCEL_COMMAND:
            self.reject()
        elif text.upper() in codes:
            self.code = codes[text.upper()]
            self.accept()
        elif text.isdigit() and 1 <= int(text) <= len(self.cartons):
            self.choose(int(text))
        else:
            self.problem.setText(self.tr("'{text}' is not a carton: press 1 to {last}.").format(
                text=text, last=len(self.cartons)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # With fewer than ten cartons a digit chooses at once, without Enter.
        if (watched is self.choice and event.type() == QEvent.Type.KeyPress and not self.choice.text()
                and len(self.cartons) < 10):
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(self.cartons):
                self.choose(int(text))
                return True
        return super().eventFilter(watched, event)
