"""Waves and dispatch, for supervisors: release allocated orders to the floor, follow the
waves, export pick lists, hand packed parcels to the carriers.

A dense desk screen (mouse and keyboard): three tabs (Alt+1..3), shortcuts on every action,
one message banner that turns green, amber or red like the floor's. Each tab reads its data
again when a use case changes orders, picks or stock, and when the screen is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.ui.bridge import Changes
from app.ui.context import AppContext
from app.ui.desk import DeskScreen
from app.ui.printing.actions import document_language
from app.ui.waves.common import MessageLine, Tab
from app.ui.waves.dispatch_tab import DispatchTab
from app.ui.waves.release_tab import ReleaseTab
from app.ui.waves.waves_tab import WavesTab

REFRESH_FLAGS = Changes(orders=True, picks=True, stock=True)


class WavesScreen(DeskScreen):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.bridge = context.bridge
        self.title = QLabel(objectName="screenTitle")
        self.release = ReleaseTab(self.bridge)
        self.waves = WavesTab(self.bridge, lambda: document_language(context))
        self.dispatch = DispatchTab(self.bridge)
        self.tabs = QTabWidget(objectName="wavesTabs")
        for tab in self.all_tabs():
            self.tabs.addTab(tab, "")
            tab.said.connect(self.say)
        self.banner = MessageLine(context.sounds)
        self.keys = QLabel(objectName="keyHints")
        self.keys.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.keys)
        self._shortcuts()
        self.bridge.changed.connect(self._changed)
        self.retranslate()
        self.refresh()
        self._loaded_unseen = True  # the first show needs no second load

    def all_tabs(self) -> tuple[Tab, ...]:
        return (self.release, self.waves, self.dispatch)

    def _shortcuts(self) -> None:
        actions = {
            "Alt+1": lambda: self.tabs.setCurrentIndex(0), "Alt+2": lambda: self.tabs.setCurrentIndex(1),
            "Alt+3": lambda: self.tabs.setCurrentIndex(2),
            "Alt+A": self.release.allocate, "Alt+S": lambda: self.release.release("single"),
            "Alt+B": lambda: self.release.release("batch"),
            "Alt+P": lambda: self.waves.export("pdf"), "Alt+C": lambda: self.waves.export("csv"),
            "Alt+D": self.dispatch.dispatch, "Alt+X": self.dispatch.export,
            "F5": self.refresh,
        }
        self.shortcuts = []
        for keys, action in actions.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
            self.shortcuts.append(shortcut)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Waves and dispatch"))
        for index, text in enumerate((self.tr("1 Release orders"), self.tr("2 Waves on the floor"),
                                      self.tr("3 Dispatch"))):
            self.tabs.setTabText(index, text)
        for tab in self.all_tabs():
            tab.retranslate()
        self.keys.setText(self.tr(
            "Alt+1/2/3: tabs    Alt+A: allocate    Alt+S / Alt+B: release selected as single / batch waves    "
            "Alt+P / Alt+C: pick list PDF / CSV    Alt+D: dispatch    Alt+X: confirmations CSV    "
            "F5: reload    Ctrl+A: select all    Esc: back"))

    def say(self, kind: str, text: str) -> None:
        self.banner.show_message(kind, text)

    def refresh(self) -> None:
        for tab in self.all_tabs():
            tab.load()

    def _changed(self, changes: Changes) -> None:
        if changes.intersects(REFRESH_FLAGS):
            self.refresh()

    def shown(self) -> None:
        if self._loaded_unseen:
            self._loaded_unseen = False
            return
        self.refresh()  # the floor moved on since last time
