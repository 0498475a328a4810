"""Layout pieces that keep every screen inside 1366x768: a label of a fixed number of lines,
and a stack of pages as large as the page it shows.

FittedLabel: a label of a fixed number of lines: the text wraps, and what does not fit ends in "…".

The label's height never changes with its text, so nothing below it moves (the scan field
under the banner). ``text()`` is the whole text; the tooltip shows it when it was shortened,
``shortened`` tells whether it was, ``shown_text()`` is what is painted.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QWidget


class FittedLabel(QLabel):
    """``lines`` lines of the label's font high. With ``shrink`` (points, e.g. 14) a text too
    long for that is first set in smaller type, on as many lines as then fit the same height,
    and only shortened if it does not fit at ``shrink`` points either (the floor prompt)."""

    # Class defaults too: Qt may paint a label whose Python side is being torn down.
    lines = 2
    shrink: float | None = None
    points: float | None = None
    shortened = False
    _full = ""

    def __init__(self, lines: int = 2, parent: QWidget | None = None, *, shrink: float | None = None) -> None:
        super().__init__(parent)
        self.lines = lines
        self.shrink = shrink
        self.points: float | None = None  # the smaller type the text is painted in, if any
        self._full = ""
        self.shortened = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._fix_height()

    # --- the text -------------------------------------------------------------------------
    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self._fit()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def lines_needed(self, width: int | None = None) -> int:
        """How many lines the whole text takes at ``width`` (default: the label's)."""
        return len(self._layout_lines(self._full, self._width() if width is None else width))

    # --- fitting --------------------------------------------------------------------------
    def _width(self) -> int:
        return max(1, self.contentsRect().width())

    def _layout_lines(self, text: str, width: int, font: QFont | None = None) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            layout = QTextLayout(paragraph, font or self.font())
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
            layout.endLayout()
        return lines

    def _font_at(self, points: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(points)
        return font

    def _rows_at(self, font: QFont) -> int:
        height = self.contentsRect().height() or self.lines * QFontMetrics(self.font()).lineSpacing()
        return max(1, height // QFontMetrics(font).lineSpacing())

    def _smaller(self, width: int) -> float | None:
        """The largest type, down to ``shrink`` points, at which the whole text fits the height."""
        points = self.font().pointSizeF() - 1
        while points >= self.shrink:
            font = self._font_at(points)
            if len(self._layout_lines(self._full, width, font)) <= self._rows_at(font):
                return points
            points -= 1
        return None

    def _shorten(self, lines: list[str], rows: int, font: QFont, width: int) -> str:
        kept = [line.rstrip() for line in lines[:rows - 1]]
        rest = " ".join(line.strip() for line in lines[rows - 1:])
        # A little room for the "…": elidedText measures without the wrap's slack.
        last = QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width - 2)
        return "\n".join([*kept, last])

    def _fit(self) -> None:
        width = self._width()
        lines = self._layout_lines(self._full, width)
        self.points = None
        self.shortened = len(lines) > self.lines
        shown = self._full
        if self.shortened and self.shrink is not None:
            self.points = self._smaller(width)
            if self.points is None:  # not even the smallest type holds it all: shorten in that
                self.points = self.shrink
                font = self._font_at(self.points)
                shown = self._shorten(self._layout_lines(self._full, width, font), self._rows_at(font), font, width)
            else:
                self.shortened = False
        elif self.shortened:
            shown = self._shorten(lines, self.lines, self.font(), width)
        super().setText(shown)
        self.setToolTip(self._full if self.shortened else "")
        self.update()

    def clear(self) -> None:
        self.setText("")

    def _fix_height(self) -> None:
        margins = self.contentsMargins()  # the style sheet's padding and border are in them
        lines = self.lines * QFontMetrics(self.font()).lineSpacing()
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 2)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if self.points is None:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setFont(self._font_at(self.points))
        painter.setPen(self.palette().windowText().color())
        flags = self.alignment().value | Qt.TextFlag.TextWordWrap.value
        painter.drawText(self.contentsRect(), flags, self.shown_text())

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fix_height()
            self._fit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.Polish:  # the style sheet's font arrives here, with no FontChange
            self._fix_height()
            self._fit()
        return handled


class CurrentPageStack(QStackedWidget):
    """A stack as large as the page it shows: a QStackedWidget asks for the largest minimum of
    all its pages, so one tall screen opened once would keep the window too tall for the others."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()
