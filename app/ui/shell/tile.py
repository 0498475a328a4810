"""A home tile: the workflow's icon and title, the title wrapped on as many lines as the tile
holds, in the largest type (24 pt down to 10 pt) at which every tile of the home screen fits.
``text()`` stays the one-line title ("F5  Waves and dispatch")."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget

POINT_SIZES = (24, 22, 20, 18, 16, 14, 13, 12, 11, 10)
ICON = 40
GAP = 12
FLAGS = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


class Tile(QPushButton):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.points: float | None = None  # chosen by the home screen for all tiles alike
        self.setIconSize(QSize(ICON, ICON))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAutoDefault(True)  # Enter on a focused tile opens it

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(240, 96)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(150, 60)

    # --- fitting ----------------------------------------------------------------------------
    def text_room(self) -> QRect:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        room = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        if not self.icon().isNull():
            room.setLeft(room.left() + ICON + GAP)
        return room

    def font_at(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(points)
        return font

    def fits_at(self, points: float) -> bool:
        room = self.text_room()
        needed = QFontMetrics(self.font_at(points)).boundingRect(
            QRect(0, 0, room.width(), 100_000), FLAGS, self.text())
        return needed.width() <= room.width() and needed.height() <= room.height()

    def text_fits(self) -> bool:
        return self.fits_at(self.points or self.font().pointSizeF())

    # --- painting ---------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        option.icon = QIcon()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)  # background, border, focus
        room = self.text_room()
        if not self.icon().isNull():
            top = room.top() + (room.height() - ICON) // 2
            place = QRect(room.left() - ICON - GAP, top, ICON, ICON)
            # The icons are drawn dark for light ground: a light chip keeps them visible on the tile.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#e9eef7"))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(place.adjusted(-3, -3, 3, 3), 6, 6)
            self.icon().paint(painter, place)
        painter.setFont(self.font_at(self.points or self.font().pointSizeF()))
        painter.setPen(self.palette().buttonText().color())
        painter.drawText(room, int(FLAGS), self.text())


def fit_tiles(tiles: list[Tile]) -> None:
    """Give every tile the largest type at which all of them fit (one size for the screen)."""
    chosen = POINT_SIZES[-1]
    for points in POINT_SIZES:
        if all(tile.fits_at(points) for tile in tiles):
            chosen = points
            break
    for tile in tiles:
        if tile.points != chosen:
            tile.points = chosen
            tile.update()
