"""Printer settings for supervisors: which printer each workstation uses for labels and for
documents. Stored in the database, so any workstation's printers can be set from here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import printing
from app.ui.bridge import OperationFailed
from app.ui.context import AppContext
from app.ui.desk import DeskScreen
from app.ui.printing import texts
from app.ui.printing.actions import print_queue
from app.ui.printing.profile_form import ProfileForm


class PrintersScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.workstation_label = QLabel()
        self.workstation = QComboBox(objectName="printerWorkstation")
        self.workstation.setEditable(True)
        self.workstation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.workstation_label.setBuddy(self.workstation)
        self.load_button = QPushButton(objectName="loadButton", clicked=self.load)
        self.workstation.activated.connect(lambda _index: self.load())
        self.workstation.lineEdit().returnPressed.connect(self.load)
        self.forms = {kind: ProfileForm(kind) for kind in ("labels", "documents")}
        for form in self.forms.values():
            form.test_print.connect(lambda form=form: self.test_print(form))
        self.save_button = QPushButton(objectName="saveButton", clicked=self.save)
        self.status = QLabel(objectName="printersStatus")
        self.status.setWordWrap(True)
        self.keys = QLabel(objectName="keyHints")
        chooser = QHBoxLayout()
        chooser.addWidget(self.workstation_label)
        chooser.addWidget(self.workstation, 1)
        chooser.addWidget(self.load_button)
        chooser.addStretch(2)
        forms = QHBoxLayout()
        for form in self.forms.values():
            forms.addWidget(form, 1, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.title)
        layout.addLayout(chooser)
        layout.addLayout(forms)
        layout.addStretch(1)
        layout.addLayout(bottom)
        layout.addWidget(self.keys)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.shown_workstation = self.bridge.workstation
        self.fill_workstations()
        self.retranslate()
        self.load()

    # --- values ---------------------------------------------------------------------------
    def fill_workstations(self) -> None:
        try:
            known = self.bridge.query(printing.known_workstations)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            known = []
        names = list(dict.fromkeys([self.bridge.workstation, *known]))
        self.workstation.clear()
        self.workstation.addItems(names)
        self.workstation.setEditText(self.shown_workstation)

    def chosen_workstation(self) -> str:
        return self.workstation.currentText().strip() or self.bridge.workstation

    def load(self) -> None:
        self.shown_workstation = self.chosen_workstation()
        try:
            profiles = self.bridge.query(printing.profiles_of, self.shown_workstation)
        except OperationFailed as failure:
            self.status.setText(failure.message)
            return
        for kind, form in self.forms.items():
            form.set_profile(profiles[kind])
        self.status.setText(self.tr("Printers of {workstation}.").format(workstation=self.shown_workstation))

    def save(self) -> None:
        workstation = self.shown_workstation
        try:
            actor = self.bridge.require_actor()
            for form in self.forms.values():
                form.set_profile(self.bridge.run(printing.save_profile, form.profile(workstation), actor=actor))
        except OperationFailed as failure:
            self.status.setText(self.tr("Not saved: {reason}").format(reason=failure.message))
            return
        self.status.setText(self.tr("Saved the printers of {workstation}.").format(workstation=workstation))
        self.fill_workstations()

    def test_print(self, form: ProfileForm) -> None:
        """The command sheet through the form's settings as they are now (saved or not)."""
        try:
            job = print_queue(self.bridge).submit(
                "commands", texts.command_sheet_selection(self.shown_workstation),
                printer=form.profile(self.shown_workstation))
        except OperationFailed as failure:
            self.status.setText(self.tr("Not printed: {reason}").format(reason=failure.message))
            return
        self.status.setText(self.tr("Test print sent as job {job}; see Print jobs for how it went.").format(job=job.id))

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Printers"))
        self.workstation_label.setText(self.tr("&Workstation"))
        self.load_button.setText(self.tr("&Show"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.keys.setText(self.tr("Tab: next field    Ctrl+S: save    Esc: back without saving"))

    # --- Qt events ------------------------------------------------------------------------
    def leave(self) -> None:
        self.load()  # unsaved edits are dropped
        super().leave()
