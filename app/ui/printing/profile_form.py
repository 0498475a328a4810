"""One printer profile's fields (labels or documents): output, printer, size, dpi, darkness,
offsets. Only the fields that mean something for the chosen output are shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.printing.sizes import PAGES, SIZES
from app.printing.zpl import SUPPORTED_DPI
from app.services.printing import ZPL_OUTPUTS, Profile
from app.ui.printing import texts

OUTPUT_ORDER = ("pdf_file", "system", "zpl_tcp", "zpl_cups", "pdf_cups")


def system_printers() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def cups_printers() -> list[str]:
    from app.printing.transports import PrinterUnavailable, cups_queues

    try:
        return cups_queues(timeout=5)
    except PrinterUnavailable:
        return []  # no CUPS here: the queue's name can still be typed


class ProfileForm(QGroupBox):
    test_print = Signal()

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName(f"{kind}Profile")
        self.name = QLineEdit(objectName=f"{kind}Name")
        self.output = QComboBox(objectName=f"{kind}Output")
        for output in OUTPUT_ORDER:
            if kind == "labels" or output not in ZPL_OUTPUTS:
                self.output.addItem("", output)
        self.output.currentIndexChanged.connect(lambda _i: self._output_changed())
        self.target = QComboBox(objectName=f"{kind}Target")
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.browse = QPushButton(objectName=f"{kind}Browse", clicked=self._browse)
        self.size = QComboBox(objectName=f"{kind}Size")
        for size in SIZES:
            if kind == "labels" or size in PAGES:
                self.size.addItem("", size)
        self.dpi = QComboBox(objectName=f"{kind}Dpi")
        for dpi in SUPPORTED_DPI:
            self.dpi.addItem(f"{dpi} dpi", dpi)
        self.darkness = QSpinBox(objectName=f"{kind}Darkness")
        self.darkness.setRange(-1, 30)  # -1: leave the printer's own setting
        self.offset_x = QSpinBox(objectName=f"{kind}OffsetX")
        self.offset_y = QSpinBox(objectName=f"{kind}OffsetY")
        for spin in (self.offset_x, self.offset_y):
            spin.setRange(-2000, 2000)
        self.test_button = QPushButton(objectName=f"{kind}Test")
        self.test_button.clicked.connect(self.test_print)  # signal to signal: clicked's "checked" is dropped
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.browse)
        offsets = QHBoxLayout()
        offsets.addWidget(self.offset_x)
        offsets.addWidget(self.offset_y)
        offsets.addStretch(1)
        self.form = QFormLayout(self)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.labels: dict[str, QLabel] = {}
        for key, field in (("name", self.name), ("output", self.output), ("target", target_row),
                           ("size", self.size), ("dpi", self.dpi), ("darkness", self.darkness),
                           ("offsets", offsets)):
            label = self.labels[key] = QLabel()
            self.form.addRow(label, field)
            if isinstance(field, QWidget):
                label.setBuddy(field)
        self.labels["target"].setBuddy(self.target)
        self.labels["offsets"].setBuddy(self.offset_x)
        self.form.addRow("", self.test_button)
        self.retranslate()

    # --- values ---------------------------------------------------------------------------
    def set_profile(self, profile: Profile) -> None:
        self.name.setText(profile.name)
        self.output.setCurrentIndex(max(0, self.output.findData(profile.output)))
        self._output_changed()
        self.target.setEditText(profile.target)
        self.size.setCurrentIndex(max(0, self.size.findData(profile.size)))
        self.dpi.setCurrentIndex(max(0, self.dpi.findData(profile.dpi)))
        self.darkness.setValue(-1 if profile.darkness is None else profile.darkness)
        self.offset_x.setValue(profile.offset_x)
        self.offset_y.setValue(profile.offset_y)

    def profile(self, workstation: str) -> Profile:
        darkness = self.darkness.value()
        return Profile(workstation, self.kind, self.output.currentData(), self.target.currentText().strip(),
                       self.size.currentData(), self.dpi.currentData(), None if darkness < 0 else darkness,
                       self.offset_x.value(), self.offset_y.value(), self.name.text().strip())

    # --- behaviour ------------------------------------------------------------------------
    def _output_changed(self) -> None:
        output = self.output.currentData()
        typed = self.target.currentText()
        self.target.clear()
        if output == "system":
            self.target.addItems(system_printers())
        elif output in ("zpl_cups", "pdf_cups"):
            self.target.addItems(cups_printers())
        self.target.setEditText(typed)
        zpl = output in ZPL_OUTPUTS
        self.browse.setVisible(output == "pdf_file")
        for key, visible in (("dpi", self.kind == "labels"), ("darkness", zpl), ("offsets", zpl)):
            self.form.setRowVisible(self.labels[key], visible)
        self._output_texts()

    def _output_texts(self) -> None:
        output = self.output.currentData()
        where = {"pdf_file": self.tr("&Folder"), "zpl_tcp": self.tr("&Address")}
        self.labels["target"].setText(where.get(output, self.tr("&Printer")))
        hints = {"pdf_file": self.tr("folder for the PDF files"), "system": self.tr("system printer"),
                 "zpl_tcp": self.tr("address of the label printer, e.g. zebra-dock-1:9100"),
                 "zpl_cups": self.tr("raw CUPS queue"), "pdf_cups": self.tr("CUPS queue")}
        self.target.lineEdit().setPlaceholderText(hints.get(output, ""))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the PDF files"),
                                                  self.target.currentText())
        if folder:
            self.target.setEditText(folder)

    # --- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setTitle(self.tr("Labels") if self.kind == "labels" else self.tr("Documents (A4 / Letter)"))
        for key, text in (("name", self.tr("&Name")), ("output", self.tr("&Output")),
                          ("size", self.tr("&Size")),
                          ("dpi", self.tr("&Resolution")), ("darkness", self.tr("&Darkness")),
                          ("offsets", self.tr("O&ffset (dots)"))):
            self.labels[key].setText(text)
        self.name.setPlaceholderText(self.tr("what people call this printer, e.g. Zebra at dock 1"))
        for index in range(self.output.count()):
            self.output.setItemText(index, texts.output_name(self.output.itemData(index)))
        for index in range(self.size.count()):
            self.size.setItemText(index, texts.size_name(self.size.itemData(index)))
        self.darkness.setSpecialValueText(self.tr("the printer's own"))
        self.offset_x.setPrefix(self.tr("right "))
        self.offset_y.setPrefix(self.tr("down "))
        self.browse.setText(self.tr("&Browse\u2026"))
        self.test_button.setText(self.tr("&Test print: command sheet"))
        self._output_texts()
