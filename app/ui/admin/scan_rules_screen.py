"""Admin: where the warehouse refuses typed codes (the rule ``scan_required_at``).

One check box per prompt kind; at a ticked kind the scan field takes only what arrives at
scanner speed, so a code typed by hand (or read off the label and keyed in) is refused. The
change is audited and every floor screen reads it again at once."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import config
from app.ui.bridge import Changes, OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen

# What each kind means on the floor, in the words of the prompt the worker sees.
KIND_TEXTS = {
    "location": QT_TRANSLATE_NOOP("ScanRulesScreen", "Locations: scan the bin label (or say its check digits)"),
    "item": QT_TRANSLATE_NOOP("ScanRulesScreen", "Items: scan the product's barcode"),
    "tote": QT_TRANSLATE_NOOP("ScanRulesScreen", "Totes: scan the tote label on a batch cart"),
    "document": QT_TRANSLATE_NOOP("ScanRulesScreen", "Documents: scan the order, wave or count number"),
}
KIND_NAMES = {
    "location": QT_TRANSLATE_NOOP("ScanRulesScreen", "locations"),
    "item": QT_TRANSLATE_NOOP("ScanRulesScreen", "items"),
    "tote": QT_TRANSLATE_NOOP("ScanRulesScreen", "totes"),
    "document": QT_TRANSLATE_NOOP("ScanRulesScreen", "documents"),
}


class ScanRulesScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.explanation = QLabel(objectName="scanRulesExplanation")
        self.explanation.setWordWrap(True)
        self.boxes = {kind: QCheckBox(objectName=f"scanRequired_{kind}") for kind in config.SCAN_PROMPT_KINDS}
        self.save_button = QPushButton(objectName="saveButton", clicked=self.save)
        self.status = QLabel(objectName="scanRulesStatus")
        self.status.setWordWrap(True)
        self.keys = QLabel(objectName="keyHints")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.keys)
        self.retranslate()  # the data: shown(), each time the screen is shown

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scans required"))
        self.explanation.setText(self.tr(
            "At a ticked prompt the scan field takes only what the scanner sends: a code typed by hand "
            "is refused and journaled. Commands and answers such as quantities, lots or PINs may always be typed."))
        for kind, box in self.boxes.items():
            box.setText(QCoreApplication.translate("ScanRulesScreen", KIND_TEXTS[kind]))
        self.save_button.setText(self.tr("&Save"))
        self.keys.setText(self.tr("Space: tick / untick    Tab: next    Alt+S: save    Esc: back"))

    def load(self) -> None:
        try:
            required = self.bridge.query(config.scan_required_at)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        for kind, box in self.boxes.items():
            box.setChecked(kind in required)

    def chosen(self) -> tuple[str, ...]:
        return tuple(kind for kind, box in self.boxes.items() if box.isChecked())

    def save(self) -> None:
        try:
            saved = self.bridge.run(config.set_scan_required_at, self.chosen(),
                                    actor=self.bridge.require_actor(), changes=Changes(settings=True))
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        if saved:
            names = ", ".join(QCoreApplication.translate("ScanRulesScreen", KIND_NAMES[kind]) for kind in saved)
            self.status.setText(self.tr("Saved: a scan is required at {kinds}.").format(kinds=names))
        else:
            self.status.setText(self.tr("Saved: typed codes are accepted at every prompt."))

    def shown(self) -> None:
        self.load()  # changed at another workstation since
        next(iter(self.boxes.values())).setFocus()

