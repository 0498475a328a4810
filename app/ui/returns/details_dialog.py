"""Findings and notes for the unit being inspected (F7): ticks and a line of text.

Findings are what the inspector sees, kept apart from the customer's reason. Scanning
SF:FINDING-<CODE> (e.g. SF:FINDING-SCRATCHED) toggles one without this dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.returns_rules import FINDINGS
from app.ui.returns.texts import finding_name

MAX_NOTES = 500


@dataclass(frozen=True)
class Details:
    findings: tuple[str, ...]
    notes: str


class DetailsDialog(QDialog):
    def __init__(self, parent: QWidget | None, findings: tuple[str, ...], notes: str) -> None:
        super().__init__(parent)
        self.setObjectName("returnDetails")
        self.setMinimumWidth(720)
        self.caption = QLabel()
        self.boxes = {code: QCheckBox() for code in FINDINGS}
        grid = QGridLayout()
        for index, (code, box) in enumerate(self.boxes.items()):
            box.setChecked(code in findings)
            grid.addWidget(box, index // 2, index % 2)
        self.notes_label = QLabel()
        self.notes = QLineEdit(notes)
        self.notes.setMaxLength(MAX_NOTES)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addLayout(grid)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addWidget(self.buttons)
        self.retranslate()

    @classmethod
    def ask(cls, parent: QWidget | None, findings: tuple[str, ...], notes: str) -> Details | None:
        """The new findings and notes, or None when cancelled. Tests replace this method."""
        dialog = cls(parent, findings, notes)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.details()

    def details(self) -> Details:
        return Details(tuple(code for code, box in self.boxes.items() if box.isChecked()),
                       self.notes.text().strip())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Findings and notes"))
        self.caption.setText(self.tr("What did you find? (apart from the customer's reason)"))
        for code, box in self.boxes.items():
            box.setText(finding_name(code))
        self.notes_label.setText(self.tr("Notes"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
