"""Asking for the lot (and expiry) of a lot-tracked product scanned without them.

The lot field is a scan field: scanning the GS1 label (lot AI 10, expiry AI 17) fills both
fields at once; typing works too. The expiry is typed as YYYY-MM-DD (or YYYYMMDD).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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

from app.core.errors import ScanError
from app.core.scan import interpret
from app.ui.scanfield import ScanField


@dataclass(frozen=True)
class LotEntry:
    lot: str
    expiry: dt.date | None


def parse_expiry(text: str) -> dt.date | None:
    """YYYY-MM-DD or YYYYMMDD; None when empty. Raises ValueError when unreadable."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return dt.date.fromisoformat(text)


class LotDialog(QDialog):
    def __init__(self, parent: QWidget | None, reason: str, *, need_expiry: bool,
                 lot: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lotDialog")
        self.need_expiry = need_expiry
        self.entry: LotEntry | None = None
        self.reason = QLabel(reason, objectName="lotReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("QLabel#lotReason { font-size: 18pt; font-weight: bold; }")
        self.lot = ScanField()
        self.lot.setObjectName("lotField")
        self.lot.scanned.connect(self._lot_scanned)
        self.expiry = QLineEdit(objectName="expiryField")
        self.expiry.returnPressed.connect(self.accept)
        self.problem = QLabel(objectName="lotProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#lotProblem { color: #a50e0e; font-weight: bold; }")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.lot_label = QLabel()
        self.expiry_label = QLabel()
        form = QFormLayout()
        form.addRow(self.lot_label, self.lot)
        form.addRow(self.expiry_label, self.expiry)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        if lot:
            self.lot.setText(lot)
        self.retranslate()
        (self.expiry if lot else self.lot).setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, reason: str, *, need_expiry: bool,
            lot: str | None = None) -> LotEntry | None:
        """The lot (and expiry) the operator gave, or None when cancelled. Tests replace this."""
        dialog = cls(parent, reason, need_expiry=need_expiry, lot=lot)
        dialog.exec()
        return dialog.entry

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lot and expiry"))
        self.lot_label.setText(self.tr("Lot or serial"))
        self.expiry_label.setText(
            self.tr("Expiry (required)") if self.need_expiry else self.tr("Expiry (if printed)")
        )
        self.lot.setPlaceholderText(self.tr("Scan the GS1 label or type the lot"))
        self.expiry.setPlaceholderText(self.tr("YYYY-MM-DD"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _lot_scanned(self, raw: str, _by_scanner: bool) -> None:
        """A GS1 label brings lot and expiry; anything else is the lot itself."""
        try:
            code = interpret(raw)
        except ScanError:
            code = None
        if code is not None and code.kind == "gs1" and (code.lot or code.serial):
            self.lot.setText(code.lot or code.serial or "")
            if code.expiry is not None:
                self.expiry.setText(code.expiry.isoformat())
        else:
            self.lot.setText(raw)
        if self.need_expiry and not self.expiry.text().strip():
            self.expiry.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.accept()

    def accept(self) -> None:
        lot = self.lot.text().strip()
        if not lot:
            self.problem.setText(self.tr("Scan or type the lot first."))
            self.lot.setFocus()
            return
        try:
            expiry = parse_expiry(self.expiry.text())
        except ValueError:
            self.problem.setText(self.tr("'{text}' is not a date: type it as YYYY-MM-DD.").format(
                text=self.expiry.text().strip()))
            self.expiry.setFocus()
            return
        if expiry is None and self.need_expiry:
            self.problem.setText(self.tr("This product needs an expiry date."))
            self.expiry.setFocus()
            return
        self.entry = LotEntry(lot, expiry)
        super().accept()
