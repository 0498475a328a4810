"""Choosing the database: from the login screen, or when the database cannot be opened."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class DatabaseTargetDialog(QDialog):
    """Shows the problem (if any) and lets the user type another database target."""

    def __init__(self, parent: QWidget | None, target: str, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("databaseDialog")
        self.setMinimumWidth(820)
        self.problem = QLabel(problem, objectName="databaseProblem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        self.problem.setStyleSheet("color: #a50e0e; font-weight: bold;")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.target = QLineEdit(target, objectName="databaseTarget")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        for widget in (self.problem, self.explanation, self.target, self.buttons):
            layout.addWidget(widget)
        self.setWindowTitle(self.tr("Database"))
        self.explanation.setText(self.tr(
            "Database of this workstation: a file path (SQLite, one workstation) or a "
            "PostgreSQL URL such as postgresql://stockfloor@server/warehouse (shared)."
        ))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        ok.setText(self.tr("Try again") if problem else self.tr("Save"))
        cancel.setText(self.tr("Quit") if problem else self.tr("Cancel"))
        self.target.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, target: str, problem: str = "") -> str | None:
        """The target to use, or None (cancel / quit). Tests replace this method."""
        dialog = cls(parent, target, problem)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.target.text().strip() or None
