"""The waves on the floor with their progress, and the pick list of one as PDF or CSV."""

from __future__ import annotations

import io
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout

from app.services.waves import release as waves
from app.services.waves.release import WaveView
from app.ui.bridge import Bridge, OperationFailed
from app.ui.waves.common import DenseTable, ExportFileDialog, Tab, write_atomically

NUMERIC = (3, 6)


def mode_name(mode: str) -> str:
    names = {"single": QCoreApplication.translate("WavesTab", "single order"),
             "batch": QCoreApplication.translate("WavesTab", "batch (cart)")}
    return names.get(mode, mode)


def status_name(status: str) -> str:
    names = {"released": QCoreApplication.translate("WavesTab", "released"),
             "picking": QCoreApplication.translate("WavesTab", "being picked"),
             "done": QCoreApplication.translate("WavesTab", "picked")}
    return names.get(status, status)


class WavesTab(Tab):
    def __init__(self, bridge: Bridge, document_language: Callable[[], str] = lambda: "en") -> None:
        super().__init__()
        self.document_language = document_language  # the workstation's, for the printed pick list
        self.bridge = bridge
        self.waves: dict[int, WaveView] = {}
        self.table = DenseTable("wavesTable", multi=False)
        self.show_done = QCheckBox(objectName="showDoneWaves")
        self.show_done.toggled.connect(lambda _checked: self.load())
        self.pdf_button = QPushButton(objectName="picklistPdfButton")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.csv_button = QPushButton(objectName="picklistCsvButton")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_done)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.set_headers((self.tr("Wave"), self.tr("Mode"), self.tr("Status"), self.tr("Orders"),
                                self.tr("Lines picked"), self.tr("Units picked"), self.tr("Route (m)"),
                                self.tr("Totes: orders")))
        self.show_done.setText(self.tr("Show picked waves"))
        self.pdf_button.setText(self.tr("Pick list as PDF (Alt+P)"))
        self.csv_button.setText(self.tr("Pick list as CSV (Alt+C)"))
        self.fill()

    def load(self) -> None:
        try:
            listed = self.bridge.query(waves.list_waves)
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        self.waves = {wave.wave_id: wave for wave in listed if self.show_done.isChecked() or not wave.done}
        self.fill()

    def fill(self) -> None:
        rows = []
        for wave in sorted(self.waves.values(), key=lambda w: w.wave_id):
            totes = ", ".join(f"{slot}: {label}" for _, label, slot in wave.orders)
            rows.append((wave.wave_id, (
                wave.number, mode_name(wave.mode), status_name(wave.status), len(wave.orders),
                self.tr("{done} of {total}").format(done=wave.tasks_finished, total=wave.tasks_total),
                self.tr("{done} of {total}").format(done=wave.units_picked, total=wave.units_total),
                round(wave.route_length, 1) if wave.route_length is not None else "", totes)))
        self.table.fill(rows, NUMERIC)

    def export(self, fmt: str) -> None:
        chosen = self.table.selected_ids()
        if not chosen:
            self.said.emit("error", self.tr("Select a wave first."))
            return
        wave = self.waves[chosen[0]]
        file_filter = self.tr("PDF files (*.pdf)") if fmt == "pdf" else self.tr("CSV files (*.csv)")
        path = ExportFileDialog.ask(self, self.tr("Pick list of {wave}").format(wave=wave.number),
                                    f"picklist-{wave.number}.{fmt}", file_filter)
        if path is None:
            return
        try:
            if fmt == "pdf":
                data = self.bridge.query_long(self, self.tr("Writing the pick list of {wave}…").format(
                    wave=wave.number), waves.picklist_pdf, wave.wave_id, language=self.document_language())
            else:
                text = io.StringIO()
                self.bridge.query(waves.export_picklist_csv, wave.wave_id, text)
                data = text.getvalue().encode("utf-8")
            write_atomically(path, data)
        except OperationFailed as failure:
            self.said.emit("error", failure.message)
            return
        except OSError as error:
            self.said.emit("error", self.tr("Could not write {path}: {reason}").format(
                path=path, reason=error.strerror))
            return
        self.said.emit("ok", self.tr("Pick list of {wave} saved to {path}").format(wave=wave.number, path=path))
