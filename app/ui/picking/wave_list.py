"""The waves waiting on the floor, oldest first: the highlighted one is "the next wave".

The scan field keeps the keyboard focus; the screen forwards arrow keys here and opens the
highlighted wave on Enter (or SF:CONFIRM). A double click opens one too.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from app.services.waves.release import WaveView

WAVE_ROLE = Qt.ItemDataRole.UserRole
# A wave's number (W000012, or just 12) or one of its totes (W000012-T03).
WAVE_SCAN = re.compile(r"W?0*(\d{1,9})(?:-T\d+)?", re.IGNORECASE)


def wave_id_from_scan(text: str) -> int | None:
    """The wave a scanned wave number or tote names; None when it names none."""
    match = WAVE_SCAN.fullmatch(text.strip())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def mode_name(mode: str) -> str:
    names = {"single": QCoreApplication.translate("PickScreen", "single order"),
             "batch": QCoreApplication.translate("PickScreen", "batch")}
    return names.get(mode, mode)


def status_name(status: str) -> str:
    names = {"released": QCoreApplication.translate("PickScreen", "released"),
             "picking": QCoreApplication.translate("PickScreen", "being picked"),
             "done": QCoreApplication.translate("PickScreen", "picked")}
    return names.get(status, status)


class OpenWavesList(QListWidget):
    chosen = Signal(int)  # the wave id, as if its number had been scanned

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openWaves")
        self.waves: list[WaveView] = []
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps the keys
        self.setStyleSheet(
            "QListWidget#openWaves { font-size: 20pt; border: 2px solid #888888; }"
            " QListWidget#openWaves::item { padding: 10px; border-bottom: 1px solid #cccccc; }"
            " QListWidget#openWaves::item:selected { background: #0a2a5e; color: #ffffff; }"
        )
        self.itemDoubleClicked.connect(lambda item: self.chosen.emit(item.data(WAVE_ROLE)))

    def show_waves(self, waves: list[WaveView]) -> None:
        previous = self.selected_wave()
        self.waves = sorted(waves, key=lambda wave: wave.wave_id)
        self.clear()
        for wave in self.waves:
            item = QListWidgetItem(self.describe(wave))
            item.setData(WAVE_ROLE, wave.wave_id)
            self.addItem(item)
        ids = [wave.wave_id for wave in self.waves]
        if ids:
            self.setCurrentRow(ids.index(previous) if previous in ids else 0)

    def describe(self, wave: WaveView) -> str:
        return self.tr("{number}    {mode}, %n order(s)    {done} of {total} lines picked    {status}", "",
                       len(wave.orders)).format(
            number=wave.number, mode=mode_name(wave.mode), done=wave.tasks_finished,
            total=wave.tasks_total, status=status_name(wave.status))

    def retranslate(self) -> None:
        for row, wave in enumerate(self.waves):
            self.item(row).setText(self.describe(wave))

    def selected_wave(self) -> int | None:
        item = self.currentItem()
        return item.data(WAVE_ROLE) if item is not None else None

    def move(self, step: int) -> None:
        """Move the highlight by ``step`` rows, stopping at the ends."""
        if self.count():
            row = min(max(self.currentRow() + step, 0), self.count() - 1)
            self.setCurrentRow(row)
            self.scrollToItem(self.item(row))
