"""Home: one large tile per workflow the user's role may open (only screens that exist)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QScrollArea, QWidget

from app.core.actor import Actor
from app.ui.context import AppContext
from app.ui.icons import tile_icon
from app.ui.registry import ScreenEntry, ScreenRegistry
from app.ui.screen import FloorScreen
from app.ui.shell.tile import Tile, fit_tiles

FUNCTION_KEYS = (Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5,
                 Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8, Qt.Key.Key_F9, Qt.Key.Key_F10,
                 Qt.Key.Key_F11, Qt.Key.Key_F12)  # tiles past F12 are reached with arrows + Enter
COLUMNS = 3  # up to 6 tiles; more tiles take more columns (columns_for)


def columns_for(count: int) -> int:
    """Columns of the tile grid: rows stay few enough for 768 lines with every role's tiles."""
    return COLUMNS if count <= 6 else 4 if count <= 12 else 5 if count <= 25 else 6


class HomeScreen(FloorScreen):
    open_requested = Signal(str)  # screen name
    logout_requested = Signal()
    journal_context = "home"
    keep_scan_focus = False  # Tab and arrow keys must reach the tiles

    def __init__(self, context: AppContext, registry: ScreenRegistry,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.registry = registry
        self.actor: Actor | None = None
        self.entries: list[ScreenEntry] = []
        self.tiles: list[Tile] = []
        self.columns = COLUMNS
        # Tiles are fitted once the grid has placed them: new tiles start 640x480, and neither
        # the home screen nor the language may change when another user logs in.
        self.fit_later = QTimer(self)
        self.fit_later.setSingleShot(True)
        self.fit_later.setInterval(0)
        self.fit_later.timeout.connect(self.fit_tiles)
        self.tile_area = QWidget()
        self.grid = QGridLayout(self.tile_area)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(12)
        # Tiles fill the room there is; only where even the smallest cannot, the grid scrolls.
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.tile_area)
        self.banner.hide_when_idle = True
        self.banner.clear_message()
        self.logout_button = QPushButton(objectName="logoutButton")
        self.logout_button.clicked.connect(self.logout_requested)
        self.content.addWidget(self.scroll, 1)
        # The log-out button sits on the key hints' line: the tiles keep the height.
        self.layout().removeWidget(self.keys)
        bottom = QHBoxLayout()
        bottom.addWidget(self.keys, 1)
        bottom.addWidget(self.logout_button)
        self.layout().addLayout(bottom)
        self.retranslate()

    def show_for(self, actor: Actor) -> None:
        """Lay out the tiles of ``actor``'s role."""
        self.actor = actor
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.hide()  # gone now, not only when the event loop deletes it
            tile.deleteLater()
        self.entries = self.registry.entries_for(actor.role)
        self.tiles = []
        self.columns = columns_for(len(self.entries))
        self.grid.setSpacing(12 if len(self.entries) <= 20 else 8)  # five rows of tiles in 768 lines
        for column in range(6):  # a lone tile keeps its column's share of the width
            self.grid.setColumnStretch(column, 1 if column < self.columns else 0)
        for index, entry in enumerate(self.entries):
            tile = Tile()
            tile.setProperty("screen", entry.name)
            tile.setIcon(tile_icon(entry.name))
            tile.clicked.connect(lambda _=False, name=entry.name: self.open_requested.emit(name))
            tile.installEventFilter(self)  # its resizes refit the type of all tiles
            self.grid.addWidget(tile, index // self.columns, index % self.columns)
            self.tiles.append(tile)
        self.feedback.clear()
        self.retranslate()

    def fit_tiles(self) -> None:
        fit_tiles(self.tiles)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().resizeEvent(event)
        self.fit_later.start()  # once the grid has placed the tiles

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and isinstance(watched, Tile):
            self.fit_later.start()  # one fit for all the tiles the grid just placed
        return super().eventFilter(watched, event)

    def tile_texts(self) -> list[str]:
        return [entry.display_title() for entry in self.entries]

    def retranslate(self) -> None:
        super().retranslate()
        name = self.actor.display_name if self.actor else ""
        self.title.setText(self.tr("Hello, {name}").format(name=name))
        if self.entries:
            self.prompt.setText(self.tr("Choose a task"))
        else:
            self.prompt.setText(self.tr("No tasks are available for your role yet."))
        for index, (tile, entry) in enumerate(zip(self.tiles, self.entries)):
            key = f"F{index + 1}  " if index < len(FUNCTION_KEYS) else ""
            tile.setText(key + entry.display_title())
        self.fit_tiles()
        self.logout_button.setText(self.tr("Log out (Ctrl+L)"))
        self.keys.setText(self.tr("F1-F12: open a task    Tab, arrows: move    Enter: open    "
                                  "Ctrl+L or scan SF:LOGOUT: log out"))

    def on_scan(self, raw: str, by_scanner: bool) -> None:
        self.feedback.attention(self.tr("Choose a task first (F1-F12), then scan."))

    def leave(self) -> None:
        """Esc on home does nothing: log-out is explicit."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in FUNCTION_KEYS and FUNCTION_KEYS.index(key) < len(self.entries):
            self.open_requested.emit(self.entries[FUNCTION_KEYS.index(key)].name)
            return
        moves = {Qt.Key.Key_Right: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Down: self.columns,
                 Qt.Key.Key_Up: -self.columns}
        if key in moves and self.tiles:
            focused = self.focusWidget()
            current = self.tiles.index(focused) if focused in self.tiles else -moves[key]
            target = min(max(current + moves[key], 0), len(self.tiles) - 1)
            self.tiles[target].setFocus(Qt.FocusReason.TabFocusReason)
            self.scroll.ensureWidgetVisible(self.tiles[target])
            return
        super().keyPressEvent(event)
