"""Workstation settings for supervisors: database, name, scanner, language, sound."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.settings import SCANNER_SUFFIXES, WorkstationSettings
from app.support import log_folder
from app.ui.bridge import Changes
from app.ui.context import AppContext
from app.ui.desk import DeskScreen
from app.ui.scanfield import ScanField
from app.ui.settings.diagnostics import diagnostics_summary

LANGUAGE_CHOICES = ("", "en", "de", "es", "pl")
LANGUAGE_NAMES = ("", "English", "Deutsch", "Español", "Polski")  # each in its own name


class SettingsScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.title = QLabel(objectName="screenTitle")
        self.database_target = QLineEdit(objectName="databaseTarget")
        self.workstation = QLineEdit(objectName="workstationName")
        self.language = QComboBox(objectName="language")
        self.language.addItems([""] * len(LANGUAGE_CHOICES))
        self.sound = QCheckBox(objectName="sound")
        self.kiosk = QCheckBox(objectName="kiosk")
        self.prefix = QLineEdit(objectName="scannerPrefix")
        self.suffix = QComboBox(objectName="scannerSuffix")
        self.suffix.addItems(["", ""])
        self.interval = QSpinBox(objectName="scannerInterval")
        self.interval.setRange(5, 1000)
        self.interval.setSuffix(" ms")
        self.symbology = QCheckBox(objectName="scannerSymbology")
        self.try_scan = ScanField()
        self.try_scan.scanned.connect(self._tried)
        self.try_result = QLabel(objectName="tryResult")
        self.save_button = QPushButton(objectName="saveButton")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(objectName="settingsStatus")
        self.status.setWordWrap(True)
        self.keys = QLabel(objectName="keyHints")
        self.support_box = QGroupBox()
        self.log_folder = QLabel(objectName="logFolder")
        self.log_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(objectName="copyDiagnostics")
        self.copy_button.clicked.connect(self.copy_diagnostics)
        support = QHBoxLayout(self.support_box)
        support.addWidget(self.log_folder, 1)
        support.addWidget(self.copy_button)

        self.workstation_box = QGroupBox()
        self.workstation_form = QFormLayout(self.workstation_box)
        self.scanner_box = QGroupBox()
        self.scanner_form = QFormLayout(self.scanner_box)
        for form in (self.workstation_form, self.scanner_form):
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            form.setVerticalSpacing(6)
        self.labels: dict[QWidget, QLabel] = {}
        for form, widget in ((self.workstation_form, self.database_target),
                             (self.workstation_form, self.workstation),
                             (self.workstation_form, self.language),
                             (self.workstation_form, self.sound),
                             (self.workstation_form, self.kiosk),
                             (self.scanner_form, self.prefix),
                             (self.scanner_form, self.suffix),
                             (self.scanner_form, self.interval),
                             (self.scanner_form, self.symbology),
                             (self.scanner_form, self.try_scan)):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[widget] = label
            form.addRow(label, widget)
        self.scanner_form.addRow("", self.try_result)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        # The groups scroll where the screen is too low for them (1366x768); Tab scrolls along.
        groups = QWidget()
        column = QVBoxLayout(groups)
        column.setContentsMargins(0, 0, 0, 0)
        for box in (self.workstation_box, self.scanner_box, self.support_box):
            column.addWidget(box)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(groups)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.keys)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("F8"), self, self.copy_diagnostics)
        self.load()
        self.retranslate()

    # --- values ---------------------------------------------------------------------------
    def load(self) -> None:
        values = self.context.settings.load()
        self.database_target.setText(values.database_target)
        self.workstation.setText(values.workstation)
        self.language.setCurrentIndex(LANGUAGE_CHOICES.index(values.language))
        self.sound.setChecked(values.sound)
        self.kiosk.setChecked(values.kiosk)
        self.prefix.setText(values.scanner_prefix)
        self.suffix.setCurrentIndex(SCANNER_SUFFIXES.index(values.scanner_suffix))
        self.interval.setValue(values.scanner_interval_ms)
        self.symbology.setChecked(values.scanner_symbology_id)
        self.try_scan.set_options(self.context.scanner_options())

    def values(self) -> WorkstationSettings:
        return WorkstationSettings(
            database_target=self.database_target.text().strip(),
            workstation=self.workstation.text().strip() or self.context.bridge.workstation,
            language=LANGUAGE_CHOICES[self.language.currentIndex()],
            sound=self.sound.isChecked(),
            scanner_prefix=self.prefix.text(),
            scanner_suffix=SCANNER_SUFFIXES[self.suffix.currentIndex()],
            scanner_interval_ms=self.interval.value(),
            scanner_symbology_id=self.symbology.isChecked(),
            kiosk=self.kiosk.isChecked(),
        )

    def save(self) -> None:
        before = self.context.settings.load()
        values = self.values()
        self.context.settings.save(values)
        self.context.sounds.enabled = values.sound
        self.try_scan.set_options(self.context.scanner_options())
        self.context.bridge.announce(Changes(settings=True))
        restart = (values.database_target, values.workstation) != (before.database_target, before.workstation)
        if restart:
            self.status.setText(self.tr("Saved. The database and workstation name apply when "
                                        "Stockfloor starts again."))
        else:
            self.status.setText(self.tr("Saved."))

    def copy_diagnostics(self) -> None:
        bridge = self.context.bridge
        actor = bridge.actor
        text = diagnostics_summary(database_label=bridge.database_label, workstation=bridge.workstation,
                                   language=QLocale().name(), user=actor.display_name if actor else "")
        QGuiApplication.clipboard().setText(text)
        self.status.setText(self.tr("Diagnostics copied to the clipboard: paste them into your "
                                    "message to support."))

    def _tried(self, raw: str, by_scanner: bool) -> None:
        shown = raw.replace("\x1d", "<GS>")
        if by_scanner:
            self.try_result.setText(self.tr("Read \u201c{code}\u201d from a scanner.").format(code=shown))
        else:
            self.try_result.setText(self.tr("Read \u201c{code}\u201d typed by hand (keys slower than "
                                            "the interval).").format(code=shown))

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(self.tr("Workstation settings"))
        self.workstation_box.setTitle(self.tr("This workstation"))
        self.scanner_box.setTitle(self.tr("Scanner"))
        texts = {
            self.database_target: self.tr("&Database"),
            self.workstation: self.tr("&Workstation name"),
            self.language: self.tr("&Language before log-in"),
            self.sound: self.tr("S&ound"),
            self.kiosk: self.tr("&Kiosk"),
            self.prefix: self.tr("&Prefix"),
            self.suffix: self.tr("S&uffix"),
            self.interval: self.tr("&Fastest typing"),
            self.symbology: self.tr("S&ymbology identifier"),
            self.try_scan: self.tr("&Try a scan"),
        }
        for widget, text in texts.items():
            self.labels[widget].setText(text)
        # Both groups' fields start at the same x: the widest label sets the column.
        widest = max(label.sizeHint().width() for label in self.labels.values())
        for label in self.labels.values():
            label.setMinimumWidth(widest)
        self.database_target.setPlaceholderText(self.tr("file path or postgresql://user@server/database"))
        self.language.setItemText(0, self.tr("Language of the system"))
        for index, name in enumerate(LANGUAGE_NAMES[1:], start=1):
            self.language.setItemText(index, name)
        self.sound.setText(self.tr("Beep for ok, attention and error"))
        self.kiosk.setText(self.tr("Full screen, without title bar"))
        self.suffix.setItemText(0, self.tr("Enter"))
        self.suffix.setItemText(1, self.tr("Tab"))
        self.interval.setToolTip(self.tr("Keys closer together than this come from a scanner."))
        self.symbology.setText(self.tr("The scanner sends ]C1, ]d2... before each code"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        self.support_box.setTitle(self.tr("Support"))
        folder = log_folder()
        self.log_folder.setText(self.tr("Log files: {folder}").format(folder=folder) if folder
                                else self.tr("Log files: none (logging to the console only)"))
        self.copy_button.setText(self.tr("Copy diagnostics (F8)"))
        self.keys.setText(self.tr("Tab: next field    Ctrl+S: save    Esc: back without saving"))

    # --- Qt events ------------------------------------------------------------------------
    def leave(self) -> None:
        self.load()  # unsaved edits are dropped
        self.status.clear()
        super().leave()

    def shown(self) -> None:
        self.database_target.setFocus(Qt.FocusReason.OtherFocusReason)
